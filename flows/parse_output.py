"""`nianbao parse`: a parsed local file as one JSON object in the export shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parsers.model import ParsedReport
from storage.errors import UserError
from storage.export_columns import field_keys
from storage.paths import file_problem


def parsed_record(path: str, parsed: ParsedReport) -> dict[str, Any]:
    """Export-shaped metadata, `fields` (every key of the detected versions), `checks`, `file`."""
    keys = field_keys(parsed.format_version, parsed.t2_format_version, parsed.t3_format_version)
    values = parsed.field_values()
    return {
        "file": path,
        "agency": parsed.agency_name,
        "year": parsed.report_year,
        "title": parsed.title,
        "scope": parsed.scope,
        "format_version": parsed.format_version,
        "t2_format_version": parsed.t2_format_version,
        "t3_format_version": parsed.t3_format_version,
        "parser_version": parsed.parser_version,
        "source_format": parsed.source_format,
        "extraction_style": parsed.extraction_style,
        "truncated": parsed.truncated,
        "failure": ({"reason": parsed.failure.reason, "detail": parsed.failure.detail}
                    if parsed.failure else None),
        "warnings": list(parsed.warnings),
        "fields": {key: values.get(key) for key in keys},
        "checks": [{"name": check.name, "ok": check.ok} for check in parsed.checks],
    }


def parse_local_file(path: str) -> dict[str, Any]:
    """Parse one local document; a missing or unreadable file is a UserError."""
    file = Path(path)
    problem = file_problem(file)  # missing, a directory, a symlink loop, unreadable
    if problem:
        raise UserError(f"{path}: {problem}")
    from parsers.api import parse_file  # after the checks: a typo should not wait for imports

    return parsed_record(path, parse_file(file))
