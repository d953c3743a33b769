"""Write coverage rows as a table, JSONL, CSV, Parquet or an HTML matrix; describe the columns."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

from storage.coverage import CoverageRow, coverage_rows
from storage.coverage_html import matrix_html
from storage.errors import UserError

FORMATS = ("table", "jsonl", "csv", "parquet", "html")
LIST_COLUMNS = ("changed_fields", "anomalies")
COLUMN_TYPES = {"year": "integer", "versions": "integer", "late": "boolean", "replaced": "boolean",
                "deadline": "date"}
COLUMN_DESCRIPTIONS = {
    "site_id": "site of the registry",
    "agency": "agency, all spellings of it on the site merged (registry aliases first)",
    "year": "statistics year of the report",
    "status": "found | missing | withdrawn (every link of the report is gone)",
    "late": "published after the deadline; empty when the publication date is unknown",
    "deadline": "Y+1-01-31 (departments, a government's own office) or Y+1-03-31 (a region's aggregate report)",
    "published_date": "publication date (YYYY-MM-DD, or YYYY-MM when only the URL's month is known)",
    "published_date_source": "page (发布日期/成文日期 on the report page), document (signature date) or url",
    "first_seen": "when nianbao first saw a link of the report (UTC)",
    "versions": "how many document versions the report had",
    "replaced": "a later document version changed values",
    "changed_fields": "the fields a later version changed (';'-separated in CSV)",
    "replaced_at": "when the last value-changing version was stored (UTC)",
    "withdrawn_at": "when the report's last link was found gone (UTC)",
    "url": "the current version's source URL",
    "scope": "department | government_own | region_aggregate (decides the deadline)",
    "anomalies": "jump:<total> a→b (×5 or ÷5 against the previous year), identity:<check> (fails), "
                 "listing_year:/listing_agency: (the listing disagrees with the document), "
                 "duplicate:<url> (a second report for the same agency and year) — ';'-separated in CSV",
}
COLUMNS = tuple(COLUMN_DESCRIPTIONS)


def read_coverage(repo: Any, today: date | None = None, *, site_ids: Sequence[str] | None = None,
                  years: Sequence[int] | None = None) -> list[CoverageRow]:
    """The grid from an open `Repository` (today: the deadlines' reference date)."""
    from sqlalchemy.orm import Session

    with Session(repo.engine) as session:
        return coverage_rows(session, repo.blobs, today or date.today(), site_ids=site_ids, years=years)


def flat_row(row: CoverageRow) -> dict[str, Any]:
    values = row.to_dict()
    for column in LIST_COLUMNS:
        values[column] = ";".join(values[column])
    return values


def _write_csv(rows: Sequence[CoverageRow], stream: IO[str]) -> None:
    writer = csv.DictWriter(stream, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerows(flat_row(row) for row in rows)


def write_parquet(rows: Sequence[CoverageRow], out: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"integer": pa.int64(), "boolean": pa.bool_()}
    schema = pa.schema([(c, types.get(COLUMN_TYPES.get(c, ""), pa.string())) for c in COLUMNS])
    pq.write_table(pa.Table.from_pylist([flat_row(row) for row in rows], schema=schema), out)


def write_csv_file(rows: Sequence[CoverageRow], out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as stream:
        _write_csv(rows, stream)


def _table_text(rows: Sequence[CoverageRow]) -> str:
    """A plain aligned table for the terminal: the columns a person scans first."""
    header = ("site_id", "agency", "year", "status", "late", "published", "ver", "changed", "anomalies")
    lines = [header] + [
        (r.site_id, r.agency, str(r.year), r.status, _late_text(r),
         r.published_date or "", str(r.versions or ""), ",".join(r.changed_fields), "; ".join(r.anomalies))
        for r in rows
    ]
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(line)).rstrip()
                     for line in lines) + "\n"


def _late_text(row: CoverageRow) -> str:
    if row.status == "missing":
        return ""
    return {True: "late", False: "", None: "?"}[row.late]


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)  # CJK takes two terminal columns


def write_coverage(rows: Sequence[CoverageRow], fmt: str, out: Path | None, title: str = "nianbao coverage") -> None:
    """Write rows in `fmt` to `out` (stdout when None, except Parquet)."""
    if fmt not in FORMATS:
        raise UserError(f"unknown coverage format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "parquet" and out is None:
        raise UserError("Parquet coverage needs --out FILE")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        write_parquet(rows, out)  # type: ignore[arg-type]
        return
    stream = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        if fmt == "csv":
            _write_csv(rows, stream)
        elif fmt == "jsonl":
            stream.writelines(json.dumps(row.to_dict(), ensure_ascii=False) + "\n" for row in rows)
        elif fmt == "html":
            stream.write(matrix_html(rows, title))
        else:
            stream.write(_table_text(rows))
    finally:
        if out:
            stream.close()


def write_coverage_beside(repo: Any, data_path: Path, fmt: str) -> Path:
    """The export's coverage table: `coverage.csv` or `coverage.parquet` beside the reports."""
    target = data_path.parent / f"coverage.{fmt}"
    rows = read_coverage(repo)
    write_parquet(rows, target) if fmt == "parquet" else write_csv_file(rows, target)
    return target


def describe_coverage(data_path: Path, fmt: str) -> dict[str, Any]:
    """The datapackage resource describing a coverage file."""
    fields = [{"name": c, "type": COLUMN_TYPES.get(c, "string"), "description": COLUMN_DESCRIPTIONS[c]}
              for c in COLUMNS]
    return {"name": "coverage", "path": data_path.name, "format": fmt,
            "schema": {"fields": fields, "missingValues": [""],
                       "primaryKey": ["site_id", "agency", "year"]}}
