"""DOCX reports: real cells with gridSpan/vMerge, and hostile or broken packages."""

from __future__ import annotations

import io
import zipfile

import pytest

from parsers.api import parse_bytes
from parsers.extract.docx import extract_docx
from parsers.limits import ParseLimits
from flows.reportgen import render_docx, report_tables, sample_spec
from flows.reportgen.expect import check_mismatches, field_mismatches
from flows.reportgen.tables import texts

AGENCY = "某某县财政局"


def _spec(version: str, seed: int = 2, **options):
    year = 2023 if version == "v2021" else 2019
    return sample_spec(seed, version=version, year=year, agency=AGENCY, **options)


def _with_document_xml(docx: bytes, xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, xml if item.filename == "word/document.xml" else source.read(item))
    return out.getvalue()


@pytest.mark.parametrize("version", ["v2019", "v2021"])
def test_docx_tables_come_back_as_full_grids(version):
    spec = _spec(version)
    document = extract_docx(render_docx(spec))
    assert document.tables == [texts(grid) for grid in report_tables(spec).values()]
    assert document.title == spec.title


@pytest.mark.parametrize("version", ["v2019", "v2021"])
def test_docx_report_values_match_spec(version):
    spec = _spec(version)
    report = parse_bytes(render_docx(spec))
    assert report.failure is None and report.source_format == "docx"
    assert (report.agency_name, report.report_year, report.format_version) == (AGENCY, spec.year, version)
    assert field_mismatches(report, spec) == []
    assert check_mismatches(report, spec) == []


def test_broken_identity_is_exactly_that_identity():
    spec = _spec("v2021", break_identity="t4_sum__litigation_direct")
    assert spec.false_identities() == {"t4_sum__litigation_direct"}
    report = parse_bytes(render_docx(spec))
    assert {check.name for check in report.checks if check.ok is False} == {"t4_sum__litigation_direct"}


def test_broken_t3_balance_fails_with_the_identities_the_spec_predicts():
    spec = _spec("v2019", break_identity="t3_balance__natural_person")
    report = parse_bytes(render_docx(spec))
    failed = {check.name for check in report.checks if check.ok is False}
    assert "t3_balance__natural_person" in failed and failed == spec.false_identities()


BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>")
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>")


@pytest.mark.parametrize("xml", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_hostile_xml_is_unsafe(xml):
    report = parse_bytes(_with_document_xml(render_docx(_spec("v2021")), xml))
    assert report.failure is not None and report.failure.reason == "unsafe_xml"


def test_truncated_docx_is_corrupt():
    data = render_docx(_spec("v2021"))
    report = parse_bytes(data[: len(data) // 2])
    assert report.failure is not None and report.failure.reason == "corrupt"


def test_document_part_expanding_past_the_limit_is_too_large():
    data = render_docx(_spec("v2021"))
    report = parse_bytes(data, limits=ParseLimits(max_xml_bytes=10_000))
    assert report.failure is not None and report.failure.reason == "too_large"


def test_docx_without_document_body_is_corrupt():
    xml = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    report = parse_bytes(_with_document_xml(render_docx(_spec("v2021")), xml))
    assert report.failure is not None and report.failure.reason == "corrupt"


def test_absurdly_nested_document_fails_cleanly():
    nested = b"<w:smartTag>" * 5000 + b"<w:r><w:t>x</w:t></w:r>" + b"</w:smartTag>" * 5000
    xml = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           b"<w:body><w:p>" + nested + b"</w:p></w:body></w:document>")
    report = parse_bytes(_with_document_xml(render_docx(_spec("v2021")), xml))
    assert report.failure is not None and report.failure.reason == "corrupt"
