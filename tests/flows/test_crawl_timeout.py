"""A crawl that reaches its time limit half-way keeps the links and statuses it found."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from crawlers.registry import load_registry
from crawlers.run import crawl_sites, spider_time_limit
from flows.fakeweb import FakeWeb, start_fake_web
from storage import models as m
from storage.repository import Repository


@pytest.fixture(scope="module")
def web():
    started = start_fake_web()
    yield started
    started.stop()


def test_spider_time_limit_leaves_a_margin_before_the_kill():
    assert spider_time_limit(4 * 3600) == 4 * 3600 - 600
    assert spider_time_limit(20) == 10


def test_a_crawl_stopped_by_its_time_limit_keeps_what_it_found(
        web: FakeWeb, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, web.proxy_url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    site = next(s for s in load_registry(web.write_registry(tmp_path / "sites.yaml")) if s.id == "qingshan")
    repo = Repository.open(database_url, str(tmp_path / "blobs"))
    run_id = repo.start_crawl_run("nightly")
    # One request at a time, 3 s apart: the full crawl (~20 pages) takes far longer than the limit.
    statuses = crawl_sites([site], database_url=database_url, blob_url=str(tmp_path / "blobs"), run_id=run_id,
                           settings_overrides={"LOG_LEVEL": "WARNING", "DOWNLOAD_DELAY": 3.0, "CONCURRENT_REQUESTS": 1,
                                               "RANDOMIZE_DOWNLOAD_DELAY": False,
                                               "NIANBAO_FLUSH_SECONDS": 0},
                           timeout=45)
    expected = {url for r in web.expected_reports("qingshan") for url in (r.page_url, *r.attachment_urls)}
    found = {link.url for link in repo.links_to_fetch(include_gone=True)}
    assert found and found < expected  # some links, not all: the crawl stopped half-way
    status = statuses["qingshan"]
    assert not status.ok and "time limit" in status.detail
    with repo._session() as session:
        row = session.scalars(select(m.SiteCrawlStatusRow).where(m.SiteCrawlStatusRow.run_id == run_id)).one()
    # Written by the child as it closed; the parent adds a note when the exit came too late.
    assert (row.ok, row.pages_visited) == (False, status.pages_visited)
    assert "stopped at its time limit" in row.detail and status.detail.startswith(row.detail)
    repo.close()
