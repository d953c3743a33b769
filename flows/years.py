"""Read a year selection such as "2015-2020", "2019,2021", 2019 or [2019, 2020]."""

from __future__ import annotations

from typing import Any, Union

from pydantic import Field

from storage.errors import UserError

FIRST_YEAR = 2008  # the 条例 took effect in 2008: no annual report is older
LAST_YEAR = 2100
YEARS_HELP = "Report years: 2015-2020, or 2019, or a list such as 2019,2021"

# The backfill flow's `years` parameter: `years: Years = YEARS_PARAMETER`. Prefect shows the
# description in the custom-run form and accepts a number (2019) as well as text and lists;
# `parse_years` stays the one judge of the values.
Years = Union[str, int, list[int]]
YEARS_PARAMETER: Any = Field(description=YEARS_HELP, json_schema_extra={"examples": ["2015-2020", 2019]})


def parse_years(years: str | int | list[int] | tuple[int, ...]) -> list[int]:
    """Sorted distinct years; a malformed or out-of-range selection is a UserError."""
    if isinstance(years, int):
        chosen = {_year(str(years))}
    elif isinstance(years, (list, tuple)):
        chosen = {_year(str(item)) for item in years}
    elif isinstance(years, str):
        chosen = set()
        for part in years.replace(" ", "").split(","):
            if not part:
                continue
            first, sep, last = part.partition("-")
            start, end = _year(first), _year(last) if sep else _year(first)
            if end < start:
                raise UserError(f"year range {part!r} runs backwards; write it as {end}-{start}")
            chosen.update(range(start, end + 1))
    else:  # None, or a flow called without its required `years`
        chosen = set()
    if not chosen:
        raise UserError("no years given; use e.g. --years 2015-2020 or --years 2019,2021")
    return sorted(chosen)


def years_span(years: list[int]) -> str:
    """'2015-2020' for a run of years, '2019' for one, '2019,2021' otherwise."""
    if len(years) == 1:
        return str(years[0])
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ",".join(str(year) for year in years)


def _year(text: str) -> int:
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise UserError(f"{text!r} is not a report year ({FIRST_YEAR}-{LAST_YEAR}); "
                        "use e.g. --years 2015-2020")
    return int(text)
