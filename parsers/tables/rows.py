"""Extracted text or grids → rows of cell strings, one extraction style at a time.

Styles seen in the seeds: TSV lines from PDF text, markdown headings with TSV,
pandoc plain text with one cell per line (rows separated by blank lines),
markdown pipe tables, and PDF text where cells are separated by spaces.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from parsers.numbers import is_number_text

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^[\s|:+]*-[\s|:\-+]*$")
_EMPTY_ROW_CELLS = 5
_LEADING_TABS_ONLY = re.compile(r"^\t+[^\t]*$")
_INNER_TAB = re.compile(r"[^\t]\t")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s")
_SPACES = re.compile(r"[ \u3000\xa0]+")
_SHORT_ROW = 60  # a short line ending in one number is a label and its value


@dataclass(frozen=True)
class Row:
    """One table row (or one prose line) with where it came from."""

    cells: tuple[str, ...]
    line: int  # index of its first line in the text; -1 for grid rows
    grid: int = -1  # index of the grid it came from; -1 for text rows


def text_style(lines: list[str]) -> str:
    """The schema's extraction_style for a text, judged from its line shapes."""
    counts: Counter[str] = Counter()
    for line in lines:
        if _PIPE_ROW.match(line):
            counts["pipe"] += 1
        elif _LEADING_TABS_ONLY.match(line):
            counts["pandoc"] += 1
        elif _INNER_TAB.search(line):
            counts["tsv"] += 1
        elif len(_numbers_at_end(line.strip())) >= 3:
            counts["spaces"] += 1
        if _MARKDOWN_HEADING.match(line):
            counts["markdown"] += 1
    if counts["pipe"] >= 3 and counts["pipe"] >= counts["tsv"]:
        return "markdown_pipe"
    if counts["pandoc"] >= 10 and counts["pandoc"] > counts["tsv"]:
        return "pandoc_cell_per_line"
    if counts["tsv"] >= 3:
        return "markdown_tsv" if counts["markdown"] else "tsv_pdf_text"
    if counts["spaces"] >= 3:
        return "pdf_text_spaces"
    return "other"


def text_rows(lines: list[str], style: str) -> list[Row]:
    """Split text lines into rows according to the extraction style."""
    if style == "pandoc_cell_per_line":
        return _pandoc_rows(lines)
    rows = []
    for index, line in enumerate(lines):
        cells = split_line(line)
        if cells:
            rows.append(Row(tuple(cells), index))
    return rows


def grid_rows(grids: list[list[list[str]]]) -> list[Row]:
    """Grid rows in order; empty rows only when wide enough to be a skeleton's data row."""
    rows = []
    for grid_index, grid in enumerate(grids):
        for row in grid:
            cells = tuple((cell or "").strip() for cell in row)
            if any(cells) or len(cells) >= _EMPTY_ROW_CELLS:
                rows.append(Row(cells, -1, grid_index))
    return rows


def split_line(line: str) -> list[str]:
    """One text line as cells (pipe, tab or space separated); [] for a blank line."""
    if not line.strip():
        # A row of empty cells is a skeleton table's data row, not a blank line.
        tabs = line.count("\t")
        return [""] * (tabs + 1) if tabs + 1 >= _EMPTY_ROW_CELLS else []
    if _PIPE_ROW.match(line):
        if _PIPE_RULE.match(line):
            return []
        return [cell.strip() for cell in line.strip().strip("|").split("|")]
    if "\t" in line.strip("\t") or _INNER_TAB.search(line):
        return [cell.strip() for cell in line.split("\t")]
    stripped = line.strip()
    numbers = _numbers_at_end(stripped)
    if len(numbers) >= 2 or (numbers and len(stripped) <= _SHORT_ROW):
        return _SPACES.split(stripped)
    return [stripped]


def _numbers_at_end(line: str) -> list[str]:
    tokens = _SPACES.split(line)
    numbers: list[str] = []
    for token in reversed(tokens):
        if not is_number_text(token):
            break
        numbers.append(token)
    return numbers


def _pandoc_rows(lines: list[str]) -> list[Row]:
    """Pandoc plain text: a tab starts a cell, a blank line ends a row,
    an untabbed line right after a cell continues it (`本年新⏎公开数量`)."""
    rows: list[Row] = []
    cells: list[str] = []
    start = 0
    in_cells = False

    def flush() -> None:
        nonlocal cells, in_cells
        if any(cell.strip() for cell in cells) or len(cells) >= _EMPTY_ROW_CELLS:
            rows.append(Row(tuple(cell.strip() for cell in cells), start))
        cells, in_cells = [], False

    for index, line in enumerate(lines):
        if line.startswith("\t"):
            if not in_cells:
                flush()
                start, in_cells = index, True
            cells.append(line.lstrip("\t"))
        elif not line.strip():
            flush()
        elif in_cells:
            cells[-1] += line.strip()
        else:
            flush()
            start = index
            for cell in split_line(line):
                cells.append(cell)
            flush()
    flush()
    return rows
