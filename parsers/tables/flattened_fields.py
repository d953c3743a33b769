"""Schema cells for the flattened rows found by the table walker."""

from __future__ import annotations

from parsers.model import Cell
from parsers.tables.flattened import flat_cells
from parsers.tables.layout import row_fields, t4_column_keys

_T4_GROUPS = 3


def flattened_fields(flat: dict[str, dict[str, str]], t2_version: str, t3_version: str) -> dict[str, Cell]:
    """t2 rows of one cell read directly, of several cells unreadable (no identity to
    split them by); t3 rows and t4 split by their sums when the split is unique."""
    cells: dict[str, Cell] = {}
    t2_fields = row_fields("t2", t2_version)
    for row_key, digits in flat["t2"].items():
        keys = t2_fields.get(row_key, ())
        cells.update(zip(keys, flat_cells(digits, len(keys), groups=0)))
    t3_fields = row_fields("t3", t3_version)
    for row_key, digits in flat["t3"].items():
        keys = t3_fields.get(row_key, ())
        if keys:
            cells.update(zip(keys, flat_cells(digits, len(keys))))
    if "t4" in flat["t4"]:
        keys = t4_column_keys()
        cells.update(zip(keys, flat_cells(flat["t4"]["t4"], len(keys), groups=_T4_GROUPS)))
    return cells
