"""丰和县: the disclosure column is reached only through an <iframe>, a script redirect and a jump menu.

Home `/` embeds `/zwgk/` in an <iframe>; `/zwgk/` is a shell whose only content is
`window.location.href = "/zwgk/xxgk.html"`; that page offers the report column in
a <select> jump menu and through `onclick="window.open(…)"`. No <a href> leads
from the home page to any report.
"""

from __future__ import annotations

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.model import ReportEntry
from flows.fakeweb.sites import static_style
from flows.fakeweb.sites.base import FakeSite
from flows.fakeweb.sites.html import page
from flows.fakeweb.sites.kit import add_noise_page, add_report_page, allow_all_robots

SITE_ID = "fenghe"
HOST = "http://www.fenghe.gov.cn"
GOV = "丰和县人民政府"
REPORTS = [  # (agency, year, title, post id, published)
    (GOV, 2023, "丰和县人民政府信息公开工作2023年度报告", 301, "2024-01-20"),
    ("丰和县教育局", 2023, "丰和县教育局政府信息公开工作二〇二三年度报告", 302, "2024-01-18"),
    (GOV, 2022, "丰和县人民政府2022年政府信息公开工作年度报告", 201, "2023-01-19"),
]
NOISE = [("丰和县2024年政府工作报告", 303, "2024-02-01"), ("图解：丰和县2023年政府信息公开工作年度报告", 304, "2024-01-21")]


def build(store: DocumentStore) -> FakeSite:
    site = FakeSite(SITE_ID, GOV, [f"{HOST}/"], ["www.fenghe.gov.cn"], "990500")
    items = []
    for agency, year, title, post_id, published in REPORTS:
        report = ReportEntry(SITE_ID, agency, year, title, f"{HOST}/zwgk/nb/post_{post_id}.html", published,
                             inline_tables=True)
        add_report_page(site, store, report)
        items.append((f"post_{post_id}.html", title, published))
    for title, post_id, published in NOISE:
        add_noise_page(site, f"{HOST}/zwgk/nb/post_{post_id}.html", title, GOV, published)
        items.append((f"post_{post_id}.html", title, published))
    items.sort(key=lambda item: item[2], reverse=True)
    for name, html in static_style.list_pages("政府信息公开年报", items, per_page=10).items():
        site.add_html(f"{HOST}/zwgk/nb/{name}", html)
    site.add_html(f"{HOST}/", page(GOV, '<h1>丰和县人民政府</h1><iframe src="/zwgk/" width="100%"></iframe>'))
    site.add_html(f"{HOST}/zwgk/", page("跳转中", '<script>window.location.href = "/zwgk/xxgk.html";</script>'))
    menu = ('<select onchange="window.open(this.value)"><option value="">请选择栏目</option>'
            '<option value="/zwgk/nb/list.html">政府信息公开年报</option></select>'
            "<span onclick=\"window.open('/zwgk/nb/list.html')\">年报</span>")
    site.add_html(f"{HOST}/zwgk/xxgk.html", page("政务公开", f"<h1>政务公开</h1>{menu}"))
    allow_all_robots(site, HOST)
    return site
