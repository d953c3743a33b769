"""The nightly crawl and backfill flows: discover → fetch → parse → store → summarise.

Both run the same code; backfill only asks the crawler for older years and
fetches the links of those years. Sites are crawled in batches (one Scrapy
child process per batch) and fetched one task per site, a few at a time. A
failing site is reported, red and first, in the summary, and in the run's state message,
tag and events (flows.run_verdict); the run fails only when no site succeeded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from prefect import flow, get_run_logger
from prefect.futures import as_completed
from prefect.runtime import flow_run
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from crawlers.registry import SiteConfig, load_registry, to_site_record
from flows.artifacts import publish_run_artifacts
from flows.coverage_artifacts import publish_coverage_artifacts
from flows.progress import site_done
from flows.run_names import run_name, run_title
from flows.run_progress import RunProgress
from flows.run_verdict import announce_failures, completed_state, state_message
from flows.site_work import SiteOutcome
from flows.summary import run_result
from flows.tasks import crawl_batch, fetch_and_parse_site, open_repository
from flows.years import YEARS_PARAMETER, Years, parse_years, years_span
from storage.config import Settings
from storage.errors import UserError
from storage.records import SiteCrawlStatus

SITE_CONCURRENCY = 4  # fetch tasks at once; each site is polite on its own domain
CRAWL_BATCH_SIZE = 25  # sites per Scrapy process; Scrapy runs a batch's domains in parallel


class RunFailed(Exception):
    """No site of the run succeeded."""


def select_sites(sites: Sequence[SiteConfig], site_ids: Sequence[str] | None) -> list[SiteConfig]:
    """The enabled sites, or exactly the named ones (named disabled sites run too)."""
    if not site_ids:
        return [site for site in sites if site.enabled]
    by_id = {site.id: site for site in sites}
    unknown = [site_id for site_id in site_ids if site_id not in by_id]
    if unknown:
        raise UserError(f"unknown site id(s): {', '.join(unknown)} (see the site registry for valid ids)")
    return [by_id[site_id] for site_id in dict.fromkeys(site_ids)]


def _nightly_name() -> str:
    return run_name("nightly")


def _backfill_name() -> str:
    """Never fails: a refused `years` value is reported by the run itself, not a crash here."""
    try:
        span = years_span(parse_years(flow_run.parameters.get("years", "")))
    except UserError:
        span = "refused"
    return run_name("backfill", span)


@flow(name="nightly-crawl", flow_run_name=_nightly_name,
      task_runner=ThreadPoolTaskRunner(max_workers=SITE_CONCURRENCY))
def nightly_crawl(
    sites_file: str | None = None, site_ids: list[str] | None = None, refresh_all: bool = False
) -> dict[str, Any]:
    """Crawl every site for new or changed reports and store them.

    Known documents are checked by the refresh policy; `refresh_all` checks every one.
    """
    return run_crawl("nightly", sites_file, site_ids, years=None, refresh_all=refresh_all)


@flow(name="backfill", flow_run_name=_backfill_name,
      task_runner=ThreadPoolTaskRunner(max_workers=SITE_CONCURRENCY))
def backfill(
    years: Years = YEARS_PARAMETER, sites_file: str | None = None, site_ids: list[str] | None = None
) -> dict[str, Any]:
    """Crawl the sites for reports of the given years ("2015-2020", 2019, "2019,2021" or a list).

    A bad `years` value fails the run before anything is crawled, with the reason as
    its one-line state message.
    """
    try:
        chosen = parse_years(years)
    except UserError as exc:
        get_run_logger().error("refused years %r: %s", years, exc)
        return Failed(message=f"refused years {years!r}: {exc}", data=exc)  # type: ignore[return-value]
    return run_crawl("backfill", sites_file, site_ids, years=chosen)  # type: ignore[return-value]


def run_crawl(
    kind: str, sites_file: str | None, site_ids: Sequence[str] | None, years: list[int] | None,
    refresh_all: bool = False,
) -> State:
    """The body both flows share (call inside a flow run); its final state carries the result."""
    logger = get_run_logger()
    settings = Settings.from_env()
    sites = select_sites(load_registry(sites_file), site_ids)
    repo = open_repository(settings)
    repo.upsert_sites(to_site_record(site) for site in sites)
    run_id = repo.start_crawl_run(kind, {"sites_file": sites_file, "site_ids": list(site_ids or []),
                                         "years": years})
    logger.info("%s run %d: %d sites%s", kind, run_id, len(sites),
                f", years {years_span(years)}" if years else "")
    try:
        statuses, outcomes = crawl_and_fetch(sites, kind, years, run_id, settings, refresh_all)
        result = run_result(kind, run_id, statuses, outcomes, [site.id for site in sites])
        for site in result["sites"]:
            repo.record_site_status(run_id, _stored_status(site, statuses.get(site["site_id"])))
        publish_run_artifacts(kind, run_title(kind, run_id), result, repo.current_check_failures())
        announce_failures(kind, result, logger)
        publish_coverage_artifacts(repo, run_id)
    except BaseException as exc:
        repo.finish_crawl_run(run_id, "failed", {"error": f"{type(exc).__name__}: {exc}"})
        raise
    failed_all = bool(sites) and result["totals"]["sites_failed"] == len(sites)
    repo.finish_crawl_run(run_id, "failed" if failed_all else "completed",
                          {"totals": result["totals"], "sites": result["sites"]})
    if failed_all:
        error = RunFailed(f"all {len(sites)} sites failed; see the {kind}-summary artifact")
        return Failed(message=state_message(result), data=error)
    return completed_state(result)


def crawl_and_fetch(
    sites: Sequence[SiteConfig], kind: str, years: list[int] | None, run_id: int, settings: Settings,
    refresh_all: bool = False,
) -> tuple[dict[str, SiteCrawlStatus], dict[str, SiteOutcome]]:
    """Crawl batches concurrently; start a batch's fetch tasks as soon as it is discovered."""
    from parsers.version import PARSER_VERSION

    derivations = open_repository(settings).derivations()
    progress = RunProgress(kind, ("discovery", "fetch"), len(sites)).start()
    batches = _batches(sites)
    crawl_futures = {
        crawl_batch.with_options(task_run_name=batch_task_name(batch)).submit(
            batch, _label(batch), kind, years, run_id, settings): batch
        for batch in batches
    }
    statuses: dict[str, SiteCrawlStatus] = {}
    fetch_futures = {}
    for future in as_completed(list(crawl_futures)):
        batch = crawl_futures[future]
        statuses.update(_batch_statuses(batch, future.result(raise_on_failure=False)))
        progress.advance("discovery", len(batch))
        for site in batch:
            fetch_futures[site.id] = fetch_and_parse_site.submit(
                site, years, settings, PARSER_VERSION, derivations.get(site.id, set()), refresh_all)
    return statuses, collect_outcomes(fetch_futures, "fetch", progress)


