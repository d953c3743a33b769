"""DOC and WPS reports through LibreOffice, and what happens without it."""

from __future__ import annotations

import os
import shutil

import pytest

from parsers.api import parse_bytes
from parsers.detect import detect_type
from flows.reportgen import render_doc, render_wps, sample_spec
from flows.reportgen.expect import check_mismatches, field_mismatches

AGENCY = "某某镇人民政府"
SPECS = {
    "v2021": sample_spec(4, version="v2021", year=2021, agency=AGENCY),
    "v2019": sample_spec(4, version="v2019", year=2019, agency=AGENCY),
}
RENDER = {"doc": render_doc, "wps": render_wps}


@pytest.mark.parametrize("kind", ["doc", "wps"])
@pytest.mark.parametrize("version", ["v2019", "v2021"])
def test_office_report_values_match_spec(kind, version):
    spec = SPECS[version]
    data = RENDER[kind](spec)
    assert detect_type(data) == kind
    report = parse_bytes(data)
    assert report.failure is None and report.source_format == kind
    assert (report.report_year, report.format_version) == (spec.year, version)
    assert field_mismatches(report, spec) == []
    assert check_mismatches(report, spec) == []


def _path_with_only(tmp_path, *tools: str) -> str:
    """A PATH holding just the named tools, to run as if nothing else were installed."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in tools:
        os.symlink(shutil.which(tool), folder / tool)
    return str(folder)


def test_wps_without_libreoffice_is_converter_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", _path_with_only(tmp_path))
    report = parse_bytes(render_wps(SPECS["v2021"]))
    assert report.failure is not None and report.failure.reason == "converter_missing"


def test_doc_without_libreoffice_falls_back_to_antiword_text(tmp_path, monkeypatch):
    spec = SPECS["v2021"]
    data = render_doc(spec)
    monkeypatch.setenv("PATH", _path_with_only(tmp_path, "antiword"))
    report = parse_bytes(data)
    assert report.failure is None and report.source_format == "doc"
    assert report.report_year == spec.year
    assert "s1_overview" in report.sections


def test_damaged_word_binary_fails_cleanly():
    data = bytearray(render_doc(SPECS["v2019"]))
    data[2048:] = b"\xff" * (len(data) - 2048)  # keep the OLE header, wreck the rest
    report = parse_bytes(bytes(data))
    assert report.failure is not None
    assert report.failure.reason in {"corrupt", "conversion_failed"}
