"""Two sites only a browser can read, for the browser path of the crawler.

景河县 (`jinghe`, registry `render: browser`): its 年报 column is an empty `<ul>` that a
script fills from `/api/xxgknb/list.json`; the page also loads a tracker from a third-party
host, which the crawler's browser must block. Report pages are plain HTML.

瑞岭市 (`ruiling`, no registry hint): every page and document answers HTTP 412 with a
Ruishu-style challenge until the request carries the cookie its script computes
(`rs_clearance`), then the script reloads the page. robots.txt is served without a
challenge. Attachments need the cookie too, so plain downloads work only once the
browser's cookie has been handed over.
"""

from __future__ import annotations

import json
from http.cookies import SimpleCookie
from typing import Any

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.model import Attachment, FakeRequest, Reply, ReportEntry
from flows.fakeweb.sites.base import FakeSite
from flows.fakeweb.sites.html import attachment_block, esc, link, list_items, page, report_article_html
from flows.fakeweb.sites.serving import publish

JINGHE = "http://www.jinghe.gov.cn"
JINGHE_GOV = "景河县人民政府"
TRACKER_URL = "http://hm.tongji-cdn.com.cn/hm.js"  # a third-party host, outside every registry
RUILING = "http://www.ruiling.gov.cn"
RUILING_GOV = "瑞岭市人民政府"
CHALLENGE_SEED = 48271
CLEARANCE_COOKIE = "rs_clearance"


class BrowserSite(FakeSite):
    """A fake site whose registry entry may ask for a browser (`render: browser`)."""

    render: str | None = None

    def registry_entry(self) -> dict[str, Any]:
        entry = super().registry_entry()
        if self.render:
            entry["render"] = self.render
        return entry


def build_jinghe(store: DocumentStore) -> FakeSite:
    site = BrowserSite("jinghe", JINGHE_GOV, [f"{JINGHE}/"], ["jinghe.gov.cn"], "990700")
    site.render = "browser"
    entries = []
    for index, (agency, year) in enumerate([(JINGHE_GOV, 2023), ("景河县财政局", 2023), (JINGHE_GOV, 2022)]):
        report = ReportEntry("jinghe", agency, year, f"{agency}{year}年政府信息公开工作年度报告",
                             f"{JINGHE}/xxgk/xxgknb/art_{7100 + index}.html", f"{year + 1}-01-2{index}",
                             inline_tables=True)
        publish(site, store, report, _report_page(store, report))
        entries.append({"title": report.title, "url": f"/xxgk/xxgknb/art_{7100 + index}.html",
                        "date": report.published})
    noise = f"{JINGHE}/xxgk/xxgknb/art_7199.html"
    site.add_html(noise, page("景河县2024年政府工作报告", "<p>政府工作报告正文。</p>"))
    site.noise_urls.append(noise)
    entries.append({"title": "景河县2024年政府工作报告", "url": "/xxgk/xxgknb/art_7199.html", "date": "2024-02-01"})
    site.add(f"{JINGHE}/api/xxgknb/list.json",
             lambda _r: Reply(200, json.dumps({"total": len(entries), "rows": entries}, ensure_ascii=False).encode(),
                              "application/json; charset=utf-8"))
    site.add_html(f"{JINGHE}/xxgk/xxgknb/", page("政府信息公开年报", _rendered_list_html()))
    site.add_html(f"{JINGHE}/", page(JINGHE_GOV, f'<div class="nav">{link("/xxgk/xxgknb/", "政府信息公开年报")}</div>'))
    site.add(f"{JINGHE}/robots.txt", lambda _r: Reply(200, b"User-agent: *\nDisallow: /admin/\n", "text/plain"))
    site.offsite_urls.append(TRACKER_URL)
    return site


