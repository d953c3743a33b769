"""Agency, statistics year, title and scope from the report text or page title."""

from __future__ import annotations

import pytest

from parsers.build import report_from_extracted
from parsers.model import ExtractedDocument
from parsers.text import parse_text

BODY = "\n一、总体情况\n本年度依法公开。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"


@pytest.mark.parametrize(
    ("head", "agency", "year"),
    [
        ("聊城市城市管理局 2023 年度 政府信息公开工作报告", "聊城市城市管理局", 2023),
        ("淄博市城市管理局\n2020年政府信息公开工作年度报告", "淄博市城市管理局", 2020),
        ("# 漯河回族区城市管理局2022年政府信息公开工作年度报告", "漯河回族区城市管理局", 2022),
        ("[bookmark: _GoBack]乌苏市城市管理局政府信息公开工作2023年度报告", "乌苏市城市管理局", 2023),
        ("北京市朝阳区人民政府关于2021年政府信息公开工作年度报告", "北京市朝阳区人民政府", 2021),
        ("2019年度某某县统计局政府信息公开工作年度报告", "某某县统计局", 2019),
        ("首页 > 政府信息公开 > 年度报告\n某某市教育局二〇二二年政府信息公开工作年度报告", "某某市教育局", 2022),
        ("某某市審計局2020年政府信息公開工作年度報告", "某某市审计局", 2020),
    ],
)
def test_agency_and_year_from_title(head: str, agency: str, year: int) -> None:
    report = parse_text(head + BODY)
    assert (report.agency_name, report.report_year) == (agency, year)


def test_two_line_title_is_kept_whole() -> None:
    report = parse_text("淄博市城市管理局\n2020年政府信息公开工作年度报告" + BODY)
    assert report.title == "淄博市城市管理局 2020年政府信息公开工作年度报告"


def test_year_falls_back_to_the_overview_not_to_prose_dates() -> None:
    text = "某某局政府信息公开工作年度报告" + BODY.replace("本年度依法公开。", "2023年，我局依法公开。")
    text += "六、其他需要报告的事项\n计划于2025年3月1日前完成平台改版。\n"
    assert parse_text(text).report_year == 2023


def test_page_title_used_when_the_text_has_none() -> None:
    doc = ExtractedDocument(text=BODY, title="某某市生态环境局2020年政府信息公开工作年度报告")
    report = report_from_extracted(doc)
    assert (report.agency_name, report.report_year) == ("某某市生态环境局", 2020)
    hinted = report_from_extracted(ExtractedDocument(text=BODY), title_hint="某某区民政局2024年政府信息公开工作年度报告")
    assert (hinted.agency_name, hinted.report_year) == ("某某区民政局", 2024)


@pytest.mark.parametrize(
    ("agency", "scope"),
    [
        ("聊城市人民政府", "region_aggregate"),
        ("上海市人民政府办公厅", "government_own"),
        ("某某县某某镇人民政府", "government_own"),
        ("青龙镇", "government_own"),
        ("某某区某某街道办事处", "government_own"),
        ("某某乡", "government_own"),
        ("聊城市城市管理局", "department"),
    ],
)
def test_scope(agency: str, scope: str) -> None:
    assert parse_text(f"{agency}2022年政府信息公开工作年度报告{BODY}").scope == scope


def test_date_line_above_a_bare_title_is_not_the_agency() -> None:
    text = "发布日期：2024-01-31\n2023年政府信息公开工作年度报告" + BODY
    assert parse_text(text).agency_name is None
    doc = ExtractedDocument(text=text, title="某某市林业局2023年政府信息公开工作年度报告_某某市人民政府网")
    report = report_from_extracted(doc)
    assert (report.agency_name, report.report_year) == ("某某市林业局", 2023)
