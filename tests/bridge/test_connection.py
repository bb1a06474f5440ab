"""The bridge's cheroot connection: requests read by ``SocketReader``, answers in one write."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Iterator

import pytest
from flask import Flask, Response

from plugin.bridge.connection import HeadHoldingWriter, SocketReader
from plugin.bridge.server import make_server


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    ours, theirs = socket.socketpair()
    ours.settimeout(5)
    yield ours, theirs
    ours.close()
    theirs.close()


def test_lines_and_bodies_are_read_across_packets(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, theirs = pair
    reader = SocketReader(ours)
    theirs.sendall(b"POST /api/v1/jobs HTTP/1.1\r\nHost: local")
    sender = threading.Timer(0.05, lambda: theirs.sendall(b"host\r\nContent-Length: 5\r\n\r\nhel"))
    sender.start()
    assert reader.readline() == b"POST /api/v1/jobs HTTP/1.1\r\n"
    assert reader.has_data()
    assert reader.readline(256) == b"Host: localhost\r\n"  # waits for the rest of the line
    sender.join()
    assert list(iter(reader.readline, b"\r\n")) == [b"Content-Length: 5\r\n"]
    theirs.sendall(b"lo, and more")
    assert reader.read(5) == b"hello"  # across two packets
    assert reader.readline(4) == b", an"  # a line longer than the limit is cut at it
    theirs.close()
    assert reader.read() == b"d more"  # up to the peer's end
    assert reader.read(10) == b"" and reader.readline() == b""
    assert not reader.has_data()
    sent = (
        b"POST /api/v1/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello, and more"
    )
    assert reader.bytes_read == len(sent)


def test_iteration_and_a_short_read_at_the_end(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    theirs.sendall(b"one\ntwo\nthree")
    theirs.close()
    reader = SocketReader(ours)
    assert list(reader) == [b"one\n", b"two\n", b"three"]
    assert reader.read(3) == b""


def test_a_read_timeout_reaches_the_caller(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    ours.settimeout(0.05)
    theirs.sendall(b"half a line")
    with pytest.raises(TimeoutError):
        SocketReader(ours).readline()


class Recorder:
    """A socket that records each send."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def send(self, data: bytes) -> int:
        self.sent.append(bytes(data))
        return len(data)


def test_a_held_head_leaves_with_the_next_write_or_on_release() -> None:
    sock = Recorder()
    writer = HeadHoldingWriter(sock)
    writer.hold_next()
    writer.write(b"HTTP/1.1 200 OK\r\n\r\n")
    assert sock.sent == []
    writer.write(b"body")
    writer.write(b"more")
    writer.hold_next()
    writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
    writer.release()
    writer.release()
    assert sock.sent == [
        b"HTTP/1.1 200 OK\r\n\r\nbody",
        b"more",
        b"HTTP/1.1 204 No Content\r\n\r\n",
    ]
    assert writer.bytes_written == sum(len(chunk) for chunk in sock.sent)


def stream_app(first_read: threading.Event) -> Flask:
    app = Flask("streams")

    @app.get("/stream")
    def stream() -> Response:
        def events() -> Iterator[str]:
            yield "data: one\n\n"
            # The client must have the head and the first event before the second exists.
            if not first_read.wait(5):
                yield "data: held back\n\n"
                return
            yield "data: two\n\n"

        return Response(events(), mimetype="text/event-stream")

    @app.post("/echo")
    def echo() -> dict[str, str]:
        from flask import request

        return {"got": request.get_data(as_text=True)}

    @app.get("/empty")
    def empty() -> Response:
        return Response(status=204)

    return app


def test_streams_are_not_held_and_keep_alive_answers_arrive_whole() -> None:
    first_read = threading.Event()
    server = make_server(stream_app(first_read), "127.0.0.1", 0, threads=4)
    server.start_in_thread()
    client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        client.request("GET", "/stream")
        response = client.getresponse()
        assert response.status == 200
        assert response.fp is not None
        assert response.fp.readline() == b"b\r\n"  # chunked: the first event's size
        assert response.fp.read(13) == b"data: one\n\n\r\n"
        first_read.set()
        assert response.read() == b"data: two\n\n"
        for body in ("x" * 10, "y" * 200_000, ""):  # one connection, one answer after another
            client.request("POST", "/echo", body=body, headers={"Content-Type": "text/plain"})
            answer = client.getresponse()
            assert answer.status == 200 and answer.read() == f'{{"got":"{body}"}}\n'.encode()
            client.request("GET", "/empty")
            nothing = client.getresponse()
            assert nothing.status == 204 and nothing.read() == b""
    finally:
        client.close()
        server.stop()
