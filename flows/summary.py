"""What a person needs after a run: per-site rows (failed sites first), the markdown summary.

The artifacts themselves are created in flows.artifacts; this module only shapes the
data: one row per site (discovery and fetch results), totals, and the report rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from flows.fetcher import server_did_not_answer
from flows.site_work import SiteOutcome
from storage.records import SiteCrawlStatus

MAX_MARKDOWN_ROWS = 50
REPORT_STATUSES = ("new", "changed", "unchanged", "parse_failed", "fetch_failed")


def years_text(by_year: Mapping[Any, int]) -> str:
    """`2021: 3, 2022: 4` (or `none`): year counts as a person reads them."""
    return ", ".join(f"{year}: {count}" for year, count in sorted(by_year.items())) or "none"


def discovery_warnings(status: SiteCrawlStatus) -> list[str]:
    """The crawler's warnings; older statuses carry them only in `detail` after the counts."""
    warnings = list(getattr(status, "warnings", ()) or ())
    return warnings or [part for part in status.detail.split("; ")[1:] if part]


def site_summary(status: SiteCrawlStatus | None, outcome: SiteOutcome | None) -> dict[str, Any]:
    """One site's row: crawl status and fetch/parse counts; failed if either stage failed."""
    site_id = (status or outcome).site_id  # type: ignore[union-attr]
    reasons = []
    if status is not None and not status.ok:
        reasons.append(f"discovery: {status.detail or 'crawl failed'}")
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
                   crawl_errors=dict(status.errors),
                   report_columns=list(getattr(status, "report_columns", ()) or ()),
                   warnings=discovery_warnings(status))
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
    """The run's JSON-ready result: totals, per-site rows (failed first), every report row."""
    sites = [site_summary(statuses.get(site_id), outcomes.get(site_id)) for site_id in site_ids]
    sites.sort(key=lambda site: site["ok"])  # stable: failed sites first, then registry order
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
    """The run's summary: totals, failed sites with reasons, every site's discovery and fetch."""
    totals = result["totals"]
    lines = [
        f"# {title}", "",
        f"Sites: **{totals['sites']}** (**{totals['sites_failed']} failed**) · "
        f"reports new **{totals['new']}**, changed **{totals['changed']}**, "
        f"unchanged **{totals['unchanged']}**, parse failed **{totals['parse_failed']}**, "
        f"fetch failed **{totals['fetch_failed']}** · new documents {totals['documents_new']} · "
        f"requests {totals['requests']}, {totals['bytes_downloaded']:,} bytes", "",
    ]
    failed = [site for site in result["sites"] if not site["ok"]]
    if failed:
        lines += [f"## Failed sites ({len(failed)} of {totals['sites']})", "", "| site | reason |", "|---|---|"]
        lines += [f"| **{site['site_id']}** | {_cell(site['failure'])} |" for site in failed]
        lines.append("")
    lines += ["## Sites", "",
              "| site | ok | pages | reports found by year | new | changed | unchanged | failed "
              "| warnings or failure | report columns |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    lines += [_site_line(site) for site in result["sites"]]
    failures = [r for r in result["reports"] if r["status"] in ("parse_failed", "fetch_failed")]
    if failures:
        lines += ["", "## Report failures", "", "| site | report | reason |", "|---|---|---|"]
        lines += [f"| {r['site_id']} | [{_cell(r['title'] or r['source_url'])}]({r['source_url']}) "
                  f"| {_cell(r['detail'] or r['status'])} |" for r in failures[:MAX_MARKDOWN_ROWS]]
    return "\n".join(lines) + "\n"


def _site_line(site: Mapping[str, Any]) -> str:
    failed = site.get("reports_parse_failed", 0) + site.get("reports_fetch_failed", 0)
    columns = site.get("report_columns", [])
    column_links = ", ".join(f"[{n}]({url})" for n, url in enumerate(columns, 1)) or "–"
    notes = site["failure"] if not site["ok"] else "; ".join(site.get("warnings", []))
    return (f"| {site['site_id']} | {'yes' if site['ok'] else '**NO**'} | {site.get('pages_visited', '')} "
            f"| {years_text(site.get('links_by_year', {}))} "
            f"| {site.get('reports_new', 0)} | {site.get('reports_changed', 0)} "
            f"| {site.get('reports_unchanged', 0)} | {failed} | {_cell(notes)} | {column_links} |")


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")[:200]
