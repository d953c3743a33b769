"""HTML reports: decoding, body among site chrome, merged/split/paragraph tables, stand-in pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.api import parse_bytes
from parsers.extract.html import extract_html
from flows.reportgen import render_html, report_tables, sample_spec
from flows.reportgen.expect import check_mismatches, field_mismatches
from flows.reportgen.tables import texts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
AGENCY = "某某市生态环境局"


def _spec(version: str, style: str = "grid", seed: int = 3):
    year = 2023 if version == "v2021" else 2020
    return sample_spec(seed, version=version, year=year, agency=AGENCY, table_style=style)


@pytest.mark.parametrize("style", ["grid", "split", "paragraphs"])
@pytest.mark.parametrize("encoding,declared", [("utf-8", True), ("utf-8", False), ("gbk", True), ("gbk", False)])
def test_html_tables_come_back_as_full_grids(style, encoding, declared):
    spec = _spec("v2019", style)
    page = render_html(spec, encoding=encoding, declare_charset=declared)
    document = extract_html(page)
    assert document.tables == [texts(grid) for grid in report_tables(spec).values()]
    assert document.title == spec.title


@pytest.mark.parametrize("version", ["v2019", "v2021"])
@pytest.mark.parametrize("encoding,declared", [("utf-8", True), ("gbk", True), ("gbk", False)])
def test_html_report_values_match_spec(version, encoding, declared):
    spec = _spec(version)
    report = parse_bytes(render_html(spec, encoding=encoding, declare_charset=declared),
                         url="http://www.example.gov.cn/xxgk/ndbg/t1.html")
    assert report.failure is None
    assert report.source_format == "html"
    assert report.format_version == version
    assert field_mismatches(report, spec) == []
    assert check_mismatches(report, spec) == []
    assert any(value is None for value in spec.fields.values())  # the spec has blanks to test


def test_gbk_page_decoded_by_header_charset_alone():
    spec = _spec("v2021")
    page = render_html(spec, encoding="gbk", declare_charset=False)
    report = parse_bytes(page, content_type_charset="GB2312")
    assert report.failure is None and field_mismatches(report, spec) == []


def test_wrong_header_charset_does_not_turn_the_page_into_mojibake():
    spec = _spec("v2021")
    page = render_html(spec, encoding="gbk", declare_charset=True)
    assert extract_html(page, header_charset="utf-8").title == spec.title


def test_site_chrome_is_left_out_of_the_body_text():
    document = extract_html(render_html(_spec("v2021")))
    assert not any(chrome in document.text for chrome in ("网站标识码", "当前位置", "分享到", "互动交流"))
    assert document.text.splitlines()[0] == _spec("v2021").title
    assert "二、主动公开政府信息情况" in document.text


def test_attachment_links_are_absolute():
    page = render_html(_spec("v2021")).replace(
        b"</div>\n<div class=\"share\">",
        b'<p><a href="../P020240120.pdf">attachment</a> <a href="/a/b.docx?x=1">doc</a></p></div>\n<div class="share">')
    document = extract_html(page, url="http://www.example.gov.cn/xxgk/ndbg/t1.html")
    assert document.attachment_links == ["http://www.example.gov.cn/xxgk/P020240120.pdf",
                                         "http://www.example.gov.cn/a/b.docx?x=1"]


def test_rowspan_and_colspan_expand_into_every_slot():
    page = ('<html><body><table><tr><td rowspan="2">A</td><td colspan="2">B</td></tr>'
            '<tr><td>1</td><td>2</td></tr><tr><td>C</td><td></td><td>3</td></tr></table></body></html>')
    assert extract_html(page.encode()).tables == [[["A", "B", "B"], ["A", "1", "2"], ["C", "", "3"]]]


def test_challenge_page_is_anti_bot():
    report = parse_bytes((FIXTURES / "challenge_412.html").read_bytes())
    assert report.failure is not None and report.failure.reason == "anti_bot_page"


def test_login_page_is_login():
    report = parse_bytes((FIXTURES / "login_page.html").read_bytes())
    assert report.failure is not None and report.failure.reason == "login_page"


def test_report_with_a_login_box_in_its_header_still_parses():
    spec = _spec("v2021")
    page = render_html(spec).replace(
        b'<ul class="nav">', b'<form>\xe7\x94\xa8\xe6\x88\xb7\xe7\x99\xbb\xe5\xbd\x95<input type="password"></form><ul class="nav">')
    report = parse_bytes(page)
    assert report.failure is None and field_mismatches(report, spec) == []


def test_download_links_named_by_their_text_are_attachments():
    page = ('<html><body><div id="zoom"><p>详见附件。</p><p><a href="/module/download/downfile.jsp?'
            'classid=0&amp;filename=15ef">2023年年度报告.doc</a> <a href="/col/index.html">返回列表</a></p>'
            '</div></body></html>')
    document = extract_html(page.encode(), url="http://www.example.gov.cn/art/2024/1/25/art_1.html")
    assert document.attachment_links == ["http://www.example.gov.cn/module/download/downfile.jsp?classid=0&filename=15ef"]


def test_page_whose_declared_charset_lies_is_decoded_from_its_bytes():
    spec = _spec("v2021")
    page = render_html(spec, encoding="gbk", declare_charset=False).replace(
        b"<head>", b'<head><meta charset="utf-8">', 1)
    report = parse_bytes(page)
    assert report.failure is None and field_mismatches(report, spec) == []
