"""What the CLI shows a person: a spinner while a run works, tables when it is done."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

stdout = Console()
stderr = Console(stderr=True)
SiteListener = Callable[[str, int, int], None]  # (site_id, sites done, sites in the run)
_site_listeners: list[SiteListener] = []


def site_done(site_id: str, done: int, total: int) -> None:
    """Called by the flows as each site finishes; drives any progress bar shown."""
    for listener in list(_site_listeners):
        listener(site_id, done, total)


@contextmanager
def site_progress(message: str) -> Iterator[None]:
    """A sites-done progress bar on stderr while a run works (silent off a terminal)."""
    if not stderr.is_terminal:
        yield
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True) as bar:
        task = bar.add_task(message, total=None)

        def advance(site_id: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"{message} (last: {site_id})")

        _site_listeners.append(advance)
        try:
            yield
        finally:
            _site_listeners.remove(advance)


def print_run_result(result: Mapping[str, Any]) -> None:
    """Per-site table and totals of a crawl, backfill or reparse run."""
    totals = result["totals"]
    table = Table(title=f"{result['kind']} run {result['run_id']}")
    for column in ("site", "ok", "new", "changed", "unchanged", "failed", "failure"):
        table.add_column(column, overflow="fold")
    for site in result["sites"]:
        failed = site.get("reports_parse_failed", 0) + site.get("reports_fetch_failed", 0)
        table.add_row(site["site_id"], "yes" if site["ok"] else "[red]NO[/red]",
                      str(site.get("reports_new", 0)), str(site.get("reports_changed", 0)),
                      str(site.get("reports_unchanged", 0)), str(failed), site["failure"])
    stdout.print(table)
    stdout.print(
        f"reports: {totals['new']} new, {totals['changed']} changed, {totals['unchanged']} unchanged, "
        f"{totals['parse_failed']} parse failed, {totals['fetch_failed']} fetch failed; "
        f"sites failed: {totals['sites_failed']} of {totals['sites']}"
    )


def _minute(timestamp: str | None) -> str:
    """ISO timestamp to 'YYYY-MM-DD HH:MM:SS' (UTC), the width a terminal table can show."""
    return timestamp[:19].replace("T", " ") if timestamp else ""


def print_status(summary: Mapping[str, Any]) -> None:
    counts = Table(title="stored")
    counts.add_column("what")
    counts.add_column("count", justify="right")
    for key in ("sites", "links", "links_gone", "raw_versions", "blobs", "fetch_events",
                "reports", "report_versions", "checks_failing_reports"):
        counts.add_row(key.replace("_", " "), str(summary.get(key, 0)))
    stdout.print(counts)
    by_year = summary.get("reports_by_year_and_format", [])
    if by_year:
        versions = sorted({row["format_version"] for row in by_year})
        years = Table(title="current reports by year and format")
        years.add_column("year")
        for version in versions:
            years.add_column(version, justify="right")
        cells = {(row["year"], row["format_version"]): row["reports"] for row in by_year}
        for year in sorted({row["year"] for row in by_year}, key=lambda y: (y is None, y)):
            years.add_row(str(year or "unknown"), *(str(cells.get((year, v), "")) for v in versions))
        stdout.print(years)
    failures = summary.get("parse_failures", {})
    if failures:
        stdout.print("parse failures: " + ", ".join(f"{reason} {n}" for reason, n in sorted(failures.items())))
    runs = Table(title="last runs")
    for column in ("id", "kind", "status", "started", "finished"):
        runs.add_column(column)
    for run in summary.get("last_runs", []):
        runs.add_row(str(run["id"]), run["kind"], str(run["status"]), _minute(run["started_at"]),
                     _minute(run["finished_at"]))
    stdout.print(runs if summary.get("last_runs") else "no runs yet")
    failing = summary.get("failing_sites", [])
    if failing:
        stdout.print("[red]failing sites:[/red] " + ", ".join(
            f"{site['site_id']} ({site['detail']})" for site in failing))
    else:
        stdout.print("failing sites: none")
