"""PDF reports: ruled tables rebuilt from lines and glyphs, and every way a PDF can fail."""

from __future__ import annotations

import pytest

from parsers.api import parse_bytes
from parsers.extract.pdf import extract_pdf
from parsers.extract.pdf_worker import PDF_WORKER
from parsers.limits import ParseLimits
from flows.reportgen import render_pdf, report_tables, sample_spec
from flows.reportgen.convert import render_encrypted_pdf
from flows.reportgen.expect import check_mismatches, field_mismatches
from flows.reportgen.pdfcraft import scanned_pdf, slow_pdf, unmapped_glyphs_pdf
from flows.reportgen.tables import texts

AGENCY = "某某区统计局"
SPECS = {
    "v2021": sample_spec(5, version="v2021", year=2022, agency=AGENCY),
    # Both run t3 over a page break (checked by the page count and grids below).
    "v2019": sample_spec(5, version="v2019", year=2020, agency=AGENCY),
}


@pytest.mark.parametrize("version", ["v2019", "v2021"])
def test_pdf_tables_come_back_as_full_grids_across_page_breaks(version):
    spec = SPECS[version]
    document = extract_pdf(render_pdf(spec))
    assert document.page_count >= 3
    assert document.tables == [texts(grid) for grid in report_tables(spec).values()]
    assert document.title == spec.title


@pytest.mark.parametrize("version", ["v2019", "v2021"])
def test_pdf_report_values_match_spec(version):
    spec = SPECS[version]
    report = parse_bytes(render_pdf(spec))
    assert report.failure is None and report.source_format == "pdf"
    assert (report.report_year, report.format_version) == (spec.year, version)
    assert field_mismatches(report, spec) == []
    assert check_mismatches(report, spec) == []


def test_encrypted_pdf_that_opens_without_password_parses():
    spec = SPECS["v2021"]
    data = render_encrypted_pdf(spec)
    assert b"/Encrypt" in data
    report = parse_bytes(data)
    assert report.failure is None and field_mismatches(report, spec) == []


def test_truncated_pdf_is_corrupt():
    data = render_pdf(SPECS["v2021"])
    report = parse_bytes(data[: len(data) * 2 // 3])
    assert report.failure is not None and report.failure.reason == "corrupt"


def test_pdf_with_broken_objects_is_corrupt():
    data = render_pdf(SPECS["v2021"])
    report = parse_bytes(data[:2000] + b"\x00garbage" * 500 + b"\n%%EOF\n")
    assert report.failure is not None and report.failure.reason == "corrupt"


def test_scanned_pdf_without_text_is_unreadable_by_ocr():
    report = parse_bytes(scanned_pdf())  # a gray box and one line: no text to read
    assert report.failure is not None and report.failure.reason == "ocr_unreadable"


def test_unmapped_cid_glyphs_go_to_ocr():
    report = parse_bytes(unmapped_glyphs_pdf())  # OCR then finds no report in the glyph soup
    assert report.failure is not None and report.failure.reason == "ocr_unreadable"
    assert "cid" in report.failure.detail


def test_slow_pdf_times_out_and_the_next_pdf_still_parses():
    report = parse_bytes(slow_pdf(), limits=ParseLimits(pdf_timeout_s=1.5))
    assert report.failure is not None and report.failure.reason == "timeout"
    assert PDF_WORKER.pid is None  # the stuck child was killed, not left running
    spec = SPECS["v2021"]
    after = parse_bytes(render_pdf(spec))
    assert after.failure is None and field_mismatches(after, spec) == []


def test_pdf_over_the_page_limit_is_too_large():
    report = parse_bytes(render_pdf(SPECS["v2021"]), limits=ParseLimits(max_pdf_pages=2))
    assert report.failure is not None and report.failure.reason == "too_large"


@pytest.mark.parametrize("version", ["v2019", "v2021"])
def test_pdfium_reads_what_pdfminer_reads(version):
    """PDFium is the fast path, pdfminer the fallback: both must give the same content."""
    from parsers.extract.pdf_pages import read_pdf
    from parsers.extract.pdf_pdfium import pdfium_pages

    data = render_pdf(SPECS[version])
    assert pdfium_pages(data, 200) is not None  # the fast path is taken for this PDF
    assert read_pdf(data, 200) == read_pdf(data, 200, use_pdfium=False)


def test_unmapped_glyphs_fall_back_to_pdfminer():
    from parsers.extract.pdf_pdfium import pdfium_pages

    assert pdfium_pages(unmapped_glyphs_pdf(), 200) is None
