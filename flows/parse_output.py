"""`nianbao parse`: a parsed local file as one JSON object in the export shape."""

from __future__ import annotations

import errno
import os
import stat
from typing import Any

from parsers.model import ParsedReport, ParseFailure
from parsers.version import PARSER_VERSION
from storage.export_columns import field_keys


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


def file_problem(path: str) -> ParseFailure | None:
    """Why `path` cannot be read as a document, or None. Names what is wrong: a missing
    file, a dangling link, a link loop, a directory, a FIFO or device, no permission."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return ParseFailure("file_not_found", "a symbolic link to a file that does not exist")
        return ParseFailure("file_not_found", "no such file")
    except OSError as error:
        if error.errno == errno.ELOOP:
            return ParseFailure("symlink_loop", "symbolic links loop back on themselves")
        return ParseFailure("unreadable_file", str(error.strerror))
    if stat.S_ISDIR(info.st_mode):
        return ParseFailure("not_a_file", "is a directory")
    if not stat.S_ISREG(info.st_mode):
        return ParseFailure("not_a_file", "not a regular file (a FIFO, socket or device)")
    try:
        open(path, "rb").close()
    except OSError as error:
        return ParseFailure("unreadable_file", f"cannot read it ({error.strerror})")
    return None


def parse_local_file(path: str) -> dict[str, Any]:
    """Parse one local document; a file that cannot be read gives a record whose
    `failure` says why (see file_problem) instead of an error."""
    problem = file_problem(path)
    if problem is not None:
        return parsed_record(path, ParsedReport(parser_version=PARSER_VERSION, source_format="unknown",
                                                extraction_style="unknown", failure=problem))
    from parsers.api import parse_file  # after the checks: a typo should not wait for imports

    return parsed_record(path, parse_file(path))
