"""Cell text → `Cell`: number syntax, signs, separators, units, N/A markers, blanks."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from parsers.labels import clean_cell
from parsers.model import Cell
from parsers.schema import na_markers

_NUMBER = re.compile(
    r"^(?P<sign>[+\-−增减減])?"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)"
    r"(?:\.(?P<frac>\d+))?"
    r"(?P<unit>万元|元|万|件|个|项|条)?$"
)
_NEGATIVE = frozenset("-−减減")
_WHITESPACE = re.compile(r"\s+")
_TEN_THOUSAND = Decimal(10000)


def _canonical(text: str) -> str:
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=65536)
def is_value_text(text: str) -> bool:
    """True for cell text that is a value (number, N/A marker or blank), not a label."""
    cleaned = _canonical(clean_cell(text))
    return cleaned == "" or cleaned in na_markers() or _NUMBER.match(cleaned) is not None


@lru_cache(maxsize=65536)
def is_number_text(text: str) -> bool:
    return _NUMBER.match(_canonical(clean_cell(text))) is not None


def parse_cell(text: str | None, *, unit: str | None = None) -> Cell:
    """Parse one printed cell; `unit` is the field's canonical unit (万元 converts 元)."""
    if text is None:
        return Cell.absent()
    raw = clean_cell(text)
    cleaned = _canonical(raw)
    if cleaned == "":
        return Cell(raw="", value=None, state="blank")
    if cleaned in na_markers():
        return Cell(raw=raw, value=None, state="na_marker")
    match = _NUMBER.match(cleaned)
    if match is None:
        return Cell(raw=raw, value=None, state="unreadable")
    printed_unit = match["unit"]
    if printed_unit == "万":
        printed_unit = "万元"
    number = Decimal(match["int"].replace(",", "") + ("." + match["frac"] if match["frac"] else ""))
    if match["sign"] in _NEGATIVE:
        number = -number
    if unit == "万元" and printed_unit == "元":
        number = number / _TEN_THOUSAND
    value = _as_python_number(number)
    return Cell(raw=raw, value=value, state="number", unit_as_printed=printed_unit)


def _as_python_number(number: Decimal) -> int | float:
    if number == number.to_integral_value():
        return int(number)
    return float(number)
