"""ExtractedDocument → ParsedReport: sections, metadata, table fields and identity checks."""

from __future__ import annotations

from dataclasses import dataclass, replace

from parsers.heads import read_head
from parsers.identities import check_all, soft_warnings
from parsers.metadata import scope_of
from parsers.model import Cell, ExtractedDocument, ParsedReport, ParseFailure
from parsers.schema import TABLE_VERSIONS, extraction_styles
from parsers.sections import find_sections, section_texts, split_run_in_headings
from parsers.tables.detect import t2_version, t3_version, t3_version_by_rows, version_for_year
from parsers.tables.flattened_fields import flattened_fields
from parsers.tables.found import LocatedTables
from parsers.tables.layout import row_fields, row_labels, row_order
from parsers.tables.legacy import LEGACY, legacy_cells, legacy_count
from parsers.tables.locate import locate_tables
from parsers.tables.mapping import UNKNOWN, t2_cells, t3_cells, t4_cells
from parsers.tables.placement import Placement, annotate, place_rows, unconfirmed
from parsers.tables.rows import Row, grid_rows, text_rows, text_style
from parsers.version import PARSER_VERSION

_MIN_SECTIONS = 3  # fewer headings and no table: not a report
_MIN_TABLE_ROWS = 2
_MIN_LEGACY_ROWS = 3  # 统计表 indicators that make a pre-2019 report
_MODERN_TABLE_ROWS = 10  # rows of t2/t3 (t4 counts as several) that make a modern table
_T4_WEIGHT = 5


@dataclass
class _Layout:
    rows: list[Row]
    found: LocatedTables
    style: str


