"""How far to trust OCR'd cells: mark them `ocr` with their confidence, and take a
correction only when exactly one low-confidence digit reading makes every identity hold.

A misread digit breaks the identities it takes part in; the value that would repair
one identity is fixed by the others' values. It is taken only when the repaired value
differs from the reading in one digit, the cell was read with low confidence, every
identity holds afterwards, and no other cell offers such a repair. Anything else stays
as read, and the broken identities stay in the record for a person to look at.
"""

from __future__ import annotations

from dataclasses import replace

from parsers.identities import check_all
from parsers.model import Cell, ParsedReport
from parsers.schema import identities

LOW_CONFIDENCE = 0.97  # below this a digit reading may be replaced


def identity_version(report: ParsedReport) -> str:
    """The version whose identities apply (t3's, as the builder uses)."""
    return report.t3_format_version if report.t3_format_version != "absent" else report.format_version


def correct_one_digit(report: ParsedReport) -> str | None:
    """Apply the single one-digit repair, if there is exactly one; a note saying what changed."""
    version = identity_version(report)
    failing = {check.name for check in report.checks if check.ok is False}
    if not failing:
        return None
    repairs = set()
    for identity in identities(version):
        if identity.name not in failing:
            continue
        for key in identity.operands:
            value = _repair_value(identity, key, report.fields)
            if value is not None and _repairs_all(report, version, key, value):
                repairs.add((key, value))
    if len(repairs) != 1:
        return None
    key, value = repairs.pop()
    cell = report.fields[key]
    report.fields[key] = replace(cell, value=value, state="ocr_corrected")
    report.checks = check_all(version, report.fields)
    return f"ocr_corrected {key}: read {cell.raw!r}, taken as {value} (the only one-digit reading that makes every identity hold)"


def _repair_value(identity, key: str, cells: dict[str, Cell]) -> int | None:
    cell = cells.get(key)
    if cell is None or cell.state != "ocr" or not isinstance(cell.value, int):
        return None
    if cell.confidence is not None and cell.confidence >= LOW_CONFIDENCE:
        return None
    lhs = sum(float(cells[k].value or 0) for k in identity.lhs)
    rhs = sum(float(cells[k].value or 0) for k in identity.rhs)
    wanted = cell.value + (rhs - lhs if key in identity.lhs else lhs - rhs)
    if wanted < 0 or wanted != int(wanted):
        return None
    return int(wanted) if _one_digit_apart(str(cell.value), str(int(wanted))) else None


def _one_digit_apart(read: str, wanted: str) -> bool:
    if len(read) == len(wanted):
        return sum(a != b for a, b in zip(read, wanted)) == 1
    # One digit lost or one extra digit read.
    longer, shorter = (read, wanted) if len(read) > len(wanted) else (wanted, read)
    if len(longer) - len(shorter) != 1:
        return False
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


def _repairs_all(report: ParsedReport, version: str, key: str, value: int) -> bool:
    cells = dict(report.fields)
    cells[key] = replace(cells[key], value=value)
    return all(check.ok is not False for check in check_all(version, cells))