def _rendered_list_html() -> str:
    """An empty list that a script fills from the JSON endpoint, plus a third-party tracker."""
    script = """
<script>
fetch('/api/xxgknb/list.json').then(function (r) { return r.json(); }).then(function (data) {
  var ul = document.getElementById('list');
  data.rows.forEach(function (row) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = row.url; a.textContent = row.title; a.title = row.title;
    li.appendChild(a); ul.appendChild(li);
  });
});
</script>"""
    return (f'<h2>政府信息公开年报</h2><ul id="list" class="list"></ul>'
            f'<script src="{TRACKER_URL}"></script>{script}')


def _report_page(store: DocumentStore, report: ReportEntry):
    def html() -> str:
        if report.inline_tables:
            body = report_article_html(store.render(report, "html"))
        else:
            body = f"<p>{esc(report.agency)}{report.year}年政府信息公开工作年度报告全文见附件。</p>"
        links = [(a.url, a.link_text) for a in report.attachments]
        extra = attachment_block(links) if links else ""
        return page(report.title, f"<h1>{esc(report.title)}</h1>{body}{extra}")

    return html


class ChallengeSite(BrowserSite):
    """Answers 412 and a cookie-computing script until the request carries the cookie."""

    def handle(self, request: FakeRequest) -> Reply:
        if request.path == "/robots.txt" or _cleared(request):
            return super().handle(request)
        return Reply(412, challenge_html().encode("utf-8"), "text/html; charset=utf-8")


def clearance_token(seed: int = CHALLENGE_SEED) -> str:
    return str((seed * 7919 + 13) % 1_000_003)


def _cleared(request: FakeRequest) -> bool:
    cookie = SimpleCookie()
    cookie.load(request.headers.get("cookie", ""))
    return CLEARANCE_COOKIE in cookie and cookie[CLEARANCE_COOKIE].value == clearance_token()


def challenge_html() -> str:
    """Ruishu-style: a random-looking meta, an obfuscated-looking script, cookie, reload."""
    return (
        '<!DOCTYPE html><html><head><meta content="Xq8f2LkW0pzc" id="rs-meta">'
        f"<script>var $_ts=window['$_ts'];if(!$_ts)$_ts={{}};$_ts.nsd={CHALLENGE_SEED};"
        "var _$Qk=function(s){return (s*7919+13)%1000003;};"
        f"document.cookie='{CLEARANCE_COOKIE}='+_$Qk($_ts.nsd)+'; path=/';location.reload();</script>"
        "</head><body></body></html>"
    )


def build_ruiling(store: DocumentStore) -> FakeSite:
    site = ChallengeSite("ruiling", RUILING_GOV, [f"{RUILING}/"], ["ruiling.gov.cn"], "990800")
    items = []
    for index, (agency, year, fmt) in enumerate([(RUILING_GOV, 2023, "pdf"), ("瑞岭市教育局", 2023, "docx"),
                                                 (RUILING_GOV, 2021, "pdf")]):
        post = 8800 + index
        title = f"{agency}{year}年政府信息公开工作年度报告"
        report = ReportEntry("ruiling", agency, year, title, f"{RUILING}/zwgk/ndbg/t{year + 1}0125_{post}.html",
                             f"{year + 1}-01-25", inline_tables=False,
                             attachments=(Attachment(f"{RUILING}/zwgk/ndbg/P0{post}.{fmt}", fmt, f"{title}.{fmt}"),))
        publish(site, store, report, _report_page(store, report))
        items.append((report.page_url.removeprefix(RUILING), title, report.published))
    site.add_html(f"{RUILING}/zwgk/ndbg/", page("政府信息公开工作年度报告", list_items(items)))
    site.add_html(f"{RUILING}/", page(RUILING_GOV, f'<div class="nav">{link("/zwgk/ndbg/", "政府信息公开年度报告")}</div>'))
    site.add(f"{RUILING}/robots.txt", lambda _r: Reply(200, b"User-agent: *\nAllow: /\n", "text/plain"))
    return site


def build(store: DocumentStore) -> list[FakeSite]:
    """Both browser-only sites."""
    return [build_jinghe(store), build_ruiling(store)]
