"""SQLAlchemy models: what nianbao stores, with the versioning rules as constraints."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from storage.records import utcnow

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets BIGINT.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: UtcDateTime}


def _now_column() -> Mapped[datetime]:
    return mapped_column(UtcDateTime, default=utcnow)


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(String(12))
    start_urls: Mapped[list[Any]] = mapped_column(default=list)
    allowed_domains: Mapped[list[Any]] = mapped_column(default=list)
    first_seen: Mapped[datetime] = _now_column()
    updated_at: Mapped[datetime] = _now_column()
    # The registry's expectations for `nianbao coverage`: expected_from, expected_agencies, aliases.
    coverage_rules: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default="running")
    started_at: Mapped[datetime] = _now_column()
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # "host:pid:process start time" of the process running it; see storage.run_owner.
    owner: Mapped[str | None] = mapped_column(String(200))


class SiteCrawlStatusRow(Base):
    __tablename__ = "site_crawl_status"
    __table_args__ = (UniqueConstraint("run_id", "site_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"))
    site_id: Mapped[str] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column(Boolean, default=True)
    pages_visited: Mapped[int] = mapped_column(Integer, default=0)
    reports_by_year: Mapped[dict[str, Any]] = mapped_column(default=dict)
    errors: Mapped[dict[str, Any]] = mapped_column(default=dict)
    detail: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = _now_column()


class Link(Base):
    """A report page or attachment URL a crawler found; never deleted, only marked gone."""

    __tablename__ = "links"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    site_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    report_year: Mapped[int | None] = mapped_column(Integer)
    agency_guess: Mapped[str | None] = mapped_column(String(200))
    parent_url: Mapped[str | None] = mapped_column(String(2000))
    first_seen: Mapped[datetime] = _now_column()
    last_seen: Mapped[datetime] = _now_column()
    first_run_id: Mapped[int | None] = mapped_column(BigId)
    gone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    gone_status: Mapped[int | None] = mapped_column(Integer)
    # Validators of the bytes the server served last (every 200 and 304 updates them).
    etag: Mapped[str | None] = mapped_column(String(400))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    # The raw version whose bytes the server served last (an earlier one after a revert).
    current_raw_version_id: Mapped[int | None] = mapped_column(BigId)
    # 404/410 answers since the last good answer; gone only after several over days.
    missing_answers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    missing_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The refresh policy (storage.refresh): when a nightly run checks this document again.
    next_check_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    check_interval_days: Mapped[float | None] = mapped_column(Float)


class Blob(Base):
    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _now_column()


class RawVersion(Base):
    """One version of a raw document: identified by (url, sha256)."""

    __tablename__ = "raw_versions"
    __table_args__ = (
        UniqueConstraint("url", "sha256", name="uq_raw_versions_url_sha256"),
        UniqueConstraint("url", "version", name="uq_raw_versions_url_version"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(2000))
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    version: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str | None] = mapped_column(String(200))
    etag: Mapped[str | None] = mapped_column(String(400))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    fetched_at: Mapped[datetime] = _now_column()


class FetchEvent(Base):
    """Every fetch attempt, including unchanged bytes, 304s and errors."""

    __tablename__ = "fetch_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(2000), index=True)
    status_code: Mapped[int] = mapped_column(Integer)
    # new_version|unchanged|reverted|not_modified|missing|gone|challenge|login|soft_404|error
    outcome: Mapped[str] = mapped_column(String(20))
    raw_version_id: Mapped[int | None] = mapped_column(ForeignKey("raw_versions.id"))
    etag: Mapped[str | None] = mapped_column(String(400))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime] = _now_column()


class Report(Base):
    """One agency's report for one year on one site.

    Its identity is `discovery_key`, the page (or document group) it was found as;
    agency and year are attributes a later derivation may correct. A report that
    turns out to be another one is kept, pointing at it through `merged_into_id`.
    """

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("site_id", "agency_key", "report_year", name="uq_reports_identity"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(String(64))
    agency_key: Mapped[str] = mapped_column(String(200))
    agency_name: Mapped[str | None] = mapped_column(String(200))
    report_year: Mapped[int | None] = mapped_column(Integer)  # None = year unknown (each its own report)
    discovery_key: Mapped[str | None] = mapped_column(String(2000), index=True)
    merged_into_id: Mapped[int | None] = mapped_column(BigId)
    current_version_id: Mapped[int | None] = mapped_column(BigId)
    current_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _now_column()
    # Set when the current record's source document is gone from the site; never deleted.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ReportVersion(Base):
    """A structured record derived from raw version(s) by one parser version."""

    __tablename__ = "report_versions"
    __table_args__ = (
        UniqueConstraint("report_id", "raw_key", "parser_version", name="uq_report_versions_derivation"),
        UniqueConstraint("report_id", "version", name="uq_report_versions_number"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    version: Mapped[int] = mapped_column(Integer)
    raw_key: Mapped[str] = mapped_column(String(400))  # sorted raw version ids, "12,15"
    parser_version: Mapped[str] = mapped_column(String(64))
    source_url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(Text)
    format_version: Mapped[str] = mapped_column(String(20))
    t2_format_version: Mapped[str] = mapped_column(String(20))
    t3_format_version: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(20))
    failure_reason: Mapped[str | None] = mapped_column(String(40))
    checks_failed: Mapped[int] = mapped_column(Integer, default=0)
    record: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = _now_column()


class ReportVersionRaw(Base):
    __tablename__ = "report_version_raws"

    report_version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"), primary_key=True)
    raw_version_id: Mapped[int] = mapped_column(ForeignKey("raw_versions.id"), primary_key=True)


class ReportValue(Base):
    """One field of one report version: a long table SQL can aggregate directly."""

    __tablename__ = "report_values"
    __table_args__ = (Index("ix_report_values_key", "key"),)

    report_version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[float | None] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(16))
    raw: Mapped[str | None] = mapped_column(Text)
    unit_as_printed: Mapped[str | None] = mapped_column(String(20))
