"""Render a spec as a Word (.docx) report with merged table cells, via python-docx."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from flows.reportgen.prose import narrative
from flows.reportgen.spec import ReportSpec
from flows.reportgen.tables import Grid, report_tables, spans

CJK_FONT = "Noto Serif CJK SC"


def render_docx(spec: ReportSpec) -> bytes:
    document = Document()
    _use_cjk_font(document)
    document.core_properties.title = spec.title
    document.core_properties.author = spec.agency
    published = datetime(spec.year + 1, 1, 20, 9, 0, 0)
    document.core_properties.created = document.core_properties.modified = published
    document.add_heading(spec.title, level=1)
    story = narrative(spec)
    tables = report_tables(spec)
    document.add_paragraph(story.intro)
    for section in story.sections:
        document.add_paragraph().add_run(section.heading).bold = True
        for text in section.paragraphs:
            document.add_paragraph(text)
        if section.table:
            _add_table(document, tables[section.table])
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_timestamps(buffer.getvalue())


def _fixed_timestamps(docx: bytes) -> bytes:
    """Same spec, same bytes: zip entries otherwise carry the time of saving."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(item.filename))
    return out.getvalue()


def _use_cjk_font(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = CJK_FONT
    normal.font.size = Pt(9)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)


def _add_table(document, grid: Grid) -> None:
    table = document.add_table(rows=len(grid), cols=len(grid[0]))
    table.style = "Table Grid"
    width = len(grid[0])
    # Look the cells up once: python-docx rebuilds its cell list on every table.cell().
    # Spans never overlap, so each span's corner cells survive earlier merges.
    cells = table._cells
    for span in spans(grid):
        cell = cells[span.row * width + span.col]
        if span.rowspan > 1 or span.colspan > 1:
            corner = cells[(span.row + span.rowspan - 1) * width + span.col + span.colspan - 1]
            cell = cell.merge(corner)
        cell.text = span.text
