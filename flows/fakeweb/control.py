"""Switch a condition on and off per URL of the fake web, night by night.

Conditions stand for what long-running crawls meet: an anti-bot challenge or a
login page answered with 200 (a fresh token on every load), a soft 404, a real
404/410 for a maintenance night, an ETag that rotates for identical bytes, or
other bytes served in place of the document. Tests call `FakeWeb.conditions`
directly; other processes use the control host over HTTP:
`GET http://fakeweb.control/set?url=URL&condition=challenge` (`/clear?url=URL`, `/clear`).
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from flows.fakeweb.model import FakeRequest, Reply

CONTROL_HOST = "fakeweb.control"
CONDITIONS = ("challenge", "login", "soft_404", "404", "410", "rotate_etag", "serve")
_TOKENS = itertools.count(1)


def _challenge() -> bytes:
    token = hashlib.sha1(str(next(_TOKENS)).encode()).hexdigest()
    return (f"<html><head><meta content=\"{token}\"><script>var arg1='{token}';"
            f"document.cookie='acw_sc__v2='+arg1;location.reload();</script></head>"
            f"<body></body></html>").encode()


def _login() -> bytes:
    token = next(_TOKENS)
    return (f"<html><head><title>用户登录</title></head><body><form><input name=\"t\" value=\"{token}\">"
            f"<input type=\"password\" name=\"p\"><button>登录</button></form></body></html>").encode()


def _soft_404() -> bytes:
    return (f"<html><head><title>页面不存在</title></head><body><h1>您访问的页面不存在</h1>"
            f"<p>{next(_TOKENS)}</p></body></html>").encode()


class Conditions:
    """The conditions switched on, per URL; thread-safe (the server is threaded)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_url: dict[str, tuple[str, bytes | None, str | None]] = {}
        self._etag_nights: dict[str, int] = {}

    def set(self, url: str, condition: str, body: bytes | None = None, content_type: str | None = None) -> None:
        """Switch `condition` on for `url` ("serve" answers 200 with `body`, at any URL)."""
        if condition not in CONDITIONS:
            raise ValueError(f"unknown condition {condition!r}; use one of {', '.join(CONDITIONS)}")
        with self._lock:
            self._by_url[url] = (condition, body, content_type)
            if condition == "rotate_etag":
                self._etag_nights[url] = self._etag_nights.get(url, 0) + 1

    def clear(self, url: str | None = None) -> None:
        with self._lock:
            if url is None:
                self._by_url.clear()
            else:
                self._by_url.pop(url, None)

    def apply(self, request: FakeRequest, serve: Callable[[FakeRequest], Reply]) -> Reply:
        """The reply for `request`: the site's own one, unless a condition is on for its URL."""
        with self._lock:
            condition, body, content_type = self._by_url.get(request.url, (None, None, None))
            night = self._etag_nights.get(request.url, 0)
        if condition in ("404", "410"):
            return Reply(int(condition), b"<html><body>Not Found</body></html>")
        if condition in ("challenge", "login", "soft_404"):
            return Reply(200, {"challenge": _challenge, "login": _login, "soft_404": _soft_404}[condition]())
        reply = serve(request)
        if condition == "serve" and body is not None:
            return Reply(200, body, content_type or reply.content_type, reply.headers)
        if condition == "rotate_etag" and reply.status == 200:
            etag = '"' + hashlib.sha256(reply.body).hexdigest()[:20] + f"-{night}" + '"'
            return Reply(200, reply.body, reply.content_type, reply.headers + (("ETag", etag),))
        return reply

    def control(self, request: FakeRequest) -> Reply:
        """The control host's answer: /set?url=…&condition=…, /clear[?url=…]."""
        parts = urlsplit(request.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        try:
            if parts.path == "/set":
                self.set(query["url"], query["condition"])
            elif parts.path == "/clear":
                self.clear(query.get("url"))
            else:
                return Reply(404, b"fakeweb control: use /set or /clear\n", "text/plain")
        except (KeyError, ValueError) as exc:
            return Reply(400, f"fakeweb control: {exc}\n".encode(), "text/plain")
        return Reply(200, b"ok\n", "text/plain")

