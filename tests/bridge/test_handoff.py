"""The parent's dispatcher hands each connection to the child holding the fewest, counts
the ends children report, and skips a child that is gone; a child's listener turns what
it receives back into connections."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from plugin.bridge import handoff

pytestmark = pytest.mark.skipif(
    not handoff.handoff_supported(),
    reason="no Unix sequenced-packet sockets here (bridge --processes needs Linux or a BSD)",
)


@pytest.fixture
def dispatcher() -> Iterator[tuple[handoff.Dispatcher, list[handoff.HandedListener], int]]:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    dispatching = handoff.Dispatcher(listener, 2)
    children = []
    for slot in range(2):
        parent_end, child_end = handoff.channel_pair()
        dispatching.set_channel(slot, parent_end)
        children.append(handoff.HandedListener(child_end))
    stop = threading.Event()
    thread = threading.Thread(target=dispatching.run, args=(stop,), daemon=True)
    thread.start()
    yield dispatching, children, port
    stop.set()
    thread.join(5)
    listener.close()
    for child in children:
        child.close()


def wait_for(condition: object, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def take(child: handoff.HandedListener) -> socket.socket:
    child.settimeout(5)
    sock, address = child.accept()
    assert address[0] == "127.0.0.1"
    return sock


def test_connections_go_to_the_child_with_the_fewest(
    dispatcher: tuple[handoff.Dispatcher, list[handoff.HandedListener], int],
) -> None:
    dispatching, (first, second), port = dispatcher
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
    wait_for(lambda: sum(dispatching.open_connections()) == 4)
    assert dispatching.open_connections() == [2, 2]
    handed = [take(first), take(first), take(second), take(second)]

    # What a client writes arrives on the connection its child received.
    clients[0].sendall(b"ping")
    received = []
    for sock in handed:
        sock.settimeout(0.2)
        with contextlib.suppress(TimeoutError):
            received.append(sock.recv(4))
    assert received == [b"ping"]

    # The first child's two connections end; both next connections go there.
    first.connection_closed()
    first.connection_closed()
    wait_for(lambda: dispatching.open_connections() == [0, 2])
    more = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
    wait_for(lambda: sum(dispatching.open_connections()) == 4)
    assert dispatching.open_connections() == [2, 2]
    handed += [take(first), take(first)]
    for sock in clients + more + handed:
        sock.close()


def test_a_child_that_is_gone_gets_nothing(
    dispatcher: tuple[handoff.Dispatcher, list[handoff.HandedListener], int],
) -> None:
    dispatching, (first, second), port = dispatcher
    first.close()  # its process exited: the parent sees the channel end
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
    wait_for(lambda: dispatching.open_connections()[1] == 3)
    handed = [take(second) for _ in range(3)]
    for sock in clients + handed:
        sock.close()


def test_a_child_whose_parent_is_gone_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    parent_end, child_end = handoff.channel_pair()
    child = handoff.HandedListener(child_end)
    parent_end.close()
    signalled: list[int] = []
    monkeypatch.setattr(handoff.os, "kill", lambda pid, signum: signalled.append(signum))
    with pytest.raises(OSError, match="parent bridge process exited"):
        child.accept()
    assert signalled == [handoff.signal.SIGTERM]
    child.close()


def test_cheroot_never_connects_to_a_child_listener_to_wake_it() -> None:
    from cheroot.errors import socket_errors_to_ignore

    parent_end, child_end = handoff.channel_pair()
    child = handoff.HandedListener(child_end)
    with pytest.raises(OSError) as raised:
        child.getsockname()
    assert raised.value.args[0] in socket_errors_to_ignore
    child.close()
    parent_end.close()
