"""Read a PDF's characters and border lines per page, then rebuild its text and tables.

PDFium (pdf_pdfium.py) reads the characters and lines where it can, pdfminer.six
where it cannot. Runs inside the extraction worker process (see pdf_worker.py);
everything it returns is plain data that pickles.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTCurve, LTFigure, LTLine, LTRect
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from parsers.extract import ExtractionFailure
from parsers.extract.pdf_breaks import join_continuation, widen
from parsers.extract.pdf_pdfium import pdfium_pages
from parsers.extract.pdf_rulings import (Glyph, RuledTable, Segment, snap, fill_table,
                                         find_tables, line_text, text_lines)

THIN = 2.0  # points: a filled rectangle this thin is drawn as a border line
SHORT_LINE = 8  # page numbers and running heads between two halves of a split table


@dataclass
class PdfContent:
    page_count: int = 0
    lines: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    glyph_count: int = 0
    garbled_count: int = 0  # (cid:N) and U+FFFD glyphs: no usable text layer
    title: str | None = None


@dataclass
class _Block:
    """One line of text or one table on a page, in reading order."""

    top: float
    text: str | None = None
    table: RuledTable | None = None


def read_pdf(data: bytes, max_pages: int, use_pdfium: bool = True) -> PdfContent:
    pages = pdfium_pages(data, max_pages) if use_pdfium else None
    if pages is None:
        return _read_with_pdfminer(data, max_pages)
    content = PdfContent(page_count=len(pages))
    blocks = []
    for glyphs, paths in pages:
        content.glyph_count += len(glyphs)
        content.garbled_count += sum(1 for g in glyphs if g.text == "\ufffd")
        segments = [segment for is_rect, points in paths for segment in _borders(*_bound(points), is_rect)]
        blocks.append(_page_blocks(glyphs, segments))
    _assemble(content, blocks)
    return content


def _bound(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def _read_with_pdfminer(data: bytes, max_pages: int) -> PdfContent:
    document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    manager = PDFResourceManager(caching=True)
    # laparams=None: no layout analysis. It dominates pdfminer's cost, and the
    # table rebuild needs only raw glyphs and lines.
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    content = PdfContent()
    pages: list[list[_Block]] = []
    for number, page in enumerate(PDFPage.create_pages(document), start=1):
        if number > max_pages:
            raise ExtractionFailure("too_large", f"more than {max_pages} pages")
        interpreter.process_page(page)
        glyphs, segments = _page_objects(device.get_result())
        content.glyph_count += len(glyphs)
        content.garbled_count += sum(1 for g in glyphs if g.text.startswith("(cid:") or g.text == "\ufffd")
        pages.append(_page_blocks(glyphs, segments))
        content.page_count = number
    _assemble(content, pages)
    return content


def _page_objects(layout) -> tuple[list[Glyph], list[Segment]]:
    glyphs: list[Glyph] = []
    segments: list[Segment] = []
    stack = list(layout)
    while stack:
        item = stack.pop()
        if isinstance(item, LTChar):
            if item.get_text().strip():
                glyphs.append(Glyph(item.get_text(), item.x0, item.y0, item.x1, item.y1))
        elif isinstance(item, LTFigure):
            stack.extend(item)
        elif isinstance(item, (LTLine, LTRect, LTCurve)):
            segments.extend(_borders(item.x0, item.y0, item.x1, item.y1, isinstance(item, LTRect)))
    return glyphs, segments


def _borders(x0: float, y0: float, x1: float, y1: float, is_rect: bool) -> list[Segment]:
    width, height = x1 - x0, y1 - y0
    if height <= THIN and width > THIN:
        return [Segment(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)]
    if width <= THIN and height > THIN:
        return [Segment((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)]
    if is_rect:  # a cell drawn as a box: its four sides
        return [Segment(x0, y0, x1, y0), Segment(x0, y1, x1, y1),
                Segment(x0, y0, x0, y1), Segment(x1, y0, x1, y1)]
    return []


def _page_blocks(glyphs: list[Glyph], segments: list[Segment]) -> list[_Block]:
    tables = find_tables(segments)
    free: list[Glyph] = []
    inside: dict[int, list[Glyph]] = {id(t): [] for t in tables}
    for glyph in glyphs:
        owner = next((t for t in tables if t.contains(glyph)), None)
        (inside[id(owner)] if owner else free).append(glyph)
    blocks = [_Block(line[0].y1, text=line_text(line)) for line in text_lines(free)]
    for table in tables:
        fill_table(table, segments, inside[id(table)])
        if table.grid:
            blocks.append(_Block(table.top, table=table))
    return sorted(blocks, key=lambda b: -b.top)


def _edge_table(blocks: list[_Block], last: bool) -> RuledTable | None:
    """The table at the bottom (or top) of a page, looking past page numbers."""
    for block in reversed(blocks) if last else blocks:
        if block.table is not None:
            return block.table
        if block.text and len(block.text) > SHORT_LINE:
            return None
    return None


def _same_frame(previous: RuledTable | None, table: RuledTable | None) -> bool:
    """Same outer borders: the page's first table continues the last one. Inner
    borders may differ, when a page's rows happen to merge a column away."""
    if previous is None or table is None:
        return False
    return abs(previous.xs[0] - table.xs[0]) <= 3.0 and abs(previous.xs[-1] - table.xs[-1]) <= 3.0


def _assemble(content: PdfContent, pages: list[list[_Block]]) -> None:
    """Text in reading order (tables as tab-separated rows) and tables, with a table
    that runs over a page break joined into one."""
    previous_bottom: RuledTable | None = None
    last_borders: list[float] = []
    for blocks in pages:
        first = _edge_table(blocks, last=False)
        for block in blocks:
            if block.table is None:
                content.lines.append(block.text or "")
                if content.title is None and "报告" in (block.text or ""):
                    content.title = block.text
                continue
            grid, borders = block.table.grid, block.table.xs
            if block.table is first and _same_frame(previous_bottom, first):
                finer = snap(last_borders + borders)
                content.tables[-1] = widen(content.tables[-1], last_borders, finer)
                join_continuation(content.tables[-1], widen(grid, borders, finer))
                borders = finer
            else:
                content.tables.append([list(row) for row in grid])
            last_borders = borders
            content.lines.extend("\t".join(row) for row in grid)
        previous_bottom = _edge_table(blocks, last=True)


def content_from_pages(pages: list[tuple[list[Glyph], list[Segment]]]) -> PdfContent:
    """Text and tables from each page's glyphs and border lines, as for a PDF's text
    layer: the OCR reader feeds the text boxes and ruling lines it found in page images."""
    content = PdfContent(page_count=len(pages))
    content.glyph_count = sum(len(glyphs) for glyphs, _ in pages)
    _assemble(content, [_page_blocks(glyphs, segments) for glyphs, segments in pages])
    return content
