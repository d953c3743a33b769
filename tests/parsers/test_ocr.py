"""Scanned reports read by OCR: values, cell states, broken identities, limits.

Two scanned documents are OCR'd once per module (an image-only PDF and a tall JPG);
the 20-document accuracy measure is benchmarks/ocr_benchmark.py.
"""

from __future__ import annotations

import copy
import io
from dataclasses import replace

import pytest
from PIL import Image

from flows.reportgen import sample_spec
from flows.reportgen.scan import ScanStyle, blank_scan, scan_pages, scanned_jpg, scanned_pdf
from flows.reportgen.scanset import cell_accuracy
from parsers.api import parse_bytes
from parsers.detect import detect_type
from parsers.identities import check_all
from parsers.limits import ParseLimits
from parsers.model import FAILURE_REASONS
from parsers.ocr.trust import correct_one_digit, identity_version
from parsers.ocr.worker import OCR_WORKER

pytestmark = pytest.mark.slow

# Measured on the fixture set (README): the single documents here must reach it too.
MIN_CELL_ACCURACY = 0.95

PDF_SPEC = sample_spec(21, version="v2021", year=2022, agency="某某市生态环境局")
PDF_STYLE = ScanStyle(dpi=120, angle=0.7, blur=0.5, noise=7.0)
JPG_SPEC = sample_spec(22, version="v2019", year=2020, agency="某某县人民政府",
                       break_identity="t4_sum__review")
JPG_STYLE = ScanStyle(dpi=150, angle=-0.8, blur=0.6, noise=8.0)


@pytest.fixture(scope="module")
def pdf_report():
    return parse_bytes(scanned_pdf(PDF_SPEC, PDF_STYLE), url="http://a.gov.cn/scan.pdf")


@pytest.fixture(scope="module")
def jpg_report():
    return parse_bytes(scanned_jpg(JPG_SPEC, JPG_STYLE))


def test_image_only_pdf_values_and_metadata_come_back(pdf_report):
    assert pdf_report.ok, pdf_report.failure
    assert pdf_report.source_format == "pdf"
    score = cell_accuracy(PDF_SPEC, pdf_report.fields)
    assert score.accuracy >= MIN_CELL_ACCURACY, score.wrong
    assert pdf_report.agency_name == PDF_SPEC.agency
    assert pdf_report.report_year == PDF_SPEC.year
    assert pdf_report.format_version == "v2021"


def test_ocr_numbers_keep_state_and_confidence(pdf_report):
    numbers = [cell for cell in pdf_report.fields.values() if cell.value is not None]
    assert numbers and {cell.state for cell in numbers} <= {"ocr", "ocr_corrected"}
    scored = [cell.confidence for cell in numbers if cell.confidence is not None]
    assert len(scored) >= 0.95 * len(numbers)
    assert all(0.0 < confidence <= 1.0 for confidence in scored)


def test_jpg_attachment_is_read_and_its_broken_identity_reported(jpg_report):
    assert jpg_report.ok, jpg_report.failure
    assert jpg_report.source_format == "image"
    assert jpg_report.format_version == "v2019"
    score = cell_accuracy(JPG_SPEC, jpg_report.fields)
    assert score.accuracy >= MIN_CELL_ACCURACY, score.wrong
    broken = {check.name for check in jpg_report.checks if check.ok is False}
    assert "t4_sum__review" in broken


def test_one_low_confidence_misread_digit_is_corrected(pdf_report):
    report = copy.deepcopy(pdf_report)
    key = next(k for k, c in report.fields.items()
               if k.startswith("t4_") and c.state == "ocr" and c.value == PDF_SPEC.fields[k]
               and 0 <= c.value <= 8 and not k.endswith("__total"))
    true_value = report.fields[key].value
    version = identity_version(report)
    report.fields[key] = _with(report.fields[key], value=true_value + 1, confidence=0.6)
    report.checks = check_all(version, report.fields)
    assert any(check.ok is False for check in report.checks)
    note = correct_one_digit(report)
    assert note is not None and key in note
    assert report.fields[key].value == true_value and report.fields[key].state == "ocr_corrected"
    assert all(check.ok is not False for check in report.checks)


def test_a_confident_reading_is_not_corrected(pdf_report):
    report = copy.deepcopy(pdf_report)
    key = next(k for k, c in report.fields.items()
               if k.startswith("t4_") and c.state == "ocr" and c.value is not None and c.value <= 8
               and not k.endswith("__total"))
    report.fields[key] = _with(report.fields[key], value=report.fields[key].value + 1, confidence=0.999)
    report.checks = check_all(identity_version(report), report.fields)
    assert correct_one_digit(report) is None
    assert any(check.ok is False for check in report.checks)


def _with(cell, **changes):
    return replace(cell, **changes)


def test_blank_scan_is_unreadable():
    report = parse_bytes(blank_scan())
    assert report.failure is not None and report.failure.reason == "ocr_unreadable"
    assert "ocr_unreadable" in FAILURE_REASONS and "ocr_timeout" in FAILURE_REASONS


def test_a_page_over_its_time_limit_fails_with_ocr_timeout():
    page = scan_pages(PDF_SPEC, PDF_STYLE)[1]
    report = parse_bytes(page, limits=ParseLimits(ocr_page_timeout_s=0.05))
    assert report.failure is not None and report.failure.reason == "ocr_timeout"
    assert OCR_WORKER._process is None  # the busy child was killed, not left running


def test_too_many_pages_is_refused():
    report = parse_bytes(scanned_pdf(PDF_SPEC, PDF_STYLE), limits=ParseLimits(ocr_max_pages=2))
    assert report.failure is not None and report.failure.reason == "too_large"


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "TIFF"])
def test_image_files_are_detected_as_images(image_format):
    out = io.BytesIO()
    Image.new("L", (40, 30), 255).save(out, format=image_format)
    assert detect_type(out.getvalue()) == "image"
