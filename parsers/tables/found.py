"""What the table walker found: rows per table, in the printed order, values as printed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SeenRow:
    """A t2/t3 data row in document order: its key when a label matched, else None."""

    key: str | None
    label: str  # the row label as printed ('' when lost)
    values: tuple[str, ...]


@dataclass
class LocatedTables:
    """Rows found for each table, values still as printed."""

    t2: dict[str, list[str]] = field(default_factory=dict)
    t2_text: list[str] = field(default_factory=list)
    # t2 values picked by the column starts of the block's 信息内容 header row, when
    # the row is as wide as that header (a blank first value cannot be told from a
    # blank merged label cell otherwise).
    t2_aligned: dict[str, list[str]] = field(default_factory=dict)
    t3: dict[str, list[str]] = field(default_factory=dict)
    t3_text: list[str] = field(default_factory=list)
    t4: list[str] | None = None
    # Data rows of t2/t3 in document order, matched or not (for placing by position).
    seen: dict[str, list[SeenRow]] = field(default_factory=lambda: {"t2": [], "t3": []})
    # Flattened rows (cells run together): row key → the digit run; "t4" → its run.
    flat: dict[str, dict[str, str]] = field(default_factory=lambda: {"t2": {}, "t3": {}, "t4": {}})

    @property
    def found_any(self) -> bool:
        return bool(self.t2 or self.t3 or self.t4 is not None)
