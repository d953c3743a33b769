"""parse_bytes / parse_file: never raises for bad input, one reason code per failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.api import parse_bytes, parse_file
from parsers.limits import ParseLimits
from parsers.model import FAILURE_REASONS
from flows.reportgen import render_docx, render_html, render_pdf, sample_spec
from flows.reportgen.expect import field_mismatches
from tests.fixture_paths import SEEDS

SPEC = sample_spec(11, version="v2021", year=2023, agency="某某市交通运输局")


@pytest.mark.parametrize("data,reason", [
    (b"", "empty_file"),
    (b"\n\n  \n", "empty_file"),
    (bytes(range(256)) * 4, "unsupported_type"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "ocr_unreadable"),
    (b"PK\x03\x04" + b"\x00" * 200, "corrupt"),
], ids=["empty", "blank", "noise", "image", "broken-zip"])
def test_bad_input_gives_its_reason(data, reason):
    report = parse_bytes(data)
    assert report.failure is not None and report.failure.reason == reason
    assert report.failure.reason in FAILURE_REASONS and report.failure.detail


def test_too_large_is_refused_before_any_work():
    report = parse_bytes(render_pdf(SPEC), limits=ParseLimits(max_bytes=1000))
    assert report.failure is not None and report.failure.reason == "too_large"


def test_html_without_a_report_is_not_a_report():
    page = "<html><head><title>首页</title></head><body><p>欢迎访问本网站。</p>" + "<p>新闻动态</p>" * 80
    report = parse_bytes((page + "</body></html>").encode())
    assert report.failure is not None and report.failure.reason == "not_a_report"


def test_url_is_kept_on_success_and_failure():
    url = "http://www.example.gov.cn/art/2024/1/20/art_1.html"
    assert parse_bytes(render_html(SPEC), url=url).source_url == url
    assert parse_bytes(b"", url=url).source_url == url


@pytest.mark.parametrize("render", [render_html, render_docx, render_pdf], ids=["html", "docx", "pdf"])
def test_broken_identity_comes_back_false_in_every_format(render):
    spec = sample_spec(11, version="v2019", year=2020, agency="某某市交通运输局",
                       break_identity="t4_sum__review")
    report = parse_bytes(render(spec))
    assert field_mismatches(report, spec) == []
    assert {check.name for check in report.checks if check.ok is False} == {"t4_sum__review"}


def test_parse_file_reads_documents_and_seed_texts(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(render_docx(SPEC))
    report = parse_file(path)
    assert report.failure is None and field_mismatches(report, SPEC) == []
    seed = parse_file(next(SEEDS.glob("000_*.txt")))
    assert seed.failure is None and seed.source_format == "text" and seed.report_year == 2023


def _spec_with_blank_before_merged_cell():
    """A v2019 spec whose 行政事业性收费 row starts blank; its 本年增/减 cell spans two
    grid columns, so the grid row reads ["行政事业性收费", "", "5", "5"]."""
    for seed in range(100):
        spec = sample_spec(seed, version="v2019", year=2020, agency="某某市交通运输局")
        if spec.fields["t2_admin_fee__prev_year_items"] is None and spec.fields["t2_admin_fee__items_change"]:
            return spec
    raise AssertionError("no seed below 100 gives that row")


def test_blank_before_a_merged_cell_stays_blank():
    spec = _spec_with_blank_before_merged_cell()
    report = parse_bytes(render_html(spec))
    assert field_mismatches(report, spec) == []


def test_absurdly_nested_html_fails_cleanly():
    page = b"<html><body>" + b"<font>" * 5000 + b"text" + b"</font>" * 5000 + b"</body></html>"
    report = parse_bytes(page)
    assert report.failure is not None and report.failure.reason == "corrupt"
