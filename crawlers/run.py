"""Run a crawl of some sites in a child process and return each site's status.

Twisted's reactor cannot restart inside one process, and a Prefect worker calls
crawls many times, so `crawl_sites` starts `python -m crawlers.run JOB.json`
and reads the statuses the child writes. The child inherits the environment
(HTTP_PROXY, NO_PROXY, NIANBAO_*).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from crawlers.pipelines import read_statuses
from crawlers.registry import SiteConfig, site_from_dict, site_to_dict, to_site_record
from storage.errors import UserError
from storage.records import SiteCrawlStatus

MODES = ("nightly", "backfill")
_PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The spider closes itself this long before the child is killed, to write what it found.
CLOSE_MARGIN_SHARE = 0.1
CLOSE_MARGIN_MAX_SECONDS = 600.0


def spider_time_limit(timeout: float) -> float:
    """Seconds after its start by which a child killed after `timeout` seconds must close its spider."""
    margin = min(CLOSE_MARGIN_MAX_SECONDS, max(10.0, timeout * CLOSE_MARGIN_SHARE))
    return max(1.0, timeout - margin)


def crawl_sites(
    sites: list[SiteConfig],
    *,
    mode: str = "nightly",
    years: list[int] | None = None,
    database_url: str | None = None,
    blob_url: str | None = None,
    run_id: int | None = None,
    settings_overrides: dict | None = None,
    timeout: float | None = None,
) -> dict[str, SiteCrawlStatus]:
    """Crawl the enabled `sites` once and return {site_id: status} (disabled ones: not crawled).

    nightly: stop paging a list at the first page holding only known reports.
    backfill: page until entries are older than the earliest of `years`; record only those years.
    Without `run_id`, the crawl starts and finishes its own crawl run in storage.
    """
    if mode not in MODES:
        raise UserError(f"unknown crawl mode {mode!r}: use one of {', '.join(MODES)}")
    enabled = [site for site in sites if site.enabled]
    skipped = {
        site.id: SiteCrawlStatus(site.id, ok=True, detail="disabled in the registry; not crawled")
        for site in sites if not site.enabled
    }
    if not enabled:
        return skipped
    # The pid in the name lets the next run remove this folder if we are killed.
    with tempfile.TemporaryDirectory(prefix=f"nianbao-crawl-{os.getpid()}-") as tmp:
        job_path, status_path = Path(tmp) / "job.json", Path(tmp) / "status.json"
        job = {
            "sites": [site_to_dict(site) for site in enabled], "mode": mode,
            "years": sorted(years) if years else None, "database_url": database_url, "blob_url": blob_url,
            "run_id": run_id, "settings_overrides": dict(settings_overrides or {}), "status_path": str(status_path),
        }
        if timeout:  # the spider stops (and writes its links and statuses) before the kill
            job["close_by"] = time.time() + spider_time_limit(timeout)
        job_path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_PROJECT_ROOT), env.get("PYTHONPATH")) if p)
        try:
            # A session of its own: a terminal's Ctrl-C reaches only us, and we end the child
            # after recording the interruption; it also dies with us (PR_SET_PDEATHSIG).
            completed = subprocess.run(
                [sys.executable, "-m", "crawlers.run", str(job_path)], env=env, timeout=timeout, check=False,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            if not status_path.exists():
                raise
            return _killed_at_time_limit(read_statuses(status_path)) | skipped
        if completed.returncode != 0 or not status_path.exists():
            log = (settings_overrides or {}).get("LOG_FILE") or "its output above"
            raise RuntimeError(f"crawl child process failed (exit code {completed.returncode}); see {log}")
        return read_statuses(status_path) | skipped


def _killed_at_time_limit(statuses: dict[str, SiteCrawlStatus]) -> dict[str, SiteCrawlStatus]:
    """The statuses a killed child wrote as it went, marked as cut short (its links are stored)."""
    note = "crawl killed at its time limit; the links written until then are stored"
    return {site_id: replace(status, ok=False, detail="; ".join(p for p in (status.detail, note) if p))
            for site_id, status in statuses.items()}


def _die_with_parent() -> None:
    """Child side: on Linux, be killed when the process that started us dies (even by SIGKILL)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before the line above
            os._exit(1)


def _run_job(job: dict[str, Any]) -> None:
    """Child side: open storage, load known links, run the spider, record the run."""
    from scrapy.crawler import CrawlerProcess

    from crawlers.settings import crawl_settings
    from crawlers.spiders.report_spider import ReportSpider
    from storage.config import Settings
    from storage.repository import Repository

    sites = [site_from_dict(data) for data in job["sites"]]
    repo = Repository.open(database_url=job["database_url"], blob_url=job["blob_url"])
    repo.upsert_sites([to_site_record(site) for site in sites])
    run_id = job["run_id"]
    own_run = run_id is None
    if own_run:
        run_id = repo.start_crawl_run(job["mode"], {"sites": [s.id for s in sites], "years": job["years"]})
    known = {site.id: repo.known_link_urls(site.id) for site in sites} if job["mode"] == "nightly" else {}
    settings = crawl_settings(job["settings_overrides"])
    if job.get("close_by"):  # counted from the parent's start: imports and migrations took some
        settings["CLOSESPIDER_TIMEOUT"] = max(1.0, job["close_by"] - time.time())
    settings.update(
        NIANBAO_DATABASE_URL=job["database_url"],
        NIANBAO_BLOB_URL=job["blob_url"],
        NIANBAO_RUN_ID=run_id,
        NIANBAO_STATUS_PATH=job["status_path"],
        NIANBAO_BROWSER_COOKIE_DIR=str(Settings.from_env().log_dir),
    )
    process = CrawlerProcess(settings)
    process.crawl(ReportSpider, sites=sites, mode=job["mode"], years=job["years"], known_urls=known)
    process.start()
    if own_run:
        statuses = read_statuses(Path(job["status_path"]))
        summary = {
            "sites": len(statuses),
            "failing_sites": sorted(s for s, st in statuses.items() if not st.ok),
            "reports": sum(sum(st.reports_by_year.values()) for st in statuses.values()),
        }
        repo.finish_crawl_run(run_id, "completed", summary)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m crawlers.run JOB.json (written by crawlers.run.crawl_sites)", file=sys.stderr)
        return 2
    _die_with_parent()
    _run_job(json.loads(Path(args[0]).read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
