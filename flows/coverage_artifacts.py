"""After a run: a keyed coverage artifact per site and the coverage matrix as an HTML page.

The table artifact (key `coverage`) says per site how many reports were expected,
found, missing, withdrawn, late, and replaced during this run; the link artifact
(key `coverage-matrix`) points at the matrix page `nianbao coverage --format html`
writes, saved beside the run's logs (`<data>/coverage/coverage-run-<id>.html`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from storage.config import Settings
from storage.coverage import CoverageRow
from storage.coverage_output import read_coverage, write_coverage


def site_counts(rows: Sequence[CoverageRow], since: datetime | None) -> list[dict[str, Any]]:
    """Per site: expected, found, missing, withdrawn, late, and replaced since `since`."""
    counts: dict[str, dict[str, Any]] = {}
    for row in rows:
        site = counts.setdefault(row.site_id, dict(site_id=row.site_id, expected=0, found=0, missing=0,
                                                   withdrawn=0, late=0, replaced_this_run=0))
        site["expected"] += 1
        site[row.status] += 1
        site["late"] += 1 if row.late else 0
        replaced_at = datetime.fromisoformat(row.replaced_at) if row.replaced_at else None
        site["replaced_this_run"] += 1 if replaced_at and since and replaced_at >= since else 0
    return list(counts.values())


def matrix_path(run_id: int, settings: Settings | None = None) -> Path:
    settings = settings or Settings.from_env()
    return settings.log_dir.parent / "coverage" / f"coverage-run-{run_id}.html"


def _run_started(repo: Any, run_id: int) -> datetime | None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from storage import models as m

    with Session(repo.engine) as session:
        return session.scalar(select(m.CrawlRun.started_at).where(m.CrawlRun.id == run_id))


def publish_coverage_artifacts(repo: Any, run_id: int) -> Path | None:
    """Write the matrix page and publish both artifacts (inside a flow run); the page's path.

    Coverage is a report on the run, not part of it: a failure here is logged, not raised.
    """
    from prefect import get_run_logger
    from prefect.artifacts import create_link_artifact, create_table_artifact

    logger = get_run_logger()
    try:
        rows = read_coverage(repo)
        page = matrix_path(run_id)
        write_coverage(rows, "html", page, title=f"nianbao coverage after run {run_id}")
        create_table_artifact(site_counts(rows, _run_started(repo, run_id)), key="coverage",
                              description=f"Run {run_id}: expected, found, missing, withdrawn, late, replaced")
        create_link_artifact(page.resolve().as_uri(), link_text=f"coverage matrix of run {run_id}",
                             key="coverage-matrix", description="agencies × years, coloured by status")
    except Exception:  # noqa: BLE001 - the crawl itself succeeded; say what failed and go on
        logger.exception("coverage artifacts of run %d failed", run_id)
        return None
    logger.info("coverage matrix: %s", page)
    return page
