"""Simple generated county sites (TRS or static style) to make a web big enough to benchmark."""

from __future__ import annotations

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.model import ReportEntry
from flows.fakeweb.sites import static_style, trs_style
from flows.fakeweb.sites.base import FakeSite
from flows.fakeweb.sites.html import link, list_items, page, report_article_html
from flows.fakeweb.sites.serving import publish

SYLLABLES = "东西南北金石松竹梅兰清平安宁和顺永昌兴隆"
YEARS = (2023, 2022, 2021)


def county_name(number: int) -> str:
    """A stable two-character county name per site number (e.g. 1 -> 东西县)."""
    first, second = divmod(number, len(SYLLABLES))
    return f"{SYLLABLES[first % len(SYLLABLES)]}{SYLLABLES[second]}县"


def build(store: DocumentStore, number: int, broken_identity: str | None = None) -> FakeSite:
    """Site `genNNN` on www.genNNN.gov.cn: odd numbers TRS style with PDFs, even ones static HTML.

    With `broken_identity`, the newest report of an even (static) site fails that check.
    """
    site_id, host = f"gen{number:03d}", f"www.gen{number:03d}.gov.cn"
    name = f"{county_name(number)}人民政府"
    site = FakeSite(site_id, name, [f"http://{host}/"], [host])
    if number % 2:
        _build_trs(site, store, f"http://{host}", name)
    else:
        _build_static(site, store, f"http://{host}", name, broken_identity)
    return site


def _build_trs(site: FakeSite, store: DocumentStore, base: str, name: str) -> None:
    column = f"{base}/zfxxgk/zfxxgknb"
    items = []
    for index, year in enumerate(YEARS):
        published = f"{year + 1}-03-{20 + index}"
        title = f"{name}{year}年政府信息公开工作年度报告"
        page_url = f"{column}/{year + 1}03/t{year + 1}03{20 + index}_{7000 + index}.shtml"
        attachment, href = trs_style.attachment_for(page_url, published, 0, "pdf", f"{title}.pdf")
        report = ReportEntry(site.id, name, year, title, page_url, published, (attachment,))
        html = trs_style.report_page(title, name, published, "政府信息公开年报", link(f"{base}/", "首页"),
                                     "<p>全文见附件。</p>", [(href, attachment.link_text)])
        publish(site, store, report, lambda html=html: html, "gbk", header_charset=False)
        items.append((f".{page_url[len(column):]}", title, published))
    noise_url = f"{column}/202402/t20240201_6999.shtml"
    noise_title = f"{name}2024年政府工作报告"
    site.add_html(noise_url, page(noise_title, f"<h1>{noise_title}</h1>", meta_charset="gb2312"), "gbk", False)
    site.noise_urls.append(noise_url)
    items.insert(0, (f".{noise_url[len(column):]}", noise_title, "2024-02-01"))
    for file_name, html in trs_style.column_pages("政府信息公开年报", "", "", items, per_page=2).items():
        site.add_html(f"{column}/{file_name}", html, "gbk", False)
    home = list_items([("/zfxxgk/zfxxgknb/index.shtml", "政府信息公开年报", "")])
    site.add_html(f"{base}/", page(name, home, meta_charset="gb2312"), "gbk", False)


def _build_static(
    site: FakeSite, store: DocumentStore, base: str, name: str, broken_identity: str | None = None
) -> None:
    items = []
    for index, year in enumerate(YEARS):
        published = f"{year + 1}-01-{20 + index}"
        title = f"{name}{year}年政府信息公开工作年度报告"
        report = ReportEntry(site.id, name, year, title, f"{base}/xxgknb/content/post_{800 + index}.html",
                             published, inline_tables=True,
                             broken_identity=broken_identity if index == 0 else None)

        def html(report: ReportEntry = report) -> str:
            text = report_article_html(store.render(report, "html"))
            return static_style.report_page(report.title, name, report.published, text, "../list.html")

        publish(site, store, report, html, "gbk", header_charset=False)
        items.append((f"./content/post_{800 + index}.html", title, published))
    for file_name, html_text in static_style.list_pages("政府信息公开年报", items, per_page=2).items():
        site.add_html(f"{base}/xxgknb/{file_name}", html_text, "gbk", False)
    home = list_items([("/xxgknb/list.html", "政府信息公开年报", "")])
    site.add_html(f"{base}/", page(name, home, meta_charset=None), "gbk", False)
