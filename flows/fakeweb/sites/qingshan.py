"""青山市: a TRS WCM city site (GBK, meta gb2312) with a separate xxgk. disclosure host.

Path to the reports: portal home -> 政务公开 -> 政府信息公开 -> 政府信息公开年报 column
(3 pages, count only in createPageHTML) and its year sub-columns 2023n/ and 2022n/.
Faults: robots-disallowed /private/ report link, a calendar trap, a 301 from the old
column, a report link redirecting off-site, a 404 link, a flaky page and attachment.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.model import FakeRequest, Reply, ReportEntry
from flows.fakeweb.sites import trs_style
from flows.fakeweb.sites.base import FakeSite
from flows.fakeweb.sites.legacy import legacy_report_html
from flows.fakeweb.sites.html import encode_page, link, list_items, page
from flows.fakeweb.sites.serving import publish

SITE_ID = "qingshan"
WWW = "http://www.qingshan.gov.cn"
XXGK = "http://xxgk.qingshan.gov.cn"
COLUMN = f"{XXGK}/zfxxgk/zfxxgknb"
GOV = "青山市人民政府"
ENC = "gbk"
TRAP = f"{WWW}/xwzx/rl/"
MIRROR = "http://www.gov-mirror.com/qingshan/"
SPAM = "http://www.qingshan-nianbao.com/download.html"

# (agency, year, title or None for the usual one, path under its column, published, formats)
MAIN_REPORTS = [
    (GOV, 2024, None, "202503/t20250325_2001001.shtml", "2025-03-25", ("pdf", "docx")),
    (GOV, 2023, None, "202403/t20240328_1926722.shtml", "2024-03-28", ("pdf", "docx")),
    ("青山市人民政府办公室", 2023, None, "202401/t20240129_1926800.shtml", "2024-01-29", ("pdf",)),
    (GOV, 2022, "青山市人民政府二〇二二年政府信息公开工作年度报告", "202303/t20230330_1800456.shtml", "2023-03-30", ("pdf",)),
    (GOV, 2021, None, "202203/t20220329_1700123.shtml", "2022-03-29", ("docx",)),
    (GOV, 2020, None, "202103/t20210326_1600777.shtml", "2021-03-26", ("pdf",)),
    (GOV, 2019, None, "202003/t20200331_1500321.shtml", "2020-03-31", ("pdf",)),
    (GOV, 2018, "青山市2018年政府信息公开工作年度报告", "201903/t20190329_1400888.shtml", "2019-03-29", ()),
]
SUB_REPORTS = {
    "2023n": [("青山市市场监督管理局", 2023, None, "202401/t20240125_1925001.shtml", "2024-01-25", ("pdf", "docx"))],
    "2022n": [("青山市教育局", 2022, None, "202301/t20230130_1790002.shtml", "2023-01-30", ("docx",))],
}
REVISABLE = {(GOV, 2023)}
NOTICE = ("关于做好2023年政府信息公开工作年度报告编制发布工作的通知", "202311/t20231120_1900001.shtml", "2023-11-20")


def build(store: DocumentStore) -> FakeSite:
    site = FakeSite(SITE_ID, GOV, [f"{WWW}/"], ["www.qingshan.gov.cn", "xxgk.qingshan.gov.cn"], "990100")
    _add_portal(site)
    _add_disclosure_home(site)
    main = [_report(row, COLUMN) for row in MAIN_REPORTS]
    subs = {year: [_report(row, f"{COLUMN}/{year}") for row in rows] for year, rows in SUB_REPORTS.items()}
    for report in main + [r for rows in subs.values() for r in rows]:
        publish(site, store, report, _page_for(report), ENC, header_charset=False)
    _add_main_column(site, main)
    _add_sub_columns(site, subs, office_2023=main[2])
    site.flaky[main[4].page_url] = 1  # 2021 report page: one 503, then 200
    site.flaky[main[0].attachments[0].url] = 2  # 2024 PDF: two 503s, then 200
    return site


def _report(row: tuple, column_url: str) -> ReportEntry:
    agency, year, title, path, published, formats = row
    title = title or f"{agency}{year}年政府信息公开工作年度报告"
    page_url = f"{column_url}/{path}"
    attachments = tuple(
        trs_style.attachment_for(page_url, published, i, fmt, f"{title}.{fmt}")[0] for i, fmt in enumerate(formats)
    )
    return ReportEntry(SITE_ID, agency, year, title, page_url, published, attachments,
                       prose_only=year < 2019, revisable=(agency, year) in REVISABLE)


def _page_for(report: ReportEntry):
    links = [(f"./{a.url.rsplit('/', 1)[1]}", a.link_text) for a in report.attachments]
    intro = f"<p>根据《中华人民共和国政府信息公开条例》规定，现公布{report.title}，全文见附件。</p>"
    if report.prose_only:
        intro = legacy_report_html(report.agency, report.year, report.seed)
    crumb = f'{link(WWW + "/", "首页")} &gt; {link("../index.shtml", "政府信息公开年报")}'
    html = trs_style.report_page(report.title, report.agency, report.published, "政府信息公开年报", crumb, intro, links)
    return lambda: html


def _simple(site: FakeSite, url: str, title: str, text: str) -> None:
    site.add_html(url, page(title, f"<h1>{title}</h1><p>{text}</p>", meta_charset="gb2312"), ENC, False)


def _add_portal(site: FakeSite) -> None:
    nav = " ".join([
        link(f"{WWW}/", "首页"), link("/xwzx/index.shtml", "新闻中心"), link("/zwgk/index.shtml", "政务公开"),
        link("//www.qingshan.gov.cn/hdjl/index.shtml", "互动交流"), link(f"{TRAP}?date=2024-01-01", "活动日历"),
    ])
    friends = f"友情链接：{link(MIRROR, '政府信息公开年度报告镜像站')} {link(SPAM, '青山市政府信息公开年报下载')}"
    site.add_html(f"{WWW}/", page(GOV, f'<div class="nav">{nav}</div>\n<div class="links">{friends}</div>',
                                  meta_charset="gb2312"), ENC, False)
    site.offsite_urls += [MIRROR, SPAM]
    news = [("./202401/t20240105_1910201.shtml", "青山市召开2024年经济工作会议", "2024-01-05"),
            ("./202312/t20231228_1900301.shtml", "青山市2023年度十件民生实事全部完成", "2023-12-28")]
    site.add_html(f"{WWW}/xwzx/index.shtml", page("新闻中心", list_items(news), meta_charset="gb2312"), ENC, False)
    for href, title, _ in news:
        _simple(site, f"{WWW}/xwzx/{href[2:]}", title, "本网讯，会议听取了各部门工作汇报。")
    _simple(site, f"{WWW}/hdjl/index.shtml", "互动交流", "市长信箱、在线访谈。")
    zwgk = list_items([
        (f"{XXGK}/zfxxgk/index.shtml", "政府信息公开", ""),
        ("/zwgk/zfgzbg/202402/t20240220_1910001.shtml", "2024年青山市政府工作报告", "2024-02-20"),
        ("/zwgk/czzj/202402/t20240215_1910100.shtml", "青山市2024年预算公开", "2024-02-15"),
    ])
    site.add_html(f"{WWW}/zwgk/index.shtml", page("政务公开", zwgk, meta_charset="gb2312"), ENC, False)
    for url, title in [(f"{WWW}/zwgk/zfgzbg/202402/t20240220_1910001.shtml", "2024年青山市政府工作报告"),
                       (f"{WWW}/zwgk/czzj/202402/t20240215_1910100.shtml", "青山市2024年预算公开")]:
        _simple(site, url, title, "各位代表：现在，我代表市人民政府向大会报告工作。")
        site.noise_urls.append(url)
    site.add_bytes(f"{WWW}/robots.txt", lambda: b"User-agent: *\nAllow: /\n", "text/plain")
    site.add_prefix(TRAP, _calendar_day)
    site.trap_prefix = TRAP


def _calendar_day(request: FakeRequest) -> Reply:
    """Every day links the next and the previous one, forever (a crawler trap)."""
    values = parse_qs(urlsplit(request.url).query).get("date", [""])
    try:
        day = dt.date.fromisoformat(values[0])
    except ValueError:
        return Reply(404, b"<h1>404</h1>")
    step = dt.timedelta(days=1)
    body = (f"<h1>活动日历 {day.year}年{day.month}月{day.day}日</h1><p>当日无活动安排。</p>"
            f"{link(f'?date={day - step}', '前一天')} {link(f'?date={day + step}', '后一天')}")
    return encode_page(page(f"活动日历 {day}", body, meta_charset="gb2312"), ENC, False)


def _add_disclosure_home(site: FakeSite) -> None:
    base = f"{XXGK}/zfxxgk"
    noise = [("./fzzfjs/202403/t20240301_1920001.shtml", "青山市2023年法治政府建设年度报告", "2024-03-01"),
             ("./zwgkzd/202403/t20240310_1920100.shtml", "青山市2024年政务公开工作要点", "2024-03-10")]
    entries = [("./zfxxgkzn/index.shtml", "政府信息公开指南", ""), ("./zfxxgknb/index.shtml", "政府信息公开年报", ""),
               ("./ndbg/index.shtml", "年度报告（旧栏目）", "")] + noise
    site.add_html(f"{base}/index.shtml", page("政府信息公开", list_items(entries), meta_charset="gb2312"), ENC, False)
    _simple(site, f"{base}/zfxxgkzn/index.shtml", "政府信息公开指南", "本指南每年更新。")
    for href, title, _ in noise:
        _simple(site, f"{base}/{href[2:]}", title, "现将有关情况报告如下。")
        site.noise_urls.append(f"{base}/{href[2:]}")
    site.add_redirect(f"{base}/ndbg/index.shtml", f"{COLUMN}/index.shtml", 301)
    robots = b"User-agent: *\nDisallow: /private/\nDisallow: /search/\n"
    site.add_bytes(f"{XXGK}/robots.txt", lambda: robots, "text/plain")


def _add_main_column(site: FakeSite, main: list[ReportEntry]) -> None:
    items = [(f"./{r.page_url[len(COLUMN) + 1:]}", r.title, r.published) for r in main]
    items.append((f"./{NOTICE[1]}", NOTICE[0], NOTICE[2]))
    items.sort(key=lambda item: item[2], reverse=True)
    sidebar = link("./2023n/index.shtml", "2023年部门年报") + link("./2022n/index.shtml", "2022年部门年报")
    crumb = f'{link(WWW + "/", "首页")} &gt; {link("../index.shtml", "政府信息公开")} &gt; 政府信息公开年报'
    for name, html in trs_style.column_pages("政府信息公开年报", crumb, sidebar, items, per_page=3).items():
        site.add_html(f"{COLUMN}/{name}", html, ENC, False)
    _simple(site, f"{COLUMN}/{NOTICE[1]}", NOTICE[0], "各部门：现就做好年度报告编制发布工作通知如下。")
    site.noise_urls.append(f"{COLUMN}/{NOTICE[1]}")


def _add_sub_columns(site: FakeSite, subs: dict[str, list[ReportEntry]], office_2023: ReportEntry) -> None:
    private = f"{XXGK}/private/zfxxgknb/t20240110_1925003.shtml"
    offsite_link = f"{COLUMN}/2023n/202401/t20240126_1925002.shtml"
    broken = f"{COLUMN}/2022n/202301/t20230131_1790003.shtml"
    extra = {
        "2023n": [
            (f"../{office_2023.page_url[len(COLUMN) + 1:]}", office_2023.title, office_2023.published),
            ("./202401/t20240126_1925002.shtml", "青山市住房和城乡建设局2023年政府信息公开工作年度报告", "2024-01-26"),
            ("/private/zfxxgknb/t20240110_1925003.shtml", "青山市审计局2023年政府信息公开工作年度报告", "2024-01-10"),
        ],
        "2022n": [("./202301/t20230131_1790003.shtml", "青山市财政局2022年政府信息公开工作年度报告", "2023-01-31")],
    }
    sidebar = link("../index.shtml", "全部年报") + link("../2023n/index.shtml", "2023年") + link("../2022n/index.shtml", "2022年")
    for year, reports in subs.items():
        items = [(f"./{r.page_url.split(f'/{year}/', 1)[1]}", r.title, r.published) for r in reports] + extra[year]
        crumb = f'{link("../index.shtml", "政府信息公开年报")} &gt; {year}'
        for name, html in trs_style.column_pages(f"{year[:4]}年部门年报", crumb, sidebar, items, 10).items():
            site.add_html(f"{COLUMN}/{year}/{name}", html, ENC, False)
    site.add_redirect(offsite_link, "http://www.gov-mirror.com/qingshan/2024/zjj.html", 302)
    site.noise_urls.append(offsite_link)
    site.offsite_urls.append("http://www.gov-mirror.com/qingshan/2024/zjj.html")
    _simple(site, private, "青山市审计局2023年政府信息公开工作年度报告", "内部预览，请勿抓取。")
    site.forbidden_urls.append(private)
    site.broken_urls.append(broken)
