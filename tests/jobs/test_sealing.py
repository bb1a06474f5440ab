"""Encryption at rest: a known phrase is nowhere in the raw SQLite files, the Redis dump or
the PostgreSQL tables; a wrong key is a clear error; key rotation resumes after a stop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import tests.jobs.kinds
from connectors.errors import ConfigError
from plugin.cli import main
from plugin.config import settings
from plugin.jobs.keys import KEY_FILE, DataKeyError, key_id, load_keys
from plugin.jobs.queue import JobQueue, open_store
from plugin.jobs.sealing import sealer_for
from plugin.jobs.store import JobStore
from plugin.jobs.worker import make_runner
from tests.servers.postgres import postgres_server
from tests.servers.redis import redis_server

PHRASE = "Zebra-Quartz merger closes Friday"


@pytest.fixture(autouse=True)
def fresh_keys(deskdraft_home: Path, probe_log: Path) -> Iterator[None]:
    sealer_for.cache_clear()  # each test's install has its own key
    tests.jobs.kinds.register()
    yield
    sealer_for.cache_clear()


@pytest.fixture
def probe_log(deskdraft_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = deskdraft_home / "probe.log"
    monkeypatch.setenv("DESKDRAFT_PROBE_LOG", str(path))
    return path


def _fill(queue: JobQueue) -> str:
    """A job with the phrase in its input, result and feedback; returns its id."""
    job_id = queue.submit("probe", {"text": PHRASE}, {})
    queue.set_handler(make_runner(queue).run)
    while (task := queue.huey.dequeue()) is not None:
        queue.huey.execute(task)
    assert queue.status(job_id).result["echo"] == PHRASE.upper()
    queue.store.add_feedback(job_id, 1, f"edited: {PHRASE}", PHRASE, 0)
    cached = queue.submit_job("probe", {"text": PHRASE}, {})
    assert cached.cached and cached.result["echo"] == PHRASE.upper()
    return job_id


def _absent(raw: bytes, *needles: str) -> None:
    for needle in needles:
        for form in {needle, needle.upper()}:
            assert form.encode() not in raw, f"{form!r} is stored in the clear"


def test_the_raw_sqlite_files_never_hold_the_phrase(deskdraft_home: Path) -> None:
    queue = JobQueue(settings())
    job_id = _fill(queue)
    waiting = queue.submit("probe", {"text": f"waiting {PHRASE}"}, {})  # a message queued
    queue.close()
    files = sorted(deskdraft_home.glob("*.sqlite*"))
    assert {f.name for f in files} >= {"jobs.sqlite", "queue.sqlite"}
    raw = b"".join(f.read_bytes() for f in files)
    _absent(raw, PHRASE)
    _absent((deskdraft_home / "queue.sqlite").read_bytes(), waiting)  # the message is sealed
    # ... and everything still reads back through the store.
    store = open_store()
    assert store.get(job_id).input == {"text": PHRASE}  # type: ignore[union-attr]
    assert store.feedback(job_id)[0]["comment"] == PHRASE
    store.close()
    key_file = deskdraft_home / KEY_FILE
    assert key_file.stat().st_mode & 0o077 == 0


@pytest.mark.integration
def test_the_redis_dump_never_holds_the_phrase_or_the_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import redis

    with redis_server() as server:
        monkeypatch.setenv("DESKDRAFT_QUEUE_URL", server.url)
        settings.cache_clear()
        queue = JobQueue(settings())
        job_id = _fill(queue)
        waiting = queue.submit("probe", {"text": f"waiting {PHRASE}"}, {})
        client = redis.Redis.from_url(server.url)
        assert client.dbsize() > 0
        client.config_set("rdbcompression", "no")  # so a clear string would be seen as is
        client.save()
        raw = (server.directory / "dump.rdb").read_bytes()
        _absent(raw, PHRASE, waiting, job_id)
        queue.close()


@pytest.mark.integration
def test_the_postgres_tables_never_hold_the_phrase(monkeypatch: pytest.MonkeyPatch) -> None:
    import psycopg2

    with postgres_server() as server:
        monkeypatch.setenv("DESKDRAFT_QUEUE_URL", server.url)
        settings.cache_clear()
        queue = JobQueue(settings())
        _fill(queue)
        waiting = queue.submit("probe", {"text": f"waiting {PHRASE}"}, {})
        conn = psycopg2.connect(server.url)
        with conn.cursor() as cur:
            cur.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema='public'"
            )
            tables = [row[0] for row in cur.fetchall()]
            assert {"jobs", "feedback", "result_cache", "task"} <= set(tables)
            dump = []
            for table in tables:
                cur.execute(f'SELECT t::text FROM "{table}" t')
                dump.extend(row[0] for row in cur.fetchall())
            cur.execute("SELECT t::text FROM task t")
            messages = "".join(row[0] for row in cur.fetchall())
        conn.close()
        queue.close()
        _absent("\n".join(dump).encode(), PHRASE)
        assert messages and waiting not in messages  # bytea shown as hex: check both
        _absent(messages.encode(), waiting.encode().hex())


def test_a_wrong_key_is_a_clear_error(
    deskdraft_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = JobQueue(settings())
    _fill(queue)
    queue.close()
    right = load_keys(deskdraft_home)
    (deskdraft_home / KEY_FILE).unlink()
    sealer_for.cache_clear()
    other = load_keys(deskdraft_home)  # a new key, as after losing the key file
    sealer_for.cache_clear()
    with pytest.raises(DataKeyError) as caught:
        open_store()
    message = str(caught.value)
    assert key_id(right.current) in message and key_id(other.current) in message
    assert "does not have" in message

    monkeypatch.setenv("DESKDRAFT_DATA_KEY", "not a key")
    sealer_for.cache_clear()
    with pytest.raises(DataKeyError, match="DESKDRAFT_DATA_KEY is not a base64 32-byte key"):
        open_store()


def test_tampered_values_fail_their_integrity_check(deskdraft_home: Path) -> None:
    queue = JobQueue(settings())
    job_id = _fill(queue)
    stored = queue.store._one("SELECT input FROM jobs WHERE id=?", (job_id,))[0]
    flipped = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    queue.store._update("UPDATE jobs SET input=? WHERE id=?", (flipped, job_id))
    queue._finished = type(queue._finished)(1)  # forget the record kept in memory
    with pytest.raises(ConfigError, match="failed its integrity check"):
        queue.store.get(job_id)
    queue.close()


def test_rotation_resumes_after_a_stop_and_drops_the_old_key(
    deskdraft_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = JobStore(f"sqlite:///{deskdraft_home / 'jobs.sqlite'}")  # from before encryption
    old_job = plain.create("probe", {"text": f"old {PHRASE}"}, {}, 10)
    plain.close()
    queue = JobQueue(settings())
    job_id = _fill(queue)
    queue.close()
    first = load_keys(deskdraft_home)

    assert main(["keys", "rotate", "--limit", "2"]) == 1  # stopped, as if killed
    halfway = load_keys(deskdraft_home)
    assert len(halfway.keys) == 2 and halfway.keys[1] == first.current
    assert "run `deskdraft keys rotate` again" in capsys.readouterr().out

    assert main(["keys", "rotate"]) == 0
    assert "resuming" in capsys.readouterr().out
    final = load_keys(deskdraft_home)
    assert final.keys == (halfway.current,)
    sealer_for.cache_clear()
    store = open_store()
    values = [row[0] for row in _column(store, "SELECT input FROM jobs")]
    values += [row[0] for row in _column(store, "SELECT result FROM result_cache")]
    assert values and all(v.startswith(f"enc1:{key_id(final.current)}:") for v in values)
    assert store.get(old_job.id).input == {"text": f"old {PHRASE}"}  # type: ignore[union-attr]
    assert store.feedback(job_id)[0]["edited_text"] == f"edited: {PHRASE}"
    store.close()
    raw = (deskdraft_home / "jobs.sqlite").read_bytes()
    _absent(raw, f"old {PHRASE}")


def _column(store: JobStore, sql: str) -> list[tuple[str]]:
    with store._tx(write=False) as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_keys_come_from_the_environment_before_the_file(
    deskdraft_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keys", "new"]) == 0
    key = capsys.readouterr().out.strip()
    monkeypatch.setenv("DESKDRAFT_DATA_KEY", key)
    found = load_keys(deskdraft_home)
    assert found.source == "env" and not (deskdraft_home / KEY_FILE).exists()
    assert main(["keys", "show"]) == 0
    shown = capsys.readouterr().out
    assert key_id(found.current) in shown and key not in shown
    assert main(["keys", "rotate"]) == 2  # deskdraft cannot change an env var
    assert "DESKDRAFT_DATA_KEY=NEW,OLD" in capsys.readouterr().err
