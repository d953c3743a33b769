"""Plain records of the fake gov.cn web: requests, replies, reports and their truth."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class LoggedRequest:
    """One request the fake web saw (proxy or direct), with the status it answered."""

    method: str
    url: str
    status: int
    user_agent: str | None


@dataclass(frozen=True)
class ExpectedReport:
    """The truth for one report published on the fake web.

    `spec` is the `flows.reportgen.ReportSpec` of the revision being served when
    `FakeWeb.expected_reports()` was called, or None for a pure-prose page.
    `revisable` says whether `set_revision(1)` changes this report's bytes.
    """

    site_id: str
    agency: str
    year: int
    page_url: str
    attachment_urls: tuple[str, ...]
    title: str
    spec: Any = None
    revisable: bool = False
    format_version: str = "v2021"


@dataclass(frozen=True)
class FakeRequest:
    """An incoming request, already split into host and path (path includes the query)."""

    method: str
    host: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{self.host}{self.path}"


@dataclass(frozen=True)
class Reply:
    """What a fake site answers; the server adds Content-Length, ETag and logging."""

    status: int
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


Handler = Callable[[FakeRequest], Reply]


@dataclass(frozen=True)
class Attachment:
    """A document linked from a report page: where it is served and in which format."""

    url: str
    fmt: str  # pdf | docx | doc | wps
    link_text: str


def report_version(year: int) -> str:
    """The format version a report of this statistics year is written in."""
    if year < 2019:
        return "legacy_pre2019"
    return "v2019" if year < 2021 else "v2021"


@dataclass(frozen=True)
class ReportEntry:
    """One true report as a site publishes it (page, attachments, how its bytes are made).

    `inline_tables`: the page itself carries the report rendered from the spec.
    `prose_only`: the page is hand-written prose without a spec (spec None).
    `broken_identity`: this arithmetic identity of the schema fails in the published report.
    """

    site_id: str
    agency: str
    year: int
    title: str
    page_url: str
    published: str  # YYYY-MM-DD
    attachments: tuple[Attachment, ...] = ()
    inline_tables: bool = False
    prose_only: bool = False
    revisable: bool = False
    broken_identity: str | None = None

    @property
    def version(self) -> str:
        return report_version(self.year)

    @property
    def seed(self) -> int:
        # Stable across processes (unlike hash()), so specs are reproducible.
        return zlib.crc32(f"{self.site_id}|{self.agency}|{self.year}".encode("utf-8"))
