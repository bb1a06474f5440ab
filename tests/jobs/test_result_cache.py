"""plugin.jobs.result_cache: first write wins; meta is a plain key/value table."""

from __future__ import annotations

from pathlib import Path

from plugin.jobs.result_cache import ResultCache


def test_the_first_cached_result_wins(tmp_path: Path) -> None:
    cache = ResultCache(f"sqlite:///{tmp_path / 'c.sqlite'}")
    assert cache.cache_get("k") is None
    cache.cache_put("k", {"summary": "one"})
    cache.cache_put("k", {"summary": "two"})
    assert cache.cache_get("k") == {"summary": "one"}
    cache.close()


def test_meta_values_are_replaced(tmp_path: Path) -> None:
    cache = ResultCache(f"sqlite:///{tmp_path / 'c.sqlite'}")
    cache.meta_set("model_id", "a")
    cache.meta_set("model_id", "b")
    assert (cache.meta_get("model_id"), cache.meta_get("other")) == ("b", None)
    cache.close()
