"""`nianbao status`: what is stored, the last runs, and which sites are failing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import models as m
from storage.run_owner import shown_status

RECENT_RUNS = 10


def _count(session: Session, model: type, *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _failing_sites(session: Session) -> list[dict[str, Any]]:
    """Sites whose status in their most recent run was not ok."""
    latest = (
        select(m.SiteCrawlStatusRow.site_id, func.max(m.SiteCrawlStatusRow.run_id).label("run_id"))
        .group_by(m.SiteCrawlStatusRow.site_id)
        .subquery()
    )
    rows = session.scalars(
        select(m.SiteCrawlStatusRow)
        .join(latest, (latest.c.site_id == m.SiteCrawlStatusRow.site_id)
              & (latest.c.run_id == m.SiteCrawlStatusRow.run_id))
        .where(m.SiteCrawlStatusRow.ok.is_(False))
        .order_by(m.SiteCrawlStatusRow.site_id)
    )
    return [{"site_id": r.site_id, "run_id": r.run_id, "errors": r.errors, "detail": r.detail} for r in rows]


def status_summary(session: Session) -> dict[str, Any]:
    current = select(m.ReportVersion).join(m.Report, m.Report.current_version_id == m.ReportVersion.id).subquery()
    by_year_format = session.execute(
        select(m.Report.report_year, current.c.format_version, func.count())
        .join(current, current.c.report_id == m.Report.id)
        .group_by(m.Report.report_year, current.c.format_version)
        .order_by(m.Report.report_year, current.c.format_version)
    ).all()
    failures = session.execute(
        select(current.c.failure_reason, func.count())
        .where(current.c.failure_reason.is_not(None))
        .group_by(current.c.failure_reason)
    ).all()
    runs = session.scalars(select(m.CrawlRun).order_by(m.CrawlRun.id.desc()).limit(RECENT_RUNS))
    return {
        "sites": _count(session, m.Site),
        "links": _count(session, m.Link),
        "links_gone": _count(session, m.Link, m.Link.gone_at.is_not(None)),
        "raw_versions": _count(session, m.RawVersion),
        "blobs": _count(session, m.Blob),
        "fetch_events": _count(session, m.FetchEvent),
        "reports": _count(session, m.Report),
        "report_versions": _count(session, m.ReportVersion),
        "reports_by_year_and_format": [
            {"year": year or None, "format_version": fmt, "reports": n} for year, fmt, n in by_year_format
        ],
        "parse_failures": {reason: n for reason, n in failures},
        "checks_failing_reports": _count(session, m.ReportVersion, m.ReportVersion.checks_failed > 0,
                                         m.ReportVersion.id.in_(select(current.c.id))),
        "last_runs": [
            {"id": r.id, "kind": r.kind, "status": shown_status(r.status, r.owner), "started_at": r.started_at.isoformat(),
             "finished_at": r.finished_at.isoformat() if r.finished_at else None, "summary": r.summary}
            for r in runs
        ],
        "failing_sites": _failing_sites(session),
    }
