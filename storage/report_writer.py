"""Writes structured report versions: identity, numbering, values, current pointer."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from parsers.model import ParsedReport
from storage import models as m
from storage.refs import RawVersionRef, ReparseItem, ReportVersionRef, agency_key
from storage.upsert import insert_ignore

UNKNOWN_YEAR = 0


def _report_id(session: Session, site_id: str, agency: str | None, year: int | None) -> int:
    key = agency_key(agency)
    year_value = year or UNKNOWN_YEAR
    session.execute(insert_ignore(session, m.Report, ["site_id", "agency_key", "report_year"], dict(
        site_id=site_id, agency_key=key, agency_name=agency, report_year=year_value,
    )))
    return session.scalars(
        select(m.Report.id).where(
            m.Report.site_id == site_id, m.Report.agency_key == key, m.Report.report_year == year_value
        )
    ).one()


def write_report_version(
    session: Session,
    site_id: str,
    raw_versions: Sequence[RawVersionRef],
    parsed: ParsedReport,
    source_url: str,
    title: str | None,
    *,
    year: int | None,
    agency: str | None,
) -> ReportVersionRef | None:
    report_id = _report_id(session, site_id, agency, year)
    raw_key = ",".join(str(raw_id) for raw_id in sorted({raw.id for raw in raw_versions}))
    exists = session.scalars(
        select(m.ReportVersion.id).where(
            m.ReportVersion.report_id == report_id,
            m.ReportVersion.raw_key == raw_key,
            m.ReportVersion.parser_version == parsed.parser_version,
        )
    ).first()
    if exists is not None:
        return None
    previous = session.execute(
        select(m.ReportVersion.version, m.ReportVersion.source_url)
        .where(m.ReportVersion.report_id == report_id)
        .order_by(m.ReportVersion.version.desc())
        .limit(1)
    ).first()
    number = previous.version + 1 if previous else 1
    row = m.ReportVersion(
        report_id=report_id, version=number, raw_key=raw_key, parser_version=parsed.parser_version,
        source_url=source_url, title=title or parsed.title,
        format_version=parsed.format_version, t2_format_version=parsed.t2_format_version,
        t3_format_version=parsed.t3_format_version, scope=parsed.scope,
        failure_reason=parsed.failure.reason if parsed.failure else None,
        checks_failed=sum(1 for check in parsed.checks if check.ok is False),
        record=parsed.to_dict(),
    )
    session.add(row)
    session.flush()
    session.add_all(m.ReportVersionRaw(report_version_id=row.id, raw_version_id=raw.id) for raw in
                    {raw.id: raw for raw in raw_versions}.values())
    session.add_all(
        m.ReportValue(report_version_id=row.id, key=key, value=cell.value, state=cell.state,
                      raw=cell.raw, unit_as_printed=cell.unit_as_printed)
        for key, cell in parsed.fields.items()
    )
    session.execute(update(m.Report).where(m.Report.id == report_id).values(
        current_version_id=row.id, current_reason=_current_reason(number, previous, source_url, parsed),
    ))
    return ReportVersionRef(id=row.id, report_id=report_id, version=number, parser_version=parsed.parser_version)


def _current_reason(number: int, previous, source_url: str, parsed: ParsedReport) -> str:
    if previous is None:
        return "only version"
    if previous.source_url != source_url:
        return f"version {number} from {source_url} is newer than version {previous.version} from {previous.source_url}"
    return f"version {number} is the newest derivation (parser {parsed.parser_version})"


def current_derivations(session: Session) -> list[ReparseItem]:
    """Every report's current version with its raw versions, in two queries."""
    rows = session.execute(
        select(m.Report, m.ReportVersion)
        .join(m.ReportVersion, m.ReportVersion.id == m.Report.current_version_id)
        .order_by(m.Report.id)
    ).all()
    raws_by_version: dict[int, list[RawVersionRef]] = {}
    linked = session.execute(
        select(m.ReportVersionRaw.report_version_id, m.RawVersion)
        .join(m.RawVersion, m.RawVersion.id == m.ReportVersionRaw.raw_version_id)
        .join(m.Report, m.Report.current_version_id == m.ReportVersionRaw.report_version_id)
        .order_by(m.RawVersion.id)
    )
    for version_id, raw in linked:
        raws_by_version.setdefault(version_id, []).append(RawVersionRef.of(raw))
    return [
        ReparseItem(
            site_id=report.site_id, source_url=version.source_url, title=version.title,
            raw_versions=raws_by_version.get(version.id, []), parser_version=version.parser_version,
            report_year=report.report_year or None, agency_name=report.agency_name,
        )
        for report, version in rows
    ]


def derivations_by_site(session: Session) -> dict[str, set[tuple[frozenset[int], str]]]:
    """Every (raw version ids, parser version) ever derived, per site — current or not."""
    rows = session.execute(
        select(m.Report.site_id, m.ReportVersion.id, m.ReportVersion.parser_version, m.ReportVersionRaw.raw_version_id)
        .join(m.ReportVersion, m.ReportVersion.report_id == m.Report.id)
        .join(m.ReportVersionRaw, m.ReportVersionRaw.report_version_id == m.ReportVersion.id)
    )
    raws: dict[int, tuple[str, str, set[int]]] = {}
    for site_id, version_id, parser_version, raw_id in rows:
        raws.setdefault(version_id, (site_id, parser_version, set()))[2].add(raw_id)
    found: dict[str, set[tuple[frozenset[int], str]]] = {}
    for site_id, parser_version, raw_ids in raws.values():
        found.setdefault(site_id, set()).add((frozenset(raw_ids), parser_version))
    return found
