"""The expected (site, agency, year) grid and its rows: found, missing or withdrawn, late, replaced.

Per site, the grid holds every agency the site ever published a report for (all
spellings of one agency merged, see `coverage_rules.SiteRules`) and every agency
the registry expects, for every statistics year from the agency's first report
(or the registry's `expected_from`) to the latest year whose deadline has passed
on `today`. Found reports outside that span are rows too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import models as m
from storage.blobs import BlobStore
from storage.coverage_facts import ReportFacts, site_report_facts
from storage.coverage_rules import SiteRules, deadline, jump_anomalies, latest_due_year, scope_for
from storage.errors import UserError

STATUSES = ("found", "missing", "withdrawn")


@dataclass
class CoverageRow:
    """One cell of the expected grid."""

    site_id: str
    agency: str
    year: int
    status: str
    late: bool | None
    deadline: str
    published_date: str | None = None
    published_date_source: str | None = None
    first_seen: str | None = None
    versions: int = 0
    replaced: bool = False
    changed_fields: list[str] = field(default_factory=list)
    replaced_at: str | None = None
    withdrawn_at: str | None = None
    url: str | None = None
    scope: str = "unknown"
    anomalies: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def coverage_rows(
    session: Session, blobs: BlobStore, today: date, *,
    site_ids: Sequence[str] | None = None, years: Sequence[int] | None = None,
) -> list[CoverageRow]:
    """The grid of every (or the named) stored site, ordered by site, agency and year."""
    query = select(m.Site).order_by(m.Site.id)
    if site_ids:
        query = query.where(m.Site.id.in_(list(site_ids)))
    sites = list(session.scalars(query))
    unknown = sorted(set(site_ids or ()) - {site.id for site in sites})
    if unknown:
        raise UserError(f"no stored site with id(s) {', '.join(unknown)}; `nianbao status` lists the stored sites")
    rows: list[CoverageRow] = []
    for site in sites:
        rules = SiteRules.of(site.name, site.coverage_rules)
        rows += site_grid(site.id, rules, site_report_facts(session, blobs, site.id), today)
    if years:
        wanted = set(years)
        rows = [row for row in rows if row.year in wanted]
    return rows


def site_grid(site_id: str, rules: SiteRules, facts: list[ReportFacts], today: date) -> list[CoverageRow]:
    """One site's rows: found reports per agency group and year, and the gaps between them."""
    groups: dict[str, list[ReportFacts]] = defaultdict(list)
    names: dict[str, list[str]] = defaultdict(list)
    for fact in facts:
        key = rules.agency_group(fact.agency)
        groups[key].append(fact)
        names[key].append(fact.agency)
    for expected in rules.expected_agencies:
        key = rules.agency_group(expected)
        groups.setdefault(key, [])
        names[key].append(expected)
    site_first = min((fact.year for fact in facts), default=None)
    rows: list[CoverageRow] = []
    for key in groups:
        agency = rules.display_name(names[key])
        rows += _agency_rows(site_id, agency, rules, groups[key], today, site_first)
    return sorted(rows, key=lambda row: (row.agency, row.year))


def _agency_rows(site_id: str, agency: str, rules: SiteRules, facts: list[ReportFacts], today: date,
                 site_first: int | None) -> list[CoverageRow]:
    by_year: dict[int, list[ReportFacts]] = defaultdict(list)
    for fact in facts:
        by_year[fact.year].append(fact)
    latest_scope = next((f.scope for f in sorted(facts, key=lambda f: -f.year) if f.scope != "unknown"), None)
    scope = scope_for(agency, latest_scope, rules.agency_group(agency))  # for the missing years
    last = latest_due_year(today, scope)
    first = rules.expected_from or min(by_year, default=site_first or last)
    rows: list[CoverageRow] = []
    previous: ReportFacts | None = None
    for year in sorted(set(range(first, last + 1)) | set(by_year)):
        if year not in by_year:
            rows.append(CoverageRow(site_id, agency, year, "missing", None,
                                    deadline(year, scope).isoformat(), scope=scope))
            continue
        chosen = _chosen(by_year[year])
        row = found_row(site_id, agency, chosen, rules)
        row.anomalies += [f"duplicate:{other.url}" for other in by_year[year] if other is not chosen]
        if previous is not None and previous.year == year - 1:
            row.anomalies += jump_anomalies(previous.totals, chosen.totals)
        previous = chosen
        rows.append(row)
    return rows


def _chosen(candidates: list[ReportFacts]) -> ReportFacts:
    """Of two reports merged into one agency and year, the one still online and seen first."""
    return min(candidates, key=lambda f: (f.withdrawn_at is not None, f.first_seen is None, f.first_seen, f.report_id))


def found_row(site_id: str, agency: str, fact: ReportFacts, rules: SiteRules) -> CoverageRow:
    scope = scope_for(agency, fact.scope, rules.agency_group(fact.agency))
    due = deadline(fact.year, scope)
    return CoverageRow(
        site_id=site_id, agency=agency, year=fact.year,
        status="withdrawn" if fact.withdrawn_at else "found",
        late=_late(fact, due), deadline=due.isoformat(),
        published_date=fact.published.text if fact.published else None,
        published_date_source=fact.published.source if fact.published else None,
        first_seen=fact.first_seen.isoformat() if fact.first_seen else None,
        versions=fact.versions, replaced=bool(fact.changed_fields), changed_fields=list(fact.changed_fields),
        replaced_at=fact.replaced_at.isoformat() if fact.replaced_at else None,
        withdrawn_at=fact.withdrawn_at.isoformat() if fact.withdrawn_at else None,
        url=fact.url, scope=scope, anomalies=_anomalies(fact, rules),
    )


def _late(fact: ReportFacts, due: date) -> bool | None:
    """Published after the deadline; without a date, on time if nianbao saw it before the deadline."""
    if fact.published is not None:
        return fact.published.after(due)
    if fact.first_seen is not None and fact.first_seen.date() <= due:
        return False
    return None


def _anomalies(fact: ReportFacts, rules: SiteRules) -> list[str]:
    found = [f"identity:{name}" for name in fact.failing_checks]
    found += [f"listing_year:{year}" for year in sorted(fact.listing_years) if year != fact.year]
    own = rules.agency_group(fact.agency)
    found += [f"listing_agency:{name}" for name in sorted(fact.listing_agencies) if rules.agency_group(name) != own]
    return found
