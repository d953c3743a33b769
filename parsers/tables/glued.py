"""Rows that carry the next row's label: `1.属于国家秘密 | 0 | … | 0 | 2.其他法律…`.

Text extractions sometimes glue a row's label to the end of the row above, or run
two rows into one line. Such a row is cut in front of every label that follows
its values and reads as a row label of its own.
"""

from __future__ import annotations

import re

from parsers.labels import clean_cell
from parsers.numbers import is_number_text, is_value_text
from parsers.tables.layout import t2_row_index, t3_row_index

# A label that starts a row of its own: 1. / （三） / 三、
_ROW_START = re.compile(r"^(\d+\s*[.．、]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")


def _starts_row(cell: str) -> bool:
    text = clean_cell(cell)
    if not text:
        return False
    return bool(_ROW_START.match(text)) or t3_row_index().match(text) is not None \
        or t2_row_index().match(text) is not None


def unglued(cells: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The row cut before each row label printed after values; one part when none is."""
    parts: list[tuple[str, ...]] = []
    start, labelled, numbered = 0, False, False
    for index, cell in enumerate(cells):
        if not is_value_text(cell):
            if labelled and numbered and _starts_row(cell):
                parts.append(cells[start:index])
                start, numbered = index, False
            labelled = True
        elif labelled and is_number_text(cell):
            numbered = True
    parts.append(cells[start:])
    return parts
