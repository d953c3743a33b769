"""Issue 12, cause 3: agency, year and title from messy heads."""

from __future__ import annotations

import pytest

from parsers.build import report_from_extracted
from parsers.heads import looks_like_agency
from parsers.model import ExtractedDocument
from parsers.text import parse_text

BODY = "\n一、总体情况\n本年度依法公开。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"


@pytest.mark.parametrize(
    ("head", "agency", "year", "source"),
    [
        ("标题:某某市生态环境局2023年政府信息公开工作年度报告", "某某市生态环境局", 2023, "title"),
        ("标题：某某县财政局2022年政府信息公开工作年度报告", "某某县财政局", 2022, "title"),
        ("正文\n某某县财政局2022年政府信息公开工作年度报告", "某某县财政局", 2022, "title"),
        ("首页 > 信息公开 > 年度报告 > 某某区民政局2021年政府信息公开工作年度报告", "某某区民政局", 2021, "title"),
        ("当前位置：首页>政务公开>某某市水务局2020年政府信息公开工作年度报告", "某某市水务局", 2020, "title"),
        ("某某市交通运输局关于2023年政府信息公开工作的年度报告", "某某市交通运输局", 2023, "title"),
        ("某某市交通运输局关于2023年度政府信息公开工作年度报告的公告", "某某市交通运输局", 2023, "title"),
        ("2022年某某县人民政府办公室政府信息公开工作年度报告", "某某县人民政府办公室", 2022, "title"),
        ("某某市自然资源和规划局2023年政府信息公开工作年\n度报告", "某某市自然资源和规划局", 2023, "title"),
        ("某某县人民政府办公室2022年政府信息\n公开工作年度报告", "某某县人民政府办公室", 2022, "title"),
        ("濛江镇人民政府2023年政府信息公开工作年度报告", "濛江镇人民政府", 2023, "title"),
        ("附件1：某某市商务局2022年政府信息公开工作年度报告", "某某市商务局", 2022, "title"),
        ("2022年度政府信息公开工作年度报告（某某市商务局）", "某某市商务局", 2022, "title"),
        ("某某市商务局政府信息公开工作年度报告（2022年度）", "某某市商务局", 2022, "title"),
        ("2021年度\n某某县某某镇人民政府政府信息公开工作年度报告", "某某县某某镇人民政府", 2021, "title"),
        ("某某市濛江街道办事处\n2023年政府信息公开工作年度报告", "某某市濛江街道办事处", 2023, "line_above"),
    ],
)
def test_agency_year_and_source_from_messy_heads(head: str, agency: str, year: int, source: str) -> None:
    report = parse_text(head + BODY)
    assert (report.agency_name, report.report_year, report.agency_source) == (agency, year, source)


def test_wrapped_title_is_joined() -> None:
    report = parse_text("某某市自然资源和规划局2023年政府信息公开工作年\n度报告" + BODY)
    assert report.title == "某某市自然资源和规划局2023年政府信息公开工作年度报告"
    report = parse_text("标题:某某县财政局2022年政府信息公开工作年度报告" + BODY)
    assert report.title == "某某县财政局2022年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    "head",
    [
        "本报告依据《中华人民共和国政府信息公开条例》规定编制，现将2023年政府信息公开工作年度报告公布",
        "民共和国政府信息公开条例》要求，特发布2023年政府信息公开工作年度报告",
        "2023年政府信息公开工作的年度报告",
        "府\n2023年政府信息公开工作年度报告",
    ],
)
def test_a_sentence_is_never_the_agency_the_page_title_is(head: str) -> None:
    doc = ExtractedDocument(text=head + BODY, title="某某市林业和草原局2023年政府信息公开工作年度报告_某某市人民政府")
    report = report_from_extracted(doc)
    assert (report.agency_name, report.report_year, report.agency_source) == ("某某市林业和草原局", 2023, "page_title")
    assert report_from_extracted(ExtractedDocument(text=head + BODY)).agency_name is None


