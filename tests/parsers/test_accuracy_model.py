"""The cell model's added keys are optional: records written before them still load."""

from __future__ import annotations

from parsers.model import Cell, ParsedReport


def test_old_records_load_and_new_keys_round_trip() -> None:
    old = {"parser_version": "core-1.1", "agency_name": "某某局", "report_year": 2022,
           "fields": {"t3_new_received__total": {"raw": "3", "value": 3, "state": "number",
                                                  "unit_as_printed": None}}}
    report = ParsedReport.from_dict(old)
    cell = report.fields["t3_new_received__total"]
    assert (cell.value, cell.label_as_printed, cell.mapped_by, report.agency_source) == (3, None, None, None)
    report.fields["t3_carried_over__total"] = Cell("12", 12, "inferred", None, "二、上年结转", "position")
    report.agency_source = "page_title"
    again = ParsedReport.from_dict(report.to_dict())
    assert again.fields == report.fields and again.agency_source == "page_title"
    assert set(report.to_dict()["fields"]["t3_new_received__total"]) == {
        "raw", "value", "state", "unit_as_printed", "label_as_printed", "mapped_by", "confidence"}
