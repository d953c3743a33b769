"""Link reading: attachments of a report page, URL cleaning."""

from __future__ import annotations

import pytest

from common.scope import canonical_url
from parsel import Selector

from crawlers.links import absolute_url, attachment_anchors
from tests.crawlers.conftest import saved_response

REPORT_URL = "http://www.jianggan.gov.cn/zfxxgk/ndbg/202303/t20230330_1800456.html"


def test_attachments_by_extension_download_url_and_attachment_block() -> None:
    response = saved_response("report_page.html", REPORT_URL)
    found = {a.url: a.text for a in attachment_anchors(response.selector, response.url)}
    assert found == {
        # ../ resolved against the page
        "http://www.jianggan.gov.cn/zfxxgk/upload/2023/ndbg2022.pdf": "江干区人民政府2022年政府信息公开工作年度报告（图片版）",
        # relative ./ in the 附件 block
        "http://www.jianggan.gov.cn/zfxxgk/ndbg/202303/P020230330007525721820.docx": "年报（超链版）.docx",
        # protocol-relative download URL without extension
        "http://www.jianggan.gov.cn/module/download/downfile.jsp?classid=0&filename=ee3f85d1": "江干区人民政府2022年年报.wps",
        # extension-less link inside the 附件 block
        "http://www.jianggan.gov.cn/attach/get?id=8812": "附表",
        # off-site: the spider drops it by allowed_domains, the reader still sees it
        "http://www.mirror-gov.com/file/ndbg2022.pdf": "镜像下载.pdf",
    }


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("./a.pdf#page=2", "http://www.x.gov.cn/col/a.pdf"),
        ("../up/a.pdf", "http://www.x.gov.cn/up/a.pdf"),
        ("//files.x.gov.cn/a.doc", "http://files.x.gov.cn/a.doc"),
        ("/list.jsp;jsessionid=ABC123?page=2", "http://www.x.gov.cn/list.jsp?page=2"),
        ("/list?page=2&PHPSESSID=zz", "http://www.x.gov.cn/list?page=2"),
        ("HTTP://WWW.X.GOV.CN:80/a.html", "http://www.x.gov.cn/a.html"),
        ("javascript:void(0)", None),
        ("mailto:gk@x.gov.cn", None),
        ("#top", None),
    ],
)
def test_absolute_url(href: str, expected: str | None) -> None:
    assert absolute_url("http://www.x.gov.cn/col/index.html", href) == expected


def test_clean_url_keeps_real_queries_untouched() -> None:
    url = "http://www.x.gov.cn/module/download/downfile.jsp?classid=0&filename=2401181530123456.wps"
    assert canonical_url(url) == url


def test_links_beyond_anchors() -> None:
    """Frames, refreshes, script redirects, window.open, image maps and jump menus all lead somewhere."""
    from crawlers.links import anchors as all_anchors, embedded_targets

    html = """<html><head><meta http-equiv="Refresh" content="0; url=/refresh.html">
    <script>window.location.href = "/js1.html"; if (x) { location.replace('/js2.html'); }
    self.location='js3.html';</script></head><body>
    <iframe src="/col/xxgk/index.html"></iframe><frameset><frame src="frame.html"></frameset>
    <span onclick="window.open('/open.html')">政府信息公开年报</span>
    <map><area href="/area.html" alt="信息公开"></map>
    <select onchange="location=this.value"><option value="">请选择</option>
    <option value="http://x.gov.cn/dept/a.html">民政局</option></select></body></html>"""
    page = Selector(text=html)
    base = "http://x.gov.cn/p/index.html"
    assert set(embedded_targets(page, base)) == {
        "http://x.gov.cn/refresh.html", "http://x.gov.cn/js1.html", "http://x.gov.cn/js2.html",
        "http://x.gov.cn/p/js3.html", "http://x.gov.cn/col/xxgk/index.html", "http://x.gov.cn/p/frame.html",
    }
    assert {(a.url, a.text) for a in all_anchors(page, base)} == {
        ("http://x.gov.cn/open.html", "政府信息公开年报"), ("http://x.gov.cn/area.html", "信息公开"),
        ("http://x.gov.cn/dept/a.html", "民政局"),
    }
