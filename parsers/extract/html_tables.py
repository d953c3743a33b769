"""Turn HTML tables into full text grids (rowspan/colspan expanded, split tables rejoined)."""

from __future__ import annotations

import re

from bs4 import Tag

MAX_SPAN = 500  # a broken rowspan="99999" must not allocate a huge grid
_PIPE_ROW = re.compile(r"^\|(.*)\|$")


def cell_text(cell: Tag) -> str:
    """A cell's text; fragments in separate <p>/<span> are joined without a gap, as
    they are one label broken over lines (本年新⏎公开数量)."""
    return "".join(" ".join(piece.split()) for piece in cell.stripped_strings).strip()


def _span(cell: Tag, attribute: str) -> int:
    digits = re.match(r"\s*(\d+)", str(cell.get(attribute) or "1"))
    return max(1, min(int(digits.group(1)) if digits else 1, MAX_SPAN))


def table_grid(table: Tag) -> list[list[str]]:
    """The table as rows of equal width; a merged cell's text fills every slot it covers."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    slots: dict[tuple[int, int], str] = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in slots:
                c += 1
            rowspan = min(_span(cell, "rowspan"), len(rows) - r)
            colspan = _span(cell, "colspan")
            text = cell_text(cell)
            for dr in range(rowspan):
                for dc in range(colspan):
                    slots[(r + dr, c + dc)] = text
            c += colspan
        width = max(width, c)
    grid = [[slots.get((r, c), "") for c in range(width)] for r in range(len(rows))]
    return [row for row in grid if any(row)] or []


def join_split_tables(tables: list[tuple[list[list[str]], int]], gap_limit: int = 20) -> list[list[list[str]]]:
    """Rejoin a table the page broke into several <table>s.

    `tables` pairs each grid with the amount of body text between it and the previous
    table. A table that follows with (almost) no text in between and has the same
    width continues the previous one.
    """
    joined: list[list[list[str]]] = []
    for grid, gap in tables:
        if not grid:
            continue
        if joined and gap <= gap_limit and len(joined[-1][0]) == len(grid[0]):
            joined[-1].extend(grid)
        else:
            joined.append([list(row) for row in grid])
    return joined


def pipe_grids(lines: list[str]) -> list[list[list[str]]]:
    """Tables printed as `| a | b |` paragraphs, one row per line."""
    grids: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in lines + [""]:
        match = _PIPE_ROW.match(line.strip())
        if match:
            current.append([cell.strip() for cell in match.group(1).split("|")])
            continue
        if len(current) >= 2:
            width = max(len(row) for row in current)
            grids.append([row + [""] * (width - len(row)) for row in current])
        current = []
    return grids
