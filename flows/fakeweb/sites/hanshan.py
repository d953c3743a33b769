"""寒山区: a Hanweb jcms site (UTF-8) whose column lists live in a <datastore> script.

The column page carries the first `perpage` records; the rest come only from
POST /module/web/jpage/dataproxy.jsp?startrecord=N&endrecord=M&perpage=K with the
column's form (col=1, columnid, unitid), answered with the same datastore XML.
Attachments are DOC and WPS, some behind an extension-less downfile.jsp URL.
"""

from __future__ import annotations

import zlib
from urllib.parse import parse_qs, urlsplit

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.model import Attachment, FakeRequest, Reply, ReportEntry
from flows.fakeweb.sites.base import FakeSite
from flows.fakeweb.sites.html import attachment_block, esc, link, page
from flows.fakeweb.sites.serving import publish

SITE_ID = "hanshan"
HOST = "http://www.hanshan.gov.cn"
COLUMN_ID = "1229232619"
UNIT_ID = "4151843"
COLUMN_URL = f"{HOST}/col/col{COLUMN_ID}/index.html"
PROXY_PATH = "/module/web/jpage/dataproxy.jsp"
PER_PAGE = 4
GOV = "寒山区人民政府"
DOWNLOAD = f"{HOST}/module/download/downfile.jsp?classid=0&filename="

# (agency, year, title or None, published, article id, [(format, download name or None)])
REPORTS = [
    (GOV, 2023, None, "2024-01-25", "3937963", [("doc", None)]),
    ("寒山区市场监督管理局", 2023, None, "2024-01-18", "3937001", [("wps", "2401181530123456.wps")]),
    (GOV, 2022, None, "2023-03-28", "3800120", [("docx", "（超链版）"), ("pdf", "（图片版）")]),
    ("寒山区市场监督管理局", 2022, None, "2023-01-16", "3790055", [("doc", None)]),
    (GOV, 2021, None, "2022-03-25", "3700321", [("wps", "2203251000567890.wps")]),
    (GOV, 2020, None, "2021-03-30", "3600777", [("doc", "2103301200345678.doc")]),
    ("寒山区人民政府办公室", 2019, "寒山区人民政府办公室二〇一九年政府信息公开工作年度报告", "2020-01-20", "3500450",
     [("pdf", "2001201100223344.pdf")]),
]
NOISE = [
    ("寒山区2023年法治政府建设年度报告", "2024-03-20", "3940001"),
    ("寒山区2024年政务公开工作要点", "2024-03-05", "3939002"),
    ("寒山区2022年度部门决算公开", "2023-08-30", "3850003"),
]


def build(store: DocumentStore) -> FakeSite:
    site = FakeSite(SITE_ID, GOV, [COLUMN_URL], ["www.hanshan.gov.cn"], "990200")
    records: list[tuple[str, str, str]] = []
    for row in REPORTS:
        report = _report(row)
        publish(site, store, report, _article(report), "utf-8")
        records.append((report.page_url[len(HOST):], report.title, report.published))
    for title, published, article_id in NOISE:
        url = _article_url(published, article_id)
        text = f"<p>{esc(title)}全文如下。</p>"
        site.add_html(url, page(title, f"<h1>{esc(title)}</h1><div id='zoom'>{text}</div>"))
        site.noise_urls.append(url)
        records.append((url[len(HOST):], title, published))
    records.sort(key=lambda record: record[2], reverse=True)
    site.add_html(COLUMN_URL, _column_page(records))
    site.add_prefix(f"{HOST}{PROXY_PATH}", lambda request: _dataproxy(request, records))
    return site


def _article_url(published: str, article_id: str) -> str:
    year, month, day = (int(part) for part in published.split("-"))
    return f"{HOST}/art/{year}/{month}/{day}/art_{COLUMN_ID}_{article_id}.html"


def _report(row: tuple) -> ReportEntry:
    agency, year, title, published, article_id, files = row
    title = title or f"{agency}{year}年政府信息公开工作年度报告"
    attachments = []
    for fmt, name in files:
        if name is None:  # extension-less download: only Content-Disposition names the file
            url = DOWNLOAD + f"{zlib.crc32(f'{agency}{year}'.encode()):08x}"
            text = f"{title}.{fmt}"
        elif name.startswith("（"):
            url, text = DOWNLOAD + f"{article_id}{fmt}.{fmt}", f"{title}{name}.{fmt}"
        else:
            url, text = DOWNLOAD + name, f"{title}.{fmt}"
        attachments.append(Attachment(url, fmt, text))
    return ReportEntry(SITE_ID, agency, year, title, _article_url(published, article_id), published,
                       tuple(attachments), revisable=(agency, year) == (GOV, 2023))


