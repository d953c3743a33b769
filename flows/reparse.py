"""The reparse flow: derive report records again from stored raw bytes, offline.

Used after a parser change. Every report's current derivation (its raw
versions) is parsed again with the installed parser; storage adds a report
version only when that (report, raw versions, parser version) is new.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from prefect import flow, get_run_logger
from prefect.task_runners import ThreadPoolTaskRunner

from flows.artifacts import publish_run_artifacts
from flows.crawl import collect_outcomes
from flows.run_names import run_name, run_title
from flows.summary import run_result
from flows.tasks import open_repository, reparse_site
from storage.config import Settings
from storage.refs import ReparseItem

REPARSE_CONCURRENCY = 2  # parsing is CPU-bound; more threads than cores only queue


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Order parser versions naturally: "1.10" after "1.9", digits before letters."""
    return tuple((int(part), "") if part.isdigit() else (-1, part)
                 for part in re.findall(r"\d+|[A-Za-z]+", version))


def select_items(
    items: list[ReparseItem], since_parser_version: str | None, installed_version: str
) -> list[ReparseItem]:
    """Reports not yet derived by the installed parser; with `since_parser_version`, only
    those last parsed by that version or a newer one (e.g. to redo a faulty release).

    Reports already derived by the installed parser are skipped: storage would
    refuse the identical derivation anyway, so parsing them is wasted time.
    """
    pending = [item for item in items if item.parser_version != installed_version]
    if since_parser_version is None:
        return pending
    floor = version_key(since_parser_version)
    return [item for item in pending if version_key(item.parser_version) >= floor]


def _reparse_name() -> str:
    return run_name("reparse")


@flow(name="reparse", flow_run_name=_reparse_name,
      task_runner=ThreadPoolTaskRunner(max_workers=REPARSE_CONCURRENCY))
def reparse(since_parser_version: str | None = None) -> dict[str, Any]:
    """Re-derive report versions from stored raw documents with the installed parser."""
    from parsers.version import PARSER_VERSION

    logger = get_run_logger()
    settings = Settings.from_env()
    repo = open_repository(settings)
    items = select_items(repo.reparse_items(), since_parser_version, PARSER_VERSION)
    run_id = repo.start_crawl_run("reparse", {"since_parser_version": since_parser_version,
                                              "parser_version": PARSER_VERSION})
    logger.info("reparse run %d: %d reports with parser %s", run_id, len(items), PARSER_VERSION)
    by_site: dict[str, list[ReparseItem]] = defaultdict(list)
    for item in items:
        by_site[item.site_id].append(item)
    try:
        futures = {site_id: reparse_site.submit(site_id, site_items, settings)
                   for site_id, site_items in by_site.items()}
        outcomes = collect_outcomes(futures, "reparse")
        result = run_result("reparse", run_id, {}, outcomes, list(by_site))
        publish_run_artifacts("reparse", f"{run_title('reparse', run_id)}, parser {PARSER_VERSION}",
                              result, repo.current_check_failures())
    except BaseException as exc:
        repo.finish_crawl_run(run_id, "failed", {"error": f"{type(exc).__name__}: {exc}"})
        raise
    repo.finish_crawl_run(run_id, "completed", {"totals": result["totals"]})
    return result