def report_from_extracted(
    doc: ExtractedDocument, *, url: str | None = None, title_hint: str | None = None
) -> ParsedReport:
    """Map one extracted document onto the schema. Odd input gives a failure record."""
    lines = split_run_in_headings((doc.text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    hits = find_sections(lines)
    headings = {line: hit.section_id for hit in hits for line in range(hit.line, hit.next_line)}
    layout = _locate(doc, lines, headings)
    report = ParsedReport(
        parser_version=PARSER_VERSION,
        source_format=doc.source_format,
        extraction_style=layout.style,
        source_url=url,
        sections=section_texts(lines, hits),
    )
    _fill_metadata(report, lines, [(doc.title, "page_title"), (title_hint, "listing_title")])
    legacy = legacy_cells(layout.rows) if _may_be_legacy(report.report_year, layout.found) else {}
    if not _looks_like_report(layout.found, len(hits), legacy_count(legacy)):
        report.failure = ParseFailure("not_a_report", "no report tables or section headings found")
        return report
    report.scope = scope_of(report.agency_name, doc.text or "")
    _fill_fields(report, layout, legacy)
    return report


def _looks_like_report(found: LocatedTables, heading_count: int, legacy_rows: int) -> bool:
    """Enough of the six headings, or enough of the tables (one stray 行政许可 | 12
    row on some other page is not a report), or a pre-2019 统计表."""
    return (
        heading_count >= _MIN_SECTIONS
        or legacy_rows >= _MIN_LEGACY_ROWS
        or len(found.t3) >= _MIN_TABLE_ROWS
        or len(found.t2) >= _MIN_TABLE_ROWS
        or found.t4 is not None
    )


def _fill_metadata(report: ParsedReport, lines: list[str],
                   outside: list[tuple[str | None, str]]) -> None:
    """Title, agency and year from the text's head, else the page or listing title."""
    head = read_head(lines, outside)
    report.title, report.agency_name, report.report_year = head.title, head.agency, head.year
    report.agency_source = head.agency_source


def _locate(doc: ExtractedDocument, lines: list[str], headings: dict[int, str]) -> _Layout:
    style = text_style(lines)
    rows = text_rows(lines, style)
    found = locate_tables(rows, headings)
    if not doc.tables:
        return _Layout(rows, found, style)
    grid = grid_rows(doc.tables)
    from_grids = locate_tables(grid)
    if not from_grids.found_any:
        return _Layout(rows, found, style)
    # Grids are the better source; text only fills tables the grids lack.
    if from_grids.t2:
        found.t2, found.t2_text = from_grids.t2, from_grids.t2_text
        found.t2_aligned = from_grids.t2_aligned
        found.seen["t2"] = from_grids.seen["t2"]
    if from_grids.t3:
        found.t3, found.t3_text = from_grids.t3, from_grids.t3_text
        found.seen["t3"] = from_grids.seen["t3"]
    if from_grids.t4 is not None:
        found.t4 = from_grids.t4
    known_style = doc.extraction_style in extraction_styles()
    grid_style = doc.extraction_style if known_style else "html_table"
    return _Layout(grid + rows, found, grid_style)


def _fill_fields(report: ParsedReport, layout: _Layout, legacy: dict[str, Cell]) -> None:
    found = layout.found
    by_year = version_for_year(report.report_year)
    if _is_legacy(by_year, found, legacy_count(legacy)):
        report.format_version = LEGACY
        report.fields = legacy
        return
    _set_versions(report, found, by_year if by_year in TABLE_VERSIONS else None)
    if report.format_version == "unknown":
        return
    t2_keys = report.t2_format_version if found.t2 else report.format_version
    t3_keys = report.t3_format_version
    if t3_keys == "absent":
        t3_keys = report.format_version
    placed = {
        "t2": place_rows(found.seen["t2"], row_order("t2", t2_keys), row_labels("t2", t2_keys), found.t2),
        "t3": place_rows(found.seen["t3"], row_order("t3", t3_keys), row_labels("t3", t3_keys), found.t3),
    }
    fields: dict[str, Cell] = {}
    fields.update(t2_cells(found.t2, t2_keys, found.t2_aligned))
    fields.update(t3_cells(found.t3, t3_keys))
    fields.update(t4_cells(found.t4, t3_keys))
    fields.update(flattened_fields(found.flat, t2_keys, t3_keys, fields))
    annotate(fields, placed["t2"], row_fields("t2", t2_keys))
    annotate(fields, placed["t3"], row_fields("t3", t3_keys))
    report.fields = fields
    report.checks = check_all(t3_keys, fields)
    _confirm_placed(report, t3_keys, placed)
    report.truncated = _looks_truncated(fields)
    report.warnings.extend(soft_warnings(fields))


def _confirm_placed(report: ParsedReport, version: str, placed: dict[str, dict[str, Placement]]) -> None:
    """Rows placed by position and inferred values stay only when the identities bear them out."""
    doubtful = unconfirmed(report.fields, report.checks, version)
    if not doubtful:
        return
    for key in doubtful:
        report.fields[key] = replace(UNKNOWN, raw=report.fields[key].raw,
                                     label_as_printed=report.fields[key].label_as_printed,
                                     mapped_by=report.fields[key].mapped_by)
    report.warnings.append(f"{len(doubtful)} cells placed by position or inferred fail the identities")
    report.checks = check_all(version, report.fields)


def _set_versions(report: ParsedReport, found: LocatedTables, by_year: str | None) -> None:
    """Per-table versions from labels; the report year only when labels say nothing."""
    has_t3 = bool(found.t3) or bool(found.seen["t3"]) or found.t4 is not None
    t2 = t2_version(found) if found.t2 else None
    t3 = (t3_version(found) or t3_version_by_rows(found)) if has_t3 else None
    overall = t3 or t2 or by_year or ("v2021" if found.found_any else "unknown")
    if found.t2:
        report.t2_format_version = t2 or by_year or overall
        if t2 is None:
            report.warnings.append("t2 version not shown by its labels; taken from the year")
    if has_t3:
        report.t3_format_version = t3 or by_year or overall
        if t3 is None:
            report.warnings.append("t3 version not shown by its labels; taken from the year")
    if report.t3_format_version != "absent":
        report.format_version = report.t3_format_version
    elif report.t2_format_version != "absent":
        report.format_version = report.t2_format_version
    else:
        report.format_version = overall


def _may_be_legacy(year: int | None, found: LocatedTables) -> bool:
    """Whether the legacy indicators are worth looking for (they cost time): a
    pre-2019 or unknown year, or less than a modern table."""
    by_year = version_for_year(year)
    return by_year in (LEGACY, None) or len(found.t2) + len(found.t3) < _MODERN_TABLE_ROWS


def _is_legacy(by_year: str | None, found: LocatedTables, legacy_rows: int) -> bool:
    """Pre-2019 statistics are legacy unless a whole modern table is printed; with no
    year, the label set decides. One row like a modern label is not a modern table."""
    modern = len(found.t2) + len(found.t3) + (_T4_WEIGHT if found.t4 is not None else 0)
    if by_year == LEGACY:
        return modern < _MODERN_TABLE_ROWS or legacy_rows > modern
    if by_year is None:
        return legacy_rows > modern or (not found.found_any and legacy_rows > 0)
    return False


def _looks_truncated(fields: dict[str, Cell]) -> bool:
    """A table that is present but misses rows: the text was cut off."""
    for prefix in ("t2_", "t3_"):
        states = {cell.state == "absent" for key, cell in fields.items() if key.startswith(prefix)}
        if states == {True, False}:
            return True
    return False
