"""The `nianbao` command line: crawl, backfill, reparse, export, parse, status, demo.

Errors a user can cause (bad registry, unknown site, bad database URL, missing
file) print one line on stderr and exit 2; a run that fails as a whole exits 1.
Prefect runs ephemerally unless PREFECT_API_URL points at a server. Heavy
imports (Prefect, Scrapy, parsers) happen inside the commands that need them.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional, TypeVar

import typer

from flows.cli_errors import database_failure, run_one_line_usage
from flows.running import RunFailedError, run_flow, set_prefect_defaults
from storage.config import validate_environment
from storage.errors import UserError
from storage.paths import folder_problem

USER_ERROR_EXIT = 2
RUN_FAILED_EXIT = 1
MIN_YEAR, MAX_YEAR = 1900, 2200  # report years; beyond them a year is a typo (and overflows SQL)
app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_show_locals=False,
                  help="Collect government information-disclosure annual reports (年报) as data.")
F = TypeVar("F", bound=Callable[..., Any])


def one_line_errors(command: F) -> F:
    """User errors become one stderr line and exit 2; failed runs exit 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except UserError as exc:
            typer.echo(f"nianbao: error: {exc}", err=True)
            raise typer.Exit(USER_ERROR_EXIT) from None
        except RunFailedError as exc:
            typer.echo(f"nianbao: {exc}", err=True)
            raise typer.Exit(RUN_FAILED_EXIT) from None
        except Exception as exc:
            reason = database_failure(exc)
            if reason is None:
                raise
            typer.echo(f"nianbao: error: {reason}", err=True)
            raise typer.Exit(USER_ERROR_EXIT) from None

    return wrapper  # type: ignore[return-value]


def _open_repository() -> Any:
    from storage.repository import Repository

    return Repository.open()


def _check_crawl_inputs(sites_file: Optional[Path], site_ids: Optional[list[str]]) -> None:
    """Fail fast, before Prefect starts, on a bad registry, site id, NIANBAO_* value or database."""
    from crawlers.registry import load_registry
    from flows.crawl import select_sites

    validate_environment()
    select_sites(load_registry(sites_file), site_ids)
    _open_repository().close()


SitesOption = typer.Option(None, "--sites", help="Site registry YAML file or folder.")
SiteOption = typer.Option(None, "--site", help="Only this site id (repeatable).")


@app.command()
@one_line_errors
def crawl(
    sites: Optional[Path] = SitesOption,
    site: Optional[list[str]] = SiteOption,
    refresh_all: bool = typer.Option(False, "--refresh-all", help="Check every known document, not only those due."),
) -> None:
    """Run one nightly crawl now: discover, fetch, parse and store new or changed reports."""
    _check_crawl_inputs(sites, site)
    from flows.crawl import nightly_crawl
    from flows.progress import print_run_result

    result = run_flow(nightly_crawl, sites_file=str(sites) if sites else None, site_ids=site or None,
                      refresh_all=refresh_all)
    print_run_result(result)


@app.command()
@one_line_errors
def backfill(
    years: str = typer.Option(..., "--years", help="Report years, e.g. 2015-2020 or 2019,2021."),
    sites: Optional[Path] = SitesOption,
    site: Optional[list[str]] = SiteOption,
) -> None:
    """Crawl for older reports of the given years, with the same code as the nightly run."""
    from flows.years import parse_years

    parse_years(years)
    _check_crawl_inputs(sites, site)
    from flows.crawl import backfill as backfill_flow
    from flows.progress import print_run_result

    result = run_flow(backfill_flow, years=years, sites_file=str(sites) if sites else None,
                      site_ids=site or None)
    print_run_result(result)


@app.command()
@one_line_errors
def reparse(
    since_parser: Optional[str] = typer.Option(
        None, "--since-parser", help="Only reports last parsed by this parser version or newer."),
) -> None:
    """Re-derive records from stored raw documents with the installed parser (offline)."""
    _open_repository().close()
    from flows.progress import print_run_result
    from flows.reparse import reparse as reparse_flow

    print_run_result(run_flow(reparse_flow, since_parser_version=since_parser))


