"""Current reports whose arithmetic checks fail: the rows of a run's check-failures table.

Read from the store, not from the run, so a report stays listed every night until a
newer version of it passes its checks.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import models as m
from storage.export import _documents


def current_check_failures(session: Session) -> list[dict[str, Any]]:
    """One row per current report version with a failed check, by site, year and agency."""
    rows = session.execute(
        select(m.Report, m.ReportVersion)
        .join(m.ReportVersion, m.ReportVersion.id == m.Report.current_version_id)
        .where(m.ReportVersion.checks_failed > 0)
        .order_by(m.Report.site_id, m.Report.report_year, m.Report.agency_key)
    ).all()
    documents = _documents(session, [version.id for _report, version in rows])
    return [
        {
            "site": report.site_id,
            "agency": report.agency_name or "",
            "year": report.report_year or None,
            "checks_failed": ", ".join(check["name"] for check in version.record.get("checks", [])
                                       if check.get("ok") is False),
            "source": version.source_url,
            "documents": " ".join(raw.url for raw in documents[version.id]),
            "format": version.format_version,
            "version": version.version,
        }
        for report, version in rows
    ]
