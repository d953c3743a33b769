"""Compare a parsed report with the spec it was rendered from (the spec is the truth)."""

from __future__ import annotations

from parsers.model import ParsedReport
from flows.reportgen.spec import TOLERANCE, ReportSpec


def field_mismatches(report: ParsedReport, spec: ReportSpec) -> list[str]:
    """Every field whose parsed cell disagrees with the spec; blanks must stay blank."""
    problems = []
    for key, expected in spec.fields.items():
        cell = report.fields.get(key)
        if cell is None:
            problems.append(f"{key}: missing, expected {expected!r}")
        elif expected is None:
            if cell.state != "blank" or cell.value is not None:
                problems.append(f"{key}: expected blank, got {cell.state} {cell.value!r}")
        elif cell.state != "number" or cell.value is None or abs(cell.value - expected) > TOLERANCE:
            problems.append(f"{key}: expected {expected!r}, got {cell.state} {cell.value!r}")
    return problems


def check_mismatches(report: ParsedReport, spec: ReportSpec) -> list[str]:
    parsed = {check.name: check.ok for check in report.checks}
    return [f"{name}: expected {ok}, got {parsed.get(name)}"
            for name, ok in spec.expected_checks().items() if parsed.get(name) is not ok]
