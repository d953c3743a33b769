"""水源县: an Epoint WebBuilder (新点) style site whose lists and details are JSON.

The 年报 column `/xxgk/nb.html` is a shell: its script names the list endpoint
`/EWB-FRONT/rest/GovInfoAction/getGovInfoList` and the category number; the
endpoint serves at most 3 entries per `pageIndex` whatever `pageSize` asks.
Entries link `showinfo.html?infoGuid=…`, shells again, whose text and DOCX
attachment come from `/EWB-FRONT/rest/GovInfoAction/getGovInfoDetail?infoGuid=…`.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.model import Attachment, FakeRequest, Reply, ReportEntry
from flows.fakeweb.sites.base import FakeSite
from flows.fakeweb.sites.html import esc, link, page
from flows.fakeweb.sites.serving import publish
from flows.fakeweb.sites.kit import allow_all_robots

SITE_ID = "shuiyuan"
HOST = "http://www.shuiyuan.gov.cn"
GOV = "水源县人民政府"
REST = f"{HOST}/EWB-FRONT/rest/GovInfoAction"
CATEGORY = "003001"
SERVER_PAGE_SIZE = 3
REPORTS = [  # (agency, year, listing title, guid, published)
    (GOV, 2023, "水源县人民政府2023年度政府信息公开工作年度报告", "a1f0c2d4-2023", "2024-01-26"),
    ("水源县农业农村局", 2023, "水源县农业农村局政府信息公开工作2023年度报告", "b2e1d3c5-2023", "2024-01-19"),
    (GOV, 2022, "水源县人民政府2022年政府信息公开工作年度报告", "a1f0c2d4-2022", "2023-01-28"),
    ("水源县农业农村局", 2021, "水源县农业农村局2021年政府信息公开工作年度报告", "b2e1d3c5-2021", "2022-01-20"),
]
NOISE = [("水源县2024年部门预算公开", "c3f2e4d6-2024", "2024-02-20"),
         ("关于报送2023年度政府信息公开工作年度报告的通知", "c3f2e4d6-2023", "2023-12-05")]


def _showinfo(guid: str) -> str:
    return f"{HOST}/xxgk/showinfo.html?infoGuid={guid}"


def _shell(title: str, script: str) -> str:
    return page(title, f'<div id="app">加载中…</div>\n<script>{script}</script>')


def build(store: DocumentStore) -> FakeSite:
    site = FakeSite(SITE_ID, GOV, [f"{HOST}/"], ["www.shuiyuan.gov.cn"], "990800")
    listing: list[dict[str, str]] = []
    details: dict[str, dict] = {}
    detail_script = ('var guid = Util.getUrlParams("infoGuid");\n'
                     'Util.ajax({url: "/EWB-FRONT/rest/GovInfoAction/getGovInfoDetail", data: {infoGuid: guid}});')
    for agency, year, title, guid, published in REPORTS:
        docx = f"{HOST}/xxgk/attach/{guid}.docx"
        report = ReportEntry(SITE_ID, agency, year, f"{agency}{year}年政府信息公开工作年度报告", _showinfo(guid),
                             published, attachments=(Attachment(docx, "docx", f"{title}.docx"),))
        publish(site, store, report, lambda: _shell("详细信息", detail_script))
        listing.append({"title": title, "infourl": f"/xxgk/showinfo.html?infoGuid={guid}", "infodate": published})
        details[guid] = {"title": report.title, "content": f"<p>{esc(report.title)}，详见附件。</p>",
                         "attachments": [{"attachname": f"{title}.docx", "attachurl": f"/xxgk/attach/{guid}.docx"}]}
    for title, guid, published in NOISE:
        site.add_html(_showinfo(guid), _shell("详细信息", detail_script))
        site.noise_urls.append(_showinfo(guid))
        listing.append({"title": title, "infourl": f"/xxgk/showinfo.html?infoGuid={guid}", "infodate": published})
        details[guid] = {"title": title, "content": f"<p>{esc(title)}。</p>", "attachments": []}
    listing.sort(key=lambda item: item["infodate"], reverse=True)
    site.add_prefix(f"{REST}/getGovInfoList", lambda request: _list_page(request, listing))
    site.add_prefix(f"{REST}/getGovInfoDetail", lambda request: _detail(request, details))
    column_script = (f'var categoryNum = "{CATEGORY}";\n'
                     'Util.ajax({url: "/EWB-FRONT/rest/GovInfoAction/getGovInfoList", '
                     'data: {categoryNum: categoryNum, pageIndex: 0, pageSize: 20}});')
    site.add_html(f"{HOST}/xxgk/nb.html", _shell("政府信息公开年报", column_script))
    site.add_html(f"{HOST}/", page(GOV, f"<h1>{GOV}</h1>{link('/xxgk/nb.html', '政府信息公开年报')}"))
    allow_all_robots(site, HOST)
    return site


def _json(data: dict) -> Reply:
    return Reply(200, json.dumps({"custom": data}, ensure_ascii=False).encode("utf-8"),
                 "application/json;charset=utf-8")


def _list_page(request: FakeRequest, listing: list[dict[str, str]]) -> Reply:
    params = dict(parse_qsl(urlsplit(request.path).query))
    if params.get("categoryNum") != CATEGORY:
        return _json({"infodata": [], "total": 0})
    index = int(params.get("pageIndex", 0))
    size = min(int(params.get("pageSize", 10)), SERVER_PAGE_SIZE)
    return _json({"infodata": listing[index * size:(index + 1) * size], "total": len(listing)})


def _detail(request: FakeRequest, details: dict[str, dict]) -> Reply:
    guid = dict(parse_qsl(urlsplit(request.path).query)).get("infoGuid", "")
    return _json(details[guid]) if guid in details else Reply(404, b"{}", "application/json")
