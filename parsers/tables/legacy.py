"""Pre-2019 reports: the optional 统计表 indicators, matched by label only."""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import cache, lru_cache

from parsers.labels import LabelIndex, core
from parsers.model import Cell
from parsers.numbers import is_number_text, parse_cell
from parsers.schema import field_defs
from parsers.tables.locate import split_row
from parsers.tables.rows import Row

LEGACY = "legacy_pre2019"
_SIMILAR = 0.75
_MIN_SIMILAR_LENGTH = 5


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
    """Every legacy key: the first number printed after its label, else absent. Labels
    match exactly (or one typo off) first; when some did, rows left over then go to
    the most similar label of a key still missing (部分公开答复数 → 同意部分公开答复数)."""
    cells = {definition["key"]: Cell.absent() for definition in field_defs(LEGACY)}
    index = _legacy_index()
    leftovers: list[tuple[str, str]] = []
    for row in rows:
        labels, values = split_row(row.cells)
        if not labels or not values:
            continue
        number = next((value for value in values if is_number_text(value)), None)
        if number is None:
            continue
        # 统计表 rows read 指标 | 单位 | 统计数: the unit cell is a label cell too.
        key = index.match(labels[0]) or index.match("".join(labels))
        if key is None:
            leftovers.append((labels[0], number))
        elif cells[key].state == "absent":
            cells[key] = parse_cell(number, unit=_units()[key])
    if not legacy_count(cells):
        return cells  # no 统计表 here: similar labels are not looked for (they cost time)
    for label, number in leftovers:
        key = _similar_key(label)
        if key is not None and cells[key].state == "absent":
            cells[key] = parse_cell(number, unit=_units()[key])
    return cells


@lru_cache(maxsize=4096)
def _similar_key(label: str) -> str | None:
    """The key whose label is most like `label`, when clearly alike and unambiguous."""
    text = core(label)
    if len(text) < _MIN_SIMILAR_LENGTH:
        return None
    scores: dict[str, float] = {}
    for definition in field_defs(LEGACY):
        for printed in definition["labels"]:
            target = core(printed)
            score = 1.0 if target.endswith(text) else SequenceMatcher(None, text, target).ratio()
            scores[definition["key"]] = max(scores.get(definition["key"], 0.0), score)
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if ranked[0][1] >= _SIMILAR and ranked[0][1] > ranked[1][1]:
        return ranked[0][0]
    return None


def legacy_count(cells: dict[str, Cell]) -> int:
    return sum(cell.state != "absent" for cell in cells.values())
