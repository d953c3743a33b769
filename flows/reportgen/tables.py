"""The report's three tables as labelled grids, laid out like the official templates.

A table is a full grid of `GridCell(cell_id, text)`. Cells that share an id form one
merged rectangle, so renderers derive rowspan/colspan from the ids, and `texts()` gives
the grid an extractor should return (merged text repeated in every position it covers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.reportgen import schema
from flows.reportgen.spec import ReportSpec

T3_LABEL_COLUMNS = 3


@dataclass(frozen=True)
class GridCell:
    cell_id: str
    text: str
    is_value: bool = False


@dataclass(frozen=True)
class Span:
    """One merged rectangle, as HTML/DOCX see it."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    is_value: bool


Grid = list[list[GridCell]]


def report_tables(spec: ReportSpec) -> dict[str, Grid]:
    return {"t2": t2_grid(spec), "t3": t3_grid(spec), "t4": t4_grid(spec)}


def texts(grid: Grid) -> list[list[str]]:
    return [[cell.text for cell in row] for row in grid]


def spans(grid: Grid) -> list[Span]:
    """Merged rectangles in reading order (top-left corner first seen)."""
    seen: set[str] = set()
    result = []
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell.cell_id in seen:
                continue
            seen.add(cell.cell_id)
            height = sum(1 for rr in range(r, len(grid)) if grid[rr][c].cell_id == cell.cell_id)
            width = sum(1 for cc in range(c, len(row)) if row[cc].cell_id == cell.cell_id)
            result.append(Span(r, c, height, width, cell.text, cell.is_value))
    return result


def format_value(spec: ReportSpec, key: str) -> str:
    """How a report prints the number (blank stays empty; signed changes carry +)."""
    value = spec.fields[key]
    if value is None:
        return ""
    if key.endswith("__items_change") and value > 0:
        return f"+{value}"
    text = f"{value:.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    # The v2019 template gives no unit for 采购总金额, so reports print one.
    return text + "万元" if key == "t2_central_procurement__total_amount" else text


def _value(spec: ReportSpec, key: str) -> GridCell:
    return GridCell(f"v:{key}", format_value(spec, key), is_value=True)


def _label(cell_id: str, text: str) -> GridCell:
    return GridCell(cell_id, text)


def t2_grid(spec: ReportSpec) -> Grid:
    layout = schema.table_layout(spec.version, "t2")
    width = max(len(block["columns"]) for block in layout["blocks"])
    keys = {(f["row_label"], f["column_label"]): f["key"]
            for f in schema.field_defs(spec.version) if f["table"] == "t2"}
    grid: Grid = []
    for b, block in enumerate(layout["blocks"]):
        grid.append([_label(f"block{b}", block["article"])] * width)
        header = [_label(f"h{b}:{i}", text) for i, text in enumerate(block["columns"])]
        grid.append(_stretch(header, width))
        for row_label in block["rows"]:
            cells = [_label(f"r{b}:{row_label}", row_label)]
            cells += [_value(spec, keys[(row_label, col)]) for col in block["columns"][1:]]
            grid.append(_stretch(cells, width))
    return grid


def _stretch(cells: list[GridCell], width: int) -> list[GridCell]:
    """The last cell of a short row spans the remaining columns."""
    return cells + [cells[-1]] * (width - len(cells))


def t3_grid(spec: ReportSpec) -> Grid:
    layout = schema.table_layout(spec.version, "t3")
    header_rows = layout["column_header_rows"]
    columns = [c["label"] for c in layout["columns"]]
    corner = _label("corner", layout["corner_note"])
    top = [corner] * T3_LABEL_COLUMNS + [_label("applicants", header_rows[0][0])] * len(columns)
    person, org_group, total = header_rows[1]
    second = [corner] * T3_LABEL_COLUMNS + [_label("h:person", person)]
    second += [_label("h:org", org_group)] * (len(columns) - 2) + [_label("h:total", total)]
    third = [corner] * T3_LABEL_COLUMNS + [second[T3_LABEL_COLUMNS]]
    third += [_label(f"h:{c}", c) for c in header_rows[2]] + [second[-1]]
    grid: Grid = [top, second, third]
    outcome_group = next(r["group"] for r in layout["rows"] if r["key"] == "granted")
    for row in layout["rows"]:
        label = _label(f"row:{row['key']}", row["label"])
        if row["group"] is None:
            labels = [label] * 3
        elif row["group"] == outcome_group:
            labels = [_label("g:outcome", outcome_group), label, label]
        else:
            labels = [_label("g:outcome", outcome_group), _label(f"g:{row['group']}", row["group"]), label]
        keys = [f"t3_{row['key']}__{c['key']}" for c in layout["columns"]]
        grid.append(labels + [_value(spec, key) for key in keys])
    return grid


def _group_width(label: str) -> int:
    match = re.search(r"\((\d+)\)$", label)
    return int(match.group(1)) if match else 1


def _strip_width(label: str) -> str:
    return re.sub(r"\(\d+\)$", "", label)


def t4_grid(spec: ReportSpec) -> Grid:
    layout = schema.table_layout(spec.version, "t4")
    first, second, third = layout["header_rows"]
    top: list[GridCell] = []
    for i, label in enumerate(first):
        top += [_label(f"t4g{i}", _strip_width(label))] * _group_width(label)
    middle: list[GridCell] = []
    for i, label in enumerate(second):
        middle += [_label(f"t4m{i}", _strip_width(label))] * _group_width(label)
    # The third header row only holds the sub-columns of the grouped second-row
    # labels; single second-row labels (行政复议's columns) continue down into it.
    bottom: list[GridCell] = []
    labels = iter(third)
    for i, cell in enumerate(middle):
        grouped = _group_width(second[_second_index(second, i)]) > 1
        bottom.append(_label(f"t4b{i}", next(labels)) if grouped else cell)
    values = [_value(spec, key) for key in layout["column_order"]]
    return [top, middle, bottom, values]


def _second_index(second: list[str], column: int) -> int:
    position = 0
    for i, label in enumerate(second):
        position += _group_width(label)
        if column < position:
            return i
    raise IndexError(column)
