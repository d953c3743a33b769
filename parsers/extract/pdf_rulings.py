"""Rebuild ruled tables from a PDF page's lines and characters (cells, merged cells, text)."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

SNAP = 3.0  # points: border lines this close are one line (double borders, rounding)
MIN_COVER = 0.5  # a border must cover half a cell's side to separate two cells


@dataclass(frozen=True)
class Segment:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.y1 - self.y0 < self.x1 - self.x0


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class RuledTable:
    xs: list[float]  # column borders, left to right
    ys: list[float]  # row borders, top to bottom (PDF y grows upwards)
    grid: list[list[str]] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.ys[0]

    def contains(self, glyph: Glyph) -> bool:
        return self.xs[0] <= glyph.cx <= self.xs[-1] and self.ys[-1] <= glyph.cy <= self.ys[0]


def snap(values: list[float]) -> list[float]:
    clusters: list[list[float]] = []
    for value in sorted(values):
        if clusters and value - clusters[-1][-1] <= SNAP:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return [sum(c) / len(c) for c in clusters]


def _touch(h: Segment, v: Segment) -> bool:
    return h.x0 - SNAP <= v.x0 <= h.x1 + SNAP and v.y0 - SNAP <= h.y0 <= v.y1 + SNAP


def _components(segments: list[Segment]) -> list[list[Segment]]:
    """Groups of crossing/touching border lines: one group per table."""
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(segments):
        for j in range(i + 1, len(segments)):
            b = segments[j]
            if a.horizontal != b.horizontal and (_touch(a, b) if a.horizontal else _touch(b, a)):
                parent[find(i)] = find(j)
    groups: dict[int, list[Segment]] = {}
    for i, segment in enumerate(segments):
        groups.setdefault(find(i), []).append(segment)
    return list(groups.values())


def _spans_at(segments: list[Segment], borders: list[float], horizontal: bool) -> list[list[tuple[float, float]]]:
    """For each border, the (start, end) of the segments of that direction lying on it."""
    spans: list[list[tuple[float, float]]] = [[] for _ in borders]
    for s in segments:
        if s.horizontal != horizontal:
            continue
        position, start, end = (s.y0, s.x0, s.x1) if horizontal else (s.x0, s.y0, s.y1)
        for index, at in enumerate(borders):
            if abs(position - at) <= SNAP:
                spans[index].append((start, end))
    return spans


def _covered(spans: list[tuple[float, float]], low: float, high: float) -> bool:
    need = (high - low) * MIN_COVER
    return any(min(end, high) - max(start, low) >= need for start, end in spans)


def find_tables(segments: list[Segment]) -> list[RuledTable]:
    tables = []
    for group in _components(segments):
        xs = snap([s.x0 for s in group if not s.horizontal])
        ys = sorted(snap([s.y0 for s in group if s.horizontal]), reverse=True)
        if len(xs) >= 2 and len(ys) >= 2:
            tables.append(RuledTable(xs, ys))
    return tables


def _merged_regions(table: RuledTable, segments: list[Segment]) -> list[int]:
    """For each grid slot (row-major), the id of the merged cell it belongs to."""
    rows, cols = len(table.ys) - 1, len(table.xs) - 1
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    verticals = _spans_at(segments, table.xs, horizontal=False)
    horizontals = _spans_at(segments, table.ys, horizontal=True)
    for r in range(rows):
        top, bottom = table.ys[r], table.ys[r + 1]
        for c in range(cols):
            left, right = table.xs[c], table.xs[c + 1]
            if c + 1 < cols and not _covered(verticals[c + 1], bottom, top):
                parent[find(r * cols + c)] = find(r * cols + c + 1)
            if r + 1 < rows and not _covered(horizontals[r + 1], left, right):
                parent[find(r * cols + c)] = find((r + 1) * cols + c)
    return [find(i) for i in range(rows * cols)]


def _slot(ascending: list[float], value: float) -> int | None:
    """The first interval [b[i], b[i+1]] of sorted borders holding `value`."""
    if not ascending or not ascending[0] <= value <= ascending[-1]:
        return None
    return max(bisect_left(ascending, value), 1) - 1


def fill_table(table: RuledTable, segments: list[Segment], glyphs: list[Glyph]) -> None:
    """Put each glyph into its merged cell; a merged cell's text fills all its slots."""
    cols = len(table.xs) - 1
    region_of = _merged_regions(table, segments)
    region_glyphs: dict[int, list[Glyph]] = {}
    negated_ys = [-y for y in table.ys]  # ascending, as _slot wants
    for glyph in glyphs:
        r = _slot(negated_ys, -glyph.cy)
        c = _slot(table.xs, glyph.cx)
        if r is not None and c is not None:
            region_glyphs.setdefault(region_of[r * cols + c], []).append(glyph)
    texts = {region: cell_text(items) for region, items in region_glyphs.items()}
    slots = [texts.get(region, "") for region in region_of]
    grid = [slots[r * cols:(r + 1) * cols] for r in range(len(table.ys) - 1)]
    table.grid = [row for row in grid if any(row)]


def text_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines, top to bottom, each line left to right."""
    lines: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: (-g.cy, g.x0)):
        if lines:
            last = lines[-1][0]
            if abs(last.cy - glyph.cy) < 0.5 * max(last.y1 - last.y0, glyph.y1 - glyph.y0, 1.0):
                lines[-1].append(glyph)
                continue
        lines.append([glyph])
    return [sorted(line, key=lambda g: g.x0) for line in lines]


def line_text(line: list[Glyph]) -> str:
    parts: list[str] = []
    for previous, glyph in zip([None] + line[:-1], line):
        if previous is not None and glyph.x0 - previous.x1 > 0.8 * (previous.x1 - previous.x0):
            parts.append(" ")
        parts.append(glyph.text)
    return "".join(parts).strip()


def cell_text(glyphs: list[Glyph]) -> str:
    # Lines inside one cell are a label wrapped by a narrow column (予以⏎公开), or a
    # vertical header printed one character per line: join them without a gap.
    return "".join(" ".join(line_text(line).split()) for line in text_lines(glyphs))
