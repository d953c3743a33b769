"""File type from the bytes alone, for every format the parser meets."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from parsers.api import detect_type
from flows.reportgen import render_doc, render_docx, render_html, render_pdf, render_wps, sample_spec
from flows.reportgen.pdfcraft import scanned_pdf
from tests.fixture_paths import SEEDS

SPEC = sample_spec(9, version="v2021", year=2024, agency="某某市审计局")
SEED_TEXT = next(SEEDS.glob("000_*.txt"))


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def _xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


CASES = {
    "pdf": lambda: render_pdf(SPEC),
    "pdf-with-junk-before-header": lambda: b"\r\n" + scanned_pdf(),
    "docx": lambda: render_docx(SPEC),
    "doc": lambda: render_doc(SPEC),
    "wps": lambda: render_wps(SPEC),
    "html-utf8": lambda: render_html(SPEC),
    "html-gbk-undeclared": lambda: render_html(SPEC, encoding="gbk", declare_charset=False),
    "html-utf8-bom": lambda: b"\xef\xbb\xbf" + render_html(SPEC),
    "text-seed": lambda: SEED_TEXT.read_bytes(),
    "text-gbk": lambda: "一、总体情况\n本机关收到申请3件。\n".encode("gbk"),
    "rtf": lambda: b"{\\rtf1\\ansi\\ansicpg936 {\\fonttbl} hello}",
    "empty": lambda: b"",
    "whitespace": lambda: b"  \r\n\t ",
    "image": _png,
    "xlsx": _xlsx,
    "truncated-docx": lambda: render_docx(SPEC)[:3000],
    "truncated-ole": lambda: render_doc(SPEC)[:700],
    "binary-noise": lambda: bytes(range(256)) * 8,
}
EXPECTED = {
    "pdf": "pdf", "pdf-with-junk-before-header": "pdf", "docx": "docx", "doc": "doc", "wps": "wps",
    "html-utf8": "html", "html-gbk-undeclared": "html", "html-utf8-bom": "html",
    "text-seed": "text", "text-gbk": "text", "rtf": "rtf", "empty": "empty", "whitespace": "empty",
    "image": "image", "xlsx": "xlsx", "truncated-docx": "corrupt", "truncated-ole": "corrupt",
    "binary-noise": "unknown",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_detect_type(case):
    assert detect_type(CASES[case]()) == EXPECTED[case]


def test_doc_is_not_mistaken_for_wps():
    # The two differ only by WPS Office's property inside the OLE container.
    assert b"KSOProductBuildVer" in render_wps(SPEC)
    assert b"KSOProductBuildVer" not in render_doc(SPEC)


def test_bare_error_page_is_html():
    assert detect_type(b"<h1>503 Service Unavailable</h1>") == "html"
