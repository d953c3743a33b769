"""The HTTP side of the fake web: a loopback forward proxy that dispatches by host.

Clients with HTTP_PROXY set send absolute-form request lines
(`GET http://www.x.gov.cn/p HTTP/1.1`); direct origin-form requests name the site
in the Host header. Either way the host picks the fake site. Unknown hosts get 502.
"""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import urlsplit

from flows.fakeweb.model import FakeRequest, LoggedRequest, Reply

Router = Callable[[FakeRequest], Reply]
Recorder = Callable[[LoggedRequest], None]


class FakeWebServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, router: Router, recorder: Recorder, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), ProxyHandler)
        self.router = router
        self.recorder = recorder

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def serve_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="fakeweb", daemon=True)
        thread.start()
        return thread


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FakeWebServer

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_CONNECT(self) -> None:
        # No TLS on the fake web: a tunnel request means a client tried https.
        self._answer(f"https://{self.path}", Reply(502, b"fakeweb: no https\n", "text/plain"))

    def _target(self) -> tuple[str, str] | None:
        """(host, path with query) of the request, from the absolute URI or the Host header."""
        if self.path.startswith("/"):
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            return (host, self.path) if host else None
        parts = urlsplit(self.path)
        if parts.scheme != "http" or not parts.hostname:
            return None
        path = parts.path or "/"
        return parts.hostname.lower(), path + (f"?{parts.query}" if parts.query else "")

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        target = self._target()
        if target is None:
            self._answer(self.path, Reply(502, b"fakeweb: bad request target\n", "text/plain"))
            return
        host, path = target
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = FakeRequest(self.command, host, path, body, headers)
        self._answer(request.url, self.server.router(request))

    def _answer(self, url: str, reply: Reply) -> None:
        reply = _conditional(reply, self.headers.get("If-None-Match"))
        self.server.recorder(LoggedRequest(self.command, url, reply.status, self.headers.get("User-Agent")))
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD" and reply.body:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        """Silence per-request stderr lines; the request log is the record."""


def _conditional(reply: Reply, if_none_match: str | None) -> Reply:
    """Add an ETag to every 200 and answer 304 when the client already has these bytes."""
    if reply.status != 200:
        return reply
    given = next((value for name, value in reply.headers if name.lower() == "etag"), None)
    etag = given or '"' + hashlib.sha256(reply.body).hexdigest()[:20] + '"'
    if if_none_match and etag in [tag.strip() for tag in if_none_match.split(",")]:
        return Reply(304, b"", None, (("ETag", etag),))
    return Reply(reply.status, reply.body, reply.content_type,
                 reply.headers + ((("ETag", etag),) if given is None else ()))