def _article(report: ReportEntry):
    # One attachment link is protocol-relative, as some jcms templates write them.
    links = [(a.url.replace("http:", "", 1) if i == 1 else a.url[len(HOST):], a.link_text)
             for i, a in enumerate(report.attachments)]
    head = (f'<meta name="ArticleTitle" content="{esc(report.title)}">\n'
            f'<meta name="PubDate" content="{report.published} 10:12">\n'
            f'<meta name="ContentSource" content="{esc(report.agency)}">\n')
    body = (f'<div class="main-txt"><h1>{esc(report.title)}</h1>\n'
            f"<div class='info'>发布日期：{report.published} 信息来源：{esc(report.agency)}</div>\n"
            f'<div id="zoom"><p>{esc(report.title)}已编制完成，现予公布，详见附件。</p></div>\n'
            f"{attachment_block(links)}\n{link(COLUMN_URL[len(HOST):], '返回列表')}</div>")
    html = page(report.title, body, head)
    return lambda: html


def _record_xml(records: list[tuple[str, str, str]]) -> str:
    return "\n".join(
        f'<record><![CDATA[<li><a href="{esc(href)}" title="{esc(title)}" target="_blank">{esc(title)}</a>'
        f"<span>{published}</span></li>]]></record>"
        for href, title, published in records
    )


def _nextgroup() -> str:
    query = (f"page=1&amp;webid=3086&amp;path={HOST}/&amp;columnid={COLUMN_ID}&amp;unitid={UNIT_ID}"
             "&amp;webname=寒山区人民政府&amp;permissiontype=0")
    return f'<nextgroup><![CDATA[<a href="{PROXY_PATH}?{query}"></a>]]></nextgroup>'


def _column_page(records: list[tuple[str, str, str]]) -> str:
    datastore = (f'<div id="{UNIT_ID}"><script type="text/xml"><datastore>{_nextgroup()}\n<recordset>\n'
                 f"{_record_xml(records[:PER_PAGE])}\n</recordset></datastore></script></div>")
    script = ("<script type=\"text/javascript\">$(document).ready(function(){"
              f"$('#{UNIT_ID}').jpage({{dataStore: dataStore, proxyUrl: '{PROXY_PATH}', "
              f"totalRecord:{len(records)}, perpage:{PER_PAGE}, groupSize:3, "
              f"ajaxParam: {{col: 1, webid: 3086, path: '/', columnid: {COLUMN_ID}, "
              f"sourceContentType: 1, unitid: {UNIT_ID}, webname: '寒山区人民政府', permissiontype: 0}}}});}});</script>")
    body = (f'<div class="position">当前位置：{link("/", "首页")} &gt; 政府信息公开 &gt; 政府信息公开年报</div>\n'
            f'<div class="column-title">政府信息公开年报</div>\n{datastore}\n{script}')
    return page("政府信息公开年报", body, '<script src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>\n')


def _dataproxy(request: FakeRequest, records: list[tuple[str, str, str]]) -> Reply:
    """Records startrecord..endrecord (1-based, inclusive) as datastore XML."""
    if request.method != "POST":
        return Reply(405, b"dataproxy: POST only\n", "text/plain")
    query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
    form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
    if form.get("col") != "1" or form.get("columnid") != COLUMN_ID or form.get("unitid") != UNIT_ID:
        return Reply(400, b"dataproxy: form needs col=1, columnid and unitid of the column\n", "text/plain")
    try:
        start, end = int(query["startrecord"]), int(query["endrecord"])
    except (KeyError, ValueError):
        return Reply(400, b"dataproxy: startrecord and endrecord required\n", "text/plain")
    chunk = records[max(start, 1) - 1 : max(end, 0)]
    pages = -(-len(records) // PER_PAGE)
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore><totalrecord>{len(records)}</totalrecord>'
           f"<totalpage>{pages}</totalpage>{_nextgroup()}\n<recordset>\n{_record_xml(chunk)}\n</recordset></datastore>")
    return Reply(200, xml.encode("utf-8"), "text/xml; charset=UTF-8")
