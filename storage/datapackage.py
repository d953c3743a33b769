"""A Frictionless `datapackage.json` describing a CSV or Parquet export (a data dictionary).

Readers in Python and R pick up field names, types, Chinese labels (as titles), units
and the missing-value marker from it, so nobody has to reverse-engineer the columns.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from parsers import schema
from storage.coverage_output import describe_coverage
from storage.export_columns import METADATA_COLUMNS, TABLE_VERSIONS, all_field_keys

METADATA_TYPES = {"year": "integer", "version": "integer", "current": "boolean"}
METADATA_DESCRIPTIONS = {
    "documents": "JSON list of the source documents: url, sha256, content_type",
    "checks_failed": "comma-separated names of the hard arithmetic identities that fail",
    "failure": "reason code when the documents could not be parsed (e.g. needs_ocr)",
}


def _field_title(definition: dict[str, Any]) -> str:
    if "labels" in definition:  # legacy_pre2019 indicators
        return definition["labels"][0]
    parts = (definition.get("block") or definition.get("row_group"), definition.get("row_label"),
             definition.get("column_group"), definition.get("column_label"))
    return " / ".join(part for part in parts if part)


def _definitions() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for version in (*TABLE_VERSIONS, "legacy_pre2019"):
        for definition in schema.field_defs(version):
            found.setdefault(definition["key"], {**definition, "versions": []})["versions"].append(version)
    return found


def describe_export(data_path: Path, fmt: str) -> dict[str, Any]:
    definitions = _definitions()
    fields = [
        {"name": column, "type": METADATA_TYPES.get(column, "string"),
         **({"description": METADATA_DESCRIPTIONS[column]} if column in METADATA_DESCRIPTIONS else {})}
        for column in (*METADATA_COLUMNS, "documents", "checks_failed")
    ]
    for key in all_field_keys():
        definition = definitions[key]
        fields.append({
            "name": key,
            "type": "integer" if definition.get("type") == "int" else "number",
            "title": _field_title(definition),
            "description": f"{definition.get('meaning', '')} (format versions: {', '.join(definition['versions'])})".strip(),
            "unit": definition.get("unit"),
        })
    resources = [{
        "name": "reports",
        "path": data_path.name,
        "format": fmt,
        "schema": {"fields": fields, "missingValues": [""]},
    }]
    coverage = data_path.parent / f"coverage.{fmt}"
    if coverage.exists():  # written beside the reports by the export
        resources.append(describe_coverage(coverage, fmt))
    return {
        "name": "nianbao-reports",
        "title": "政府信息公开工作年度报告 — structured records exported by nianbao",
        "resources": resources,
    }


def write_datapackage(data_path: Path, fmt: str) -> Path:
    """Write `datapackage.json` beside the exported file; returns its path."""
    target = data_path.parent / "datapackage.json"
    target.write_text(json.dumps(describe_export(data_path, fmt), ensure_ascii=False, indent=2), encoding="utf-8")
    return target
