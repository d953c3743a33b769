"""林滩市: a department's column mixes news and reports; its old reports sit on pages 7 and 8.

The 民政局 column is reached through plain department links (no 年报 in the path or
label) and pages by 下一页. Pages 3–6 hold only news; a crawler that stops paging a
column whose page shows no report never reaches the 2019/2020 reports. Titles use
the variants real listings show (year between 工作 and 年度报告, cut titles, 上一篇
prefixes) among look-alikes (年度工作总结, 部门决算, 图解).
"""

from __future__ import annotations

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.model import ReportEntry
from flows.fakeweb.sites import static_style
from flows.fakeweb.sites.base import FakeSite
from flows.fakeweb.sites.html import link, page
from flows.fakeweb.sites.kit import add_noise_page, add_report_page, allow_all_robots

SITE_ID = "lintan"
HOST = "http://www.lintan.gov.cn"
GOV = "林滩市人民政府"
DEPT = "林滩市民政局"
# (year, listing title, post id, published): newest first; 2 entries per list page.
REPORTS = [
    (2023, "林滩市民政局政府信息公开工作2023年度报告", 9023, "2024-01-20"),
    (2022, "林滩市民政局2022年政府信息公开工作年...", 9022, "2023-01-20"),
    (2021, "林滩市民政局关于2021年政府信息公开工作的年度报告", 9021, "2022-01-20"),
    (2020, "林滩市民政局二〇二〇年政府信息公开工作年度报告", 9020, "2021-01-20"),
    (2019, "林滩市民政局2019年度政府信息公开工作年度报…", 9019, "2020-01-20"),
]
NOISE = [
    ("林滩市民政局2023年度工作总结", 9101, "2024-01-10"),
    ("图解：林滩市民政局2023年政府信息公开工作年度报告", 9102, "2024-01-21"),
    ("林滩市民政局2022年部门决算", 9103, "2023-08-01"),
]
NEWS_DATES = [f"{year}-0{month}-15" for year in (2023, 2022, 2021) for month in (9, 6, 3)]


def build(store: DocumentStore) -> FakeSite:
    site = FakeSite(SITE_ID, GOV, [f"{HOST}/"], ["www.lintan.gov.cn"], "990700")
    items = []
    for year, title, post_id, published in REPORTS:
        report = ReportEntry(SITE_ID, DEPT, year, f"{DEPT}{year}年政府信息公开工作年度报告",
                             f"{HOST}/bm/mzj/art/post_{post_id}.html", published, inline_tables=True)
        add_report_page(site, store, report)
        items.append((f"art/post_{post_id}.html", title, published))
    for title, post_id, published in NOISE:
        add_noise_page(site, f"{HOST}/bm/mzj/art/post_{post_id}.html", title, DEPT, published)
        items.append((f"art/post_{post_id}.html", title, published))
    news = [(f"art/news_{n}.html", f"民政局召开第{n}次工作例会", day) for n, day in enumerate(NEWS_DATES, 1)]
    for href, title, day in news:
        site.add_html(f"{HOST}/bm/mzj/{href}", page(title, f"<h1>{title}</h1><p>会议内容。</p>"))
    items.sort(key=lambda item: item[2], reverse=True)
    # Reports of 2023/2022 first, then news only, then 2021..2019 on pages 7-8.
    ordered = items[:4] + news + items[4:]
    for name, html in static_style.list_pages("民政局", ordered, per_page=2).items():
        site.add_html(f"{HOST}/bm/mzj/{name}", html)
    site.add_html(f"{HOST}/", page(GOV, f"<h1>{GOV}</h1>{link('/bm/', '部门信息公开')}"))
    site.add_html(f"{HOST}/bm/", page("部门信息公开", link("/bm/mzj/list.html", "市民政局信息公开")))
    allow_all_robots(site, HOST)
    return site
