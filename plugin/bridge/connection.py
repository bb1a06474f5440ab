"""cheroot's connection and request classes: requests read with less Python, answers sent
in one write.

cheroot reads requests through ``_pyio`` (the pure-Python ``io``): each of a request's
lines costs several Python calls deep in ``BufferedReader``. ``SocketReader`` keeps one
``bytearray`` and finds line ends with ``bytearray.find``.

cheroot sends an answer's head and its body in two writes: over TLS that is two records
and two ``send`` calls, and the client wakes up twice. A cached poll is a few hundred
bytes of head and one body chunk, so the second write is a good part of its cost (and
of the client's). Here the head is held back and goes out with the first body chunk, or
at the end of the answer when there is none. Streams (server-sent events, files) still
go out chunk by chunk as the app yields them: only the head waits, never the body.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cheroot.makefile import MakeFile, StreamWriter
from cheroot.server import HTTPConnection, HTTPRequest

#: Bytes asked of the socket per read: a whole TLS record (16 KiB) or more.
RECV_BYTES = 65536


class SocketReader:
    """What cheroot reads a connection with (``read``, ``readline``, iteration,
    ``has_data``, ``bytes_read``, ``close``), with the semantics of ``io.BufferedReader``:
    ``read(n)`` returns ``n`` bytes unless the peer closed first; ``readline(n)`` stops after
    a line feed or ``n`` bytes. Socket errors and timeouts reach cheroot as they are."""

    def __init__(self, sock: Any, mode: str = "rb", bufsize: int = 8192) -> None:
        self._sock = sock
        self._buf = bytearray()
        self.bytes_read = 0
        self.closed = False

    def _fill(self) -> bool:
        """Read what the socket has (waiting for at least one byte); False at its end."""
        data = self._sock.recv(RECV_BYTES)
        if not data:
            return False
        self._buf += data
        return True

    def _take(self, count: int) -> bytes:
        data = bytes(self._buf[:count])
        del self._buf[:count]
        self.bytes_read += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        limit = size if size is not None and size >= 0 else None
        searched = 0
        while True:
            end = self._buf.find(b"\n", searched)
            if end >= 0:
                count = end + 1
                break
            if limit is not None and len(self._buf) >= limit:
                count = limit
                break
            searched = len(self._buf)
            if not self._fill():
                count = len(self._buf)
                break
        return self._take(count if limit is None else min(count, limit))

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            while self._fill():
                pass
            return self._take(len(self._buf))
        while len(self._buf) < size and self._fill():
            pass
        return self._take(min(size, len(self._buf)))

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def has_data(self) -> bool:
        """Whether a request (or part of one) is read already: then the connection is
        served again at once instead of waiting for the socket to become readable."""
        return bool(self._buf)

    def close(self) -> None:
        self.closed = True
        self._buf.clear()


class HeadHoldingWriter(StreamWriter):  # type: ignore[misc]
    """A socket writer that can hold one write back and send it with the next one."""

    def __init__(self, sock: Any, mode: str = "wb", bufsize: int = 8192) -> None:
        super().__init__(sock, mode, bufsize)
        self._hold_next = False
        self._held = b""

    def hold_next(self) -> None:
        self._hold_next = True

    def write(self, val: bytes, *args: Any, **kwargs: Any) -> int:
        if self._hold_next:
            self._hold_next = False
            self._held = bytes(val)
            return len(val)
        if self._held:
            val, self._held = self._held + bytes(val), b""
        return int(super().write(val, *args, **kwargs))

    def release(self) -> None:
        """Send what is held (the head of an answer without a body)."""
        self._hold_next = False
        if self._held:
            held, self._held = self._held, b""
            super().write(held)


class OneWriteRequest(HTTPRequest):  # type: ignore[misc]
    """An HTTP request whose answer's head leaves with its first body chunk."""

    def send_headers(self) -> None:
        self.conn.wfile.hold_next()
        super().send_headers()

    def respond(self) -> None:
        try:
            super().respond()
        finally:
            self.conn.wfile.release()


class OneWriteConnection(HTTPConnection):  # type: ignore[misc]
    RequestHandlerClass = OneWriteRequest

    def __init__(self, server: Any, sock: Any, makefile: Any = MakeFile) -> None:
        super().__init__(server, sock, makefile)
        self.rfile = SocketReader(sock, "rb", self.rbufsize)
        self.wfile = HeadHoldingWriter(sock, "wb", self.wbufsize)