@app.command()
@one_line_errors
def export(
    format: str = typer.Option(..., "--format", help="jsonl, csv or parquet."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output file (default: stdout; Parquet needs it)."),
    year: Optional[int] = typer.Option(None, "--year", min=MIN_YEAR, max=MAX_YEAR,
                                       help="Only reports of this year."),
    site: Optional[str] = typer.Option(None, "--site", help="Only reports of this site id."),
    all_versions: bool = typer.Option(False, "--all-versions", help="Every version, not only the current one."),
    partition_by: Optional[str] = typer.Option(
        None, "--partition-by", help="Parquet only: write Hive-style year=YYYY/ folders under --out (a folder)."),
) -> None:
    """Write the stored reports as JSONL, CSV or Parquet."""
    from storage.export import write_export

    repo = _open_repository()
    try:
        count = write_export(repo, format, out, year=year, site_id=site, all_versions=all_versions,
                             partition_by=partition_by)
    finally:
        repo.close()
    typer.echo(f"{count} records written to {out or 'stdout'}", err=True)


@app.command()
@one_line_errors
def parse(files: list[Path] = typer.Argument(..., help="Local report documents.")) -> None:
    """Parse local documents without storing them; one JSON object per file.
    Exits 1 if any file failed (its object's `failure` says why)."""
    from flows.parse_output import parse_local_file

    failed = 0
    for file in files:
        record = parse_local_file(str(file))
        typer.echo(json.dumps(record, ensure_ascii=False))
        if record["failure"] is not None:
            failed += 1
            typer.echo(f"nianbao: {file}: {record['failure']['reason']}: {record['failure']['detail']}", err=True)
    if failed:
        raise typer.Exit(RUN_FAILED_EXIT)


@app.command()
@one_line_errors
def status(as_json: bool = typer.Option(False, "--json", help="Print the raw summary as JSON.")) -> None:
    """Show stored counts, the last runs and the failing sites."""
    from flows.progress import print_status

    repo = _open_repository()
    try:
        summary = repo.status_summary()
    finally:
        repo.close()
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    else:
        print_status(summary)


@app.command()
@one_line_errors
def coverage(
    site: Optional[list[str]] = SiteOption,
    years: Optional[str] = typer.Option(None, "--years", help="Only these statistics years, e.g. 2019-2025."),
    format: str = typer.Option("table", "--format", help="table, jsonl, csv, parquet or html (the matrix)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output file (default: stdout; Parquet needs it)."),
    today: Optional[str] = typer.Option(None, "--today", help="Judge deadlines as of this date (YYYY-MM-DD)."),
) -> None:
    """Which expected reports are found, missing, withdrawn, late or replaced (the coverage grid)."""
    from flows.years import parse_years
    from storage.coverage_output import read_coverage, write_coverage

    chosen_years = parse_years(years) if years else None
    as_of = _parse_date(today) if today else None
    repo = _open_repository()
    try:
        rows = read_coverage(repo, as_of, site_ids=site or None, years=chosen_years)
        write_coverage(rows, format, out)
    finally:
        repo.close()
    typer.echo(f"{len(rows)} coverage rows written to {out or 'stdout'}", err=True)


def _parse_date(text: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--today {text!r} is not a date; write it as YYYY-MM-DD") from None


@app.command()
@one_line_errors
def demo(
    data_dir: Path = typer.Option(Path("demo-data"), "--data-dir", help="Fresh folder for the demo's records."),
    again: bool = typer.Option(False, "--again", help="Crawl again into the last demo's folder: a quiet night."),
) -> None:
    """Crawl the bundled fake gov.cn web (loopback only) into a fresh data folder."""
    from flows.demo import run_demo

    problem = folder_problem(data_dir)
    if problem:
        raise UserError(f"--data-dir {data_dir} {problem}")
    validate_environment()
    set_prefect_defaults()
    run_demo(data_dir, again=again)


def main() -> None:
    """Console-script entry point (`nianbao`); usage errors are one line, as any user error."""
    set_prefect_defaults()
    sys.exit(run_one_line_usage(app, "nianbao", USER_ERROR_EXIT))


if __name__ == "__main__":
    sys.exit(main())
