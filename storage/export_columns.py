"""The columns of every export: metadata columns, and the field keys per format version."""

from __future__ import annotations

from functools import cache

from parsers import schema

METADATA_COLUMNS = (
    "site_id", "agency", "year", "title", "url", "scope", "format_version", "t2_format_version",
    "t3_format_version", "parser_version", "version", "current", "fetched_at", "failure", "withdrawn_at",
)


TABLE_VERSIONS = ("v2021", "v2019")


def field_keys(format_version: str, t2_version: str, t3_version: str) -> list[str]:
    """The keys a record exports: t2 keys by its t2 version, t3/t4 keys by its t3 version."""
    return list(_field_keys(format_version, t2_version, t3_version))


@cache
def _field_keys(format_version: str, t2_version: str, t3_version: str) -> tuple[str, ...]:
    if format_version == "legacy_pre2019":
        return schema.field_keys("legacy_pre2019")
    keys: tuple[str, ...] = ()
    if t2_version in TABLE_VERSIONS:
        keys += schema.field_keys(t2_version, "t2")
    if t3_version in TABLE_VERSIONS:
        keys += schema.field_keys(t3_version, "t3") + schema.field_keys(t3_version, "t4")
    return keys


@cache
def all_field_keys() -> list[str]:
    """Every version's keys, in schema order: the CSV and Parquet columns."""
    return list(dict.fromkeys(key for v in (*TABLE_VERSIONS, "legacy_pre2019") for key in schema.field_keys(v)))
