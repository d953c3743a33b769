"""Issue 12, cause 4: pre-2019 reports stay legacy, whatever one of their rows resembles."""

from __future__ import annotations

import pytest

from flows.reportgen import sample_spec
from parsers.text import parse_text
from tests.fixture_paths import FIXTURES
from tests.parsers.textdoc import report_text

DOCUMENTS = FIXTURES / "documents"
LEGACY = {
    "legacy_2016_pipe.txt": ("某某市国土资源局", 2016, {
        "legacy_proactive_items": 1520, "legacy_normative_docs_published": 12,
        "legacy_normative_docs_issued": 15, "legacy_applications_received": 35,
        "legacy_applications_answered": 35, "legacy_granted": 20, "legacy_partially_granted": 3,
        "legacy_denied": 5, "legacy_review_cases": 1, "legacy_litigation_cases": 0,
        "legacy_complaints": 0, "legacy_fees_collected": 0}),
    "legacy_2017_tabs.txt": ("某某县民政局", 2017, {
        "legacy_proactive_items": 412, "legacy_normative_docs_published": None,
        "legacy_normative_docs_issued": None, "legacy_applications_received": 17,
        "legacy_applications_answered": 17, "legacy_granted": 11, "legacy_partially_granted": 4,
        "legacy_denied": 2, "legacy_review_cases": 0, "legacy_litigation_cases": 1,
        "legacy_complaints": 0, "legacy_fees_collected": None}),
    "legacy_2015_signature_year.txt": ("某某县水利局", 2015, {
        "legacy_proactive_items": 86, "legacy_normative_docs_published": None,
        "legacy_normative_docs_issued": None, "legacy_applications_received": 6,
        "legacy_applications_answered": 6, "legacy_granted": 4, "legacy_partially_granted": 1,
        "legacy_denied": 1, "legacy_review_cases": 0, "legacy_litigation_cases": 0,
        "legacy_complaints": None, "legacy_fees_collected": None}),
    "legacy_2014_table_only.txt": ("某某县档案局", 2014, {
        "legacy_proactive_items": 45, "legacy_normative_docs_published": None,
        "legacy_normative_docs_issued": None, "legacy_applications_received": 2,
        "legacy_applications_answered": None, "legacy_granted": 2, "legacy_partially_granted": 0,
        "legacy_denied": None, "legacy_review_cases": 0, "legacy_litigation_cases": None,
        "legacy_complaints": None, "legacy_fees_collected": None}),
}


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_legacy_report_keeps_legacy_fields(name: str) -> None:
    agency, year, values = LEGACY[name]
    report = parse_text((DOCUMENTS / name).read_text(encoding="utf-8"))
    assert report.failure is None
    assert (report.agency_name, report.report_year) == (agency, year)
    assert (report.format_version, report.t2_format_version, report.t3_format_version) == (
        "legacy_pre2019", "absent", "absent")
    assert report.field_values() == values
    assert report.checks == []


def test_without_a_year_the_label_set_decides() -> None:
    text = (DOCUMENTS / "legacy_2016_pipe.txt").read_text(encoding="utf-8")
    text = text.replace("2016年", "本年度").replace("2017年3月20日", "")
    report = parse_text(text)
    assert report.report_year is None
    assert report.format_version == "legacy_pre2019"
    assert report.fields["legacy_partially_granted"].value == 3


@pytest.mark.parametrize(("version", "year"), [("v2021", 2023), ("v2019", 2019)])
def test_a_modern_report_with_a_legacy_looking_row_stays_modern(version: str, year: int) -> None:
    """The reverse: a full modern table is not made legacy by one legacy label."""
    spec = sample_spec(6, version=version, year=year, agency="某某县民政局")
    text = report_text(spec).replace("六、其他需要报告的事项", "六、其他需要报告的事项\n收到申请数 件 3")
    report = parse_text(text)
    assert report.format_version == version
    assert report.field_values() == spec.fields
