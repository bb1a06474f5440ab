"""CursorStore: sync positions survive restarts, concurrent writers and damaged files."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from connectors.cursors import CursorStore, default_path


def test_round_trip_and_forget(tmp_path: Path) -> None:
    store = CursorStore(tmp_path / "c.json")
    assert store.load("imap://a@h/INBOX") is None
    store.save("imap://a@h/INBOX", {"uidvalidity": 7, "last_uid": 42})
    store.save("graph://a@t/Inbox", {"folder_id": "X", "delta_link": "https://g/d?t=1"})
    again = CursorStore(tmp_path / "c.json")  # a new process
    assert again.load("imap://a@h/INBOX") == {"uidvalidity": 7, "last_uid": 42}
    again.save("imap://a@h/INBOX", None)
    assert again.load("imap://a@h/INBOX") is None
    assert again.load("graph://a@t/Inbox") == {"folder_id": "X", "delta_link": "https://g/d?t=1"}
    assert not list(tmp_path.glob(".cursors-*.tmp"))


def test_default_path_is_in_the_data_dir(deskdraft_home: Path) -> None:
    assert default_path() == deskdraft_home / "sync-cursors.json"


def test_damaged_file_is_moved_aside_and_sync_starts_over(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text("{not json")
    store = CursorStore(path)
    assert store.load("imap://a@h/INBOX") is None
    assert (tmp_path / "c.damaged.json").read_text() == "{not json"
    store.save("imap://a@h/INBOX", {"last_uid": 1, "uidvalidity": 1})
    assert json.loads(path.read_text()) == {"imap://a@h/INBOX": {"last_uid": 1, "uidvalidity": 1}}


def test_parallel_writers_keep_every_source(tmp_path: Path) -> None:
    store_path = tmp_path / "c.json"

    def write(n: int) -> None:
        store = CursorStore(store_path)
        for i in range(10):
            store.save(f"imap://u{n}@h/INBOX", {"uidvalidity": 1, "last_uid": i})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    data = json.loads(store_path.read_text())
    assert data == {f"imap://u{n}@h/INBOX": {"uidvalidity": 1, "last_uid": 9} for n in range(4)}
