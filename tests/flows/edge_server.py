"""A loopback HTTP server with the awkward answers the fetcher must survive.

The fake gov.cn web serves well-behaved sites; these routes cover the edges
(slow-to-recover 503s, oversized bodies, off-site redirects) on real HTTP.
"""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ETAG = '"rev-1"'
LAST_MODIFIED = "Tue, 01 Aug 2023 08:00:00 GMT"
PAGE = "<html><head><meta charset=gbk></head><body>年报</body></html>".encode("gbk")


class EdgeServer:
    """Serve the edge routes on 127.0.0.1:<free port> in a thread."""

    def __init__(self, flaky_failures: int = 2) -> None:
        self.hits: Counter[str] = Counter()
        self.flaky_failures = flaky_failures
        self.last_headers: dict[str, dict[str, str]] = {}
        handler = _make_handler(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _make_handler(edge: EdgeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            edge.hits[self.path] += 1
            edge.last_headers[self.path] = dict(self.headers.items())
            route = ROUTES.get(self.path)
            if route is None:
                self._send(404, b"not found")
            else:
                route(self, edge)

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if "Transfer-Encoding" not in (headers or {}):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and "Transfer-Encoding" not in (headers or {}):
                self.wfile.write(body)

    def page(h: Handler, _edge: EdgeServer) -> None:
        if h.headers.get("If-None-Match") == ETAG:
            h._send(304, b"", {"ETag": ETAG})
            return
        h._send(200, PAGE, {"Content-Type": "text/html; charset=GBK", "ETag": ETAG,
                            "Last-Modified": LAST_MODIFIED})

    def big_chunked(h: Handler, _edge: EdgeServer) -> None:
        # No Content-Length: the cap must stop the stream itself.
        h._send(200, b"", {"Content-Type": "application/pdf", "Transfer-Encoding": "chunked"})
        chunk = b"x" * 65536
        try:
            for _ in range(64):  # 4 MiB
                h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            h.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up once past its cap, as it should

    def big_declared(h: Handler, _edge: EdgeServer) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(4 * 1024 * 1024))
        h.end_headers()  # body never sent: a client trusting the header leaves at once

    def flaky(h: Handler, edge: EdgeServer) -> None:
        if edge.hits["/flaky.pdf"] <= edge.flaky_failures:
            h._send(503, b"busy")
        else:
            h._send(200, b"%PDF-1.4 recovered", {"Content-Type": "application/pdf"})

    ROUTES = {
        "/page.html": page,
        "/big-chunked.pdf": big_chunked,
        "/big-declared.pdf": big_declared,
        "/flaky.pdf": lambda h, e: flaky(h, e),
        "/always-503.pdf": lambda h, e: h._send(503, b"busy"),
        "/gone.pdf": lambda h, e: h._send(410, b"gone"),
        "/forbidden.pdf": lambda h, e: h._send(403, b"no"),
        "/to-offsite": lambda h, e: h._send(302, b"", {"Location": "http://elsewhere.example.com/x.pdf"}),
        "/to-page": lambda h, e: h._send(301, b"", {"Location": "/page.html"}),
        "/loop": lambda h, e: h._send(302, b"", {"Location": "/loop"}),
    }
    return Handler
