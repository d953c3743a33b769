"""The browser path: JavaScript-built lists and 412 challenges, through headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawlers.browser_cookies import read_browser_cookies
from crawlers.registry import load_registry
from crawlers.run import crawl_sites
from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.sites import baishi, browser_only
from flows.fakeweb.web import FakeWeb
from flows.fetcher import FetchLimits, Fetcher
from storage.repository import Repository

OVERRIDES = {"LOG_LEVEL": "WARNING"}
BROWSER_MARK = "HeadlessChromium"


@pytest.fixture(scope="module")
def browser_web() -> Iterator[FakeWeb]:
    store = DocumentStore()
    web = FakeWeb([*browser_only.build(store), baishi.build(store)], store).start()
    yield web
    web.stop()


@pytest.fixture
def web(browser_web: FakeWeb, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeWeb:
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, browser_web.proxy_url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NIANBAO_CRAWL_DELAY", "0")
    monkeypatch.setenv("NIANBAO_LOG_DIR", str(tmp_path / "logs"))
    browser_web.reset()
    return browser_web


def _recorded(database_url: str, blob_dir: Path) -> dict[str, set[str]]:
    links = Repository.open(database_url, str(blob_dir)).links_to_fetch(include_gone=True)
    return {kind: {link.url for link in links if link.kind == kind} for kind in ("page", "attachment")}


def test_browser_only_sites_yield_every_report_and_the_plain_site_never_meets_the_browser(
    web: FakeWeb, tmp_path: Path, sqlite_url: str
) -> None:
    sites = load_registry(web.write_registry(tmp_path / "sites.yaml"))
    statuses = crawl_sites(sites, database_url=sqlite_url, blob_url=str(tmp_path / "blobs"),
                           settings_overrides=OVERRIDES)

    expected = web.expected_reports()
    found = _recorded(sqlite_url, tmp_path / "blobs")
    assert found["page"] == {r.page_url for r in expected}
    assert found["attachment"] == {url for r in expected for url in r.attachment_urls}
    assert {s: statuses[s].ok for s in web.sites} == {"jinghe": True, "ruiling": True, "baishi": True}

    log = web.request_log
    by_browser = [entry for entry in log if BROWSER_MARK in (entry.user_agent or "")]
    assert by_browser, "the browser sites were rendered"
    assert not [entry.url for entry in by_browser if "baishi" in entry.url]
    assert "http://www.jinghe.gov.cn/api/xxgknb/list.json" in {entry.url for entry in by_browser}
    assert not [entry.url for entry in log if entry.url.startswith(browser_only.TRACKER_URL)]
    assert "browser blocked requests" in statuses["jinghe"].detail
    # Past the challenge, the rest of the challenge site stays on plain HTTP with the browser's cookie.
    plain_ruiling = [e for e in log if "ruiling" in e.url and BROWSER_MARK not in (e.user_agent or "")]
    assert any(e.status == 200 and e.url.endswith("/zwgk/ndbg/") for e in plain_ruiling)


def test_the_fetcher_downloads_challenged_attachments_with_the_browsers_cookie(
    web: FakeWeb, tmp_path: Path, sqlite_url: str
) -> None:
    sites = [s for s in load_registry(web.write_registry(tmp_path / "sites.yaml")) if s.id == "ruiling"]
    crawl_sites(sites, database_url=sqlite_url, blob_url=str(tmp_path / "blobs"), settings_overrides=OVERRIDES)
    cookies = read_browser_cookies(tmp_path / "logs", "ruiling")
    assert cookies.get(browser_only.CLEARANCE_COOKIE) == browser_only.clearance_token()

    attachment = next(url for r in web.expected_reports("ruiling") for url in r.attachment_urls)
    limits = FetchLimits(delay_seconds=0, retries=0)
    with Fetcher(limits) as plain:
        refused = plain.fetch(attachment, allowed_domains=["ruiling.gov.cn"])
    with Fetcher(limits, cookies=cookies) as with_cookie:
        document = with_cookie.fetch(attachment, allowed_domains=["ruiling.gov.cn"])
    assert refused.content is None and (refused.error or "").startswith("challenge")
    assert document.status_code == 200 and document.content is not None


def test_a_missing_chromium_is_one_clear_site_error(web: FakeWeb, tmp_path: Path, sqlite_url: str) -> None:
    sites = [s for s in load_registry(web.write_registry(tmp_path / "sites.yaml")) if s.id == "jinghe"]
    statuses = crawl_sites(sites, database_url=sqlite_url, blob_url=str(tmp_path / "blobs"),
                           settings_overrides={**OVERRIDES, "NIANBAO_CHROMIUM": str(tmp_path / "no-chromium")})
    assert not statuses["jinghe"].ok
    assert statuses["jinghe"].errors == {"browser_missing": 1}
