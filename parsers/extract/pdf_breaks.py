"""Rejoin a table that a page break cut in two: split rows and merged label cells."""

from __future__ import annotations

import re
from functools import cache

from parsers.labels import core
from parsers.tables.layout import header_words

# A cell that holds a number (with sign, separators, decimals, unit) rather than a label.
NUMBER = re.compile(r"^[+\-增减減]?[\d０-９][\d０-９,，]*([.．][\d０-９]+)?(万元|元|件|个|项|条)?$")
# A label that starts a row of its own: 1. / （三） / 三、
# 第二十条第（五）项, the sub-header that opens each block of table 二.
ARTICLE = re.compile(r"^第[一二三四五六七八九十百]+条")
ROW_START = re.compile(r"^(\d+\s*[.．、]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")


def _is_number(text: str) -> bool:
    return bool(NUMBER.match("".join(text.split())))


def _is_row_tail(row: list[str], above: list[str]) -> bool:
    """The continuation's first row is the rest of the previous page's last row: it has
    no numbers, only text in columns that row already used, and no row enumerator."""
    if any(_is_number(cell) for cell in row) or not any(_is_number(cell) for cell in above):
        return False
    used = [c for c, cell in enumerate(row) if cell]
    return bool(used) and all(above[c] for c in used) and not any(ROW_START.match(row[c]) for c in used)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def is_header_row(row: list[str], table: list[list[str]]) -> bool:
    """A header printed at the top of a page: an article sub-header (第二十条第（五）项),
    a header word of the templates (信息内容, 申请人情况, 行政复议 …), or a row whose
    text repeats an earlier text-only row of the table (the column header again)."""
    cells = {_squeeze(cell) for cell in row if cell.strip()}
    if not cells:
        return False
    if any(ARTICLE.match(cell) or core(cell) in _header_cores() for cell in cells):
        return True
    earlier = {_squeeze(cell) for above in table if not any(_is_number(c) for c in above)
               for cell in above if cell.strip()}
    return cells <= earlier


@cache
def _header_cores() -> frozenset[str]:
    words = header_words()
    return frozenset(words["t2"] | words["t3"] | words["t4"])


def join_continuation(table: list[list[str]], continuation: list[list[str]]) -> None:
    """Append `continuation` (the same table on the next page) to `table` in place."""
    rows = [list(row) for row in continuation]
    if rows and table and is_header_row(rows[0], table):
        table.extend(rows)  # a new block or a repeated header: nothing above continues
        return
    if rows and table and _is_row_tail(rows[0], table[-1]):
        tail = rows.pop(0)
        table[-1] = [a if not b or a == b else a + b for a, b in zip(table[-1], tail)]
    if not rows or not table:
        table.extend(rows)
        return
    last = table[-1]
    for column, label in enumerate(last):
        if not label or _is_number(label) or any(_is_number(row[column]) for row in rows):
            continue
        if _continues_label(rows, column):
            # The page above may have printed the whole label, clipped at the break.
            top = rows[0][column]
            _replace_runs(table, rows, column, label, label if label.endswith(top) else label + top)
            continue
        # A merged label cell running over the break prints its text on one page only.
        for row in rows:
            if row[column]:
                break
            row[column] = label
    table.extend(rows)


def _continues_label(rows: list[list[str]], column: int) -> bool:
    """The top cell is the rest of a merged label wrapped over the break (（三）不予公 / 开):
    it starts no row of its own, and the column's next label does."""
    top = rows[0][column]
    if not top or ROW_START.match(top):
        return False
    below = next((row[column] for row in rows if row[column] != top), None)
    return below is not None and bool(ROW_START.match(below))


def _replace_runs(table: list[list[str]], rows: list[list[str]], column: int,
                  before: str, joined: str) -> None:
    top = rows[0][column]
    for row in rows:
        if row[column] != top:
            break
        row[column] = joined
    for row in reversed(table):
        if row[column] != before:
            break
        row[column] = joined


def widen(grid: list[list[str]], borders: list[float], finer: list[float],
          tolerance: float = 3.0) -> list[list[str]]:
    """Re-cut `grid` (column borders `borders`) at the finer borders `finer`: a column
    that spans several finer columns repeats its text, as a merged cell does."""
    owner = []
    for left, right in zip(finer, finer[1:]):
        middle = (left + right) / 2
        owner.append(next(i for i in range(len(borders) - 1)
                          if borders[i] - tolerance <= middle <= borders[i + 1] + tolerance))
    return [[row[i] for i in owner] for row in grid]
