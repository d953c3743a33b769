"""Writes structured report versions: identity, numbering, values, current pointer."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from parsers.model import ParsedReport
from storage import models as m
from storage.refs import RawVersionRef, ReparseItem, ReportVersionRef, agency_key
from storage.upsert import insert_ignore


def _report_id(session: Session, site_id: str, agency: str | None, year: int | None, discovery_key: str) -> int:
    """The report a derivation of the document group `discovery_key` belongs to.

    Found by its discovery key first, so a parser that corrects the agency or year
    corrects the report's attributes instead of creating a second report. A group
    seen for the first time joins the site's report of the same agency and year (a
    scan listed beside its page), else starts a report; an unknown year is its own.
    """
    key = agency_key(agency)
    found = session.scalars(
        select(m.Report).where(m.Report.site_id == site_id, m.Report.discovery_key == discovery_key)
        .order_by(m.Report.id).limit(1)
    ).first()
    if found is not None:
        return _corrected(session, _successor(session, found), agency, key, year)
    if year is not None:
        same = _by_identity(session, site_id, key, year)
        if same is not None:
            return same.id
        session.execute(insert_ignore(session, m.Report, ["site_id", "agency_key", "report_year"], dict(
            site_id=site_id, agency_key=key, agency_name=agency, report_year=year, discovery_key=discovery_key,
        )))
        return _by_identity(session, site_id, key, year).id  # type: ignore[union-attr]
    report = m.Report(site_id=site_id, agency_key=key, agency_name=agency, report_year=None,
                      discovery_key=discovery_key)
    session.add(report)
    session.flush()
    return report.id


def _by_identity(session: Session, site_id: str, key: str, year: int) -> m.Report | None:
    return session.scalars(select(m.Report).where(
        m.Report.site_id == site_id, m.Report.agency_key == key, m.Report.report_year == year
    )).first()


def _successor(session: Session, report: m.Report) -> m.Report:
    while report.merged_into_id is not None:
        report = session.get(m.Report, report.merged_into_id)
    return report


def _corrected(session: Session, report: m.Report, agency: str | None, key: str, year: int | None) -> int:
    """Apply a corrected agency/year to `report`; merge into the report that already has them."""
    new_key = key if key else report.agency_key
    new_year = year if year is not None else report.report_year
    if (new_key, new_year) == (report.agency_key, report.report_year):
        return report.id
    other = _by_identity(session, report.site_id, new_key, new_year) if new_year is not None else None
    if other is not None and other.id != report.id:
        report.merged_into_id = other.id  # kept, pointing at its successor
        session.flush()
        return _successor(session, other).id
    report.agency_key, report.report_year = new_key, new_year
    report.agency_name = agency if key else report.agency_name
    session.flush()
    return report.id


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
    discovery_key: str | None = None,
) -> ReportVersionRef | None:
    report_id = _report_id(session, site_id, agency, year, discovery_key or source_url)
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
    _choose_current(session, report_id, row)
    return ReportVersionRef(id=row.id, report_id=report_id, version=number, parser_version=parsed.parser_version)


def quality(version: m.ReportVersion) -> tuple[int, int, int]:
    """How good a derivation is: parsed over failed, then fields read, then identities that hold."""
    fields = (version.record or {}).get("fields", {})
    read = sum(1 for cell in fields.values() if (cell or {}).get("state") in ("number", "blank", "na_marker"))
    return (1 if version.failure_reason is None else 0, read, -version.checks_failed)


def _choose_current(session: Session, report_id: int, new: m.ReportVersion) -> None:
    """Make `new` current unless the current record is better; `current_reason` says which and why.

    A successful parse of newer bytes of the same document always follows the
    document; otherwise the better derivation wins and equal ones go to the newest.
    """
    report = session.get(m.Report, report_id)
    current = session.get(m.ReportVersion, report.current_version_id) if report.current_version_id else None
    winner, reason = new, _reason(new, current)
    if current is not None and quality(new) < quality(current):
        same_document = current.source_url == new.source_url and new.failure_reason is None
        if not same_document:
            winner, reason = current, (
                f"version {current.version} kept over version {new.version} from {new.source_url}: "
                f"{_why_better(current, new)}")
    report.current_version_id, report.current_reason = winner.id, reason


def _reason(new: m.ReportVersion, current: m.ReportVersion | None) -> str:
    if current is None:
        return "only version"
    if quality(new) > quality(current):
        return f"version {new.version} replaces version {current.version}: {_why_better(new, current)}"
    if current.source_url != new.source_url:
        return (f"version {new.version} from {new.source_url} is as complete as and newer than "
                f"version {current.version} from {current.source_url}")
    return f"version {new.version} is the newest derivation of {new.source_url} (parser {new.parser_version})"


def _why_better(better: m.ReportVersion, worse: m.ReportVersion) -> str:
    ours, theirs = quality(better), quality(worse)
    if ours[0] != theirs[0]:
        return f"a successful parse over a failure ({worse.failure_reason})"
    if ours[1] != theirs[1]:
        return f"more fields read ({ours[1]} over {theirs[1]})"
    return f"more identities hold ({-ours[2]} over {-theirs[2]} failed checks)"


def follow_served_bytes(session: Session, raw_ids: Sequence[int], parser_version: str) -> int:
    """Point reports back at their derivation of exactly these raw versions (bytes that went back)."""
    raw_key = ",".join(str(raw_id) for raw_id in sorted(set(raw_ids)))
    rows = session.execute(
        select(m.Report, m.ReportVersion)
        .join(m.ReportVersion, m.ReportVersion.report_id == m.Report.id)
        .where(m.ReportVersion.raw_key == raw_key, m.ReportVersion.parser_version == parser_version)
    ).all()
    moved = 0
    for report, version in rows:
        if report.current_version_id == version.id:
            continue
        current = session.get(m.ReportVersion, report.current_version_id) if report.current_version_id else None
        if current is not None and current.source_url != version.source_url \
                and quality(version) < quality(current):
            continue  # another document's better record stays current
        report.current_version_id = version.id
        report.current_reason = (f"version {version.version} is current again: the server serves "
                                 f"its bytes again (reverted from version {current.version if current else '-'})")
        moved += 1
    return moved


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
