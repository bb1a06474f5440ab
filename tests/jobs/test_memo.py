"""The LRU that keeps finished job records and known-valid request digests."""

from __future__ import annotations

import threading

from plugin.jobs.memo import Lru


def test_least_recently_used_entries_go_first() -> None:
    memo: Lru[str, int] = Lru(max_entries=2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1  # a is now the most recent
    memo.put("c", 3)
    assert memo.get("b") is None and memo.get("a") == 1 and memo.get("c") == 3
    assert len(memo) == 2


def test_the_size_budget_holds_and_oversized_values_are_not_kept() -> None:
    memo: Lru[str, str] = Lru(max_entries=100, max_size=10)
    memo.put("small", "x", size=4)
    memo.put("medium", "y", size=5)
    assert memo.size == 9
    memo.put("more", "z", size=4)  # 13 > 10: the oldest goes
    assert memo.get("small") is None and memo.size == 9
    memo.put("huge", "w", size=11)
    assert memo.get("huge") is None and memo.get("medium") == "y"
    memo.put("medium", "y2", size=1)  # replacing an entry re-counts its size
    assert memo.size == 5 and memo.get("medium") == "y2"


def test_a_zero_sized_memo_keeps_nothing() -> None:
    memo: Lru[str, int] = Lru(max_entries=0)
    memo.put("a", 1)
    assert memo.get("a") is None and len(memo) == 0


def test_concurrent_use_keeps_the_bounds() -> None:
    memo: Lru[int, int] = Lru(max_entries=50, max_size=400)

    def hammer(offset: int) -> None:
        for n in range(2000):
            memo.put(offset + n % 120, n, size=n % 9 + 1)
            memo.get(offset + (n * 7) % 120)

    threads = [threading.Thread(target=hammer, args=(k * 1000,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(memo) <= 50 and memo.size <= 400
    assert memo.size == sum(size for _, size in memo._items.values())
