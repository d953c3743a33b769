"""Rows whose label matched nothing, placed by their position in the template.

A row printed between （三）1. and （三）3. is （三）2. whatever its label says: the
template fixes the row order, so the unmatched rows between two matched rows take
the template rows missing between them. When there are as many unmatched rows as
missing rows they map one to one; otherwise only rows whose label is similar to a
missing row's (edit-distance ratio) are placed, keeping the order.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from parsers.labels import core
from parsers.model import Cell, Check
from parsers.schema import identities
from parsers.tables.found import SeenRow

SIMILAR = 0.5  # SequenceMatcher ratio of label cores that counts as the same label


@dataclass(frozen=True)
class Placement:
    """How one template row was found: its label as printed and the mapping used."""

    label: str | None
    mapped_by: str  # label | similar_label | position


def place_rows(seen: list[SeenRow], order: tuple[str, ...], labels: dict[str, str],
               found: dict[str, list[str]]) -> dict[str, Placement]:
    """Add the placed rows to `found` (key → values); every row's placement by key.
    `labels` gives each template key its schema label, for the similarity test."""
    position = {key: index for index, key in enumerate(order)}
    placements = {row.key: Placement(row.label or None, "label")
                  for row in seen if row.key in position}
    previous, loose = -1, []
    for row in seen:
        if row.key is None:
            loose.append(row)
            continue
        if row.key not in position or position[row.key] <= previous:
            continue  # another version's row, or out of template order
        _fill(order[previous + 1 : position[row.key]], loose, labels, found, placements)
        previous, loose = position[row.key], []
    _fill(order[previous + 1 :], loose, labels, found, placements)
    return placements


def similarity(printed: str, label: str) -> float:
    return SequenceMatcher(None, core(printed), core(label)).ratio()


def _fill(between: tuple[str, ...], rows: list[SeenRow], labels: dict[str, str],
          found: dict[str, list[str]], placements: dict[str, Placement]) -> None:
    missing = [key for key in between if key not in found]
    if not missing or not rows:
        return
    if len(rows) == len(missing):
        pairs = list(zip(missing, rows))
    else:
        pairs = _similar_pairs(missing, rows, labels)
    for key, row in pairs:
        found[key] = list(row.values)
        similar = bool(row.label) and similarity(row.label, labels[key]) >= SIMILAR
        placements[key] = Placement(row.label or None, "similar_label" if similar else "position")


def _similar_pairs(missing: list[str], rows: list[SeenRow],
                   labels: dict[str, str]) -> list[tuple[str, SeenRow]]:
    """Each labelled row to the most similar missing key after the previous pick."""
    pairs = []
    start = 0
    for row in rows:
        if not row.label:
            continue
        scored = [(similarity(row.label, labels[key]), index)
                  for index, key in enumerate(missing[start:], start)]
        if not scored:
            break
        best, index = max(scored)
        if best >= SIMILAR:
            pairs.append((missing[index], row))
            start = index + 1
    return pairs


def annotate(cells: dict[str, Cell], placements: dict[str, Placement],
             row_fields: dict[str, tuple[str, ...]]) -> None:
    """Record each row's printed label and mapping in its cells (in place)."""
    for row_key, placement in placements.items():
        for key in row_fields.get(row_key, ()):
            if key in cells and cells[key].state != "absent":
                cell = cells[key]
                cells[key] = Cell(cell.raw, cell.value, cell.state, cell.unit_as_printed,
                                  placement.label, placement.mapped_by)


def unconfirmed(cells: dict[str, Cell], checks: list[Check], version: str) -> set[str]:
    """Cells placed without their label, or split out of a flattened row, whose
    identities fail: a guess the arithmetic does not bear out."""
    failed = {check.name for check in checks if check.status == "inconsistent"}
    guessed = {key for key, cell in cells.items()
               if cell.mapped_by in ("position", "similar_label") or cell.state == "inferred"}
    doubtful: set[str] = set()
    for identity in identities(version):
        if identity.name in failed:
            doubtful |= guessed & set(identity.operands)
    return doubtful
