"""Round trip: grids of generated reports (flows.reportgen) map back to their spec values."""

from __future__ import annotations

import pytest

from parsers.build import report_from_extracted
from parsers.model import ExtractedDocument
from flows.reportgen import report_tables, sample_spec
from flows.reportgen.tables import texts

CASES = [(seed, version, year) for seed in range(25) for version, year in (("v2021", 2023), ("v2019", 2020))]


def _parse(spec) -> object:
    grids = [texts(grid) for grid in report_tables(spec).values()]
    title = f"{spec.agency}{spec.year}年政府信息公开工作年度报告"
    doc = ExtractedDocument(text=title, tables=grids, source_format="docx", extraction_style="other")
    return report_from_extracted(doc)


@pytest.mark.parametrize(("seed", "version", "year"), CASES)
def test_generated_grids_round_trip(seed: int, version: str, year: int) -> None:
    spec = sample_spec(seed, version=version, year=year, agency="某某市生态环境局")
    report = _parse(spec)
    assert (report.format_version, report.t2_format_version, report.t3_format_version) == (version,) * 3
    assert (report.agency_name, report.report_year) == ("某某市生态环境局", year)
    assert report.field_values() == spec.fields
    blanks = {key for key, value in spec.fields.items() if value is None}
    assert {key for key, cell in report.fields.items() if cell.state == "blank"} == blanks
    assert {check.name: check.ok for check in report.checks} == spec.expected_checks()


@pytest.mark.parametrize("identity", ["t4_sum__review", "t3_balance__total", "t3_row_sum__carry_next"])
def test_broken_identity_is_the_only_failure(identity: str) -> None:
    spec = sample_spec(3, version="v2021", year=2022, agency="某某县司法局", break_identity=identity)
    report = _parse(spec)
    failed = {check.name for check in report.checks if check.ok is False}
    assert failed == spec.false_identities()
    assert identity in failed
