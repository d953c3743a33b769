"""Plain records the rest of nianbao hands to storage (no SQLAlchemy here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class SiteRecord:
    """A site of the registry, as storage keeps it."""

    id: str
    name: str
    region_code: str | None = None
    start_urls: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    coverage_rules: dict[str, Any] = field(default_factory=dict, hash=False)  # see storage.coverage_rules


@dataclass(frozen=True)
class DiscoveredLink:
    """A report page or an attachment a crawler found.

    `kind` is "page" for a report's HTML page and "attachment" for a document
    linked from it (or from a list directly, then `parent_url` is the list).
    """

    site_id: str
    url: str
    kind: Literal["page", "attachment"]
    title: str | None = None
    report_year: int | None = None
    agency_guess: str | None = None
    parent_url: str | None = None


@dataclass(frozen=True)
class FetchedDocument:
    """The outcome of one HTTP fetch of a link, as the fetcher saw it.

    `content` is None for a 304 Not Modified and for error statuses.
    """

    url: str
    status_code: int
    content: bytes | None = None
    final_url: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime = field(default_factory=utcnow)
    error: str | None = None


@dataclass(frozen=True)
class SiteCrawlStatus:
    """What one site's crawl did, stored with the crawl run."""

    site_id: str
    pages_visited: int = 0
    reports_by_year: dict[int, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)  # reason -> count
    ok: bool = True
    detail: str = ""
    report_columns: tuple[str, ...] = ()  # list pages where reports were found
    warnings: tuple[str, ...] = ()  # why a site that answered is still not ok (0 columns, 0 reports)
