"""What a person needs after a run: per-site summary, artifacts, a JSON-ready result.

Artifacts are created once per run: one markdown summary (keyed, so runs line
up on the Artifacts page), one table of reports whose arithmetic checks fail,
and links to the source documents of new and changed reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from flows.fetcher import server_did_not_answer
from flows.site_work import SiteOutcome
from storage.records import SiteCrawlStatus

MAX_LINK_ARTIFACTS = 10
MAX_MARKDOWN_ROWS = 50
REPORT_STATUSES = ("new", "changed", "unchanged", "parse_failed", "fetch_failed")


def site_summary(status: SiteCrawlStatus | None, outcome: SiteOutcome | None) -> dict[str, Any]:
    """One site's row: crawl status and fetch/parse counts; failed if either stage failed."""
    site_id = (status or outcome).site_id  # type: ignore[union-attr]
    reasons = []
    if status is not None and not status.ok:
        reasons.append(status.detail or "crawl failed")
    if outcome is None:
        reasons.append("fetch did not run")
    elif outcome.error:
        reasons.append(outcome.error)
    elif unanswered := unanswered_fetches(outcome):
        reasons.append(f"{unanswered} document(s) not fetched: the server did not answer "
                       f"({', '.join(f'{k} {n}' for k, n in sorted(outcome.fetch_errors.items()))})")
    row: dict[str, Any] = {"site_id": site_id, "ok": not reasons, "failure": "; ".join(reasons)}
    if status is not None:
        row.update(pages_visited=status.pages_visited, links_by_year=dict(status.reports_by_year),
                   crawl_errors=dict(status.errors))
    if outcome is not None:
        row.update(requests=outcome.requests, bytes_downloaded=outcome.bytes_downloaded,
                   documents_new=outcome.documents_new, documents_unchanged=outcome.documents_unchanged,
                   documents_gone=outcome.documents_gone, fetch_errors=dict(outcome.fetch_errors))
        row.update({f"reports_{name}": outcome.count(name) for name in REPORT_STATUSES})
    return row


def unanswered_fetches(outcome: SiteOutcome) -> int:
    """Fetches that failed after every retry because the server did not answer (down, hung, 5xx).

    Permanent refusals (off-site redirects, too large, 4xx) are the site's shape, not a
    failure of this run; these are: the run missed documents it should retry.
    """
    return sum(count for reason, count in outcome.fetch_errors.items() if server_did_not_answer(reason))


def run_result(
    kind: str,
    run_id: int,
    statuses: Mapping[str, SiteCrawlStatus],
    outcomes: Mapping[str, SiteOutcome],
    site_ids: Sequence[str],
) -> dict[str, Any]:
    """The run's JSON-ready result: totals, per-site rows, and every report row."""
    sites = [site_summary(statuses.get(site_id), outcomes.get(site_id)) for site_id in site_ids]
    reports = [asdict(report) for outcome in outcomes.values() for report in outcome.reports]
    totals = {name: sum(1 for r in reports if r["status"] == name) for name in REPORT_STATUSES}
    totals.update(
        sites=len(sites), sites_failed=sum(1 for s in sites if not s["ok"]),
        requests=sum(o.requests for o in outcomes.values()),
        bytes_downloaded=sum(o.bytes_downloaded for o in outcomes.values()),
        documents_new=sum(o.documents_new for o in outcomes.values()),
    )
    from prefect.runtime import flow_run

    return {"kind": kind, "run_id": run_id, "flow_run_id": flow_run.id, "totals": totals,
            "sites": sites, "reports": reports}


def summary_markdown(title: str, result: Mapping[str, Any]) -> str:
    totals = result["totals"]
    lines = [
        f"# {title}", "",
        f"Sites: **{totals['sites']}** ({totals['sites_failed']} failed) · "
        f"reports new **{totals['new']}**, changed **{totals['changed']}**, "
        f"unchanged **{totals['unchanged']}**, parse failed **{totals['parse_failed']}**, "
        f"fetch failed **{totals['fetch_failed']}** · new documents {totals['documents_new']} · "
        f"requests {totals['requests']}, {totals['bytes_downloaded']:,} bytes", "",
        "| site | ok | pages | new | changed | unchanged | failed | failure |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for site in result["sites"]:
        failed = site.get("reports_parse_failed", 0) + site.get("reports_fetch_failed", 0)
        lines.append(
            f"| {site['site_id']} | {'yes' if site['ok'] else '**NO**'} | {site.get('pages_visited', '')} "
            f"| {site.get('reports_new', 0)} | {site.get('reports_changed', 0)} "
            f"| {site.get('reports_unchanged', 0)} | {failed} | {_cell(site['failure'])} |"
        )
    failures = [r for r in result["reports"] if r["status"] in ("parse_failed", "fetch_failed")]
    if failures:
        lines += ["", "## Report failures", "", "| site | report | reason |", "|---|---|---|"]
        lines += [f"| {r['site_id']} | [{_cell(r['title'] or r['source_url'])}]({r['source_url']}) "
                  f"| {_cell(r['detail'] or r['status'])} |" for r in failures[:MAX_MARKDOWN_ROWS]]
    return "\n".join(lines) + "\n"


def check_failure_rows(reports: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Reports recorded in this run whose arithmetic identities do not hold."""
    return [
        {"site": r["site_id"], "agency": r["agency"] or "", "year": r["year"] or "",
         "failed_checks": ", ".join(r["failed_checks"]), "url": r["source_url"]}
        for r in reports if r["failed_checks"] and r["status"] in ("new", "changed")
    ]


def publish_artifacts(kind: str, title: str, result: Mapping[str, Any]) -> None:
    """Create the run's artifacts (must be called inside a flow run)."""
    from prefect.artifacts import (
        create_link_artifact, create_markdown_artifact, create_table_artifact,
    )

    create_markdown_artifact(summary_markdown(title, result), key=f"{kind}-summary",
                             description=f"{title}: sites, reports, failures")
    rows = check_failure_rows(result["reports"])
    if rows:
        create_table_artifact(rows, key=f"{kind}-check-failures",
                              description="Reports whose arithmetic checks fail")
    changed = [r for r in result["reports"] if r["status"] in ("new", "changed")]
    for report in changed[:MAX_LINK_ARTIFACTS]:
        create_link_artifact(report["source_url"], link_text=report["title"] or report["source_url"],
                             description=f"{report['status']} report of {report['site_id']}")


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")[:200]

