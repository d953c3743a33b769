"""The vendored report schema, loaded once, with the lookups the parser needs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).parent / "data" / "report-schema.json"
TABLE_VERSIONS = ("v2021", "v2019")

_FIELD_KEY = re.compile(r"[A-Za-z0-9_]+")


@dataclass(frozen=True)
class Identity:
    """A hard identity `lhs_1 + … == rhs_1 + …` over field keys."""

    name: str
    table: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]

    @property
    def operands(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


@dataclass(frozen=True)
class Derived:
    """A derived field: the sum of other fields."""

    key: str
    terms: tuple[str, ...]


@cache
def load_schema() -> dict[str, Any]:
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def version_block(version: str) -> dict[str, Any]:
    return load_schema()["format_versions"][version]


@cache
def field_defs(version: str) -> tuple[dict[str, Any], ...]:
    """Field definitions of one version (v2021, v2019 or legacy_pre2019)."""
    return tuple(version_block(version)["fields"])


@cache
def field_keys(version: str, table: str | None = None) -> tuple[str, ...]:
    return tuple(
        f["key"] for f in field_defs(version) if table is None or f.get("table") == table
    )


@cache
def field_def(version: str, key: str) -> dict[str, Any]:
    for definition in field_defs(version):
        if definition["key"] == key:
            return definition
    raise KeyError(f"{key} is not a field of {version}")


@cache
def table_layout(version: str, table: str) -> dict[str, Any]:
    """The `tables` entry of a version (t2 blocks, t3 rows/columns, t4 columns)."""
    return version_block(version)["tables"][table]


@cache
def detection(version: str) -> dict[str, Any]:
    return version_block(version)["detection"]


def _sum_terms(side: str) -> tuple[str, ...]:
    return tuple(term.strip() for term in side.split("+") if _FIELD_KEY.fullmatch(term.strip()))


@cache
def identities(version: str) -> tuple[Identity, ...]:
    """Hard identities of a table version, parsed from their expressions."""
    parsed = []
    for entry in version_block(version).get("identities", []):
        if entry.get("severity") != "hard":
            continue
        lhs, rhs = entry["expr"].split("==")
        parsed.append(Identity(entry["id"], entry["table"], _sum_terms(lhs), _sum_terms(rhs)))
    return tuple(parsed)


@cache
def derived_fields(version: str) -> tuple[Derived, ...]:
    return tuple(
        Derived(entry["key"], _sum_terms(entry["expr"]))
        for entry in version_block(version).get("derived_fields", [])
    )


@cache
def sections() -> tuple[dict[str, Any], ...]:
    return tuple(load_schema()["sections"])


@cache
def na_markers() -> frozenset[str]:
    return frozenset(load_schema()["conventions"]["cell_value_model"]["na_markers"])


@cache
def extraction_styles() -> tuple[str, ...]:
    for entry in load_schema()["metadata_fields"]:
        if entry["key"] == "extraction_style":
            return tuple(entry["values"])
    return ()


@cache
def report_field_keys(t2_version: str, t3_version: str) -> tuple[str, ...]:
    """Every field key of a report: t2 keys of its t2 version, t3/t4 keys of its t3
    version (they differ in mixed layouts); the legacy keys for legacy_pre2019."""
    if "legacy_pre2019" in (t2_version, t3_version):
        return field_keys("legacy_pre2019")
    return (
        field_keys(t2_version, "t2") + field_keys(t3_version, "t3") + field_keys(t3_version, "t4")
    )
