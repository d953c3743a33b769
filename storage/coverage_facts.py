"""What the store knows about each found report, for the coverage grid (read only).

Per report: its current version, how many document versions it had, which
values a later document version changed, when its links were first seen and
whether they are withdrawn, its publication date, failing identities, its key
totals, and whether the listing disagreed with the document on year or agency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import models as m
from storage.blobs import BlobStore
from storage.coverage_dates import PublishedDate, decode_page, document_date, page_date, url_date
from storage.coverage_rules import KEY_TOTAL_KEYS, key_totals


@dataclass
class ReportFacts:
    report_id: int
    site_id: str
    agency: str
    year: int
    scope: str
    url: str
    versions: int
    first_seen: datetime | None
    published: PublishedDate | None = None
    withdrawn_at: datetime | None = None
    changed_fields: list[str] = field(default_factory=list)
    replaced_at: datetime | None = None
    failing_checks: list[str] = field(default_factory=list)
    totals: dict[str, float | None] = field(default_factory=dict)
    listing_years: set[int] = field(default_factory=set)
    listing_agencies: set[str] = field(default_factory=set)


def withdrawn_at(links: Sequence[m.Link]) -> datetime | None:
    """When a report was withdrawn: every link of it is gone (the latest gone date), else None.

    The one place that reads withdrawal: re-point it when the link lifecycle changes.
    """
    if not links or any(link.gone_at is None for link in links):
        return None
    return max(link.gone_at for link in links if link.gone_at is not None)


def changed_between(older: dict[str, float | None], newer: dict[str, float | None]) -> list[str]:
    """The fields whose value a newer version changed (added, removed or different)."""
    return [key for key in dict.fromkeys([*older, *newer]) if older.get(key) != newer.get(key)]


def _values(session: Session, version_ids: Sequence[int], keys: Sequence[str] | None = None) -> dict[int, dict]:
    found: dict[int, dict[str, float | None]] = defaultdict(dict)
    if not version_ids:
        return found
    query = select(m.ReportValue.report_version_id, m.ReportValue.key, m.ReportValue.value).where(
        m.ReportValue.report_version_id.in_(list(version_ids)))
    if keys is not None:
        query = query.where(m.ReportValue.key.in_(list(keys)))
    for version_id, key, value in session.execute(query):
        found[version_id][key] = value
    return found


def site_report_facts(session: Session, blobs: BlobStore, site_id: str) -> list[ReportFacts]:
    """Every report of a site with a known year, with the facts coverage needs."""
    rows = session.execute(
        select(m.Report, m.ReportVersion)
        .join(m.ReportVersion, m.ReportVersion.id == m.Report.current_version_id)
        .where(m.Report.site_id == site_id, m.Report.report_year > 0)
        .order_by(m.Report.id)
    ).all()
    if not rows:
        return []
    by_report = _history(session, [report.id for report, _ in rows])
    versions = [version for history in by_report.values() for version in history]
    raws = _raw_documents(session, [v.id for v in versions])
    links = _links(session, {raw.url for docs in raws.values() for raw in docs})
    totals = _values(session, [version.id for _, version in rows], KEY_TOTAL_KEYS)
    facts = []
    for report, current in rows:
        history = by_report[report.id]
        documents = [raw for version in history for raw in raws.get(version.id, [])]
        report_links = [links[url] for url in dict.fromkeys(raw.url for raw in documents) if url in links]
        fact = ReportFacts(
            report_id=report.id, site_id=site_id, agency=report.agency_name or report.agency_key,
            year=report.report_year, scope=current.scope, url=current.source_url,
            versions=len({version.raw_key for version in history}),
            first_seen=min((link.first_seen for link in report_links),
                           default=min((raw.fetched_at for raw in documents), default=None)),
            withdrawn_at=withdrawn_at(report_links),
            failing_checks=[c["name"] for c in current.record.get("checks", []) if c.get("ok") is False],
            totals=key_totals(totals.get(current.id, {})),
        )
        fact.published = _published(blobs, current, documents, report_links)
        _listing(fact, report_links)
        facts.append(fact)
    _replacements(session, facts, by_report)
    return facts


def _history(session: Session, report_ids: list[int]) -> dict[int, list]:
    """Every version of the reports (id, raw key, created), oldest first."""
    by_report: dict[int, list] = defaultdict(list)
    for version in session.execute(
        select(m.ReportVersion.report_id, m.ReportVersion.id, m.ReportVersion.raw_key, m.ReportVersion.created_at)
        .where(m.ReportVersion.report_id.in_(report_ids))
        .order_by(m.ReportVersion.report_id, m.ReportVersion.version)
    ):
        by_report[version.report_id].append(version)
    return by_report


def _raw_documents(session: Session, version_ids: Sequence[int]) -> dict[int, list[m.RawVersion]]:
    found: dict[int, list[m.RawVersion]] = defaultdict(list)
    for version_id, raw in session.execute(
        select(m.ReportVersionRaw.report_version_id, m.RawVersion)
        .join(m.RawVersion, m.RawVersion.id == m.ReportVersionRaw.raw_version_id)
        .where(m.ReportVersionRaw.report_version_id.in_(list(version_ids)))
        .order_by(m.RawVersion.id)
    ):
        found[version_id].append(raw)
    return found


def _links(session: Session, urls: set[str]) -> dict[str, m.Link]:
    if not urls:
        return {}
    return {link.url: link for link in session.scalars(select(m.Link).where(m.Link.url.in_(list(urls))))}


def _published(blobs: BlobStore, current: m.ReportVersion, documents: list[m.RawVersion],
               report_links: list[m.Link]) -> PublishedDate | None:
    """The page's metadata date (its first version), else the document's signature, else the URL's."""
    pages = {link.url for link in report_links if link.kind == "page"}
    first_page = next((raw for raw in sorted(documents, key=lambda r: r.id) if raw.url in pages), None)
    if first_page is not None:
        found = page_date(decode_page(blobs.get(first_page.sha256)))
        if found:
            return found
    sections = current.record.get("sections") or {}
    if sections and (found := document_date(list(sections.values())[-1])):
        return found
    for url in [current.source_url, *sorted(pages)]:
        if found := url_date(url):
            return found
    return None


def _listing(fact: ReportFacts, report_links: list[m.Link]) -> None:
    """What the listing said about year and agency (for the disagreement anomaly)."""
    for link in report_links:
        if link.report_year:
            fact.listing_years.add(link.report_year)
        if link.agency_guess:
            fact.listing_agencies.add(link.agency_guess)


def _replacements(session: Session, facts: list[ReportFacts], by_report: dict[int, list]) -> None:
    """Changed fields between consecutive versions built from different documents."""
    pending = {f.report_id: f for f in facts if f.versions > 1}
    ids = [version.id for report_id in pending for version in by_report[report_id]]
    values = _values(session, ids)
    for report_id, fact in pending.items():
        history = by_report[report_id]
        changed: dict[str, None] = {}
        for older, newer in zip(history, history[1:]):
            if older.raw_key == newer.raw_key:
                continue  # the same documents parsed again: a parser change, not a replacement
            keys = changed_between(values.get(older.id, {}), values.get(newer.id, {}))
            if keys:
                changed.update(dict.fromkeys(keys))
                fact.replaced_at = newer.created_at
        fact.changed_fields = sorted(changed)
