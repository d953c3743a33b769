"""柳树市: a site paged by query string (`/xxgk/ndbg/list?page=N`), UTF-8.

The crawler starts at the portal home and must find 政务公开 -> 信息公开年报, whose
list has sub-lists for 部门 and 乡镇 reports. Pages use flat `Content-N.html`,
`/c/xxgk/N.jhtml` and `zwgkcontent-A-B.html` styles. The 2022 city report has a
（超链版）page and a （图片版）PDF linked straight from the list: one report, two documents.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.model import Attachment, FakeRequest, Reply, ReportEntry
from flows.fakeweb.sites.base import FakeSite
from flows.fakeweb.sites.html import attachment_block, encode_page, esc, link, list_items, page
from flows.fakeweb.sites.serving import publish

SITE_ID = "liushu"
HOST = "http://www.liushu.gov.cn"
GOV = "柳树市人民政府"
PER_PAGE = 3
LISTS = {"": "市政府年报", "bm/": "部门年报", "xz/": "乡镇（街道）年报"}
PAIR = "（超链版）", "（图片版）"

# (list, agency, year, page path, published, [(file path, format, suffix of link text)])
REPORTS = [
    ("", GOV, 2024, "/Content-2027931.html", "2025-03-27", [("/upload/2025/03/27/2024ndbg.pdf", "pdf", "")]),
    ("", GOV, 2023, "/Content-1932200.html", "2024-03-26",
     [("/upload/2024/03/26/2023ndbg.pdf", "pdf", ""), ("/upload/2024/03/26/2023ndbg.docx", "docx", "")]),
    ("", GOV, 2022, "/Content-1830100.html", "2023-03-29",
     [("/upload/2023/03/29/cl2022.pdf", "pdf", PAIR[0]), ("/upload/2023/03/29/tp2022.pdf", "pdf", PAIR[1])]),
    ("", GOV, 2020, "/Content-1600600.html", "2021-03-30", [("/upload/2021/03/30/2020ndbg.pdf", "pdf", "")]),
    ("bm/", "柳树市市场监督管理局", 2023, "/c/xxgk/39535.jhtml", "2024-01-28", [("/upload/2024/01/28/scjg2023.pdf", "pdf", "")]),
    ("bm/", "柳树市教育局", 2023, "/c/xxgk/39530.jhtml", "2024-01-26", [("/upload/2024/01/26/jyj2023.docx", "docx", "")]),
    ("bm/", "柳树市财政局", 2019, "/c/xxgk/30210.jhtml", "2020-01-31", [("/upload/2020/01/31/czj2019.pdf", "pdf", "")]),
    ("xz/", "柳树市东湖街道办事处", 2023, "/zwgkcontent-888888040-56270.html", "2024-01-22",
     [("/upload/2024/01/22/dhjd2023.pdf", "pdf", "")]),
    ("xz/", "柳树市西山镇人民政府", 2022, "/zwgkcontent-888888041-50110.html", "2023-01-19",
     [("/upload/2023/01/19/xsz2022.docx", "docx", "")]),
]
NOISE = [  # (list or None for the 政务公开 page, title, path, published)
    ("", "柳树市2024年政府工作报告", "/Content-1900001.html", "2024-02-05"),
    ("bm/", "柳树市财政局2024年部门预算公开", "/c/xxgk/39600.jhtml", "2024-02-20"),
    (None, "柳树市2023年度财政决算公开", "/Content-1950002.html", "2024-08-15"),
]


def build(store: DocumentStore) -> FakeSite:
    site = FakeSite(SITE_ID, GOV, [f"{HOST}/"], ["www.liushu.gov.cn"], "990400")
    lists: dict[str, list[tuple[str, str, str]]] = {key: [] for key in LISTS}
    for list_key, agency, year, path, published, files in REPORTS:
        title = f"{agency}{year}年政府信息公开工作年度报告"
        attachments = tuple(Attachment(HOST + file, fmt, f"{title}{suffix}.{fmt}") for file, fmt, suffix in files)
        report = ReportEntry(SITE_ID, agency, year, title, HOST + path, published, attachments,
                             revisable=(agency, year) == ("柳树市教育局", 2023))
        publish(site, store, report, _content_page(report), "utf-8")
        if files[-1][2] == PAIR[1]:  # the image version is listed on its own, linking the PDF
            lists[list_key] += [(path, title + PAIR[0], published), (files[-1][0], title + PAIR[1], published)]
        else:
            lists[list_key].append((path, title, published))
    for list_key, title, path, published in NOISE:
        site.add_html(HOST + path, page(title, f"<h1>{esc(title)}</h1><p>{esc(title)}全文。</p>"))
        site.noise_urls.append(HOST + path)
        if list_key is not None:
            lists[list_key].append((path, title, published))
    for list_key, items in lists.items():
        items.sort(key=lambda item: item[2], reverse=True)
        handler = lambda request, k=list_key, i=items: _list_page(request, k, i)  # noqa: E731
        site.add(f"{HOST}/xxgk/ndbg/{list_key}list", handler)
        site.add_prefix(f"{HOST}/xxgk/ndbg/{list_key}list?", handler)
    _add_portal(site)
    return site


def _content_page(report: ReportEntry):
    depth = report.page_url[len(HOST):].count("/") - 1
    links = [("../" * depth + a.url[len(HOST) + 1:] if depth else a.url[len(HOST):], a.link_text)
             for a in report.attachments]
    body = (f'<div class="xl-title">{esc(report.title)}</div>\n'
            f'<div class="xl-info">发布时间：{report.published} 来源：{esc(report.agency)}</div>\n'
            f'<div class="xl-content"><p>现将{esc(report.title)}予以公布。</p>{attachment_block(links)}</div>')
    html = page(report.title, body, f'<meta name="ArticleTitle" content="{esc(report.title)}">\n')
    return lambda: html


def _list_page(request: FakeRequest, list_key: str, items: list[tuple[str, str, str]]) -> Reply:
    """Page N of a list (`?page=N`, default 1); pages past the end are empty, as real CMSs do."""
    query = parse_qs(urlsplit(request.url).query)
    try:
        number = int(query.get("page", ["1"])[0])
    except ValueError:
        number = 1
    total = max(1, -(-len(items) // PER_PAGE))
    chunk = items[(number - 1) * PER_PAGE : number * PER_PAGE] if number >= 1 else []
    pager = [f"共{total}页", link("list?page=1", "首页")]
    if number > 1:
        pager.append(link(f"list?page={number - 1}", "上一页"))
    if number < total:
        pager.append(link(f"list?page={number + 1}", "下一页"))
    pager.append(link(f"list?page={total}", "尾页"))
    tabs = " ".join(link(f"/xxgk/ndbg/{key}list?page=1", name) for key, name in LISTS.items())
    body = (f'<div class="tabs">{tabs}</div>\n<h2>{esc(LISTS[list_key])}</h2>\n'
            f'{list_items(chunk) if chunk else "<p>暂无数据</p>"}\n<div class="pager">{" ".join(pager)}</div>')
    return encode_page(page(f"信息公开年报_{LISTS[list_key]}", body), "utf-8", True)


def _add_portal(site: FakeSite) -> None:
    nav = " ".join([link("/", "首页"), link("/zwgk/index.jhtml", "政务公开"), link("/xwzx/index.jhtml", "新闻资讯")])
    site.add_html(f"{HOST}/", page(GOV, f'<div class="nav">{nav}</div><p>欢迎访问{esc(GOV)}门户网站。</p>'))
    entries = [("/xxgk/ndbg/list?page=1", "信息公开年报", "")] + [
        (path, title, day) for key, title, path, day in NOISE if key is None
    ] + [("/Content-1900001.html", "柳树市2024年政府工作报告", "2024-02-05")]
    site.add_html(f"{HOST}/zwgk/index.jhtml", page("政务公开", list_items(entries)))
    news = [("/c/xwzx/41001.jhtml", "柳树市举办2024年新春招聘会", "2024-02-18")]
    site.add_html(f"{HOST}/xwzx/index.jhtml", page("新闻资讯", list_items(news)))
    site.add_html(f"{HOST}/c/xwzx/41001.jhtml", page(news[0][1], f"<h1>{news[0][1]}</h1><p>招聘会现场。</p>"))
    site.add_bytes(f"{HOST}/robots.txt", lambda: b"User-agent: *\nDisallow: /admin/\n", "text/plain")
