"""Read a PDF's glyphs and border lines with PDFium (pypdfium2), as pdfminer would give them.

PDFium parses content streams in C, several times faster than pdfminer.six, whose
interpreter was three quarters of a PDF's parse time. This module returns the same
two things pdf_pages.py needs per page (glyph boxes, border segments), with pdfminer's
conventions: coordinates relative to the media box origin, a character box from the
font's ascent to its descent (PDFium's "loose" box), paths split into subpaths and
classed as line / rectangle / curve by pdfminer's rules (converter.paint_path).

It returns None where it cannot stand in for pdfminer, and the caller uses pdfminer:
pages rotated or with paths inside form XObjects (their matrices nest), glyphs whose
font maps to no Unicode (pdfminer's "(cid:N)" counts toward needs_ocr), documents
PDFium cannot open (pdfminer then says corrupt or encrypted).
"""

from __future__ import annotations

import ctypes
import re

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from parsers.extract import ExtractionFailure
from parsers.extract.pdf_rulings import Glyph

Point = tuple[float, float]
PageObjects = tuple[list[Glyph], list[tuple[bool, list[Point]]]]


def pdfium_pages(data: bytes, max_pages: int) -> list[PageObjects] | None:
    """Per page: glyphs and painted paths as (is_rect, points) in pdfminer's classes,
    or None when pdfminer must read this document. Raises ExtractionFailure(too_large)."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        if len(document) > max_pages:
            raise ExtractionFailure("too_large", f"more than {max_pages} pages")
        pages = []
        for index in range(len(document)):
            page = document[index]
            try:
                objects = _page(page)
            finally:
                page.close()
            if objects is None:
                return None
            pages.append(objects)
        return pages
    finally:
        document.close()


def _page(page: pdfium.PdfPage) -> PageObjects | None:
    if page.get_rotation() != 0:
        return None
    left, bottom, _, _ = page.get_mediabox()
    glyphs = _glyphs(page, left, bottom)
    paths = _paths(page, left, bottom)
    if glyphs is None or paths is None:
        return None
    return glyphs, paths


def _glyphs(page: pdfium.PdfPage, dx: float, dy: float) -> list[Glyph] | None:
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = raw.FPDFText_CountChars(handle)
        text = _page_text(handle, count)
        rect = raw.FS_RECTF()
        glyphs = []
        for index in range(count):
            char = text[index] if text is not None else chr(raw.FPDFText_GetUnicode(handle, index))
            # Whitespace, including the spaces and line breaks PDFium infers, is not a glyph.
            if not char.strip() or raw.FPDFText_IsGenerated(handle, index):
                continue
            if raw.FPDFText_HasUnicodeMapError(handle, index):
                return None
            raw.FPDFText_GetLooseCharBox(handle, index, rect)
            glyphs.append(Glyph(char, rect.left - dx, rect.bottom - dy, rect.right - dx, rect.top - dy))
        return glyphs
    finally:
        textpage.close()


def _page_text(handle, count: int) -> str | None:
    """All characters of the page in one call, one per index; None when a character
    outside the BMP (a surrogate pair) breaks that correspondence."""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    raw.FPDFText_GetText(handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[:2 * count].decode("utf-16-le", errors="surrogatepass")
    return text if len(text) == count and not any("\ud800" <= c <= "\udfff" for c in text) else None


def _paths(page: pdfium.PdfPage, dx: float, dy: float) -> list[tuple[bool, list[Point]]] | None:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    shapes: list[tuple[bool, list[Point]]] = []
    for item in page.get_objects(max_depth=2):
        kind = raw.FPDFPageObj_GetType(item)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            if any(raw.FPDFPageObj_GetType(inner) == raw.FPDF_PAGEOBJ_PATH
                   for inner in page.get_objects(max_depth=15, form=item)):
                return None
            continue
        if kind != raw.FPDF_PAGEOBJ_PATH or item.level > 0:
            continue
        raw.FPDFPath_GetDrawMode(item, fill, stroke)
        if fill.value == raw.FPDF_FILLMODE_NONE and not stroke.value:
            continue  # a clipping path (`W n`): pdfminer paints nothing for it
        shapes.extend(_subpaths(item, dx, dy))
    return shapes


def _operations(item: pdfium.PdfObject, dx: float, dy: float) -> list[tuple[str, Point]]:
    """The path as pdfminer's operators (m, l, c, h), each with its end point on the page."""
    a, b, c, d, e, f = (item.get_matrix().get())
    x, y = ctypes.c_float(), ctypes.c_float()
    operations: list[tuple[str, Point]] = []
    start: Point = (0.0, 0.0)
    curve_points = 0
    for index in range(raw.FPDFPath_CountSegments(item)):
        segment = raw.FPDFPath_GetPathSegment(item, index)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e - dx, b * x.value + d * y.value + f - dy)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            operations.append(("m", point))
            start = point
        elif kind == raw.FPDF_SEGMENT_LINETO:
            operations.append(("l", point))
        else:  # a Bézier is three BEZIERTO segments; pdfminer keeps its end point
            curve_points += 1
            if curve_points % 3 == 0:
                operations.append(("c", point))
        if raw.FPDFPathSegment_GetClose(segment):
            operations.append(("h", start))
    return operations


def _subpaths(item: pdfium.PdfObject, dx: float, dy: float) -> list[tuple[bool, list[Point]]]:
    operations = _operations(item, dx, dy)
    shape = "".join(op for op, _ in operations)
    if shape[:1] != "m":
        return []
    return [_classify(operations[m.start():m.end()]) for m in re.finditer(r"m[^m]+", shape)]


def _classify(operations: list[tuple[str, Point]]) -> tuple[bool, list[Point]]:
    """(is_rect, points) by pdfminer's paint_path: an axis-aligned closed quadrilateral is
    a rectangle; lines and curves are kept by their points (their box decides)."""
    shape = "".join(op for op, _ in operations)
    points = [point for _, point in operations]
    if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
        shape = shape[:-2] + "h"
        points.pop()
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = points
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or \
                 (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if points[0] == points[4] and square:
            return True, [points[0], points[2]]
    return False, points
