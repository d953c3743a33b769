"""Synthetic 政府信息公开工作年度报告 documents with known values, for tests and the fake web.

Stable API (other test packages import it):

    from flows.reportgen import (ReportSpec, sample_spec, render_html, render_docx,
                                 render_pdf, render_doc, render_wps, report_tables)

    spec = sample_spec(7, version="v2021", year=2023, agency="某某市生态环境局")
    spec.fields          # {schema key: int | float | None}; None is a blank cell
    spec.expected_checks()   # {identity id: bool}, evaluated on the spec (blank = 0)
    spec.false_identities()  # set of identity ids that fail
    sample_spec(7, version="v2019", year=2020, agency="...",
                break_identity="t4_sum__review")   # exactly that identity fails
    sample_spec(..., table_style="split" | "paragraphs")  # HTML table variants

    render_html(spec, encoding="utf-8", declare_charset=True) -> bytes  # gov.cn-like page
    render_docx(spec) -> bytes    # python-docx, merged cells like the official template
    render_pdf(spec) -> bytes     # LibreOffice from the DOCX (Noto CJK)
    render_doc(spec) -> bytes     # Word 97 binary via LibreOffice
    render_wps(spec) -> bytes     # WPS-style OLE file: Word 97 binary carrying WPS Office's
                                  # KSOProductBuildVer document property
    convert.render_encrypted_pdf(spec) -> bytes  # owner-password-only encrypted PDF
    pdfcraft.scanned_pdf() / unmapped_glyphs_pdf() / slow_pdf() -> bytes  # failure cases
    scan.scanned_pdf(spec, style) / scan.scanned_jpg(spec, style) -> bytes  # scans for OCR
        (grayscale JPEG pages, turned, blurred, noisy; cached on disk like the renders)
    scanset.scan_fixtures(20) / scanset.cell_accuracy(spec, fields)  # the OCR fixture set
    report_tables(spec) -> {"t2"|"t3"|"t4": grid}; tables.texts(grid) is the full
        text grid an extractor should return (merged text repeated).

render_html puts the report body (prose and tables) in `<div class="TRS_Editor" id="zoom">`,
followed by `<div class="share">`; flows.fakeweb cuts the article out by those markers.
`spec.title` may be reassigned before rendering.

Renders are deterministic for a given spec. LibreOffice outputs are cached on disk,
keyed by a hash of the input, under $NIANBAO_REPORTGEN_CACHE or
$XDG_CACHE_HOME/nianbao-reportgen (default /tmp/nianbao-reportgen-cache).
Expected values in tests come from the spec, never from a parser.
"""

from flows.reportgen.convert import render_doc, render_pdf, render_wps
from flows.reportgen.docx import render_docx
from flows.reportgen.html import render_html
from flows.reportgen.spec import ReportSpec, sample_spec
from flows.reportgen.tables import report_tables

__all__ = [
    "ReportSpec",
    "sample_spec",
    "render_html",
    "render_docx",
    "render_pdf",
    "render_doc",
    "render_wps",
    "report_tables",
]
