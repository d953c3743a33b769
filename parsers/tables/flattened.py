"""Flattened table rows: cells run together with no separator (`一、本年新收…3180012051`).

The digits of such a row can be split many ways. A t3 row's last cell is the sum of
the other six, and each t4 group of five ends in its sum; when exactly one split
into the template's cells satisfies that (no leading zeros), its values are kept
as `inferred`. Otherwise, and for t2 rows of several cells (no identities), the
cells are `unreadable`. A one-cell row (行政许可28) needs no split.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parsers.model import Cell
from parsers.numbers import parse_cell

# Label text, then a digit run (a decimal only in a one-cell row) at the end.
FLAT_ROW = re.compile(r"^(?P<label>.*?[^\d.．\s])?(?P<digits>\d[\d.]*(?:万元|元)?)$")
_MAX_DIGITS = 7  # longest single value considered in a split
_MAX_SPLITS = 2  # stop once a second split shows the row is ambiguous


def flat_parts(text: str) -> tuple[str, str] | None:
    """(label, digit run) of a flattened row, or None."""
    match = FLAT_ROW.match(text.strip())
    if match is None:
        return None
    return (match.group("label") or "").strip(), match.group("digits")


def unreadable(digits: str) -> Cell:
    return Cell(raw=digits, value=None, state="unreadable")


def inferred(text: str) -> Cell:
    parsed = parse_cell(text)
    return Cell(raw=text, value=parsed.value, state="inferred")


def _numbers(digits: str, count: int) -> Iterator[list[str]]:
    """Every split of `digits` into `count` numbers without leading zeros."""
    if count == 1:
        if len(digits) <= _MAX_DIGITS and (digits == "0" or not digits.startswith("0")):
            yield [digits]
        return
    limit = 1 if digits.startswith("0") else _MAX_DIGITS
    for length in range(1, min(limit, len(digits) - count + 1) + 1):
        for rest in _numbers(digits[length:], count - 1):
            yield [digits[:length], *rest]


def _sum_groups(digits: str, groups: int, size: int) -> Iterator[list[str]]:
    """Splits into `groups` runs of `size` numbers, each ending in the sum of the others."""
    if groups == 0:
        if not digits:
            yield []
        return
    for end in range(size - 1, len(digits)):
        for parts in _numbers(digits[:end], size - 1):
            total = str(sum(int(part) for part in parts))
            if digits.startswith(total, end):
                for rest in _sum_groups(digits[end + len(total):], groups - 1, size):
                    yield [*parts, total, *rest]


def splits(digits: str, groups: int, size: int, limit: int) -> list[list[str]]:
    """Up to `limit` + 1 distinct splits satisfying the sum identities (more than
    `limit` means: too many to choose from)."""
    if not digits.isdigit():
        return []
    found: list[list[str]] = []
    for split in _sum_groups(digits, groups, size):
        if split not in found:
            found.append(split)
        if len(found) > limit:
            break
    return found


def unique_split(digits: str, groups: int, size: int) -> list[str] | None:
    """The one split satisfying the sum identities, or None (none, or several)."""
    found = splits(digits, groups, size, _MAX_SPLITS - 1)
    return found[0] if len(found) == 1 else None


def flat_cells(digits: str, width: int, groups: int = 1) -> list[Cell]:
    """`width` cells from one flattened row; groups of width/groups with sums."""
    if width == 1:
        return [parse_cell(digits)]
    if groups == 0:
        return [unreadable(digits)] * width
    split = unique_split(digits, groups, width // groups)
    if split is None:
        return [unreadable(digits)] * width
    return [inferred(part) for part in split]
