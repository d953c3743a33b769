"""云溪区: list pages declare utf-8 but are GBK, and the newest report is first linked as navigation.

The home page's 最新年度报告 link (a label that is no report title) points at the
newest report page, and lists it before the 年报 column does: a crawler that takes
that page for navigation, and later drops the properly titled request as a
duplicate, loses the report. Lists and report pages send `charset=utf-8` (header
and <meta>) while their bytes are GBK.
"""

from __future__ import annotations

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.model import ReportEntry
from flows.fakeweb.sites import static_style
from flows.fakeweb.sites.base import FakeSite
from flows.fakeweb.sites.html import link, page
from flows.fakeweb.sites.kit import add_noise_page, add_report_page, allow_all_robots, serve_wrong_charset

SITE_ID = "yunxi"
HOST = "http://www.yunxi.gov.cn"
GOV = "云溪区人民政府"
REPORTS = [  # (agency, year, title, post id, published)
    (GOV, 2023, "云溪区人民政府2023年政府信息公开工作年度报告", 801, "2024-01-22"),
    ("云溪区机构编制委员会办公室", 2023, "云溪区机构编制委员会办公室2023年政府信息公开工作年度报告", 802, "2024-01-15"),
    ("云溪区财政预算评审中心", 2023, "云溪区财政预算评审中心2023年政府信息公开工...", 803, "2024-01-12"),
    (GOV, 2022, "关于2022年政府信息公开工作的年度报告", 701, "2023-01-20"),
]
NOISE = [
    ("关于做好2023年政府信息公开工作年度报告编制发布工作的通知", 804, "2023-12-01"),
    ("云溪区2023年政府信息公开工作年度报告解读", 805, "2024-01-23"),
]


def build(store: DocumentStore) -> FakeSite:
    site = FakeSite(SITE_ID, GOV, [f"{HOST}/"], ["www.yunxi.gov.cn"], "990600")
    items = []
    for agency, year, title, post_id, published in REPORTS:
        full_title = title if not title.endswith("...") else f"{agency}{year}年政府信息公开工作年度报告"
        page_title = full_title if not full_title.startswith("关于") else f"{GOV}{full_title}"
        report = ReportEntry(SITE_ID, agency, year, page_title, f"{HOST}/xxgk/nb/post_{post_id}.html", published,
                             inline_tables=True)
        add_report_page(site, store, report, encoding="gbk", declared="utf-8")
        items.append((f"post_{post_id}.html", title, published))
    for title, post_id, published in NOISE:
        add_noise_page(site, f"{HOST}/xxgk/nb/post_{post_id}.html", title, GOV, published)
        items.append((f"post_{post_id}.html", title, published))
    items.sort(key=lambda item: item[2], reverse=True)
    for name, html in static_style.list_pages("政府信息公开年报", items, per_page=3).items():
        serve_wrong_charset(site, f"{HOST}/xxgk/nb/{name}", html)
    home = (f"<h1>{GOV}</h1><p>{link('/xxgk/nb/post_801.html', '最新年度报告')}</p>"
            f"<p>{link('/xxgk/index.html', '政府信息公开')}</p>")
    site.add_html(f"{HOST}/", page(GOV, home))
    site.add_html(f"{HOST}/xxgk/index.html", page("政府信息公开", link("/xxgk/nb/list.html", "年报")))
    allow_all_robots(site, HOST)
    return site
