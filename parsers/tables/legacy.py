"""Pre-2019 reports: the optional 统计表 indicators, matched by label only."""

from __future__ import annotations

from functools import cache

from parsers.labels import LabelIndex
from parsers.model import Cell
from parsers.numbers import is_number_text, parse_cell
from parsers.schema import field_defs
from parsers.tables.locate import split_row
from parsers.tables.rows import Row

LEGACY = "legacy_pre2019"


@cache
def _legacy_index() -> LabelIndex:
    index = LabelIndex(slack=4)
    for definition in field_defs(LEGACY):
        index.add(definition["key"], definition["labels"])
    return index


@cache
def _units() -> dict[str, str]:
    return {definition["key"]: definition["unit"] for definition in field_defs(LEGACY)}


def legacy_cells(rows: list[Row]) -> dict[str, Cell]:
    """Every legacy key: the first number printed after its label, else absent."""
    cells = {definition["key"]: Cell.absent() for definition in field_defs(LEGACY)}
    index = _legacy_index()
    for row in rows:
        labels, values = split_row(row.cells)
        if not labels or not values:
            continue
        # 统计表 rows read 指标 | 单位 | 统计数: the unit cell is a label cell too.
        key = index.match(labels[0]) or index.match("".join(labels))
        if key is None or cells[key].state != "absent":
            continue
        number = next((value for value in values if is_number_text(value)), None)
        if number is not None:
            cells[key] = parse_cell(number, unit=_units()[key])
    return cells
