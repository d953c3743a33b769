"""白石县: a plain static county site, GBK with no charset declared anywhere.

Lists chain by 下一页 (`list.html`, `list_2.html`, …); each report is the HTML page
itself (`content/post_N.html`, tables rendered from its ReportSpec). A 乡镇 sub-list
holds township reports, among them a pre-2019 prose report without a spec.
"""

from __future__ import annotations

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.model import ReportEntry
from flows.fakeweb.sites import static_style
from flows.fakeweb.sites.base import FakeSite
from flows.fakeweb.sites.html import esc, link, list_items, page, report_article_html
from flows.fakeweb.sites.legacy import legacy_report_html
from flows.fakeweb.sites.serving import publish

SITE_ID = "baishi"
HOST = "http://xxgk.baishi.gov.cn"
GOV = "白石县人民政府"
ENC = "gbk"
QINGLONG = "白石县青龙镇人民政府"

# (agency, year, title or None, list folder, post id, published)
REPORTS = [
    (GOV, 2023, None, "xxgknb", 4401, "2024-03-29"),
    ("白石县卫生健康局", 2023, None, "xxgknb", 4388, "2024-01-30"),
    (GOV, 2022, "白石县人民政府二〇二二年政府信息公开工作年度报告", "xxgknb", 4102, "2023-03-30"),
    (GOV, 2020, None, "xxgknb", 3507, "2021-03-31"),
    (QINGLONG, 2023, None, "xxgknb/xz", 4390, "2024-01-25"),
    ("白石县白沙乡人民政府", 2021, None, "xxgknb/xz", 3901, "2022-01-20"),
    (QINGLONG, 2018, "青龙镇2018年政府信息公开工作年度报告", "xxgknb/xz", 2801, "2019-01-28"),
]
NOISE = [  # (folder, post id, title, date, listed in the 年报 list?)
    ("xxgknb", 4300, "白石县2023年政府工作报告", "2024-02-10", True),
    ("qyxx", 5101, "白石县2023年度企业年度报告公示", "2024-06-30", False),
    ("zwgk", 5102, "白石县2024年政务公开工作要点", "2024-03-15", False),
    ("czxx", 5103, "白石县2023年部门决算公开", "2024-08-20", False),
    ("xwdt", 5104, "白石县召开春季农业生产推进会", "2024-03-01", False),
]


def build(store: DocumentStore) -> FakeSite:
    site = FakeSite(SITE_ID, GOV, [f"{HOST}/"], ["xxgk.baishi.gov.cn"], "990300")
    lists: dict[str, list[tuple[str, str, str]]] = {"xxgknb": [], "xxgknb/xz": []}
    for agency, year, title, folder, post_id, published in REPORTS:
        report = ReportEntry(
            SITE_ID, agency, year, title or f"{agency}{year}年政府信息公开工作年度报告",
            f"{HOST}/{folder}/content/post_{post_id}.html", published, inline_tables=year >= 2019,
            prose_only=year < 2019, revisable=agency == "白石县卫生健康局",
        )
        publish(site, store, report, _page(store, report), ENC, header_charset=False)
        lists[folder].append((f"./content/post_{post_id}.html", report.title, published))
    for folder, post_id, title, published, listed in NOISE:
        url = f"{HOST}/{folder}/content/post_{post_id}.html"
        site.add_html(url, static_style.report_page(title, GOV, published, f"<p>{esc(title)}正文。</p>", "/"),
                      ENC, False)
        site.noise_urls.append(url)
        if listed:
            lists[folder].append((f"./content/post_{post_id}.html", title, published))
    for folder, items in lists.items():
        items.sort(key=lambda item: item[2], reverse=True)
        heading = "乡镇政府信息公开年报" if folder.endswith("xz") else "政府信息公开年报"
        for name, html in static_style.list_pages(heading, items, per_page=2).items():
            site.add_html(f"{HOST}/{folder}/{name}", html, ENC, False)
    _add_home(site)
    return site


def _page(store: DocumentStore, report: ReportEntry):
    def html() -> str:
        if report.prose_only:
            text = legacy_report_html(report.agency, report.year, report.seed)
        else:
            text = report_article_html(store.render(report, "html"))
        return static_style.report_page(report.title, report.agency, report.published, text, "../list.html")

    return html


def _add_home(site: FakeSite) -> None:
    entries = [
        ("/xxgknb/list.html", "政府信息公开年报", ""),
        ("/xxgknb/xz/list.html", "乡镇政府信息公开年报", ""),
    ] + [(f"/{folder}/content/post_{pid}.html", title, day) for folder, pid, title, day, listed in NOISE if not listed]
    body = f"<h1>{esc(GOV)}信息公开</h1>\n{list_items(entries)}\n{link('http://www.baishi-gov.cn.cc/', '白石县信息网')}"
    site.add_html(f"{HOST}/", page(f"{GOV}信息公开", body, meta_charset=None), ENC, False)
    site.offsite_urls.append("http://www.baishi-gov.cn.cc/")
    site.add_bytes(f"{HOST}/robots.txt", lambda: b"User-agent: *\nDisallow:\n", "text/plain")
