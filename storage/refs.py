"""Plain references to stored rows, handed back to callers of the repository."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from storage import models as m


@dataclass(frozen=True)
class RawVersionRef:
    """A stored raw document version (what `record_fetch` returns)."""

    id: int
    url: str
    sha256: str
    size: int
    content_type: str | None
    fetched_at: datetime
    version: int  # 1, 2, ... per URL

    @classmethod
    def of(cls, row: m.RawVersion) -> RawVersionRef:
        return cls(row.id, row.url, row.sha256, row.size, row.content_type, row.fetched_at, row.version)


@dataclass(frozen=True)
class ReportVersionRef:
    id: int
    report_id: int
    version: int
    parser_version: str


@dataclass(frozen=True)
class LinkToFetch:
    site_id: str
    url: str
    kind: str
    title: str | None
    report_year: int | None
    agency_guess: str | None
    parent_url: str | None
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class LinkCounts:
    new: int
    seen: int


@dataclass(frozen=True)
class ReparseItem:
    """The inputs of a report's current version, to derive it again offline."""

    site_id: str
    source_url: str
    title: str | None
    raw_versions: list[RawVersionRef]
    parser_version: str
    report_year: int | None
    agency_name: str | None


def agency_key(name: str | None) -> str:
    """Identity form of an agency name: NFKC, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())
