"""A real HTTP server on 127.0.0.1 that tests script: each route is a function that answers."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

Handler = Callable[["Exchange"], None]


class Exchange:
    """One request as a route sees it, with helpers to answer (or misbehave)."""

    def __init__(self, handler: BaseHTTPRequestHandler, body: bytes):
        self.handler = handler
        self.body = body
        self.path = handler.path
        self.headers = handler.headers

    def json(self, status: int, payload, headers: dict[str, str] | None = None) -> None:
        self.send(status, json.dumps(payload).encode(), "application/json", headers)

    def send(self, status: int, body: bytes, content_type: str = "application/octet-stream",
             headers: dict[str, str] | None = None, declared_length: int | None = None) -> None:
        h = self.handler
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body) if declared_length is None else declared_length))
        for key, value in (headers or {}).items():
            h.send_header(key, value)
        h.end_headers()
        h.wfile.write(body)

    def drip(self, body: bytes, every: float, chunk: int = 16) -> None:
        """Headers at once, then the body a few bytes at a time."""
        h = self.handler
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        for start in range(0, len(body), chunk):
            h.wfile.write(body[start : start + chunk])
            h.wfile.flush()
            time.sleep(every)


class FakeServer:
    def __init__(self, keep_log: bool = True) -> None:
        """``keep_log=False`` for long runs (a benchmark's memory must not count the server's)."""
        self.keep_log = keep_log
        self.routes: dict[tuple[str, str], Handler] = {}
        self.log: list[tuple[str, str, dict[str, str], bytes]] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if server.keep_log:
                    server.log.append((self.command, self.path, dict(self.headers), body))
                # A route matches its path exactly, else without the query.
                route = server.routes.get((self.command, self.path)) or \
                    server.routes.get((self.command, self.path.partition("?")[0]))
                exchange = Exchange(self, body)
                try:
                    if route is None:
                        exchange.json(404, {"error": "no such route"})
                    else:
                        route(exchange)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should have

            do_GET = _serve
            do_POST = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method, path)] = handler

    def count(self, method: str, path: str) -> int:
        return sum(1 for m, p, _, _ in self.log if (m, p) == (method, path))

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
