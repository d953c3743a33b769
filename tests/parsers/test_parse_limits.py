"""Every extractor runs under a memory cap and a time limit: hostile documents fail with a reason."""

from __future__ import annotations

import pytest

from parsers.api import parse_bytes
from parsers.extract.pdf_worker import EXTRACTION_WORKER
from parsers.limits import DEFAULT_LIMITS, ParseLimits
from flows.reportgen import render_docx, render_html, render_pdf, sample_spec
from flows.reportgen.expect import field_mismatches
from tests.parsers.hostile_inputs import (flate_bomb_pdf, huge_html, huge_xml_docx,
                                          many_text_operators_pdf)

SPEC = sample_spec(5, version="v2021", year=2022, agency="某某区统计局")  # rendered for other tests too
# A small cap keeps these tests quick; the mechanism is the same at the default.
SMALL = ParseLimits(worker_memory_mb=128, pdf_timeout_s=30.0, extract_timeout_s=30.0)


def _reason(data: bytes, limits: ParseLimits) -> str | None:
    report = parse_bytes(data, limits=limits)
    return report.failure.reason if report.failure else None


def test_flate_bomb_pdf_is_too_large_and_the_worker_recovers():
    data = flate_bomb_pdf(expanded_mb=2048)
    assert len(data) < 3 * 1024 * 1024
    assert _reason(data, SMALL) == "too_large"
    after = parse_bytes(render_pdf(SPEC), limits=SMALL)
    assert after.failure is None and field_mismatches(after, SPEC) == []


@pytest.mark.slow
def test_flate_bomb_pdf_is_too_large_at_the_default_cap():
    assert _reason(flate_bomb_pdf(expanded_mb=2 * DEFAULT_LIMITS.worker_memory_mb), DEFAULT_LIMITS) == "too_large"


@pytest.mark.slow
def test_pdf_with_millions_of_text_operators_stops_at_a_limit():
    data = many_text_operators_pdf(3_000_000)
    assert len(data) < 300 * 1024
    assert _reason(data, SMALL) == "too_large"


def test_docx_with_huge_xml_is_too_large_and_the_worker_recovers():
    data = huge_xml_docx(xml_mb=63)
    assert len(data) < 1024 * 1024
    assert _reason(data, SMALL) == "too_large"
    after = parse_bytes(render_docx(SPEC), limits=SMALL)
    assert after.failure is None and field_mismatches(after, SPEC) == []


def test_docx_extraction_has_a_time_limit():
    data = huge_xml_docx(xml_mb=40)
    assert _reason(data, ParseLimits(worker_memory_mb=4096, extract_timeout_s=0.5)) == "timeout"
    assert EXTRACTION_WORKER.pid is None  # the busy child was killed, not left running


def test_html_page_over_the_character_limit_is_too_large():
    assert _reason(huge_html(45_000_000), DEFAULT_LIMITS) == "too_large"


@pytest.mark.slow
def test_html_extraction_runs_under_the_memory_cap():
    page = huge_html(4_000_000)  # under max_html_chars, but its tree needs far more than 128 MB
    assert _reason(page, SMALL) == "too_large"
    after = parse_bytes(render_html(SPEC), limits=SMALL)
    assert after.failure is None and field_mismatches(after, SPEC) == []
