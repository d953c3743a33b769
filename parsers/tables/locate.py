"""Walk the rows of a document and hand each table row to t2, t3 or t4.

A row belongs to the table whose section heading or header words came last;
a t3 row label also switches to t3 (seed 002 is cut off between t2 and t3).
"""

from __future__ import annotations

import re

from parsers.labels import clean_cell, core, normalize
from parsers.numbers import is_number_text, is_value_text
from parsers.tables.flattened import flat_parts
from parsers.tables.found import LocatedTables, SeenRow
from parsers.tables.glued import unglued
from parsers.tables.layout import (
    header_words,
    t2_article_word,
    t2_column_header_word,
    t2_row_index,
    t3_corner_word,
    t3_row_index,
)
from parsers.tables.rows import Row

T4_WIDTH = 15
_MAX_TOKENS = 12
_T4_MIN_DIGITS = 5
_MAX_LABEL = 48  # longer single cells are prose, not table labels
# Where a run-together label's next enumerated part starts: 三、… （三）… 1.…
_ENUMERATED = re.compile(r"(?=[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|(?<![\d.])\d+[.．、])")
SECTION_TABLE = {"s2_proactive": "t2", "s3_applications": "t3", "s4_review_litigation": "t4"}


def split_row(cells: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Label cells (up to the last text cell) and the value cells after them."""
    last_label = -1
    for index, cell in enumerate(cells):
        if not is_value_text(cell):
            last_label = index
    labels = [clean_cell(cell) for cell in cells[: last_label + 1]]
    labels = [label for label in labels if label]
    return labels, list(cells[last_label + 1 :])


def match_label(labels: list[str], index_name: str) -> tuple[str, str] | None:
    """Match the most specific label first, then wider joins (labels split by spaces).
    Gives the key and the label text that matched."""
    index = t3_row_index() if index_name == "t3" else t2_row_index()
    tokens = [token for label in labels for token in label.split()][-_MAX_TOKENS:]
    for start in range(len(tokens) - 1, -1, -1):
        printed = "".join(tokens[start:])
        key = index.match(printed)
        if key is not None:
            return key, printed
    return None


def _header_table(labels: list[str]) -> str | None:
    words = header_words()
    text = normalize("".join(labels))
    if t3_corner_word() in text:
        return "t3"
    if t2_article_word() in text:
        return "t2"
    cores = {core(label) for label in labels}
    for table in ("t4", "t3", "t2"):
        if cores & words[table]:
            return table
    return None


def locate_tables(rows: list[Row], heading_lines: dict[int, str] | None = None) -> LocatedTables:
    """Assign rows to tables; `heading_lines` maps a text line to its section id."""
    walker = _Walker(heading_lines or {})
    for row in rows:
        walker.visit(row)
    walker.settle_blank_row([], [])
    return walker.found


class _Walker:
    """The table state while rows go by, and what has been found so far."""

    def __init__(self, headings: dict[int, str]) -> None:
        self.headings = headings
        self.found = LocatedTables()
        self.state: str | None = None
        self.t4_values: list[str] = []
        # A label printed on its own line, its values on the next (PDF text).
        self.pending: tuple[str, str, str] | None = None
        # An unmatched label printed on its own line (its values may follow).
        self.loose_label = ""
        # The values of a matched text row whose value cells are all empty: a blank
        # row, or the first line of a label wrapped over two rows (decided next row).
        self.blank_values: list[str] | None = None
        self.text_row = True
        self.t2_header: tuple[str, ...] | None = None
        self.cells: tuple[str, ...] = ()

    def visit(self, row: Row) -> None:
        if row.line in self.headings:
            self.settle_blank_row([], [])
            self.state = SECTION_TABLE.get(self.headings[row.line])
            self.pending = None
            return
        parts = unglued(row.cells) if row.grid < 0 else [row.cells]
        for cells in parts:
            self._visit_cells(Row(cells, row.line, row.grid))

    def _visit_cells(self, row: Row) -> None:
        labels, values = split_row(row.cells)
        self.settle_blank_row(labels, values)
        self.cells, self.text_row = row.cells, row.grid < 0
        if len(row.cells) == 1 and self._flat_row(row.cells[0]):
            self.pending = None
            return
        if sum(len(label) for label in labels) > _MAX_LABEL * max(1, len(labels)):
            return  # prose
        if labels and self._header(labels, row.cells):
            return
        pending, self.pending = self.pending, None
        loose, self.loose_label = self.loose_label, ""
        if labels and self._data_row(labels, values):
            return
        if values and pending is not None:
            # The values line, possibly led by the wrapped end of the label.
            self._record(*pending, _without_lost_label(pending[0], labels, values))
            return
        if self._unmatched_row(labels, values, loose):
            return
        _note_text(self.found, self.state, labels)
        if self.state == "t4" and self.found.t4 is None:
            self._t4_row(labels, values)

    def _header(self, labels: list[str], cells: tuple[str, ...]) -> bool:
        header = _header_table(labels)
        if header is None:
            return False
        if header == "t2":
            self.t2_header = cells if core(labels[0]) == t2_column_header_word() else None
        self.state = header
        _note_text(self.found, header, labels)
        return True

    def _data_row(self, labels: list[str], values: list[str]) -> bool:
        """A t2/t3 row (t2 only before t3 starts; nothing after t4 starts)."""
        tables = {None: ("t2", "t3"), "t2": ("t2", "t3"), "t3": ("t3",)}.get(self.state, ())
        for table in tables:
            matched = match_label(labels, table)
            if matched is None:
                continue
            key, printed = matched
            if values and (not self.text_row or any(value.strip() for value in values)):
                self._record(table, key, printed, values)
            else:
                self.pending = (table, key, printed)
                self.blank_values = values or None
            self.state = table
            return True
        return False

    def settle_blank_row(self, labels: list[str], values: list[str]) -> None:
        """Record a pending all-blank row unless this row continues its label
        (`2.没有现成信息需要另行 |  | …` then `制作 | 0 | …`)."""
        if self.blank_values is None:
            return
        blank, self.blank_values = self.blank_values, None
        pending = self.pending
        if pending is None:
            return
        if labels and has_numbers(values) and match_label(labels, pending[0]) is None:
            return  # the pending path takes this row's values
        self._record(*pending, blank)
        self.pending = None

    def _flat_row(self, text: str) -> bool:
        """A row whose cells ran together: its label, then one digit run."""
        parts = flat_parts(text)
        if parts is None:
            return False
        label, digits = parts
        if not label and self.state == "t4" and self.found.t4 is None and len(digits) >= _T4_MIN_DIGITS:
            self.found.flat["t4"]["t4"] = digits
            self.found.t4 = [""] * T4_WIDTH
            return True
        tables = {None: ("t2", "t3"), "t2": ("t2", "t3"), "t3": ("t3",)}.get(self.state, ())
        for table in tables:
            matched = match_label(_ENUMERATED.split(label), table) if label else None
            if matched is None:
                continue
            rows = self.found.t2 if table == "t2" else self.found.t3
            if matched[0] not in rows:
                rows[matched[0]] = []
                self.found.flat[table][matched[0]] = digits
                self.found.seen[table].append(SeenRow(matched[0], matched[1], ()))
            self.state = table
            return True
        return False

    def _unmatched_row(self, labels: list[str], values: list[str], loose: str) -> bool:
        """A row of a table whose label matched nothing (lost or misprinted): kept in
        order so that it can be placed by position once the version is known."""
        if self.state not in ("t2", "t3"):
            return False
        if not values or not has_numbers(values):
            if labels and not values and len(labels) == 1:
                self.loose_label = labels[0]
            return False
        label = labels[-1] if labels else loose
        values = _without_lost_label(self.state, labels, values)
        self.found.seen[self.state].append(SeenRow(None, label, tuple(values)))
        return True

    def _record(self, table: str, key: str, printed: str, values: list[str]) -> None:
        rows = self.found.t2 if table == "t2" else self.found.t3
        if key in rows:
            return
        rows[key] = values
        self.found.seen[table].append(SeenRow(key, printed, tuple(values)))
        if table == "t2" and self.t2_header is not None:
            aligned = _aligned(self.t2_header, self.cells, len(self.cells) - len(values))
            if aligned is not None:
                self.found.t2_aligned[key] = aligned

    def _t4_row(self, labels: list[str], values: list[str]) -> None:
        if len(values) >= T4_WIDTH:
            self.found.t4 = values
        elif labels or not has_numbers(values):
            self.t4_values = []
        else:
            # PDF text can wrap the single data row over several lines.
            self.t4_values.extend(values)
            if len(self.t4_values) >= T4_WIDTH:
                self.found.t4 = self.t4_values


def _without_lost_label(table: str, labels: list[str], values: list[str]) -> list[str]:
    """A t2 text row with no label text: its first empty cell held the label (t2 rows
    are fitted by merging repeated cells, so a spare blank would shift them; t3 rows
    drop surplus blanks by their fixed width)."""
    if table == "t2" and not labels and len(values) > 1 and not values[0].strip():
        return values[1:]
    return values


def _aligned(header: tuple[str, ...], cells: tuple[str, ...], label_count: int) -> list[str] | None:
    """Values under the column starts of an equally wide header row (merged header
    text repeats, so a column starts where the text changes)."""
    if len(header) != len(cells):
        return None
    starts = [
        index
        for index in range(1, len(header))
        if header[index].strip() and header[index] != header[index - 1]
    ]
    if not starts or label_count > starts[0]:
        return None
    return [cells[index] for index in starts]


def _note_text(found: LocatedTables, state: str | None, labels: list[str]) -> None:
    if state == "t2":
        found.t2_text.extend(labels)
    elif state == "t3":
        found.t3_text.extend(labels)


def has_numbers(values: list[str]) -> bool:
    return any(is_number_text(value) for value in values)
