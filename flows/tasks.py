"""Prefect tasks: one per batch of sites (crawl) or per site (fetch/parse, reparse).

Never a task per URL: a task run costs tens of milliseconds and a database row
on the Prefect server. Each task takes plain data, opens storage itself and can
be re-run without duplicating anything, because storage enforces uniqueness.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import replace

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from common.settings import env_settings
from crawlers.browser_cookies import read_browser_cookies
from crawlers.registry import SiteConfig
from flows.fetcher import Fetcher, FetchLimits, header_charset
from flows.reports import StoredDocument
from flows.site_work import (
    DerivationKey, ReportOutcome, SiteOutcome, crash_detail, fetch_site, record_parsed_group,
)
from flows.summary import years_text
from storage.config import Settings, crawl_delay_override, request_timeout_override
from storage.records import SiteCrawlStatus, utcnow
from storage.refs import ReparseItem
from storage.repository import Repository

CRAWL_TIMEOUT_SECONDS = 4 * 3600  # a hung crawl child fails its batch instead of the night
_repositories: dict[tuple[str, str], Repository] = {}
_repositories_lock = threading.Lock()


def open_repository(settings: Settings) -> Repository:
    """One Repository per storage location and process (engines are thread-safe)."""
    key = (settings.database_url, settings.blob_url)
    with _repositories_lock:
        if key not in _repositories:
            _repositories[key] = Repository.open(settings.database_url, settings.blob_url)
        return _repositories[key]


def close_repositories() -> None:
    with _repositories_lock:
        for repo in _repositories.values():
            repo.close()
        _repositories.clear()


def fetch_limits() -> FetchLimits:
    """The fetcher's limits, with NIANBAO_CRAWL_DELAY / NIANBAO_REQUEST_TIMEOUT applied if set."""
    limits = FetchLimits()
    delay = crawl_delay_override()
    if delay is not None:
        # Backoff before a retry follows the politeness delay, as in the crawler: without
        # this a dead server costs every remaining link seconds of waiting even in tests.
        limits = replace(limits, delay_seconds=delay, backoff_seconds=2.0 * delay)
    timeout = request_timeout_override()
    if timeout is not None:
        limits = replace(limits, connect_timeout=timeout, read_timeout=timeout)
    return limits


def scrapy_overrides() -> dict[str, object]:
    """Scrapy settings from NIANBAO_CRAWL_DELAY / NIANBAO_REQUEST_TIMEOUT (the child inherits none)."""
    overrides: dict[str, object] = {}
    delay = crawl_delay_override()
    if delay is not None:
        overrides["DOWNLOAD_DELAY"] = delay
    timeout = request_timeout_override()
    if timeout is not None:
        overrides["DOWNLOAD_TIMEOUT"] = timeout
    return overrides


@task(name="crawl", task_run_name="crawl-{label}", cache_policy=NO_CACHE, persist_result=False)
def crawl_batch(
    sites: list[SiteConfig],
    label: str,
    mode: str,
    years: list[int] | None,
    run_id: int,
    settings: Settings,
) -> dict[str, SiteCrawlStatus]:
    """Discover report links of a batch of sites (Scrapy in a child process)."""
    from crawlers.run import crawl_sites  # imports Scrapy; only crawl runs need it

    logger = get_run_logger()
    # Scrapy's own log is long (every request); it goes to a file, the summary to Prefect.
    log_file = settings.log_dir / f"crawl-run{run_id}-{label}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    logger.info("crawling %s; Scrapy log: %s", label, log_file)
    try:
        statuses = crawl_sites(
            sites, mode=mode, years=years, database_url=settings.database_url,
            blob_url=settings.blob_url, run_id=run_id,
            settings_overrides={**scrapy_overrides(), "LOG_FILE": str(log_file)},
            timeout=CRAWL_TIMEOUT_SECONDS,
        )
    except Exception as exc:  # a crashed crawl fails its own sites, never the run
        logger.exception("crawl of %s crashed; see %s", label, log_file)
        detail = f"crawl crashed: {type(exc).__name__}: {exc}"
        return {site.id: SiteCrawlStatus(site.id, ok=False, detail=detail) for site in sites}
    missing = [site.id for site in sites if site.id not in statuses]
    for site_id in missing:
        statuses[site_id] = SiteCrawlStatus(site_id, ok=False, detail="crawler returned no status")
    for status in statuses.values():
        logger.log(logging.INFO if status.ok else logging.WARNING,
                   "crawled %s: %d pages, reports by year %s%s", status.site_id, status.pages_visited,
                   years_text(status.reports_by_year), "" if status.ok else f" (FAILED: {status.detail})")
    return statuses


@task(name="fetch", task_run_name="fetch-{site.id}", cache_policy=NO_CACHE, persist_result=False)
def fetch_and_parse_site(
    site: SiteConfig,
    years: list[int] | None,
    settings: Settings,
    parser_version: str,
    current: set[DerivationKey],
    refresh_all: bool = False,
) -> SiteOutcome:
    """Fetch a site's known report documents that are due, store them, parse what changed."""
    logger = get_run_logger()
    repo = open_repository(settings)
    # Nightly runs check what the refresh policy says is due; backfills check everything.
    refresh_all = refresh_all or env_settings().refresh_all
    due_by = None if years is not None or refresh_all else utcnow()
    links = repo.links_to_fetch(site_ids=[site.id], years=years, due_by=due_by)
    logger.info("fetching %d documents of %s", len(links), site.id)
    cookies = read_browser_cookies(settings.log_dir, site.id)
    with Fetcher(replace(fetch_limits(), allow_private=site.allow_private), cookies=cookies) as fetcher:
        outcome = fetch_site(repo, fetcher, site.id, site.allowed_domains, links,
                             parser_version, current, logger)
    logger.info(
        "%s: %d new documents, %d unchanged, %d gone; reports %d new, %d changed, %d failed",
        site.id, outcome.documents_new, outcome.documents_unchanged, outcome.documents_gone,
        outcome.count("new"), outcome.count("changed"), outcome.count("parse_failed"),
    )
    return outcome


@task(name="reparse", task_run_name="reparse-{site_id}", cache_policy=NO_CACHE, persist_result=False)
def reparse_site(site_id: str, items: Sequence[ReparseItem], settings: Settings) -> SiteOutcome:
    """Derive the site's reports again from stored raw bytes (no network)."""
    logger = get_run_logger()
    repo = open_repository(settings)
    outcome = SiteOutcome(site_id)
    for item in items:
        try:
            row = _reparse_item(repo, item)
        except Exception as exc:  # one document's parser crash must not hide the others
            logger.exception("reparsing %s crashed", item.source_url)
            row = ReportOutcome(site_id, item.source_url, item.title, "parse_failed",
                                detail=crash_detail(exc))
        outcome.reports.append(row)
    logger.info("%s: %d reports re-derived, %d unchanged", site_id,
                outcome.count("new") + outcome.count("changed"), outcome.count("unchanged"))
    return outcome


def _reparse_item(repo: Repository, item: ReparseItem) -> ReportOutcome:
    documents = [
        StoredDocument(raw, repo.read_blob(raw.sha256), item.title, header_charset(raw.content_type))
        for raw in item.raw_versions
    ]
    page = next((doc for doc in documents if doc.raw.url == item.source_url), None)
    attachments = [doc for doc in documents if doc is not page]
    return record_parsed_group(repo, item.site_id, item.source_url, item.title, page, attachments,
                               year_hint=item.report_year, agency_hint=item.agency_name)
