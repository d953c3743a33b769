"""Which template version each table follows, from its header and row labels."""

from __future__ import annotations

from functools import cache

from parsers.labels import normalize, within_one_edit
from parsers.schema import TABLE_VERSIONS, detection
from parsers.tables.layout import t2_rows, t3_row_keys
from parsers.tables.found import LocatedTables

_TYPO_MIN = 5  # markers this long may carry one wrong character (本年度止件数)


@cache
def _t2_markers(version: str) -> tuple[str, ...]:
    return tuple(normalize(marker) for marker in detection(version)["t2_markers"])


@cache
def _t3_markers(version: str) -> tuple[str, ...]:
    # Only the plain-word markers; descriptive ones ("3.其他 under …") are checked by row keys.
    return tuple(
        normalize(marker)
        for marker in detection(version)["t3_markers"]
        if " " not in marker and "（" not in marker
    )


def _contains(text: str, marker: str) -> bool:
    if marker in text:
        return True
    if len(marker) < _TYPO_MIN:
        return False
    width = len(marker)
    return any(
        within_one_edit(text[start : start + width], marker)
        for start in range(len(text) - width + 1)
    )


def _only_in(version: str, keys: set[str], rows_of: dict[str, set[str]]) -> bool:
    other = next(v for v in TABLE_VERSIONS if v != version)
    return bool(keys & (rows_of[version] - rows_of[other]))


def t2_version(found: LocatedTables) -> str | None:
    text = normalize("".join(found.t2_text))
    rows_of = {v: set(t2_rows(v)) for v in TABLE_VERSIONS}
    row_votes = {v: int(_only_in(v, set(found.t2), rows_of)) for v in TABLE_VERSIONS}
    exact = {v: row_votes[v] + sum(m in text for m in _t2_markers(v)) for v in TABLE_VERSIONS}
    # One-character typos (本年度止件数) are only looked for when exact markers do not decide.
    return _winner(exact) or _winner(
        {v: row_votes[v] + sum(_contains(text, m) for m in _t2_markers(v)) for v in TABLE_VERSIONS}
    )


def t3_version(found: LocatedTables) -> str | None:
    """v2021 when a （六） sub-row is there; v2019 when （六）其他处理 carries values itself."""
    rows_of = {v: set(t3_row_keys(v)) for v in TABLE_VERSIONS}
    if _only_in("v2021", set(found.t3), rows_of):
        return "v2021"
    if _only_in("v2019", set(found.t3), rows_of):
        return "v2019"
    text = normalize("".join(found.t3_text))
    return _winner({v: sum(_contains(text, m) for m in _t3_markers(v)) for v in TABLE_VERSIONS})


def t3_version_by_rows(found: LocatedTables) -> str | None:
    """The template whose t3 row count the printed rows (labelled or not) match:
    v2021 splits （六）其他处理 into three rows, v2019 prints it as one."""
    count = len(found.t3) + sum(row.key is None for row in found.seen["t3"])
    matching = [v for v in TABLE_VERSIONS if len(t3_row_keys(v)) == count]
    return matching[0] if len(matching) == 1 else None


def _winner(scores: dict[str, int]) -> str | None:
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if ranked[0][1] == 0 or ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def version_for_year(year: int | None) -> str | None:
    """The template a report year should use; only when the labels say nothing."""
    if year is None:
        return None
    if year >= 2021:
        return "v2021"
    if year >= 2019:
        return "v2019"
    return "legacy_pre2019"
