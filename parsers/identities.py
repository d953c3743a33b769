"""Evaluate the schema's hard identities and derived fields over parsed cells."""

from __future__ import annotations

from collections.abc import Mapping

from parsers.model import Cell, Check
from parsers.schema import TABLE_VERSIONS, Derived, Identity, derived_fields, identities

TOLERANCE = 1e-4
_NOT_EVALUABLE = frozenset({"absent", "unreadable"})


def _is_total(key: str) -> bool:
    """总计 cells: the 总计 column and the （七）总计 row."""
    return key.endswith("__total") or key.startswith("t3_outcome_total__")


def _side(keys: tuple[str, ...], cells: Mapping[str, Cell]) -> float:
    return sum(float(cells[key].value or 0) for key in keys)


def evaluate(identity: Identity, cells: Mapping[str, Cell]) -> Check:
    """Blank (and N/A) count as 0; an absent or unreadable operand → not evaluable."""
    operands = [cells.get(key, Cell.absent()) for key in identity.operands]
    if any(cell.state in _NOT_EVALUABLE for cell in operands):
        return Check(identity.name, None, "not_evaluable")
    if abs(_side(identity.lhs, cells) - _side(identity.rhs, cells)) <= TOLERANCE:
        return Check(identity.name, True, "holds")
    blank_totals = [
        key for key in identity.operands if _is_total(key) and cells[key].state == "blank"
    ]
    # An unfilled 总计 could hold any value, so the failure only shows missing data.
    status = "incomplete" if blank_totals else "inconsistent"
    return Check(identity.name, False, status)


def check_all(version: str, cells: Mapping[str, Cell]) -> list[Check]:
    """Every hard identity of the version (t3/t4 version), in schema order."""
    if version not in TABLE_VERSIONS:
        return []
    return [evaluate(identity, cells) for identity in identities(version)]


def derived_values(version: str, cells: Mapping[str, Cell]) -> dict[str, int | float | None]:
    """Derived fields (subtotals, v2021 t3_other_handling__*): sums with blank as 0,
    None when an operand is absent, unreadable or not a field of this version."""
    if version not in TABLE_VERSIONS:
        return {}
    return {derived.key: _derived_value(derived, cells) for derived in derived_fields(version)}


def _derived_value(derived: Derived, cells: Mapping[str, Cell]) -> int | float | None:
    operands = [cells.get(key, Cell.absent()) for key in derived.terms]
    if any(cell.state in _NOT_EVALUABLE for cell in operands):
        return None
    total = sum(cell.value or 0 for cell in operands)
    return round(total, 6) if isinstance(total, float) else total


_FEE_LIMIT = 1e6  # 万元; a larger fee for one agency was almost surely entered in 元
_PUBLISHED_PAIRS = (
    ("t2_regulation__new_published", "t2_regulation__total_published"),
    ("t2_normative_doc__new_published", "t2_normative_doc__total_published"),
)


def soft_warnings(cells: Mapping[str, Cell]) -> list[str]:
    """The schema's single-report soft checks, as one-line warnings."""
    warnings = [
        f"negative value {key}={cell.value}"
        for key, cell in cells.items()
        if cell.value is not None and cell.value < 0 and not key.endswith("__items_change")
    ]
    fee = cells.get("t2_admin_fee__amount")
    if fee is not None and fee.value is not None and fee.value > _FEE_LIMIT:
        warnings.append(f"fee {fee.value} 万元 looks like an amount in 元")
    for new, total in _PUBLISHED_PAIRS:
        new_value = cells[new].value if new in cells else None
        total_value = cells[total].value if total in cells else None
        if new_value is not None and total_value is not None and new_value > total_value:
            warnings.append(f"{new}={new_value} exceeds {total}={total_value}")
    return warnings
