"""Which field keys a report of a given format version carries (from the vendored schema)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "parsers" / "data" / "report-schema.json"
TABLE_VERSIONS = ("v2021", "v2019")


@cache
def _fields_by_version() -> dict[str, list[dict]]:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return {version: spec["fields"] for version, spec in schema["format_versions"].items()}


def field_keys(format_version: str, t2_version: str, t3_version: str) -> list[str]:
    """Every key the export carries: t2 keys by the t2 version, t3/t4 keys by the t3 version."""
    fields = _fields_by_version()
    if format_version == "legacy_pre2019":
        return [f["key"] for f in fields["legacy_pre2019"]]
    keys: list[str] = []
    if t2_version in TABLE_VERSIONS:
        keys += [f["key"] for f in fields[t2_version] if f["table"] == "t2"]
    if t3_version in TABLE_VERSIONS:
        keys += [f["key"] for f in fields[t3_version] if f["table"] in ("t3", "t4")]
    return keys


@cache
def all_field_keys() -> list[str]:
    """The union of every version's keys, in schema order (CSV/Parquet columns)."""
    seen: dict[str, None] = {}
    for fields in _fields_by_version().values():
        seen.update((f["key"], None) for f in fields)
    return list(seen)
