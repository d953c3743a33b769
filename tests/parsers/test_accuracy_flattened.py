"""Issue 12, cause 6: tables whose cells ran together (`0000000` rows)."""

from __future__ import annotations

import pytest

from flows.reportgen import sample_spec
from flows.reportgen.prose import narrative
from parsers.tables.flattened import unique_split
from parsers.text import parse_text
from tests.fixture_paths import FIXTURES
from tests.parsers.textdoc import report_text



def _row(report, row: str) -> list[tuple[str, int | None]]:
    columns = ("natural_person", "commercial_enterprise", "research_institution",
               "social_welfare_org", "legal_service_org", "other_org", "total")
    return [(report.fields[f"t3_{row}__{c}"].state, report.fields[f"t3_{row}__{c}"].value) for c in columns]


def test_flattened_report_is_recognised_and_unique_splits_inferred() -> None:
    text = (FIXTURES / "documents" / "flattened_2022.txt").read_text(encoding="utf-8")
    report = parse_text(text)
    assert report.failure is None
    assert (report.agency_name, report.report_year, report.format_version) == ("某某县审计局", 2022, "v2021")
    assert len(report.sections) == 6
    assert _row(report, "new_received") == [("inferred", v) for v in (12, 3, 0, 0, 0, 0, 15)]
    assert _row(report, "granted") == [("inferred", v) for v in (9, 2, 0, 0, 0, 0, 11)]
    assert _row(report, "withheld_state_secret") == [("inferred", 0)] * 7
    assert _row(report, "carry_next") == [("inferred", v) for v in (2, 1, 0, 0, 0, 0, 3)]
    # 131000014 is 13|1|0|0|0|0|14 or 1|3|10|0|0|0|14: two splits, so unreadable.
    assert _row(report, "outcome_total") == [("unreadable", None)] * 7
    # A one-cell t2 row needs no split; a row of three cells has no identity to split by.
    assert (report.fields["t2_admin_license__decisions"].value, report.fields["t2_admin_fee__amount"].value) == (37, 12.5)
    assert report.fields["t2_normative_doc__issued"].state == "unreadable"
    t4 = [report.fields[key].value for key in report.fields if key.startswith("t4_")]
    assert t4 == [1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert all(check.ok is not False for check in report.checks)


@pytest.mark.parametrize(("digits", "split"), [
    ("0000000", ["0"] * 7),
    ("3100004", ["3", "1", "0", "0", "0", "0", "4"]),
    ("123000015", ["12", "3", "0", "0", "0", "0", "15"]),
    ("131000014", None),  # ambiguous
    ("1230000", None),  # no split sums
])
def test_unique_split(digits: str, split: list[str] | None) -> None:
    assert unique_split(digits, 1, 7) == split


@pytest.mark.parametrize(("seed", "version", "year"), [(0, "v2021", 2023), (3, "v2021", 2022), (1, "v2019", 2020)])
def test_generated_flattened_reports_never_give_a_wrong_value(seed: int, version: str, year: int) -> None:
    spec = sample_spec(seed, version=version, year=year, agency="某某市生态环境局")
    report = parse_text(report_text(spec, style="flat"))
    assert report.failure is None
    assert (report.agency_name, report.report_year, report.format_version) == ("某某市生态环境局", year, version)
    assert set(report.fields) == set(spec.fields)
    # A row printed with blank cells has fewer digits; when no column identity can be
    # evaluated its digits may still split one wrong way, so only full rows are compared.
    blank_rows = {key.rsplit("__", 1)[0] for key, value in spec.fields.items() if value is None}
    read = {key: cell.value for key, cell in report.fields.items()
            if cell.state in ("inferred", "number") and key.rsplit("__", 1)[0] not in blank_rows}
    assert read and read == {key: spec.fields[key] for key in read}
    assert {cell.state for cell in report.fields.values()} <= {"inferred", "number", "unreadable"}


def test_column_identities_settle_rows_with_two_splits() -> None:
    """121000013 (new) and 131000014 (（七）总计) each split two ways by their row sum;
    the balance and the outcome sums leave one choice."""
    text = (FIXTURES / "documents" / "flattened_full_2023.txt").read_text(encoding="utf-8")
    report = parse_text(text)
    assert (report.agency_name, report.report_year, report.format_version) == ("某某市林业局", 2023, "v2021")
    assert _row(report, "new_received") == [("inferred", v) for v in (12, 1, 0, 0, 0, 0, 13)]
    assert _row(report, "outcome_total") == [("inferred", v) for v in (13, 1, 0, 0, 0, 0, 14)]
    assert _row(report, "granted") == [("inferred", v) for v in (9, 1, 0, 0, 0, 0, 10)]
    assert _row(report, "other_other") == [("inferred", 0)] * 7
    assert report.fields["t2_admin_license__decisions"].value == 6
    assert report.checks and all(check.ok for check in report.checks)


@pytest.mark.parametrize("seed", [1, 2])
def test_flattened_report_with_headings_run_into_the_prose(seed: int) -> None:
    """Line breaks lost too: each heading runs on from the sentence before it, and the
    title comes after a breadcrumb. Still a report, with its metadata and sections."""
    spec = sample_spec(seed, version="v2021", year=2023, agency="某某市生态环境局")
    lines: list[str] = []
    for line in report_text(spec, style="flat", head=["首页>信息公开>年度报告>" + spec.title]).split("\n"):
        if lines and lines[-1].endswith("。") and line[1:2] == "、" and len(line) < 30:
            lines[-1] += line
        else:
            lines.append(line)
    report = parse_text("\n".join(lines))
    assert report.failure is None
    assert (report.agency_name, report.report_year, report.format_version) == ("某某市生态环境局", 2023, "v2021")
    assert len(report.sections) == 6
    assert report.sections["s6_other"].split("\n")[0] == narrative(spec).sections[-1].paragraphs[0]
    assert any(cell.state == "inferred" for cell in report.fields.values())
