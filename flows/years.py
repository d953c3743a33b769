"""Read a year selection such as "2015-2020", "2019,2021" or [2019, 2020]."""

from __future__ import annotations

from storage.errors import UserError

FIRST_YEAR = 2008  # the 条例 took effect in 2008: no annual report is older
LAST_YEAR = 2100


def parse_years(years: str | int | list[int] | tuple[int, ...]) -> list[int]:
    """Sorted distinct years; a malformed or out-of-range selection is a UserError."""
    if isinstance(years, int):
        chosen = {years}
    elif isinstance(years, (list, tuple)):
        chosen = {_year(str(item)) for item in years}
    else:
        chosen = set()
        for part in str(years).replace(" ", "").split(","):
            if not part:
                continue
            first, sep, last = part.partition("-")
            start, end = _year(first), _year(last) if sep else _year(first)
            if end < start:
                raise UserError(f"year range {part!r} runs backwards; write it as {end}-{start}")
            chosen.update(range(start, end + 1))
    if not chosen:
        raise UserError("no years given; use e.g. --years 2015-2020 or --years 2019,2021")
    return sorted(chosen)


def _year(text: str) -> int:
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise UserError(f"{text!r} is not a report year ({FIRST_YEAR}-{LAST_YEAR}); "
                        "use e.g. --years 2015-2020")
    return int(text)
