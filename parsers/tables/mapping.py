"""Printed row values → schema cells for t2, t3 and t4.

Column order is fixed by the templates, so values map by position once surplus
cells are trimmed. Rows whose empty cells were dropped are resolved with the
row-sum identity; when that stays ambiguous only 总计 is kept.
"""

from __future__ import annotations

from parsers.model import Cell
from parsers.numbers import parse_cell
from parsers.schema import field_keys
from parsers.tables.layout import t2_rows, t3_column_keys, t3_row_keys, t4_column_keys

UNKNOWN = Cell(raw=None, value=None, state="unreadable")
ABSENT = Cell.absent()
_BLANK = Cell(raw="", value=None, state="blank")
_TOLERANCE = 1e-4


def trim_blanks(values: list[str], width: int) -> list[str]:
    """Drop empty cells at the start, then at the end, while there are too many."""
    values = list(values)
    while len(values) > width and not values[0].strip():
        values.pop(0)
    while len(values) > width and not values[-1].strip():
        values.pop()
    return values


def _amount(cell: Cell) -> float:
    return float(cell.value) if cell.value is not None else 0.0


def _sum_holds(total: Cell, parts: list[Cell]) -> bool:
    return abs(_amount(total) - sum(_amount(part) for part in parts)) <= _TOLERANCE


def t2_cells(
    found: dict[str, list[str]], version: str, aligned: dict[str, list[str]] | None = None
) -> dict[str, Cell]:
    """t2 cells by position, once the printed row is fitted to the version's columns."""
    cells = dict.fromkeys(field_keys(version, "t2"), ABSENT)
    for row_key, row in t2_rows(version).items():
        if row_key not in found:
            continue
        values = fit_t2_row(found[row_key], (aligned or {}).get(row_key), len(row.fields))
        for position, (key, unit) in enumerate(row.fields):
            printed = values[position] if position < len(values) else None
            cells[key] = UNKNOWN if printed is None else parse_cell(printed, unit=unit)
    return cells


def fit_t2_row(values: list[str], aligned: list[str] | None, width: int) -> list[str]:
    """A grid repeats a merged value in every column it spans, and a block's columns
    need not line up with its header's. Try, in order: the row as printed, the row
    with repeated neighbours merged, the values under the header's column starts,
    and last the row with surplus empty cells trimmed."""
    if len(values) == width:
        return values
    merged = [value for index, value in enumerate(values) if index == 0 or value != values[index - 1]]
    if len(merged) == width:
        return merged
    if aligned is not None and len(aligned) == width:
        return aligned
    return trim_blanks(values, width)


def t3_row_cells(values: list[str]) -> list[Cell]:
    """Seven cells (自然人 … 总计) from one printed t3 row."""
    width = len(t3_column_keys())
    values = trim_blanks(values, width)
    if len(values) >= width:
        windows = [values[start : start + width] for start in range(len(values) - width + 1)]
        parsed = [[parse_cell(value) for value in window] for window in windows]
        for window in parsed:
            if _sum_holds(window[-1], window[:-1]):
                return window
        return parsed[0]
    printed = [parse_cell(value) for value in values if value.strip()]
    if not printed:
        return [_BLANK] * width
    return _resolve_dropped(printed, width)


def _resolve_dropped(printed: list[Cell], width: int) -> list[Cell]:
    """A row with empty cells dropped (`一、本年新收… | 3 | 3`)."""
    total = printed[-1]
    others = printed[:-1]
    if len(others) == 1 and _sum_holds(total, others):
        return [others[0], *[_BLANK] * (width - 2), total]
    if total.value == 0 and all(cell.value == 0 for cell in others):
        return [*[_BLANK] * (width - 1), total]
    return [*[UNKNOWN] * (width - 1), total]


def t3_cells(found: dict[str, list[str]], version: str) -> dict[str, Cell]:
    columns = t3_column_keys()
    cells = dict.fromkeys(field_keys(version, "t3"), ABSENT)
    for row_key in t3_row_keys(version):
        if row_key in found:
            for column, cell in zip(columns, t3_row_cells(found[row_key])):
                cells[f"t3_{row_key}__{column}"] = cell
    return cells


def t4_cells(values: list[str] | None, version: str) -> dict[str, Cell]:
    keys = t4_column_keys()
    if values is None:
        return dict.fromkeys(field_keys(version, "t4"), ABSENT)
    values = trim_blanks(values, len(keys))
    if len(values) < len(keys):
        return dict.fromkeys(keys, UNKNOWN)
    windows = [values[start : start + len(keys)] for start in range(len(values) - len(keys) + 1)]
    for window in windows:
        parsed = [parse_cell(value) for value in window]
        groups = [parsed[start : start + 5] for start in range(0, len(keys), 5)]
        if all(_sum_holds(group[-1], group[:-1]) for group in groups):
            return dict(zip(keys, parsed))
    return dict(zip(keys, (parse_cell(value) for value in windows[0])))

