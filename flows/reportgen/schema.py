"""Read the report schema the generator renders from (labels, field keys, identities).

Deliberately separate from parsers.schema: the generator is the test truth, so it reads
the JSON itself rather than sharing the parser's interpretation of it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from parsers.schema import SCHEMA_PATH
VERSIONS = ("v2019", "v2021")


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def version_block(version: str) -> dict[str, Any]:
    if version not in VERSIONS:
        raise ValueError(f"unknown format version {version!r}; use one of {VERSIONS}")
    return load_schema()["format_versions"][version]


def field_defs(version: str) -> list[dict[str, Any]]:
    return version_block(version)["fields"]


def field_keys(version: str) -> list[str]:
    return [f["key"] for f in field_defs(version)]


def table_layout(version: str, table: str) -> dict[str, Any]:
    return version_block(version)["tables"][table]


def identities(version: str) -> list[dict[str, Any]]:
    return version_block(version)["identities"]


def sections() -> list[dict[str, Any]]:
    return load_schema()["sections"]


_KEY = re.compile(r"t\d_[a-z_]+__[a-z_]+")


def identity_operands(expr: str) -> tuple[list[str], list[str]]:
    """Field keys on the left and on the right of an identity's `==`."""
    left, right = expr.split("==")
    return _KEY.findall(left), _KEY.findall(right)