def collect_outcomes(
    futures: dict[str, Any], stage: str, progress: RunProgress | None = None
) -> dict[str, SiteOutcome]:
    """Each site's outcome as its task ends (a crashed task is that site's failure only).

    Without `progress`, the run has this one stage and gets a `<stage>-progress` artifact.
    """
    site_of = {future: site_id for site_id, future in futures.items()}
    progress = progress or RunProgress(stage, (stage,), len(site_of)).start()
    outcomes: dict[str, SiteOutcome] = {}
    for future in as_completed(list(site_of)):
        site_id = site_of[future]
        outcome = future.result(raise_on_failure=False)
        if not isinstance(outcome, SiteOutcome):
            outcome = SiteOutcome(site_id, error=f"{stage} task failed: {outcome}")
        outcomes[site_id] = outcome
        progress.advance(stage)
        site_done(site_id, len(outcomes), len(site_of))
    return {site_id: outcomes[site_id] for site_id in futures}


def _batches(sites: Sequence[SiteConfig]) -> list[list[SiteConfig]]:
    count = max(1, math.ceil(len(sites) / CRAWL_BATCH_SIZE))
    size = math.ceil(len(sites) / count) if sites else 0
    return [list(sites[i:i + size]) for i in range(0, len(sites), size)] if sites else []


def _label(batch: Sequence[SiteConfig]) -> str:
    """Short, for the batch's Scrapy log file name."""
    return batch[0].id if len(batch) == 1 else f"{batch[0].id}-and-{len(batch) - 1}-more"


def batch_task_name(batch: Sequence[SiteConfig]) -> str:
    """`crawl-liaocheng,jinan,…`: the task's name says every site it discovers."""
    return "crawl-" + ",".join(site.id for site in batch)


def _batch_statuses(batch: Sequence[SiteConfig], result: object) -> dict[str, SiteCrawlStatus]:
    if isinstance(result, dict):
        return result
    detail = f"crawl task failed: {result}"
    return {site.id: SiteCrawlStatus(site.id, ok=False, detail=detail) for site in batch}


def _stored_status(site: dict[str, Any], crawl: SiteCrawlStatus | None) -> SiteCrawlStatus:
    """The crawler's status with the fetch stage's verdict folded in."""
    errors = dict(crawl.errors) if crawl else {}
    for reason, count in site.get("fetch_errors", {}).items():
        errors[f"fetch:{reason}"] = errors.get(f"fetch:{reason}", 0) + count
    if crawl is None:
        return SiteCrawlStatus(site_id=site["site_id"], errors=errors, ok=site["ok"], detail=site["failure"])
    return replace(crawl, errors=errors, ok=site["ok"], detail=site["failure"])
