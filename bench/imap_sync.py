"""IMAP sync benchmark against a real Dovecot on loopback.

Loads ``--messages`` SpamAssassin ham messages from ``../shared/corpus/mail`` into a
throwaway Dovecot (``tests/servers/dovecot.py``) and measures, in the same run:

* baseline: plain imapclient fetching ``BODY.PEEK[]`` of every message, then
  ``connectors.mailparse.parse_message`` on each body (what any client must at least do);
* connector: ``ImapConnector.iter_documents()`` (STARTTLS, batches, size checks, cursor);
* incremental: a second sync with the cursor when nothing is new.

Best of ``--repeat`` passes each. The LAST stdout line is one JSON object with
``imap_msgs_per_s``, ``overhead_vs_fetch_parse`` (connector time / baseline time) and
``incremental_noop_s``.

Usage: ``.venv/bin/python bench/imap_sync.py [--messages 200] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _load_ham(count: int) -> list[bytes]:
    shared = Path(os.environ.get("DESKDRAFT_SHARED", REPO.parent / "shared"))
    files = sorted((shared / "corpus" / "mail" / "spamassassin").glob("*.eml"))[:count]
    if not files:
        raise SystemExit(f"no corpus under {shared}")
    out = []
    for path in files:
        raw = path.read_bytes()
        out.append(raw.split(b"\n", 1)[1] if raw.startswith(b"From ") else raw)
    return out


def main() -> None:
    from imapclient import IMAPClient
    from tqdm import tqdm

    from connectors.imap import ImapConnector
    from connectors.mailparse import parse_message
    from tests.servers.dovecot import dovecot_server

    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    messages = _load_ham(args.messages)
    password = "bench-Pa55word"
    with dovecot_server({"bench": password}) as server:
        server.append("bench", "INBOX", *tqdm(messages, desc="load", file=sys.stderr))
        options = {"password": password, "ca_file": str(server.ca_file)}
        uri = server.uri("bench", "INBOX")

        def baseline() -> int:
            client = IMAPClient(server.host, port=server.port, ssl=False)
            client.starttls(ImapConnector(uri, options)._ssl_context())
            client.login("bench", password)
            client.select_folder("INBOX", readonly=True)
            uids = client.search(["ALL"])
            count = 0
            for start in range(0, len(uids), 50):
                fetched = client.fetch(uids[start : start + 50], [b"BODY.PEEK[]"])
                for uid, data in fetched.items():
                    parse_message(data[b"BODY[]"], f"bench:{uid}", options)
                    count += 1
            client.logout()
            return count

        def connector() -> tuple[int, dict]:
            source = ImapConnector(uri, options)
            count = sum(1 for _ in source.iter_documents())
            return count, source.cursor or {}

        base_times, conn_times, noop_times = [], [], []
        cursor: dict = {}
        for _ in tqdm(range(args.repeat), desc="passes", file=sys.stderr):
            t = time.perf_counter()
            assert baseline() == len(messages)
            base_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            count, cursor = connector()
            conn_times.append(time.perf_counter() - t)
            assert count == len(messages)
            t = time.perf_counter()
            assert list(ImapConnector(uri, options).iter_documents(cursor)) == []
            noop_times.append(time.perf_counter() - t)
    result = {
        "messages": len(messages),
        "imap_msgs_per_s": round(len(messages) / min(conn_times), 1),
        "baseline_msgs_per_s": round(len(messages) / min(base_times), 1),
        "overhead_vs_fetch_parse": round(min(conn_times) / min(base_times), 3),
        "incremental_noop_s": round(min(noop_times), 4),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
