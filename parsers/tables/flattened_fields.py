"""Schema cells for the flattened rows found by the table walker.

t2 rows of one cell read directly; of several cells they are unreadable (t2 has no
identity to split them by). t4 and each t3 row split by their own sums when the
split is unique. t3 rows with a few possible splits are then settled by the
column identities (（七）总计 is the sum of the outcomes, the balance of the
table): when exactly one choice across those rows makes every evaluable column
identity hold, and each such row is in one, it is kept.
"""

from __future__ import annotations

from itertools import product

from parsers.identities import evaluate
from parsers.model import Cell
from parsers.schema import identities
from parsers.tables.flattened import flat_cells, inferred, splits, unreadable
from parsers.tables.layout import row_fields, t4_column_keys

_T4_GROUPS = 3
_OPTIONS = 6  # splits per ambiguous t3 row worth trying
_COMBINATIONS = 512


def flattened_fields(flat: dict[str, dict[str, str]], t2_version: str, t3_version: str,
                     known: dict[str, Cell]) -> dict[str, Cell]:
    """Cells of the flattened rows; `known` holds the table's other cells."""
    cells: dict[str, Cell] = {}
    t2_fields = row_fields("t2", t2_version)
    for row_key, digits in flat["t2"].items():
        keys = t2_fields.get(row_key, ())
        cells.update(zip(keys, flat_cells(digits, len(keys), groups=0)))
    if "t4" in flat["t4"]:
        keys = t4_column_keys()
        cells.update(zip(keys, flat_cells(flat["t4"]["t4"], len(keys), groups=_T4_GROUPS)))
    cells.update(_t3_cells(flat["t3"], t3_version, {**known, **cells}))
    return cells


def _t3_cells(rows: dict[str, str], version: str, known: dict[str, Cell]) -> dict[str, Cell]:
    fields = row_fields("t3", version)
    rows = {row: digits for row, digits in rows.items() if row in fields}
    options = {row: splits(digits, 1, len(fields[row]), _OPTIONS) for row, digits in rows.items()}
    cells = dict(known)
    for row, digits in rows.items():
        found = options[row]
        values = [inferred(part) for part in found[0]] if len(found) == 1 else [unreadable(digits)] * 7
        cells.update(zip(fields[row], values))
    open_rows = [row for row, found in options.items() if 1 < len(found) <= _OPTIONS]
    chosen = _by_column_identities(open_rows, options, fields, cells, version)
    for row, split in chosen.items():
        cells.update(zip(fields[row], (inferred(part) for part in split)))
    return {key: cells[key] for row in rows for key in fields[row]}


def _by_column_identities(open_rows: list[str], options: dict[str, list[list[str]]],
                          fields: dict[str, tuple[str, ...]], cells: dict[str, Cell],
                          version: str) -> dict[str, list[str]]:
    """The one choice of splits for `open_rows` under which the column identities hold."""
    choices = [options[row] for row in open_rows]
    count = 1
    for choice in choices:
        count *= len(choice)
    if not open_rows or count > _COMBINATIONS:
        return {}
    keys = {key for row in open_rows for key in fields[row]}
    relevant = [identity for identity in identities(version) if keys & set(identity.operands)]
    valid = []
    for combination in product(*choices):
        trial = dict(cells)
        for row, split in zip(open_rows, combination):
            trial.update(zip(fields[row], (inferred(part) for part in split)))
        checks = [evaluate(identity, trial) for identity in relevant]
        involved = {key for identity, check in zip(relevant, checks) if check.ok is not None
                    for key in identity.operands}
        if all(check.ok is not False for check in checks) and all(
                set(fields[row]) & involved for row in open_rows):
            valid.append(dict(zip(open_rows, combination)))
    return valid[0] if len(valid) == 1 else {}
