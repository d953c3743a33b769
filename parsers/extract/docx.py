"""Extract body text and real table cells (gridSpan, vMerge) from a DOCX, parsing XML safely."""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from parsers.extract import ExtractionFailure
from parsers.limits import DEFAULT_LIMITS, ParseLimits
from parsers.model import ExtractedDocument

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
DOCUMENT_PART = "word/document.xml"
REPORT_WORD = "报告"
SLIVER_TWIPS = 30  # 1.5 pt: no real column is this narrow


def extract_docx(data: bytes, *, limits: ParseLimits = DEFAULT_LIMITS,
                 source_format: str = "docx") -> ExtractedDocument:
    """Raises ExtractionFailure (corrupt, unsafe_xml, too_large)."""
    root = _document_root(data, limits)
    body = root.find(f"{W}body")
    if body is None:
        raise ExtractionFailure("corrupt", "word/document.xml has no body")
    try:
        lines, tables = _body_content(body)
    except RecursionError:  # runs nested thousands deep: hostile or broken, not a report
        raise ExtractionFailure("corrupt", f"{DOCUMENT_PART} is nested too deeply to read") from None
    title = next((line for line in lines[:8] if REPORT_WORD in line and "\t" not in line), None)
    return ExtractedDocument(text="\n".join(lines), tables=tables, title=title,
                             source_format=source_format, extraction_style="other")


def _body_content(body: Element) -> tuple[list[str], list[list[list[str]]]]:
    """Body text lines (tables as tab-separated rows) and table grids, in reading order."""
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    for block in _blocks(body):
        if block.tag == f"{W}tbl":
            grid = table_grid(block)
            if grid:
                tables.append(grid)
                lines.extend("\t".join(row) for row in grid)
        else:
            text = paragraph_text(block).strip()
            if text:
                lines.append(text)
    return lines, tables


def _document_root(data: bytes, limits: ParseLimits) -> Element:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo(DOCUMENT_PART)
        # A zip bomb declares a modest compressed size and a huge expanded one.
        if info.file_size > limits.max_xml_bytes:
            raise ExtractionFailure("too_large", f"{DOCUMENT_PART} expands to {info.file_size} bytes")
        xml = archive.read(DOCUMENT_PART)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zipfile.LargeZipFile) as error:
        raise ExtractionFailure("corrupt", f"not a readable DOCX: {error}") from None
    try:
        # OOXML never needs a DTD; any DTD, entity or external reference is hostile.
        return SafeET.fromstring(xml, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ExtractionFailure("unsafe_xml", f"{DOCUMENT_PART} declares {type(error).__name__}") from None
    except ParseError as error:
        raise ExtractionFailure("corrupt", f"{DOCUMENT_PART} is not well-formed XML: {error}") from None


def _blocks(container: Element):
    """Paragraphs and tables in reading order, looking through content controls."""
    for child in container:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content)


def paragraph_text(element: Element) -> str:
    parts: list[str] = []
    _collect_text(element, parts)
    return "".join(parts)


def _collect_text(element: Element, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == MC_FALLBACK:  # the same text box again, for old readers
            continue
        if tag == f"{W}t":
            parts.append(child.text or "")
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        else:
            _collect_text(child, parts)


def _cell_text(cell: Element) -> str:
    # Paragraphs inside one cell are a label broken over lines (总⏎计): join them.
    return "".join(" ".join(paragraph_text(p).split()) for p in cell.iter(f"{W}p")).strip()


def _int_attr(element: Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return max(1, int(element.get(f"{W}val", default)))
    except ValueError:
        return default


def table_grid(table: Element) -> list[list[str]]:
    """Rows of equal width; horizontally merged (gridSpan) and vertically merged
    (vMerge) cells repeat their text in every slot they cover."""
    grid: list[list[str]] = []
    for row in table.findall(f"{W}tr"):
        cells: list[str] = []
        before = row.find(f"{W}trPr/{W}gridBefore")
        if before is not None:
            cells.extend([""] * _int_attr(before, 0))
        for cell in row.findall(f"{W}tc") + row.findall(f"{W}sdt/{W}sdtContent/{W}tc"):
            properties = cell.find(f"{W}tcPr")
            span = _int_attr(None if properties is None else properties.find(f"{W}gridSpan"), 1)
            merge = None if properties is None else properties.find(f"{W}vMerge")
            column = len(cells)
            if merge is not None and merge.get(f"{W}val", "continue") == "continue" and grid:
                above = grid[-1]
                text = above[column] if column < len(above) else ""
            else:
                text = _cell_text(cell)
            cells.extend([text] * span)
        grid.append(cells)
    width = max((len(row) for row in grid), default=0)
    grid = [row + [""] * (width - len(row)) for row in grid if any(row)]
    slivers = _sliver_columns(table, width)
    return [[text for c, text in enumerate(row) if c not in slivers] for row in grid]


def _sliver_columns(table: Element, width: int) -> set[int]:
    """Grid columns a few twips wide: left behind when a converter re-aligns merged
    cells (LibreOffice's DOC -> DOCX does). They repeat a neighbour's text."""
    columns = table.findall(f"{W}tblGrid/{W}gridCol")
    if len(columns) != width:
        return set()
    widths = [_int_attr_raw(column, f"{W}w") for column in columns]
    return {c for c, twips in enumerate(widths) if twips is not None and twips < SLIVER_TWIPS}


def _int_attr_raw(element: Element, name: str) -> int | None:
    try:
        return int(float(element.get(name, "")))
    except ValueError:
        return None
