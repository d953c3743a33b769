"""End to end: crawl the fake gov.cn web in child processes into a temporary SQLite database."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from crawlers.registry import SiteConfig, load_registry
from crawlers.run import crawl_sites
from storage.repository import Repository
from flows.fakeweb import FakeWeb

OVERRIDES = {"LOG_LEVEL": "WARNING", "NIANBAO_MAX_QUERY_VARIANTS": 10}


@pytest.fixture
def sites(web: FakeWeb, tmp_path: Path) -> list[SiteConfig]:
    return load_registry(web.write_registry(tmp_path / "sites.yaml"))


def recorded(database_url: str, blob_dir: Path) -> dict[str, set[str]]:
    links = Repository.open(database_url, str(blob_dir)).links_to_fetch(include_gone=True)
    return {kind: {link.url for link in links if link.kind == kind} for kind in ("page", "attachment")}


def link_rows(database_url: str) -> list[tuple]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT url, kind, first_run_id FROM links ORDER BY url")).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def test_nightly_crawl_finds_exactly_the_reports_then_a_second_run_adds_nothing(
    web: FakeWeb, sites: list[SiteConfig], sqlite_url: str, blob_dir: Path
) -> None:
    statuses = crawl_sites(sites, database_url=sqlite_url, blob_url=str(blob_dir), settings_overrides=OVERRIDES)
    first_log = web.request_log
    expected = web.expected_reports()

    found = recorded(sqlite_url, blob_dir)
    assert found["page"] == {r.page_url for r in expected}
    assert found["attachment"] == {url for r in expected for url in r.attachment_urls}
    assert not (found["page"] | found["attachment"]) & set(web.noise_urls)

    requested = [entry.url for entry in first_log]
    assert not set(requested) & set(web.forbidden_urls)
    assert not {url.split("/")[2] for url in requested} & web.offsite_hosts
    assert sum(url.startswith(web.trap_prefix) for url in requested) <= OVERRIDES["NIANBAO_MAX_QUERY_VARIANTS"]
    assert len(requested) == len(set((e.method, e.url) for e in first_log)) + sum(
        1 for e in first_log if e.status == 503)  # nothing fetched twice except retried 503s

    assert set(statuses) == set(web.sites)
    for site_id, status in statuses.items():
        want = Counter(r.year for r in web.expected_reports(site_id))
        assert status.reports_by_year == dict(want), site_id
        assert status.ok and status.pages_visited > 0, status
    assert statuses["qingshan"].errors == {"http_404": 1}  # the broken link; the 503 was retried away
    assert "links disallowed by robots.txt skipped" in statuses["qingshan"].detail
    assert "off-site redirect to www.gov-mirror.com skipped" in statuses["qingshan"].detail

    before = link_rows(sqlite_url)
    web.clear_log()
    second = crawl_sites(sites, database_url=sqlite_url, blob_url=str(blob_dir), settings_overrides=OVERRIDES)
    assert link_rows(sqlite_url) == before  # nothing new: same rows, all from the first run
    second_requests = {entry.url for entry in web.request_log}
    assert not second_requests & {r.page_url for r in expected}, sorted(second_requests & {r.page_url for r in expected})  # known report pages are not fetched again
    assert "http://xxgk.qingshan.gov.cn/zfxxgk/zfxxgknb/index_1.shtml" not in second_requests  # paging stopped
    assert all(second[s].ok for s in web.sites)
    # Only the reports on the list pages still visited are counted: the newest, never more than before.
    seen_again = second["qingshan"].reports_by_year
    assert seen_again[2024] == 1
    assert all(n <= statuses["qingshan"].reports_by_year[year] for year, n in seen_again.items())


def test_backfill_pages_until_older_than_the_earliest_year(
    web: FakeWeb, sites: list[SiteConfig], sqlite_url: str, blob_dir: Path
) -> None:
    statuses = crawl_sites(sites, mode="backfill", years=[2023], database_url=sqlite_url,
                           blob_url=str(blob_dir), settings_overrides=OVERRIDES)
    wanted = [r for r in web.expected_reports() if r.year == 2023]
    found = recorded(sqlite_url, blob_dir)
    assert found["page"] == {r.page_url for r in wanted}
    assert found["attachment"] == {url for r in wanted for url in r.attachment_urls}
    requested = {entry.url for entry in web.request_log}
    # Page 2 of the main TRS column holds only 2022/2021 reports: paging stops there.
    assert "http://xxgk.qingshan.gov.cn/zfxxgk/zfxxgknb/index_1.shtml" in requested
    assert "http://xxgk.qingshan.gov.cn/zfxxgk/zfxxgknb/index_2.shtml" not in requested
    assert {site: s.reports_by_year for site, s in statuses.items()} == {
        site: {2023: n} for site, n in Counter(r.site_id for r in wanted).items()
    }


def test_unreachable_site_turns_red_without_stopping_the_others(
    web: FakeWeb, sites: list[SiteConfig], sqlite_url: str, blob_dir: Path
) -> None:
    dead = SiteConfig("nosuch", "无此县人民政府", ("http://www.nosuch.gov.cn/",))
    baishi = next(site for site in sites if site.id == "baishi")
    statuses = crawl_sites([dead, baishi], database_url=sqlite_url, blob_url=str(blob_dir),
                           settings_overrides=OVERRIDES)
    assert statuses["nosuch"].ok is False
    assert statuses["nosuch"].pages_visited == 0
    assert statuses["nosuch"].errors == {"http_502": 1}  # the proxy's answer for an unknown host, after retries
    assert "http_502 at http://www.nosuch.gov.cn/" in statuses["nosuch"].detail
    assert statuses["baishi"].ok and sum(statuses["baishi"].reports_by_year.values()) == 7
    engine = create_engine(sqlite_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT site_id, ok FROM site_crawl_status ORDER BY site_id")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [("baishi", True), ("nosuch", False)]


def test_discovery_shapes_each_yield_exactly_their_reports_and_a_site_without_reports_warns(
    web: FakeWeb, sites: list[SiteConfig], sqlite_url: str, blob_dir: Path
) -> None:
    """Frame/script entry chain, wrong charset + report first linked as navigation, a department
    column whose old reports sit on pages 7-9, a WebBuilder site of JSON lists and details; and a portal whose 年报 column is gone is not ok."""
    shapes = ["fenghe", "yunxi", "lintan", "shuiyuan"]
    chosen = [site for site in sites if site.id in shapes]
    moved = SiteConfig("lintan-moved", "林滩市人民政府", ("http://www.lintan.gov.cn/bm/",),
                       allowed_domains=("www.lintan.gov.cn",), allow_private=chosen[0].allow_private)
    statuses = crawl_sites(chosen, database_url=sqlite_url, blob_url=str(blob_dir), settings_overrides=OVERRIDES)
    expected = [r for r in web.expected_reports() if r.site_id in shapes]
    found = recorded(sqlite_url, blob_dir)
    assert found["page"] == {r.page_url for r in expected}
    assert found["attachment"] == {url for r in expected for url in r.attachment_urls}
    assert not found["page"] & set(web.noise_urls)
    for site_id in shapes:
        assert statuses[site_id].reports_by_year == dict(Counter(r.year for r in web.expected_reports(site_id)))
        assert statuses[site_id].ok and len(statuses[site_id].report_columns) >= 1, statuses[site_id]
    assert not {url.split("/")[2] for url in (e.url for e in web.request_log)} & web.offsite_hosts

    web.clear_log()
    gone = crawl_sites([moved], database_url=sqlite_url, blob_url=str(blob_dir),
                       settings_overrides=OVERRIDES | {"NIANBAO_NAV_DEPTH": 0})
    assert gone["lintan-moved"].pages_visited > 0 and not gone["lintan-moved"].ok
    assert "warning: 0 reports found" in gone["lintan-moved"].detail
