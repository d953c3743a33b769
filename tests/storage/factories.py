"""ParsedReport and fetch records built straight from the schema, for storage tests."""

from __future__ import annotations

import io

from parsers.model import Cell, Check, ParsedReport
from storage.records import FetchedDocument
from storage.export import _write_csv, _write_jsonl
from storage.export_columns import field_keys


def parsed_report(
    *,
    agency: str = "青山市市场监督管理局",
    year: int = 2023,
    t2: str = "v2021",
    t3: str = "v2021",
    parser_version: str = "test-1",
    value: int = 7,
    blank_keys: tuple[str, ...] = (),
    failing_check: str | None = None,
) -> ParsedReport:
    """A report whose every field is `value`, except `blank_keys` (blank cells)."""
    keys = field_keys(t3, t2, t3)  # the format version matters only for legacy reports
    fields = {
        key: Cell(raw="", value=None, state="blank") if key in blank_keys else Cell(raw=str(value), value=value, state="number")
        for key in keys
    }
    checks = [Check(name="t3_balance__total", ok=failing_check != "t3_balance__total", status="holds")]
    if failing_check and failing_check != "t3_balance__total":
        checks.append(Check(name=failing_check, ok=False, status="inconsistent"))
    return ParsedReport(
        parser_version=parser_version, agency_name=agency, report_year=year,
        title=f"{agency}{year}年政府信息公开工作年度报告", scope="department",
        format_version=t2 if t2 == t3 else t3, t2_format_version=t2, t3_format_version=t3,
        fields=fields, checks=checks, source_format="html",
    )


def fetched(url: str, content: bytes, status: int = 200, **extra) -> FetchedDocument:
    return FetchedDocument(url=url, status_code=status, content=content, content_type="text/html", **extra)


def export_to_string(repo, fmt: str, **filters) -> str:
    """A JSONL or CSV export as one string."""
    buffer = io.StringIO()
    (_write_jsonl if fmt == "jsonl" else _write_csv)(repo.iter_export_records(**filters), buffer)
    return buffer.getvalue()
