"""The one place that writes to nianbao's database (and its blob store).

Every versioning rule of the architecture lives here, backed by unique
constraints rather than read-then-write checks: same bytes add a fetch event,
changed bytes add a raw version, a new raw version or parser version adds a
report version. Nothing is updated in place except bookkeeping (last seen,
gone, the current-version pointer). Writers racing on the same row lose on a
constraint and retry, so two processes never create duplicate versions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from parsers.model import ParsedReport
from storage import models as m
from storage.blobs import BlobStore, open_blob_store
from storage.check_failures import current_check_failures
from storage.config import Settings, refresh_policy_from_env
from storage.db import create_db_engine, upgrade
from storage.export import export_records
from storage.export_target import protected_paths
from storage.link_state import (
    GonePolicy, clear_gone, current_raw_version, record_answer, record_missing, stand_in_outcome,
)
from storage.records import DiscoveredLink, FetchedDocument, SiteCrawlStatus, SiteRecord, utcnow
from storage.refresh import RefreshPolicy, schedule_next_check
from storage.refs import LinkCounts, LinkToFetch, RawVersionRef, ReparseItem, ReportVersionRef
from storage.report_writer import (
    current_derivations, derivations_by_site, follow_served_bytes, write_report_version,
)
from storage.run_owner import current_owner, interrupt_runs, owner_is_gone
from storage.status import status_summary
from storage.upsert import insert_ignore

__all__ = ["Repository", "RawVersionRef", "ReportVersionRef", "LinkToFetch", "LinkCounts", "ReparseItem"]

T = TypeVar("T")
CONFLICT_RETRIES = 8


class Repository:
    """Versioned storage of links, raw documents and structured reports."""

    def __init__(self, engine: Engine, blobs: BlobStore, gone_policy: GonePolicy | None = None,
                 refresh_policy: RefreshPolicy | None = None) -> None:
        self.engine = engine
        self.blobs = blobs
        self.gone_policy = gone_policy or GonePolicy()
        self.refresh_policy = refresh_policy or refresh_policy_from_env()
        self._session = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(
        cls, database_url: str | None = None, blob_url: str | None = None, gone_policy: GonePolicy | None = None
    ) -> Repository:
        """Open (and migrate) the store; None means the NIANBAO_* environment defaults."""
        settings = Settings.from_env()
        engine = create_db_engine(database_url or settings.database_url)
        upgrade(engine)
        return cls(engine, open_blob_store(blob_url or settings.blob_url), gone_policy)

    def close(self) -> None:
        self.engine.dispose()

    def protected_paths(self) -> list[tuple[Path, bool]]:
        """The store's own files and folders (database, blob folder): no export may write there."""
        database = self.engine.url.database if self.engine.dialect.name == "sqlite" else None
        return protected_paths(database, getattr(self.blobs, "root", None))

    def _retrying(self, work: Callable[[Session], T]) -> T:
        """Run `work` in a transaction, again if a concurrent writer won a unique constraint."""
        for attempt in range(CONFLICT_RETRIES):
            try:
                with self._session.begin() as session:
                    return work(session)
            except IntegrityError:
                if attempt == CONFLICT_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    # ---- sites and runs -------------------------------------------------

    def upsert_sites(self, sites: Iterable[SiteRecord]) -> None:
        with self._session.begin() as session:
            for site in sites:
                values = dict(
                    name=site.name,
                    region_code=site.region_code,
                    start_urls=list(site.start_urls),
                    allowed_domains=list(site.allowed_domains),
                    coverage_rules=dict(site.coverage_rules),
                )
                session.execute(insert_ignore(session, m.Site, ["id"], dict(id=site.id, **values)))
                session.execute(update(m.Site).where(m.Site.id == site.id).values(updated_at=utcnow(), **values))

    def start_crawl_run(self, kind: str, params: dict[str, Any] | None = None) -> int:
        self.interrupt_dead_runs()
        with self._session.begin() as session:
            run = m.CrawlRun(kind=kind, params=params or {}, owner=current_owner())
            session.add(run)
            session.flush()
            return run.id

    def interrupt_dead_runs(self) -> list[int]:
        """Mark runs still 'running' whose owner process is gone as interrupted; their ids."""
        with self._session.begin() as session:
            return interrupt_runs(session, owner_is_gone)

    def interrupt_runs_of(self, owner: str) -> list[int]:
        """Mark the running runs of `owner` (this process, on Ctrl-C) as interrupted; their ids."""
        with self._session.begin() as session:
            return interrupt_runs(session, lambda run_owner: run_owner == owner)

    def record_site_status(self, run_id: int, status: SiteCrawlStatus) -> None:
        values = dict(
            ok=status.ok,
            pages_visited=status.pages_visited,
            reports_by_year={str(year): n for year, n in status.reports_by_year.items()},
            errors=dict(status.errors),
            detail=status.detail,
            recorded_at=utcnow(),
        )

        def write(session: Session) -> None:
            session.execute(
                insert_ignore(session, m.SiteCrawlStatusRow, ["run_id", "site_id"],
                              dict(run_id=run_id, site_id=status.site_id, **values))
            )
            session.execute(
                update(m.SiteCrawlStatusRow)
                .where(m.SiteCrawlStatusRow.run_id == run_id, m.SiteCrawlStatusRow.site_id == status.site_id)
                .values(**values)
            )

        self._retrying(write)

    def finish_crawl_run(self, run_id: int, status: str, summary: dict[str, Any] | None = None) -> None:
        with self._session.begin() as session:
            session.execute(
                update(m.CrawlRun)
                .where(m.CrawlRun.id == run_id)
                .values(status=status, finished_at=utcnow(), summary=summary or {})
            )

    # ---- links ----------------------------------------------------------

    def record_links(self, links: Iterable[DiscoveredLink], run_id: int | None = None) -> LinkCounts:
        unique = {link.url: link for link in links}
        if not unique:
            return LinkCounts(0, 0)

        def write(session: Session) -> LinkCounts:
            known = set(session.scalars(select(m.Link.url).where(m.Link.url.in_(list(unique)))))
            now = utcnow()
            for link in unique.values():
                if link.url in known:
                    continue
                session.execute(insert_ignore(session, m.Link, ["url"], dict(
                    url=link.url, site_id=link.site_id, kind=link.kind, title=link.title,
                    report_year=link.report_year, agency_guess=link.agency_guess,
                    parent_url=link.parent_url, first_seen=now, last_seen=now, first_run_id=run_id,
                )))
            if known:
                session.execute(update(m.Link).where(m.Link.url.in_(known)).values(last_seen=now))
                clear_gone(session, sorted(known))
            return LinkCounts(new=len(unique) - len(known), seen=len(known))

        return self._retrying(write)

    def known_link_urls(self, site_id: str) -> set[str]:
        with self._session() as session:
            return set(session.scalars(select(m.Link.url).where(m.Link.site_id == site_id)))

    def links_to_fetch(
        self,
        site_ids: Sequence[str] | None = None,
        years: Sequence[int] | None = None,
        include_gone: bool = False,
        due_by: datetime | None = None,
    ) -> list[LinkToFetch]:
        """Known links to fetch; with `due_by`, only those the refresh policy says are due by then."""
        query = select(m.Link).order_by(m.Link.site_id, m.Link.id)
        if due_by is not None:
            query = query.where(or_(m.Link.next_check_at.is_(None), m.Link.next_check_at <= due_by))
        if site_ids is not None:
            query = query.where(m.Link.site_id.in_(list(site_ids)))
        if years is not None:
            query = query.where(m.Link.report_year.in_(list(years)))
        if not include_gone:
            query = query.where(m.Link.gone_at.is_(None))
        with self._session() as session:
            return [
                LinkToFetch(link.site_id, link.url, link.kind, link.title, link.report_year,
                            link.agency_guess, link.parent_url, link.etag, link.last_modified)
                for link in session.scalars(query)
            ]

    def mark_link_gone(self, url: str, status_code: int) -> str:
        """Count one 404/410 answer for `url`; "gone" once the gone policy is met, else "missing"."""
        doc = FetchedDocument(url, status_code)
        return self._retrying(lambda session: record_missing(session, doc, self.gone_policy))

    # ---- raw documents --------------------------------------------------

    def record_fetch(self, doc: FetchedDocument) -> RawVersionRef | None:
        """Store one fetch; return the raw version when the bytes are new for this URL.

        Stand-in pages (challenge, login, soft 404) and errors are fetch events only;
        bytes served before become current again ("reverted") without a new version.
        """
        stand_in = stand_in_outcome(doc)
        if stand_in is not None:
            self._add_fetch_event(doc, stand_in, None)
            return None
        if doc.status_code in (404, 410):
            def missing(session: Session) -> None:
                self._log_outcome(session, doc, record_missing(session, doc, self.gone_policy), None)
            self._retrying(missing)
            return None
        if doc.status_code == 304:
            def not_modified(session: Session) -> None:
                record_answer(session, doc, None)
                self._log_outcome(session, doc, "not_modified", None)
            self._retrying(not_modified)
            return None
        if doc.content is None or doc.status_code != 200:
            self._add_fetch_event(doc, "error", None)
            return None
        sha256 = self.blobs.put(doc.content)  # the blob exists before any row points to it
        return self._retrying(lambda session: self._record_bytes(session, doc, sha256))

    def _record_bytes(self, session: Session, doc: FetchedDocument, sha256: str) -> RawVersionRef | None:
        content = doc.content or b""
        session.execute(insert_ignore(session, m.Blob, ["sha256"], dict(sha256=sha256, size=len(content))))
        current = current_raw_version(session, doc.url)
        if current is not None and current.sha256 == sha256:
            record_answer(session, doc, current.id)
            self._log_outcome(session, doc, "unchanged", current.id)
            return None
        earlier = session.scalars(
            select(m.RawVersion).where(m.RawVersion.url == doc.url, m.RawVersion.sha256 == sha256)
        ).first()
        if earlier is not None:
            # A version is identified by (url, sha256): bytes that went back to an
            # earlier version add no version, they make that version current again.
            record_answer(session, doc, earlier.id)
            self._log_outcome(session, doc, "reverted", earlier.id)
            return None
        latest = session.scalar(select(func.max(m.RawVersion.version)).where(m.RawVersion.url == doc.url))
        version = m.RawVersion(
            url=doc.url, sha256=sha256, version=(latest or 0) + 1,
            size=len(content), content_type=doc.content_type, etag=doc.etag,
            last_modified=doc.last_modified, fetched_at=doc.fetched_at,
        )
        session.add(version)
        session.flush()
        self._log_outcome(session, doc, "new_version", version.id)
        record_answer(session, doc, version.id)
        return RawVersionRef.of(version)

    @staticmethod
    def _fetch_event(doc: FetchedDocument, outcome: str, raw_version_id: int | None) -> m.FetchEvent:
        return m.FetchEvent(
            url=doc.url, status_code=doc.status_code, outcome=outcome, raw_version_id=raw_version_id,
            etag=doc.etag, last_modified=doc.last_modified, error=doc.error, fetched_at=doc.fetched_at,
        )

    def _add_fetch_event(self, doc: FetchedDocument, outcome: str, raw_version_id: int | None) -> None:
        with self._session.begin() as session:
            self._log_outcome(session, doc, outcome, raw_version_id)

    def _log_outcome(self, session: Session, doc: FetchedDocument, outcome: str, raw_version_id: int | None) -> None:
        """Record the fetch event and schedule the link's next check by the refresh policy."""
        session.add(self._fetch_event(doc, outcome, raw_version_id))
        schedule_next_check(session, doc.url, outcome, doc.fetched_at, self.refresh_policy)

    def latest_raw_version(self, url: str) -> RawVersionRef | None:
        """The current raw version of `url`: the bytes the server served last."""
        with self._session() as session:
            row = current_raw_version(session, url)
            return RawVersionRef.of(row) if row else None

    def follow_served_bytes(self, raw_versions: Sequence[RawVersionRef], parser_version: str) -> int:
        """Make an earlier derivation of exactly these raw versions current again; how many moved."""
        raw_ids = [raw.id for raw in raw_versions]
        return self._retrying(lambda session: follow_served_bytes(session, raw_ids, parser_version))

    def read_blob(self, sha256: str) -> bytes:
        return self.blobs.get(sha256)

    # ---- structured reports ---------------------------------------------

    def record_parse(
        self,
        site_id: str,
        raw_versions: Sequence[RawVersionRef],
        parsed: ParsedReport,
        source_url: str,
        title: str | None = None,
        *,
        year_hint: int | None = None,
        agency_hint: str | None = None,
    ) -> ReportVersionRef | None:
        """Add a report version unless this (report, raw versions, parser) was recorded before."""
        return self._retrying(
            lambda session: write_report_version(
                session, site_id, raw_versions, parsed, source_url, title,
                year=parsed.report_year or year_hint,
                agency=parsed.agency_name or agency_hint,
            )
        )

    def reparse_items(self) -> list[ReparseItem]:
        """Every report's current derivation: what `reparse` feeds the parser again."""
        with self._session() as session:
            return current_derivations(session)

    def derivations(self) -> dict[str, set[tuple[frozenset[int], str]]]:
        """Per site, every (raw version ids, parser version) already derived: no need to parse again."""
        with self._session() as session:
            return derivations_by_site(session)

    # ---- reading --------------------------------------------------------

    def iter_export_records(
        self, year: int | None = None, site_id: str | None = None, all_versions: bool = False
    ) -> Iterator[dict[str, Any]]:
        with self._session() as session:
            yield from export_records(session, year=year, site_id=site_id, all_versions=all_versions)

    def status_summary(self) -> dict[str, Any]:
        with self._session() as session:
            return status_summary(session)

    def current_check_failures(self) -> list[dict[str, Any]]:
        """Current report versions whose arithmetic checks fail (storage.check_failures)."""
        with self._session() as session:
            return current_check_failures(session)
