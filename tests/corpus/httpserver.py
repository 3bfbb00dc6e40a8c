"""A small real HTTP server on 127.0.0.1 for fetching tests (http.server in a thread).

Routes map a path to a ``Reply`` or to a function of the ``Request`` that returns one;
every request is recorded with its arrival time, so tests can check pacing, headers
and how many times a path was asked for.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass
class Request:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]  # lower-cased names
    time: float  # time.monotonic() on arrival


@dataclass
class Reply:
    """What to answer: a status, headers and a body.

    A ``bytes`` body is sent with a Content-Length; an iterable body is streamed chunk
    by chunk, ``pause`` seconds apart, and ended by closing the connection.
    """

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    pause: float = 0.0


Route = Reply | Callable[[Request], Reply]


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 with an ephemeral port; a context manager."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,),
                                        daemon=True)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        """The absolute URL of a path on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[Request]:
        """The requests made for one path (query included)."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def record(self, request: Request) -> None:
        """Remember a request (called by the handler thread)."""
        with self._lock:
            self.requests.append(request)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            request = Request(self.path, {k.lower(): v for k, v in self.headers.items()},
                              time.monotonic())
            server.record(request)
            route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
            reply = route(request) if callable(route) else route
            try:
                self._send(reply or Reply(404, b"not found", {"Content-Type": "text/plain"}))
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as some tests want it to

        def _send(self, reply: Reply) -> None:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if isinstance(reply.body, bytes):
                if "Content-Length" not in reply.headers:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
                return
            self.send_header("Connection", "close")
            self.end_headers()
            for chunk in reply.body:
                self.wfile.write(chunk)
                self.wfile.flush()
                if reply.pause:
                    time.sleep(reply.pause)

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet."""

    return Handler
