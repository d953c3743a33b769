"""The fake gov.cn web itself, seen through a real HTTP client using it as a proxy."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
import yaml

from flows.fakeweb import FakeWeb, start_fake_web
from tests.fakeweb_fixtures import fake_web  # noqa: F401  (until conftest registers the plugin)
from flows.fakeweb.revise import REVISED_FIELD
from flows.fakeweb.walk import walk

QINGSHAN_COLUMN = "http://xxgk.qingshan.gov.cn/zfxxgk/zfxxgknb/index.shtml"
HANSHAN_PROXY = "http://www.hanshan.gov.cn/module/web/jpage/dataproxy.jsp"
HANSHAN_FORM = {"col": "1", "columnid": "1229232619", "unitid": "4151843"}

# Sites built to break naive discovery (frames, wrong charset, deep columns, JSON lists).
DISCOVERY_SHAPES = ["fenghe", "yunxi", "lintan", "shuiyuan"]


@pytest.fixture(scope="module")
def web() -> Iterator[FakeWeb]:
    # Its own instance: these tests flip revisions and consume flaky failures.
    fake = start_fake_web()
    yield fake
    fake.stop()


@pytest.fixture
def client(web: FakeWeb) -> Iterator[httpx.Client]:
    web.reset()
    with httpx.Client(proxy=web.proxy_url, timeout=120) as http:
        yield http
    web.reset()


def get_through_flakiness(client: httpx.Client, url: str) -> httpx.Response:
    response = client.get(url)
    for _retry in range(2):
        if response.status_code != 503:
            break
        response = client.get(url)
    return response


def test_robots_txt_disallows_private_only_on_the_disclosure_host(client: httpx.Client, web: FakeWeb) -> None:
    robots = client.get("http://xxgk.qingshan.gov.cn/robots.txt")
    assert robots.status_code == 200
    assert robots.text == "User-agent: *\nDisallow: /private/\nDisallow: /search/\n"
    assert web.forbidden_urls == ["http://xxgk.qingshan.gov.cn/private/zfxxgknb/t20240110_1925003.shtml"]
    sub_column = client.get("http://xxgk.qingshan.gov.cn/zfxxgk/zfxxgknb/2023n/index.shtml").content.decode("gbk")
    assert 'href="/private/zfxxgknb/t20240110_1925003.shtml"' in sub_column
    assert client.get("http://www.hanshan.gov.cn/robots.txt").status_code == 404


def test_trs_pages_are_gbk_declared_only_in_meta(client: httpx.Client) -> None:
    response = client.get(QINGSHAN_COLUMN)
    assert response.headers["content-type"] == "text/html"
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")
    text = response.content.decode("gbk")
    assert '<meta charset="gb2312">' in text
    assert 'createPageHTML(3, 0, "index", "shtml");' in text
    assert "青山市人民政府2024年政府信息公开工作年度报告" in text


def test_static_site_is_gbk_with_no_charset_anywhere(client: httpx.Client, web: FakeWeb) -> None:
    report = next(r for r in web.expected_reports("baishi") if r.year == 2023 and "卫生" in r.agency)
    response = client.get(report.page_url)
    assert response.headers["content-type"] == "text/html"
    assert b"charset" not in response.content.lower()
    text = response.content.decode("gbk")
    assert f"<h1>{report.title}</h1>" in text
    assert "本年制发件数" in text  # the report's tables are in the page itself
    assert report.attachment_urls == ()


def test_flaky_urls_fail_with_503_then_succeed(client: httpx.Client, web: FakeWeb) -> None:
    assert sorted(web.flaky_urls.values()) == [1, 2]
    for url, failures in web.flaky_urls.items():
        statuses = [client.get(url).status_code for _ in range(failures + 1)]
        assert statuses == [503] * failures + [200]
    web.reset()
    url, failures = next(iter(web.flaky_urls.items()))
    assert client.get(url).status_code == 503


def test_old_column_redirects_permanently_to_the_new_one(client: httpx.Client) -> None:
    response = client.get("http://xxgk.qingshan.gov.cn/zfxxgk/ndbg/index.shtml")
    assert response.status_code == 301
    assert response.headers["location"] == QINGSHAN_COLUMN


def test_offsite_redirect_and_offsite_hosts_answer_502(client: httpx.Client, web: FakeWeb) -> None:
    link = "http://xxgk.qingshan.gov.cn/zfxxgk/zfxxgknb/2023n/202401/t20240126_1925002.shtml"
    response = client.get(link)
    assert response.status_code == 302
    target = response.headers["location"]
    assert urlsplit(target).hostname in web.offsite_hosts
    assert link in web.noise_urls
    assert client.get(target).status_code == 502
    assert web.request_log[-1].url == target and web.request_log[-1].status == 502


def test_broken_link_is_linked_and_answers_404(client: httpx.Client, web: FakeWeb) -> None:
    [broken] = web.broken_urls
    assert client.get(broken).status_code == 404
    listing = client.get("http://xxgk.qingshan.gov.cn/zfxxgk/zfxxgknb/2022n/index.shtml").content.decode("gbk")
    assert f'href="./{broken.rsplit("/", 2)[1]}/{broken.rsplit("/", 1)[1]}"' in listing


def test_calendar_trap_links_one_more_day_forever(client: httpx.Client, web: FakeWeb) -> None:
    day = client.get(f"{web.trap_prefix}?date=2031-12-31").content.decode("gbk")
    assert 'href="?date=2032-01-01"' in day
    assert client.get(f"{web.trap_prefix}?date=2032-01-01").status_code == 200


def test_hanweb_records_beyond_the_first_page_come_only_from_the_post_proxy(client: httpx.Client, web: FakeWeb) -> None:
    column = client.get("http://www.hanshan.gov.cn/col/col1229232619/index.html").text
    assert "totalRecord:10, perpage:4" in column
    assert column.count("<record>") == 4
    url = f"{HANSHAN_PROXY}?startrecord=5&endrecord=12&perpage=4"
    answer = client.post(url, data=HANSHAN_FORM)
    assert answer.status_code == 200
    assert answer.text.count("<record>") == 6 and "<totalrecord>10</totalrecord>" in answer.text
    assert client.get(url).status_code == 405
    assert client.post(url, data={"col": "1"}).status_code == 400


def test_extensionless_download_names_its_file_in_content_disposition(client: httpx.Client, web: FakeWeb) -> None:
    report = next(r for r in web.expected_reports("hanshan") if r.year == 2023 and r.agency == "寒山区人民政府")
    [url] = report.attachment_urls
    assert "." not in url.rsplit("filename=", 1)[1]
    response = client.get(url)
    assert response.headers["content-type"] == "application/msword"
    assert response.headers["content-disposition"].endswith(".doc")
    assert response.content[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # OLE2 signature


def test_unknown_host_502_and_origin_form_requests(web: FakeWeb) -> None:
    with httpx.Client(timeout=10) as direct:
        home = direct.get(f"{web.proxy_url}/", headers={"Host": "www.liushu.gov.cn"})
        unknown = direct.get(f"{web.proxy_url}/", headers={"Host": "www.nowhere.gov.cn"})
    assert home.status_code == 200 and "柳树市人民政府" in home.text
    assert unknown.status_code == 502
    assert [(e.url, e.status) for e in web.request_log[-2:]] == [
        ("http://www.liushu.gov.cn/", 200), ("http://www.nowhere.gov.cn/", 502)]


def test_conditional_get_answers_304_for_unchanged_bytes(client: httpx.Client) -> None:
    first = client.get("http://www.liushu.gov.cn/")
    again = client.get("http://www.liushu.gov.cn/", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_revision_switch_changes_only_revisable_documents(client: httpx.Client, web: FakeWeb) -> None:
    reports = web.expected_reports()
    revisable = [r for r in reports if r.revisable]
    assert {r.site_id for r in revisable} == {"qingshan", "hanshan", "baishi", "liushu"}
    steady = next(r for r in reports if not r.revisable and r.attachment_urls)
    urls = [r.attachment_urls[0] if r.attachment_urls else r.page_url for r in revisable]
    before = [client.get(url).content for url in urls + [steady.attachment_urls[0]]]
    web.set_revision(1)
    after = [client.get(url).content for url in urls + [steady.attachment_urls[0]]]
    assert [b != a for b, a in zip(before, after)] == [True] * len(urls) + [False]
    revised = {r.page_url: r.spec for r in web.expected_reports() if r.revisable}
    for original in revisable:
        changed = {k for k, v in revised[original.page_url].fields.items() if original.spec.fields[k] != v}
        assert changed == {REVISED_FIELD}


def test_registry_lists_every_site_with_its_hosts(web: FakeWeb, tmp_path) -> None:
    entries = yaml.safe_load(web.write_registry(tmp_path / "sites.yaml").read_text(encoding="utf-8"))
    assert [e["id"] for e in entries] == web.sites == ["qingshan", "hanshan", "baishi", "liushu", *DISCOVERY_SHAPES]
    qingshan = entries[0]
    assert qingshan["start_urls"] == ["http://www.qingshan.gov.cn/"]
    assert qingshan["allowed_domains"] == ["www.qingshan.gov.cn", "xxgk.qingshan.gov.cn"]


def test_manifest_truth_is_consistent(web: FakeWeb) -> None:
    reports = web.expected_reports()
    pages = [r.page_url for r in reports]
    assert 40 <= len(reports) <= 55 and len(set(pages)) == len(pages)
    assert {r.year for r in reports} == set(range(2018, 2025))
    assert {r.format_version for r in reports} == {"legacy_pre2019", "v2019", "v2021"}
    assert all((r.spec is None) == (r.format_version == "legacy_pre2019") for r in reports)
    assert all(r.spec.agency == r.agency and r.spec.year == r.year for r in reports if r.spec)
    assert not set(pages) & set(web.noise_urls + web.forbidden_urls + web.broken_urls)
    assert any("二〇" in r.title for r in reports)


def test_hyperlinked_and_image_versions_are_one_report_with_two_documents(client: httpx.Client, web: FakeWeb) -> None:
    [report] = [r for r in web.expected_reports("liushu") if (r.agency, r.year) == ("柳树市人民政府", 2022)]
    assert report.attachment_urls == ("http://www.liushu.gov.cn/upload/2023/03/29/cl2022.pdf",
                                      "http://www.liushu.gov.cn/upload/2023/03/29/tp2022.pdf")
    listing = client.get("http://www.liushu.gov.cn/xxgk/ndbg/list?page=2").text
    assert f'href="/Content-1830100.html" title="{report.title}（超链版）"' in listing
    assert f'href="/upload/2023/03/29/tp2022.pdf" title="{report.title}（图片版）"' in listing


def test_every_expected_url_is_reachable_and_served(client: httpx.Client, web: FakeWeb, tmp_path) -> None:
    """A naive walk (anchors only) from the registry's start URLs finds every report of the CMS-style
    sites; the discovery shapes hide theirs behind frames, scripts and JSON on purpose. Each URL answers 200."""
    entries = yaml.safe_load(web.write_registry(tmp_path / "sites.yaml").read_text(encoding="utf-8"))
    hosts = {domain for e in entries for domain in e["allowed_domains"]}
    skip = [web.trap_prefix, "http://xxgk.qingshan.gov.cn/private/"]
    result = walk(client, [u for e in entries for u in e["start_urls"]], hosts, skip)
    for report in web.expected_reports():
        if report.site_id in DISCOVERY_SHAPES:
            assert get_through_flakiness(client, report.page_url).status_code == 200, report.page_url
            continue
        assert result.statuses.get(report.page_url) == 200, report.page_url
        assert set(report.attachment_urls) <= result.documents, report.page_url
        for url in report.attachment_urls:
            assert get_through_flakiness(client, url).status_code == 200, url
    assert not set(web.forbidden_urls) & {e.url for e in web.request_log}
    assert not web.offsite_hosts & {urlsplit(e.url).hostname for e in web.request_log}
    for url in web.noise_urls:
        if url.split("/")[2].split(".")[1] in DISCOVERY_SHAPES:
            assert get_through_flakiness(client, url).status_code == 200, url
            continue
        assert result.statuses.get(url) in (200, 302), url


def test_generated_sites_for_benchmarks() -> None:
    big = start_fake_web(extra_generated_sites=50)
    try:
        assert len(big.sites) == 58
        generated = [s for s in big.sites if s.startswith("gen")]
        with httpx.Client(proxy=big.proxy_url, timeout=30) as http:
            for site_id in generated:
                [start] = big.site(site_id).start_urls
                assert http.get(start).status_code == 200
        reports = [r for r in big.expected_reports() if r.site_id in generated]
        assert len(reports) == 150 and {r.year for r in reports} == {2021, 2022, 2023}
    finally:
        big.stop()


def test_session_fixture_serves_the_web(fake_web: FakeWeb) -> None:
    with httpx.Client(proxy=fake_web.proxy_url, timeout=10) as http:
        assert http.get("http://www.qingshan.gov.cn/").status_code == 200
    assert fake_web.request_log[-1].url == "http://www.qingshan.gov.cn/"
