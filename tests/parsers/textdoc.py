"""A generated report (flows.reportgen) printed as extracted text, with the damage
real extractions do: mistyped or lost row labels, flattened cells, messy heads.

Values always come from the spec, so a test compares the parse with the truth.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from flows.reportgen import ReportSpec, report_tables
from flows.reportgen.prose import narrative
from flows.reportgen.tables import GridCell

Render = Callable[[list[str], list[str]], str]


def pipe(labels: list[str], values: list[str]) -> str:
    return "| " + " | ".join([*labels, *values]) + " |"


def tabs(labels: list[str], values: list[str]) -> str:
    return "\t".join([*labels, *values])


def flat(labels: list[str], values: list[str]) -> str:
    """Cells run together with no separator, as some PDF renderings print them."""
    return "".join(labels) + "".join(value or "" for value in values)


STYLES: dict[str, Render] = {"pipe": pipe, "tabs": tabs, "flat": flat}


@dataclass
class Damage:
    """What to do to the printed table rows (keyed by the row's printed label)."""

    relabel: Mapping[str, str] = field(default_factory=dict)  # label → label as printed
    unlabel: Iterable[str] = ()  # labels printed as empty cells
    # Rows (named by their last label) whose label cells are all lost: one empty cell.
    unlabel_rows: Iterable[str] = ()
    # Rows (named by their last label) whose label is printed at the end of the row above.
    glue_up: Iterable[str] = ()
    # Rows (named by their last label) whose label wraps: its first part on a row of
    # empty value cells, the rest on the next row with the values.
    wrap: Iterable[str] = ()


def table_rows(grid: list[list[GridCell]]) -> list[tuple[list[str], list[str]]]:
    """Each grid row as (distinct label texts, value texts), merged cells once."""
    rows = []
    for row in grid:
        labels: list[str] = []
        values: list[str] = []
        seen: set[str] = set()
        for cell in row:
            if cell.cell_id in seen:
                continue
            seen.add(cell.cell_id)
            (values if cell.is_value else labels).append(cell.text)
        rows.append((labels, values))
    return rows


def _damaged(labels: list[str], damage: Damage) -> list[str]:
    if labels and labels[-1] in set(damage.unlabel_rows):
        return [""]
    unlabel = set(damage.unlabel)
    out = []
    for label in labels:
        if label in unlabel:
            out.append("")
        else:
            out.append(damage.relabel.get(label, label))
    return out


def table_lines(spec: ReportSpec, table: str, render: Render, damage: Damage) -> list[str]:
    rows = [(_damaged(labels, damage), list(values), labels)
            for labels, values in table_rows(report_tables(spec)[table])]
    glue = set(damage.glue_up)
    for index in range(1, len(rows)):
        labels, values, original = rows[index]
        if original and original[-1] in glue:
            rows[index - 1][1].append(labels[-1])
            rows[index] = (labels[:-1] or [""], values, original)
    lines = []
    wrap = set(damage.wrap)
    for labels, values, original in rows:
        if original and original[-1] in wrap and values:
            cut = len(labels[-1]) * 2 // 3
            lines.append(render([*labels[:-1], labels[-1][:cut]], [""] * len(values)))
            lines.append(render([*[""] * (len(labels) - 1), labels[-1][cut:]], values))
        else:
            lines.append(render(labels, values))
    return lines


def report_text(spec: ReportSpec, *, style: str = "pipe", damage: Damage | None = None,
                head: list[str] | None = None) -> str:
    """The whole report as text: head (default: the title), intro, sections, tables."""
    render, damage = STYLES[style], damage or Damage()
    story = narrative(spec)
    lines = list(head if head is not None else [spec.title])
    lines.append(story.intro)
    for section in story.sections:
        lines.append(section.heading)
        lines.extend(section.paragraphs)
        if section.table:
            lines.extend(table_lines(spec, section.table, render, damage))
    lines.append(f"{spec.year + 1}年1月20日")
    return "\n".join(lines)
