"""One site's fetch → store raw → parse → store record pass, and its outcome.

Plain functions (no Prefect): the tasks wrap them. Raw bytes always go through
`repo.record_fetch` before anything is parsed, and the parser reads them back
from the blob store, so a parse that fails or crashes never loses a document.
A report is parsed only when its set of raw versions (or the parser version)
was never derived before, which makes a re-run, or a run resumed after a
crash, do exactly the missing work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from flows.attachments import new_attachments
from flows.fetcher import ROBOTS_DISALLOWED, Fetcher, header_charset, server_did_not_answer
from flows.reports import ReportGroup, StoredDocument, choose_parse, group_links
from parsers.model import ParsedReport
from storage.blobs import DamagedBlobError
from storage.refs import LinkToFetch, RawVersionRef, ReportVersionRef
from storage.repository import Repository

log = logging.getLogger(__name__)


@dataclass
class ReportOutcome:
    """What happened to one report in this run (the summary's rows)."""

    site_id: str
    source_url: str
    title: str | None
    status: str  # new | changed | unchanged | parse_failed | fetch_failed
    agency: str | None = None
    year: int | None = None
    version: int | None = None
    failed_checks: list[str] = field(default_factory=list)
    detail: str = ""
    document_urls: list[str] = field(default_factory=list)
    format_version: str | None = None


@dataclass
class SiteOutcome:
    """Per-site totals plus the report rows; JSON-ready through `as_dict`."""

    site_id: str
    requests: int = 0
    bytes_downloaded: int = 0
    documents_new: int = 0
    documents_unchanged: int = 0
    documents_gone: int = 0
    fetch_errors: dict[str, int] = field(default_factory=dict)
    reports: list[ReportOutcome] = field(default_factory=list)
    error: str | None = None

    def count(self, status: str) -> int:
        return sum(1 for report in self.reports if report.status == status)


DerivationKey = tuple[frozenset[int], str]  # (raw version ids, parser version)


def fetch_site(
    repo: Repository,
    fetcher: Fetcher,
    site_id: str,
    allowed_domains: Sequence[str],
    links: Iterable[LinkToFetch],
    parser_version: str,
    current: set[DerivationKey],
    logger: logging.Logger | logging.LoggerAdapter = log,
) -> SiteOutcome:
    """Fetch every link of a site, store the bytes, then (re)derive changed reports.

    `current` holds the site's derivations so far: a report whose documents
    and parser were seen together before is not parsed again.
    """
    outcome = SiteOutcome(site_id)
    for group in group_links(links):
        group, stored, unanswered = _fetch_group(repo, fetcher, group, allowed_domains, outcome, logger)
        try:
            row = (_waiting_row(group, stored, unanswered) if unanswered
                   else store_report(repo, group, stored, parser_version, current))
        except Exception as exc:  # a parser bug on one document must not hide the others
            logger.exception("parsing %s crashed", group.source_url)
            row = ReportOutcome(site_id, group.source_url, group.title, "parse_failed",
                                detail=crash_detail(exc))
        outcome.reports.append(row)
    outcome.requests = fetcher.request_count
    outcome.bytes_downloaded = fetcher.bytes_downloaded
    return outcome


def _fetch_group(
    repo: Repository,
    fetcher: Fetcher,
    group: ReportGroup,
    allowed_domains: Sequence[str],
    outcome: SiteOutcome,
    logger: logging.Logger | logging.LoggerAdapter,
) -> tuple[ReportGroup, dict[str, RawVersionRef], list[str]]:
    """Fetch a report's documents, and those its page newly links when the page changed."""
    stored: dict[str, RawVersionRef] = {}
    unanswered: list[str] = []
    pending = list(group.links)
    while pending:
        link = pending.pop(0)
        documents_before = outcome.documents_new
        raw = _fetch_and_store(repo, fetcher, link, allowed_domains, outcome, logger, unanswered)
        if raw is None:
            continue
        stored[raw.url] = raw
        if link is group.page and outcome.documents_new > documents_before:
            added = new_attachments(repo, group, raw, allowed_domains)
            group = replace(group, attachments=group.attachments + tuple(added))
            pending.extend(added)
    return group, stored, unanswered


def _fetch_and_store(
    repo: Repository,
    fetcher: Fetcher,
    link: LinkToFetch,
    allowed_domains: Sequence[str],
    outcome: SiteOutcome,
    logger: logging.Logger | logging.LoggerAdapter,
    unanswered: list[str],
) -> RawVersionRef | None:
    """Fetch one link; the link's newest stored raw version afterwards (maybe older).

    A link the server did not answer and that was never stored is added to `unanswered`.
    """
    document = fetcher.fetch(link.url, allowed_domains=allowed_domains,
                             etag=link.etag, last_modified=link.last_modified)
    new_raw = repo.record_fetch(document)
    if new_raw is not None:
        outcome.documents_new += 1
        return new_raw
    if document.status_code in (404, 410):
        outcome.documents_gone += 1
    elif document.error:
        reason = document.error.split(":", 1)[0]
        outcome.fetch_errors[reason] = outcome.fetch_errors.get(reason, 0) + 1
        # robots.txt forbidding a link is the site's choice, not a failure of this run.
        level = logging.INFO if reason == ROBOTS_DISALLOWED else logging.WARNING
        logger.log(level, "fetch %s failed: %s", link.url, document.error)
    else:
        outcome.documents_unchanged += 1
    latest = repo.latest_raw_version(link.url)
    if latest is None and server_did_not_answer(document.error):
        unanswered.append(link.url)
    return latest


def crash_detail(exc: Exception) -> str:
    """A failed report's reason: a damaged stored document says so; anything else is a parser crash."""
    if isinstance(exc, DamagedBlobError):
        return str(exc)
    return f"parser crashed: {type(exc).__name__}: {exc}"


def _waiting_row(group: ReportGroup, stored: dict[str, RawVersionRef], unanswered: list[str]) -> ReportOutcome:
    """A report with documents the server did not answer for is not parsed from the rest.

    Parsing the page alone would record a version (often not_a_report) that the next
    run replaces as soon as the attachments arrive: a second version for no change.
    """
    return ReportOutcome(group.site_id, group.source_url, group.title, "fetch_failed",
                         document_urls=list(stored),
                         detail=f"{len(unanswered)} of {len(group.links)} documents not answered "
                                f"(first: {unanswered[0]}); parsed once all are fetched")


def store_report(
    repo: Repository,
    group: ReportGroup,
    stored: dict[str, RawVersionRef],
    parser_version: str,
    current: set[DerivationKey],
) -> ReportOutcome:
    """Parse the group from stored bytes unless that derivation was recorded before."""
    row = ReportOutcome(group.site_id, group.source_url, group.title, "unchanged",
                        document_urls=list(stored))
    if not stored:
        row.status, row.detail = "fetch_failed", "no document of this report could be fetched"
        return row
    if (frozenset(raw.id for raw in stored.values()), parser_version) in current:
        # Derived before: when the server went back to those bytes, that record is current again.
        if repo.follow_served_bytes(list(stored.values()), parser_version):
            row.status, row.detail = "changed", "the server serves earlier bytes again (reverted)"
        return row
    page_raw = stored.get(group.page.url) if group.page else None
    page = _stored_document(repo, page_raw, group.title) if page_raw else None
    attachments = [
        _stored_document(repo, stored[link.url], link.title)
        for link in group.attachments if link.url in stored
    ]
    return record_parsed_group(repo, group.site_id, group.source_url, group.title, page,
                               attachments, year_hint=group.year_hint, agency_hint=group.agency_hint)


def record_parsed_group(
    repo: Repository,
    site_id: str,
    source_url: str,
    title: str | None,
    page: StoredDocument | None,
    attachments: Sequence[StoredDocument],
    *,
    year_hint: int | None = None,
    agency_hint: str | None = None,
) -> ReportOutcome:
    """Choose the parse of a group of stored documents and record it as a report version."""
    chosen = choose_parse(page, attachments, parse_stored)
    raws = ([page.raw] if page else []) + [doc.raw for doc in attachments]
    ref = repo.record_parse(site_id, raws, chosen.parsed, source_url, title,
                            year_hint=year_hint, agency_hint=agency_hint)
    parsed = chosen.parsed
    row = ReportOutcome(
        site_id, source_url, title or parsed.title, _status(ref, parsed),
        agency=parsed.agency_name or agency_hint, year=parsed.report_year or year_hint,
        version=ref.version if ref else None,
        failed_checks=[check.name for check in parsed.checks if check.ok is False],
        document_urls=[raw.url for raw in raws], format_version=parsed.format_version,
    )
    if parsed.failure:
        row.detail = f"{parsed.failure.reason}: {parsed.failure.detail}".rstrip(": ")
    return row


def _status(ref: ReportVersionRef | None, parsed: ParsedReport) -> str:
    if ref is None:
        return "unchanged"
    if parsed.failure is not None:
        return "parse_failed"
    return "new" if ref.version == 1 else "changed"


def _stored_document(repo: Repository, raw: RawVersionRef, title: str | None) -> StoredDocument:
    return StoredDocument(raw, repo.read_blob(raw.sha256), title, header_charset(raw.content_type))


def parse_stored(document: StoredDocument) -> ParsedReport:
    """The parser on stored bytes (never the network)."""
    from parsers.api import parse_bytes  # heavy imports only where parsing happens

    return parse_bytes(document.content, url=document.raw.url, title_hint=document.title_hint,
                       content_type_charset=document.charset)
