"""The report spider's callbacks on saved pages: what it requests and what it records."""

from __future__ import annotations

from scrapy import Request

from crawlers.registry import SiteConfig
from crawlers.spiders.report_spider import REPORT_PRIORITY, ReportSpider
from storage.records import DiscoveredLink
from tests.crawlers.conftest import saved_response

SITE = SiteConfig("liaocheng", "聊城市人民政府", ("http://www.liaocheng.gov.cn/",))
JIANGGAN = SiteConfig("jianggan", "江干区人民政府", ("http://www.jianggan.gov.cn/",))
TRS_URL = "http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/index_1.shtml"
REPORT_2023 = "http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/202403/t20240328_1926722.shtml"
REPORT_2022 = "http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/202303/t20230330_1800456.shtml"


def list_response(spider: ReportSpider, name: str, url: str, site_id: str = "liaocheng", depth: int = 2):
    meta = spider._meta(site_id, nav_depth=depth, report_column=True)
    return saved_response(name, url, request=Request(url, meta=meta))


def test_list_page_requests_reports_columns_and_the_next_page() -> None:
    spider = ReportSpider(sites=[SITE])
    out = list(spider.parse_nav(list_response(spider, "trs_list.html", TRS_URL)))
    reports = {r.url: r for r in out if isinstance(r, Request) and r.callback == spider.parse_report}
    assert set(reports) == {REPORT_2023, REPORT_2022}  # the 编制通知 is not a report
    assert reports[REPORT_2022].meta["guess"] == {
        "title": "聊城市人民政府二〇二二年政府信息公开工作年度报告", "year": 2022, "agency": "聊城市人民政府"}
    assert all(r.priority == REPORT_PRIORITY for r in reports.values())
    lists = {r.url: r.meta["nav_depth"] for r in out if isinstance(r, Request) and r.callback == spider.parse_nav}
    assert lists == {
        "http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/bmnb/": 3,  # 部门年报 column, one hop deeper
        "http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/index_2.shtml": 2,  # next page, same level
        "http://www.liaocheng.gov.cn/zfxxgk/": 3,  # 政府信息公开 breadcrumb
    }


def test_nightly_stops_paging_when_every_report_on_the_page_is_known() -> None:
    spider = ReportSpider(sites=[SITE], known_urls={"liaocheng": {REPORT_2023, REPORT_2022}})
    out = list(spider.parse_nav(list_response(spider, "trs_list.html", TRS_URL)))
    urls = {r.url for r in out if isinstance(r, Request)}
    assert "http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/index_2.shtml" not in urls
    assert not urls & {REPORT_2023, REPORT_2022}  # known pages are not fetched again
    assert {i.url for i in out if isinstance(i, DiscoveredLink)} == {REPORT_2023, REPORT_2022}  # but seen again


def test_backfill_skips_other_years_and_keeps_paging_while_years_remain() -> None:
    spider = ReportSpider(sites=[SITE], mode="backfill", years=[2022])
    out = list(spider.parse_nav(list_response(spider, "trs_list.html", TRS_URL)))
    urls = {r.url for r in out if isinstance(r, Request)}
    assert REPORT_2022 in urls and REPORT_2023 not in urls
    assert "http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/index_2.shtml" in urls
    older = ReportSpider(sites=[SITE], mode="backfill", years=[2024])
    urls = {r.url for r in older.parse_nav(list_response(older, "trs_list.html", TRS_URL)) if isinstance(r, Request)}
    assert "http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/index_2.shtml" not in urls  # all entries older


def test_report_page_records_the_page_and_its_on_site_attachments() -> None:
    spider = ReportSpider(sites=[JIANGGAN])
    url = "http://www.jianggan.gov.cn/zfxxgk/ndbg/202303/t20230330_1800456.html"
    guess = {"title": "江干区人民政府2022年政府信息公开工作年度报告", "year": 2022, "agency": "江干区人民政府"}
    meta = spider._meta("jianggan", 2) | {"guess": guess, "list_url": "http://www.jianggan.gov.cn/zfxxgk/ndbg/"}
    items = list(spider.parse_report(saved_response("report_page.html", url, request=Request(url, meta=meta))))
    assert items[0] == DiscoveredLink("jianggan", url, "page", guess["title"], 2022, "江干区人民政府",
                                      "http://www.jianggan.gov.cn/zfxxgk/ndbg/")
    assert {(i.url, i.kind, i.report_year, i.parent_url) for i in items[1:]} == {
        ("http://www.jianggan.gov.cn/zfxxgk/upload/2023/ndbg2022.pdf", "attachment", 2022, url),
        ("http://www.jianggan.gov.cn/zfxxgk/ndbg/202303/P020230330007525721820.docx", "attachment", 2022, url),
        ("http://www.jianggan.gov.cn/module/download/downfile.jsp?classid=0&filename=ee3f85d1", "attachment", 2022, url),
        ("http://www.jianggan.gov.cn/attach/get?id=8812", "attachment", 2022, url),
    }  # the mirror's PDF is off-site
    assert spider.tracker.statuses()["jianggan"].reports_by_year == {2022: 1}


def test_a_report_titled_link_that_opens_a_list_is_read_as_a_list() -> None:
    site = SiteConfig("guiyang", "贵阳市人民政府", ("https://www.guiyang.gov.cn/",))
    spider = ReportSpider(sites=[site])
    url = "https://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/2023n/"
    guess = {"title": "2023年政府信息公开工作年度报告", "year": 2023, "agency": None}
    meta = spider._meta("guiyang", 3) | {"guess": guess, "list_url": "https://www.guiyang.gov.cn/zwgk/zfxxgks/zfxxgknb/"}
    out = list(spider.parse_report(saved_response("year_column.html", url, request=Request(url, meta=meta))))
    assert not [i for i in out if isinstance(i, DiscoveredLink)]
    assert {r.url for r in out if r.callback == spider.parse_report} == {
        f"{url}202401/t2024012{n}_{n - 4}.html" for n in (5, 6, 7)
    }


def test_general_disclosure_links_are_followed_only_near_the_start() -> None:
    spider = ReportSpider(sites=[SITE])
    deep = list_response(spider, "trs_list.html", TRS_URL, depth=3)
    lists = {r.url for r in spider.parse_nav(deep) if isinstance(r, Request) and r.callback == spider.parse_nav}
    # 部门年报 (a report column) still counts; the 政府信息公开 breadcrumb is too far out now.
    assert lists == {"http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/bmnb/",
                     "http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/index_2.shtml"}
    deepest = list_response(spider, "trs_list.html", TRS_URL, depth=5)
    lists = {r.url for r in spider.parse_nav(deepest) if isinstance(r, Request) and r.callback == spider.parse_nav}
    # At the depth limit a list holding reports is still read to its end, with its sub-columns
    # (部门年报 below its folder); nothing outside the column is followed any more.
    assert lists == {"http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/bmnb/",
                     "http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/index_2.shtml"}
