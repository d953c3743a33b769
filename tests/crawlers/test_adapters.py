"""CMS pagination adapters on saved list pages: entries and next-page requests, exactly."""

from __future__ import annotations

from urllib.parse import parse_qsl

from scrapy import FormRequest

from crawlers.adapters import ADAPTERS, hanweb, plain, query, read_list_page, trs
from tests.crawlers.conftest import saved_response

TRS_URL = "http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/index_1.shtml"
HANWEB_URL = "http://www.jianggan.gov.cn/col/col1229232619/index.html"
PLAIN_URL = "http://xxgk.baishi.gov.cn/xxgknb/xz/list_2.html"
QUERY_URL = "http://www.liushu.gov.cn/xxgk/ndbg/bm/list?page=2"


def test_every_style_has_a_module_answering_both_questions() -> None:
    assert [a.NAME for a in ADAPTERS] == ["trs", "hanweb", "plain", "query", "epoint"]
    for adapter in ADAPTERS:
        assert callable(adapter.detects) and callable(adapter.entries) and callable(adapter.next_pages)


def test_trs_next_page_comes_from_create_page_html_only() -> None:
    response = saved_response("trs_list.html", TRS_URL)
    assert trs.detects(response)
    assert [r.url for r in trs.next_pages(response)] == ["http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/index_2.shtml"]
    page = read_list_page(response)
    assert page.styles == ("trs",)
    assert [(a.url, a.text) for a in page.entries if "/t20" in a.url] == [
        ("http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/202403/t20240328_1926722.shtml",
         "聊城市人民政府2023年政府信息公开工作年度报告"),
        ("http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/202311/t20231120_1900001.shtml",
         "关于做好2023年政府信息公开工作年度报告编制发布工作的通知"),  # title= beats the cut text
        ("http://www.liaocheng.gov.cn/zfxxgk/zfxxgknb/202303/t20230330_1800456.shtml",
         "聊城市人民政府二〇二二年政府信息公开工作年度报告"),
    ]


def test_trs_last_page_has_no_next() -> None:
    last = saved_response("trs_list.html", TRS_URL).replace(
        body=(saved_response("trs_list.html", TRS_URL).body.replace(b"createPageHTML(4, 1,", b"createPageHTML(4, 3,"))
    )
    assert trs.next_pages(last) == []


def test_hanweb_entries_come_from_the_xml_datastore() -> None:
    response = saved_response("hanweb_column.html", HANWEB_URL)
    assert hanweb.detects(response) and not trs.detects(response)
    assert [(a.url, a.text) for a in hanweb.entries(response)] == [
        ("http://www.jianggan.gov.cn/art/2024/1/25/art_1229232619_3937963.html",
         "江干区市场监督管理局2023年政府信息公开工作年度报告"),
        ("http://www.jianggan.gov.cn/art/2024/3/5/art_1229232619_3939002.html", "江干区2024年政务公开工作要点"),
        ("http://www.jianggan.gov.cn/art/2023/3/28/art_1229232619_3800120.html",
         "江干区人民政府2022年政府信息公开工作年度报告"),
    ]


def test_hanweb_next_group_is_a_dataproxy_post_with_the_column_form() -> None:
    response = saved_response("hanweb_column.html", HANWEB_URL)
    [request] = hanweb.next_pages(response)
    assert isinstance(request, FormRequest) and request.method == "POST"
    assert request.url == "http://www.jianggan.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=4&endrecord=6&perpage=3"
    assert dict(parse_qsl(request.body.decode())) == {
        "webid": "3086", "path": "/", "columnid": "1229232619", "unitid": "4151843",
        "webname": "杭州市江干区", "permissiontype": "0", "sourceContentType": "1", "col": "1", "appid": "1",
    }


def test_hanweb_dataproxy_answer_pages_on_until_the_total() -> None:
    form_request = hanweb.next_pages(saved_response("hanweb_column.html", HANWEB_URL))[0]
    answer = saved_response("hanweb_dataproxy.xml", form_request.url, request=form_request)
    assert [a.url.rsplit("_", 1)[1] for a in hanweb.entries(answer)] == ["3700321.html", "3600777.html", "3500450.html"]
    [following] = hanweb.next_pages(answer)
    assert following.url.endswith("dataproxy.jsp?startrecord=7&endrecord=8&perpage=3")
    assert dict(parse_qsl(following.body.decode()))["columnid"] == "1229232619"
    last_url = following.url
    last = saved_response("hanweb_dataproxy.xml", last_url, request=following)
    assert hanweb.next_pages(last) == []  # records 7..9 reach the total of 8


