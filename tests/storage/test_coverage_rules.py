"""Coverage rules without a store: publication dates, agency spellings, deadlines, jumps, registry keys."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crawlers.registry import RegistryError, load_registry, to_site_record
from storage.coverage_dates import document_date, page_date, url_date
from storage.coverage_rules import SiteRules, deadline, is_jump, key_totals, latest_due_year, scope_for


@pytest.mark.parametrize("html, expected", [
    ("<span>发布日期：</span><span>2024-01-29</span>", "2024-01-29"),
    ("时间：2023-12-30 来源：本站 发布时间：2024年2月3日", "2024-02-03"),  # 发布时间 beats a bare 时间
    ("成文日期：2024/01/05 发布日期：2024.01.09", "2024-01-09"),
    ('<meta name="PubDate" content="2024-03-02 09:30">', "2024-03-02"),
    ("<p>2024年1月5日，本局召开会议</p>", None),
    ("发布日期：2024-02-30", None),  # not a date
])
def test_page_dates_come_from_the_metadata_labels(html, expected):
    found = page_date(html)
    assert (found.text if found else None) == expected
    assert found is None or found.source == "page"


@pytest.mark.parametrize("url, expected", [
    ("http://www.a.gov.cn/zwgk/202401/t20240131_123.html", "2024-01-31"),
    ("http://www.a.gov.cn/art/2024/2/1/art_1229_3.html", "2024-02-01"),
    ("http://www.a.gov.cn/zfxxgk/202402/P020240201.pdf", "2024-02"),
    ("http://www.a.gov.cn/zfxxgk/nb2024.html", None),
])
def test_url_dates_are_days_or_months(url, expected):
    found = url_date(url)
    assert (found.text if found else None) == expected


def test_a_month_decides_lateness_only_when_wholly_on_one_side_of_the_deadline():
    january = url_date("http://a.gov.cn/202401/x.pdf")
    assert january.after(date(2024, 1, 31)) is False
    assert january.after(date(2024, 1, 15)) is None
    assert january.after(date(2023, 12, 31)) is True


def test_the_document_date_is_a_short_signature_line_at_the_end():
    assert document_date("五、其他\n特此报告。\n青山市教育局\n2024年1月20日\n").text == "2024-01-20"
    assert document_date("2023年12月1日，我局召开了年度政务公开工作会议并部署了全年任务。\n附件") is None


def test_spellings_of_one_agency_share_a_group():
    rules = SiteRules.of("寒山县人民政府", {"aliases": {"寒山县市场监督管理局": ["县市场监管局"]}})
    assert rules.agency_group("县政府办") == rules.agency_group("寒山县人民政府办公室") == "政府办"
    assert rules.agency_group("寒山县卫生健康委员会") == rules.agency_group("县卫生健康委")
    assert rules.agency_group("县市场监管局") == rules.agency_group("寒山县市场监督管理局")
    assert rules.agency_group("寒山县人民政府") != rules.agency_group("寒山县人民政府办公室")
    assert rules.display_name(["县市场监管局"]) == "寒山县市场监督管理局"
    assert rules.agency_group("寒山县") == rules.agency_group("寒山县人民政府") == "政府"
    assert rules.agency_group("青龙镇") == rules.agency_group("寒山县青龙镇人民政府") == "青龙镇"
    assert rules.agency_group("东湖街道办事处") == rules.agency_group("寒山县东湖街道")
    city = SiteRules.of("青山市人民政府", None)
    assert city.agency_group("市场监督管理局") != city.agency_group("场监督管理局")  # 市场 keeps its 市
    assert city.agency_group("市教育局") == city.agency_group("青山市教育局")


def test_deadlines_follow_the_scope():
    assert deadline(2023, "department") == date(2024, 1, 31)
    assert deadline(2023, "government_own") == date(2024, 1, 31)
    assert deadline(2023, "region_aggregate") == date(2024, 3, 31)
    assert latest_due_year(date(2024, 1, 31), "department") == 2022  # due at the end of the day
    assert latest_due_year(date(2024, 2, 1), "department") == 2023
    assert latest_due_year(date(2024, 2, 1), "region_aggregate") == 2022


def test_the_scope_is_the_parsed_one_except_a_government_read_as_a_department():
    assert scope_for("青山市人民政府", "department", "政府") == "region_aggregate"  # signed only 青山市
    assert scope_for("青山市人民政府", "government_own", "政府") == "government_own"
    assert scope_for("青山市教育局", "department", "教育局") == "department"
    assert scope_for("青山市人民政府办公室", "unknown") == "government_own"  # a missing report: by its name
    assert scope_for("青山市人民政府", None) == "region_aggregate"


def test_jumps_are_beyond_five_fold_and_above_a_floor():
    assert is_jump(10, 51) and is_jump(60, 11) and is_jump(0, 12)
    assert not is_jump(10, 50) and not is_jump(1, 6) and not is_jump(None, 100)
    assert key_totals({"t4_litigation_direct__total": 3, "t4_litigation_after_review__total": None})["lawsuits"] == 3
    assert key_totals({"legacy_review_cases": 4})["reviews"] == 4


def test_the_registry_accepts_and_checks_the_coverage_keys(tmp_path: Path):
    good = tmp_path / "good.yaml"
    good.write_text(
        "- id: hanshan\n  name: 寒山县人民政府\n  start_urls: [http://www.hanshan.gov.cn/]\n"
        "  expected_from: 2019\n  expected_agencies: [寒山县教育局]\n"
        "  aliases:\n    寒山县市场监督管理局: [县市场监管局]\n", encoding="utf-8")
    [site] = load_registry(good)
    assert to_site_record(site).coverage_rules == {
        "expected_from": 2019, "expected_agencies": ["寒山县教育局"],
        "aliases": {"寒山县市场监督管理局": ["县市场监管局"]}}
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: hanshan\n  name: 寒山县\n  start_urls: [http://www.hanshan.gov.cn/]\n"
                   "  expected_from: soon\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="expected_from must be a year"):
        load_registry(bad)
