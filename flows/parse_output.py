"""`nianbao parse`: a parsed local file as one JSON object in the export shape."""

from __future__ import annotations

from typing import Any

from parsers.model import ParsedReport, ParseFailure
from parsers.version import PARSER_VERSION
from storage.export_columns import field_keys
from storage.paths import read_problem


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
    """Parse one local document; a file that cannot be read gives a record whose
    `failure` says why (storage.paths.read_problem) instead of an error."""
    problem = read_problem(path)
    if problem is not None:
        failure = ParseFailure(*problem)
        return parsed_record(path, ParsedReport(parser_version=PARSER_VERSION, source_format="unknown",
                                                extraction_style="unknown", failure=failure))
    from parsers.api import parse_file  # after the checks: a typo should not wait for imports

    return parsed_record(path, parse_file(path))