def test_plain_follows_the_next_page_label() -> None:
    response = saved_response("plain_list.html", PLAIN_URL)
    assert plain.detects(response) and not query.detects(response)
    assert [r.url for r in plain.next_pages(response)] == ["http://xxgk.baishi.gov.cn/xxgknb/xz/list_3.html"]
    page = read_list_page(response)
    # Pager links (首页, 上一页, 下一页, 尾页) are neither entries nor columns.
    assert [a.url for a in page.entries] == [
        "http://xxgk.baishi.gov.cn/xxgknb/xz/content/post_4390.html",
        "http://xxgk.baishi.gov.cn/xxgknb/xz/content/post_3901.html",
    ]


def test_query_pager_takes_the_next_number_when_linked() -> None:
    response = saved_response("query_list.html", QUERY_URL)
    assert query.detects(response)
    assert [r.url for r in query.next_pages(response)] == ["http://www.liushu.gov.cn/xxgk/ndbg/bm/list?page=3"]
    last = saved_response("query_last_page.html", "http://www.liushu.gov.cn/xxgk/ndbg/bm/list?page=3")
    assert query.next_pages(last) == []
    assert not plain.detects(last)


def test_epoint_shell_asks_the_list_endpoint_and_its_json_gives_entries_pages_and_details() -> None:
    import json

    from scrapy.http import HtmlResponse, JsonResponse

    from crawlers.adapters import epoint

    shell = HtmlResponse("http://x.gov.cn/xxgk/nb.html", encoding="utf-8", body=(
        '<html><body><script>var categoryNum = "003001";'
        ' $.ajax({url: "/EWB-FRONT/rest/GovInfoAction/getGovInfoList"});</script></body></html>').encode())
    [first] = epoint.next_pages(shell)
    assert first.url == ("http://x.gov.cn/EWB-FRONT/rest/GovInfoAction/getGovInfoList"
                         "?categoryNum=003001&pageIndex=0&pageSize=20")
    items = [{"title": f"X局{y}年政府信息公开工作年度报告", "infourl": f"/xxgk/showinfo.html?infoGuid=g{y}"}
             for y in (2023, 2022)]
    answer = JsonResponse(first.url, body=json.dumps({"custom": {"infodata": items, "total": 5}}).encode())
    page = read_list_page(answer)
    assert page.styles == ("epoint",)
    assert [(a.url, a.text) for a in page.entries] == [
        ("http://x.gov.cn/xxgk/showinfo.html?infoGuid=g2023", "X局2023年政府信息公开工作年度报告"),
        ("http://x.gov.cn/xxgk/showinfo.html?infoGuid=g2022", "X局2022年政府信息公开工作年度报告"),
    ]
    assert [r.url for r in page.next_requests] == [first.url.replace("pageIndex=0", "pageIndex=1")]
    detail_shell = HtmlResponse("http://x.gov.cn/xxgk/showinfo.html?infoGuid=g2023", encoding="utf-8", body=(
        '<html><script>ajax("/EWB-FRONT/rest/GovInfoAction/getGovInfoDetail")</script></html>').encode())
    [detail] = epoint.detail_requests(detail_shell)
    assert detail.url == "http://x.gov.cn/EWB-FRONT/rest/GovInfoAction/getGovInfoDetail?infoGuid=g2023"
    body = {"custom": {"content": '<p>附件：<a href="/f/b.pdf">b.pdf</a></p>',
                       "attachments": [{"attachname": "a.docx", "attachurl": "/f/a.docx"}]}}
    found = epoint.detail_attachments(JsonResponse(detail.url, body=json.dumps(body).encode()))
    assert {(a.url, a.text) for a in found} == {("http://x.gov.cn/f/a.docx", "a.docx"), ("http://x.gov.cn/f/b.pdf", "b.pdf")}
