"""The rules of the coverage grid: one agency across spellings, deadlines, lateness, jumps.

条例 第四十九、五十条: a department (and a government's report on its own office)
publishes its report for year Y by 31 January of Y+1; a government's report for
its whole region by 31 March of Y+1. The registry may add per site:
`expected_from` (first year expected), `expected_agencies` (names that must
publish even if never found) and `aliases` (full name → other spellings).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from parsers.metadata import scope_of
from storage.refs import agency_key

DEPARTMENT_DEADLINE = (1, 31)
REGION_DEADLINE = (3, 31)
JUMP_FACTOR = 5
JUMP_FLOOR = 10  # below this, counts move by ×5 too easily (1 → 6) to mean anything
# Key totals compared year over year, per concept: the first alternative a report has
# (a tuple of keys is summed: lawsuits are direct + after review in the 2019/2021 tables).
KEY_TOTALS: dict[str, tuple[tuple[str, ...], ...]] = {
    "applications_received": (("t3_new_received__total",), ("legacy_applications_received",)),
    "applications_handled": (("t3_outcome_total__total",), ("legacy_applications_answered",)),
    "reviews": (("t4_review__total",), ("legacy_review_cases",)),
    "lawsuits": (("t4_litigation_direct__total", "t4_litigation_after_review__total"), ("legacy_litigation_cases",)),
}
KEY_TOTAL_KEYS = tuple(key for options in KEY_TOTALS.values() for keys in options for key in keys)

GOVERNMENT = "政府"  # the group of the site's own government (its reports on the region)
_GOVERNMENT_SUFFIX = re.compile(r"(人民政府|政府)$")
_LEVEL_CHARS = "省市县区州旗盟"
# 人民政府 → 政府, 委员会 → 委, a trailing 办公室/办公厅 → 办: full names and 简称 meet;
# a township is its government (青龙镇人民政府 = 青龙镇), a street its office (东湖街道办事处 = 东湖街道).
_SHORT_FORMS = ((re.compile("人民政府"), "政府"), (re.compile("委员会"), "委"), (re.compile("办公[室厅]$"), "办"),
                (re.compile("(镇|乡)政府$"), r"\1"), (re.compile("街道办事处$"), "街道"))


def region_prefix(site_name: str) -> str:
    """The region a government site speaks for: 寒山县人民政府 → 寒山县 ('' when not a government)."""
    key = agency_key(site_name)
    stripped = _GOVERNMENT_SUFFIX.sub("", key)
    return stripped if stripped != key else ""


def _base_key(name: str, region: str) -> str:
    key = agency_key(name)
    if region and key == region:
        key = GOVERNMENT  # a report signed by the region (青山市) on its government's site is the government's
    elif region and key.startswith(region) and len(key) > len(region):
        key = key[len(region):]
    elif region and region[-1] in _LEVEL_CHARS and key.startswith(region[-1]) and key[1:2] not in ("", "场"):
        key = key[1:]  # 县政府办 on 寒山县's site; not 市场监管局 on a city's
    for pattern, short in _SHORT_FORMS:
        key = pattern.sub(short, key)
    return key


@dataclass(frozen=True)
class SiteRules:
    """A site's coverage expectations and how it names its agencies."""

    region: str = ""
    expected_from: int | None = None
    expected_agencies: tuple[str, ...] = ()
    canonical_by_key: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, site_name: str, rules: Mapping[str, Any] | None) -> SiteRules:
        rules = rules or {}
        region = region_prefix(site_name)
        canonical: dict[str, str] = {}
        for full_name, spellings in (rules.get("aliases") or {}).items():
            for spelling in (full_name, *spellings):
                canonical[_base_key(spelling, region)] = full_name
        return cls(region, rules.get("expected_from"), tuple(rules.get("expected_agencies") or ()), canonical)

    def agency_group(self, name: str) -> str:
        """The key all spellings of one agency share on this site."""
        key = _base_key(name, self.region)
        full_name = self.canonical_by_key.get(key)
        return _base_key(full_name, self.region) if full_name else key

    def display_name(self, names: Iterable[str]) -> str:
        """The registry's full name, else the spelling seen most often (longest on ties)."""
        names = list(names)
        for name in names:
            full_name = self.canonical_by_key.get(_base_key(name, self.region))
            if full_name:
                return full_name
        return max(names, key=lambda n: (names.count(n), len(n), n))


def scope_for(agency: str, stored_scope: str | None, group: str = "") -> str:
    """The report's scope as parsed, else as its name suggests (a missing report has no text).

    A report of the site's own government parsed as a department (signed only with the
    region's name, 青山市) is read by the group's name instead.
    """
    if stored_scope and stored_scope != "unknown" and not (group == GOVERNMENT and stored_scope == "department"):
        return stored_scope
    return scope_of(agency, "")


def deadline(year: int, scope: str) -> date:
    """Y+1-03-31 for a region's aggregate report, Y+1-01-31 for everything else."""
    month, day = REGION_DEADLINE if scope == "region_aggregate" else DEPARTMENT_DEADLINE
    return date(year + 1, month, day)


def latest_due_year(today: date, scope: str) -> int:
    """The latest statistics year whose deadline has passed by `today`."""
    year = today.year - 1
    return year if deadline(year, scope) < today else year - 1


def is_jump(previous: float | None, current: float | None) -> bool:
    """A year-over-year change by more than ×5 or ÷5 (from zero counts as a jump above the floor)."""
    if previous is None or current is None or max(previous, current) < JUMP_FLOOR:
        return False
    low, high = sorted((previous, current))
    return low == 0 or high / low > JUMP_FACTOR


def key_totals(values: Mapping[str, float | None]) -> dict[str, float | None]:
    """The key totals of one report: concept → its first alternative the report has (None if blank)."""
    totals: dict[str, float | None] = {}
    for concept, options in KEY_TOTALS.items():
        keys = next((keys for keys in options if any(k in values for k in keys)), ())
        numbers = [values[k] for k in keys if values.get(k) is not None]
        totals[concept] = sum(numbers) if numbers else None  # type: ignore[assignment]
    return totals


def jump_anomalies(previous: Mapping[str, float | None], current: Mapping[str, float | None]) -> list[str]:
    return [f"jump:{concept} {previous[concept]:g}→{current[concept]:g}"
            for concept in KEY_TOTALS if is_jump(previous.get(concept), current.get(concept))]
