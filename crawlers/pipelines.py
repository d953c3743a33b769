"""Item pipeline: write discovered links to storage in batches, once per URL, and the site statuses.

Links and statuses are written as the crawl goes (a batch is full, or
NIANBAO_FLUSH_SECONDS passed), not only at the end, so a crawl stopped at its
time limit, or killed, keeps what it found.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler

from storage.records import DiscoveredLink, SiteCrawlStatus
from storage.repository import Repository

TIMEOUT_NOTE = "crawl stopped at its time limit; the links found until then are stored"


class StoragePipeline:
    """Links through Repository.record_links; statuses through record_site_status and a JSON file."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.database_url: str | None = settings.get("NIANBAO_DATABASE_URL")
        self.blob_url: str | None = settings.get("NIANBAO_BLOB_URL")
        self.run_id: int | None = settings.getint("NIANBAO_RUN_ID") or None
        self.status_path: str | None = settings.get("NIANBAO_STATUS_PATH")
        self.batch_size = settings.getint("NIANBAO_LINK_BATCH", 200)
        self.flush_seconds = settings.getfloat("NIANBAO_FLUSH_SECONDS", 30.0)
        self._last_flush = self._opened_at = time.monotonic()
        self.time_limit = settings.getfloat("CLOSESPIDER_TIMEOUT", 0.0)
        self.repo: Repository | None = None
        self._pending: list[DiscoveredLink] = []
        self._written: set[str] = set()
        self._pages: set[str] = set()
        self._listed_documents: dict[str, DiscoveredLink] = {}
        self.new_links = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoragePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self._opened_at = time.monotonic()
        self.repo = Repository.open(database_url=self.database_url, blob_url=self.blob_url)
        self._write_statuses()  # a child killed before its first batch still leaves statuses

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, DiscoveredLink) or item.url in self._written:
            return item  # the same report linked from two lists (or twice on one page) is one link
        if item.kind == "page":
            self._pages.add(item.url)
        elif item.parent_url not in self._pages:
            # A document listed straight on a list page (a 图片版 PDF beside its 超链版 page) is
            # kept back: when the report page attaches it too, the page is its better parent.
            self._listed_documents.setdefault(item.url, item)
            return item
        self._write(item)
        return item

    def close_spider(self) -> None:
        for url, item in self._listed_documents.items():
            if url not in self._written:
                self._write(item)
        self._flush()
        self._write_statuses(TIMEOUT_NOTE if self._time_is_up() else None)

    def _time_is_up(self) -> bool:
        """Closing because CLOSESPIDER_TIMEOUT struck (the reason reaches pipelines only later)."""
        return bool(self.time_limit) and time.monotonic() - self._opened_at >= self.time_limit - 0.5

    def _write_statuses(self, timeout_note: str | None = None) -> None:
        """Record every site's status so far in storage and in the status file."""
        statuses = self.crawler.spider.tracker.statuses()  # type: ignore[union-attr]
        if timeout_note:
            statuses = {site_id: replace(status, ok=False, detail="; ".join(
                part for part in (status.detail, timeout_note) if part)) for site_id, status in statuses.items()}
        if self.repo is not None and self.run_id is not None:
            for status in statuses.values():
                self.repo.record_site_status(self.run_id, status)
        if self.status_path:
            write_statuses(Path(self.status_path), statuses, new_links=self.new_links)

    def _write(self, item: DiscoveredLink) -> None:
        self._written.add(item.url)
        self._pending.append(item)
        if len(self._pending) >= self.batch_size or time.monotonic() - self._last_flush >= self.flush_seconds:
            self._flush()
            self._write_statuses()

    def _flush(self) -> None:
        self._last_flush = time.monotonic()
        if self._pending and self.repo is not None:
            counts = self.repo.record_links(self._pending, run_id=self.run_id)
            self.new_links += counts.new
        self._pending = []


def write_statuses(path: Path, statuses: dict[str, SiteCrawlStatus], new_links: int = 0) -> None:
    """The child process's answer to crawl_sites: statuses as JSON."""
    payload = {
        "new_links": new_links,
        "sites": {
            site_id: {
                "site_id": s.site_id,
                "pages_visited": s.pages_visited,
                "reports_by_year": {str(y): n for y, n in s.reports_by_year.items()},
                "errors": s.errors,
                "ok": s.ok,
                "detail": s.detail,
                "report_columns": list(s.report_columns),
                "warnings": list(s.warnings),
            }
            for site_id, s in statuses.items()
        },
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


def read_statuses(path: Path) -> dict[str, SiteCrawlStatus]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    return {
        site_id: SiteCrawlStatus(
            site_id=s["site_id"],
            pages_visited=s["pages_visited"],
            reports_by_year={int(y): n for y, n in s["reports_by_year"].items()},
            errors=dict(s["errors"]),
            ok=s["ok"],
            detail=s["detail"],
            report_columns=tuple(s.get("report_columns") or ()),
            warnings=tuple(s.get("warnings", ())),
        )
        for site_id, s in payload["sites"].items()
    }