@pytest.mark.parametrize(
    ("name", "ok"),
    [("某某市生态环境局", True), ("某某县某某镇人民政府", True), ("某某街道办事处", True),
     ("某某市人民政府办公室", True), ("某某市发展和改革委员会", True), ("民共和国", False),
     ("的年度报告", False), ("报告", False), ("府", False), ("本报告依据《中华人民共和国", False),
     ("依据《条例》编制的某某局", False), ("某某市人民政府门户网站", False),
     ("中共某某县委办公室（某某县人民政府办公室）", True)],
)
def test_what_an_agency_looks_like(name: str, ok: bool) -> None:
    assert looks_like_agency(name) is ok


def test_traditional_document_names_are_simplified_but_simplified_names_are_kept() -> None:
    assert parse_text("某某市審計局2020年政府信息公開工作年度報告" + BODY).agency_name == "某某市审计局"
    assert parse_text("濛江镇2021年政府信息公开工作年度报告" + BODY).agency_name == "濛江镇"


@pytest.mark.parametrize("agency", ["某某市某某区自然资源和规划局执法支队", "某某省某某市某某经济技术开发区管理委员会自然资源和规划局"])
def test_pdf_whose_title_wraps(agency: str) -> None:
    """LibreOffice wraps the long title over two lines (mid-title or after the agency)."""
    from flows.reportgen import render_pdf, sample_spec
    from parsers.api import parse_bytes

    from parsers.extract.pdf import extract_pdf

    spec = sample_spec(3, version="v2021", year=2023, agency=agency)
    pdf = render_pdf(spec)
    first_lines = [line for line in extract_pdf(pdf).text.split("\n") if line.strip()][:2]
    assert spec.title not in first_lines and "".join(first_lines) == spec.title  # it wraps
    report = parse_bytes(pdf)
    assert (report.agency_name, report.report_year, report.format_version) == (agency, 2023, "v2021")
    assert report.title is not None and report.title.replace(" ", "") == spec.title
    assert report.field_values() == spec.fields


def test_listing_title_when_the_page_title_is_the_site_name() -> None:
    doc = ExtractedDocument(text="本报告依据《中华人民共和国政府信息公开条例》编制" + BODY, title="首页_某某市人民政府网")
    report = report_from_extracted(doc, title_hint="某某市统计局2022年政府信息公开工作年度报告")
    assert (report.agency_name, report.report_year, report.agency_source) == ("某某市统计局", 2022, "listing_title")
    alone = report_from_extracted(ExtractedDocument(text=BODY, title="某某市人民政府"))
    assert alone.agency_name is None and alone.agency_source is None


@pytest.mark.parametrize(("title", "hint", "agency", "source"), [
    ("某某市交通运输局关于2023年政府信息公开工作的年度报告", None, "某某市交通运输局", "title"),
    ("2023年度政府信息公开工作年度报告（某某市交通运输局）", None, "某某市交通运输局", "title"),
    ("2023年政府信息公开工作年度报告", "某某市交通运输局2023年政府信息公开工作年度报告", "某某市交通运输局", "listing_title"),
    ("濛江镇人民政府2023年政府信息公开工作年度报告", None, "濛江镇人民政府", "title"),
])
def test_served_html_pages_with_messy_titles(title: str, hint: str | None, agency: str, source: str) -> None:
    """A gov.cn-like page (breadcrumbs, sidebar, header) from the report generator."""
    from flows.reportgen import render_html, sample_spec
    from parsers.api import parse_bytes

    spec = sample_spec(4, version="v2021", year=2023, agency="某某市交通运输局")
    spec.title = title
    report = parse_bytes(render_html(spec), title_hint=hint)
    assert (report.agency_name, report.agency_source, report.report_year) == (agency, source, 2023)
    assert report.field_values() == spec.fields
