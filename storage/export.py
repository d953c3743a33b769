"""Export current (or all) report versions as JSONL, CSV or Parquet, in the contract's shape."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson
from sqlalchemy import Select, Text, literal_column, or_, select
from sqlalchemy.orm import Session

from storage import models as m
from storage.coverage_output import write_coverage_beside
from storage.datapackage import write_datapackage
from storage.errors import UserError
from storage.export_columns import METADATA_COLUMNS, all_field_keys, field_keys
from storage.export_parquet import write_parquet_dataset, write_parquet_file
from storage.export_target import atomic_folder, atomic_output, check_export_folder, check_export_target

FORMATS = ("jsonl", "csv", "parquet")
PARTITION_BY = ("year",)
BATCH = 2000  # report versions read per query (and rows per Parquet batch): bounds the memory used


def _documents(session: Session, version_ids: list[int]) -> dict[int, list[Any]]:
    """The raw documents (url, sha256, content_type, fetched_at) of many report versions, in one query."""
    found: dict[int, list[Any]] = {version_id: [] for version_id in version_ids}
    rows = session.execute(
        select(m.ReportVersionRaw.report_version_id, m.RawVersion.url, m.RawVersion.sha256,
               m.RawVersion.content_type, m.RawVersion.fetched_at)
        .join(m.RawVersion, m.RawVersion.id == m.ReportVersionRaw.raw_version_id)
        .where(m.ReportVersionRaw.report_version_id.in_(version_ids))
        .order_by(m.RawVersion.id)
    )
    for row in rows:
        found[row.report_version_id].append(row)
    return found


# The record's fields and checks as one JSON text [fields, checks], cut out by the database so the
# section texts never reach Python, and decoded with orjson (the stdlib decoder is the bottleneck).
_FIELDS_AND_CHECKS = {
    "sqlite": "json_extract(report_versions.record, '$.fields', '$.checks')",
    "postgresql": "CAST(json_build_array(report_versions.record -> 'fields',"
                  " report_versions.record -> 'checks') AS TEXT)",
}


def _fields_and_checks(dialect: str) -> Any:
    sql = _FIELDS_AND_CHECKS.get(dialect)
    if sql is None:  # another database: the whole record, decoded by SQLAlchemy
        return m.ReportVersion.record.label("fields_and_checks")
    return literal_column(sql, type_=Text).label("fields_and_checks")


def _decoded(fields_and_checks: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if isinstance(fields_and_checks, dict):
        return fields_and_checks.get("fields") or {}, fields_and_checks.get("checks") or []
    try:
        fields, checks = orjson.loads(fields_and_checks)
    except orjson.JSONDecodeError:  # NaN/Infinity, which the stdlib wrote and orjson refuses
        fields, checks = json.loads(fields_and_checks)
    return fields or {}, checks or []


def _export_query(year: int | None, site_id: str | None, all_versions: bool, dialect: str) -> Select[Any]:
    """Only the columns an export needs: field values and checks, never section texts or cell details."""
    version = m.ReportVersion
    query = (
        select(m.Report.site_id, m.Report.agency_name, m.Report.report_year, m.Report.withdrawn_at,
               m.Report.current_version_id, m.Report.merged_into_id, version.id, version.title,
               version.source_url, version.scope, version.format_version, version.t2_format_version,
               version.t3_format_version, version.parser_version, version.version, version.failure_reason,
               _fields_and_checks(dialect))
        .join(version, version.report_id == m.Report.id)
        # a look-alike the crawler took for a report (needs_ocr ones stay: they are reports)
        .where(or_(version.failure_reason.is_(None), version.failure_reason != "not_a_report"))
    )
    if not all_versions:  # a report merged into another has no current record of its own
        query = query.where(version.id == m.Report.current_version_id, m.Report.merged_into_id.is_(None))
    if year is not None:
        query = query.where(m.Report.report_year == year)
    if site_id is not None:
        query = query.where(m.Report.site_id == site_id)
    return query.order_by(m.Report.site_id, m.Report.report_year, m.Report.agency_key, version.version)


def _record(row: Any, documents: list[Any]) -> dict[str, Any]:
    stored, checks = _decoded(row.fields_and_checks)
    keys = field_keys(row.format_version, row.t2_format_version, row.t3_format_version)
    fields = {key: (stored.get(key) or {}).get("value") for key in keys}
    fetched_at = max((d.fetched_at for d in documents), default=None)
    return {
        "site_id": row.site_id,
        "agency": row.agency_name,
        "year": row.report_year or None,
        "title": row.title,
        "url": row.source_url,
        "documents": [{"url": d.url, "sha256": d.sha256, "content_type": d.content_type} for d in documents],
        "scope": row.scope,
        "format_version": row.format_version,
        "t2_format_version": row.t2_format_version,
        "t3_format_version": row.t3_format_version,
        "parser_version": row.parser_version,
        "version": row.version,
        "current": row.id == row.current_version_id and row.merged_into_id is None,
        "withdrawn_at": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
        "fetched_at": fetched_at.isoformat() if fetched_at else None,
        "failure": row.failure_reason,
        "fields": fields,
        "checks": [{"name": c["name"], "ok": c["ok"]} for c in checks],
    }


def export_records(
    session: Session, *, year: int | None = None, site_id: str | None = None, all_versions: bool = False,
    batch_size: int = BATCH,
) -> Iterator[dict[str, Any]]:
    """The export's records, read `batch_size` report versions at a time (a server-side cursor on PostgreSQL)."""
    query = _export_query(year, site_id, all_versions, session.get_bind().dialect.name)
    result = session.execute(query.execution_options(yield_per=batch_size))
    for batch in result.partitions():
        documents = _documents(session, [row.id for row in batch])
        for row in batch:
            yield _record(row, documents[row.id])


def _flat_row(record: dict[str, Any], field_columns: list[str]) -> dict[str, Any]:
    row = {column: record[column] for column in METADATA_COLUMNS}
    row["documents"] = json.dumps(record["documents"], ensure_ascii=False)
    row["checks_failed"] = ",".join(c["name"] for c in record["checks"] if c["ok"] is False)
    row.update({key: record["fields"].get(key) for key in field_columns})
    return row


def _write_jsonl(records: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    count = 0
    for record in records:
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(records: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    field_columns = all_field_keys()
    writer = csv.DictWriter(stream, fieldnames=[*METADATA_COLUMNS, "documents", "checks_failed", *field_columns])
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(_flat_row(record, field_columns))
        count += 1
    return count


def write_export(
    repo: Any,
    fmt: str,
    out: str | Path | None = None,
    *,
    year: int | None = None,
    site_id: str | None = None,
    all_versions: bool = False,
    partition_by: str | None = None,
    batch_size: int = BATCH,
) -> int:
    """Write the export to `out` (stdout when None, except Parquet); returns the record count.

    A CSV or Parquet export gets a Frictionless `datapackage.json` and the coverage table beside it.
    With `partition_by` (Parquet only), `out` is a folder of Hive-style `year=…/` partitions.
    """
    _check_options(fmt, out, partition_by)
    protected = repo.protected_paths()
    if partition_by is not None:
        path = check_export_folder(out, protected)  # type: ignore[arg-type]
    else:
        path = check_export_target(out, protected) if out is not None else None
    with Session(repo.engine) as session:
        records = export_records(session, year=year, site_id=site_id, all_versions=all_versions,
                                 batch_size=batch_size)
        if path is None:
            return (_write_jsonl if fmt == "jsonl" else _write_csv)(records, sys.stdout)
        count = _write_to(path, fmt, records, partition_by, batch_size)
    if fmt != "jsonl":  # tabular files get a data dictionary beside them
        write_coverage_beside(repo, path, fmt)  # coverage.{csv,parquet}: the expected grid
        write_datapackage(path, fmt)
    return count


def _check_options(fmt: str, out: str | Path | None, partition_by: str | None) -> None:
    if fmt not in FORMATS:
        raise UserError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "parquet" and out is None:
        raise UserError("Parquet export needs --out FILE")
    if partition_by is not None:
        if partition_by not in PARTITION_BY:
            raise UserError(f"unknown --partition-by {partition_by!r}; use one of {', '.join(PARTITION_BY)}")
        if fmt != "parquet" or out is None:
            raise UserError("--partition-by needs --format parquet and --out FOLDER")


def _write_to(path: Path, fmt: str, records: Iterator[dict[str, Any]], partition_by: str | None,
              batch_size: int) -> int:
    """Write atomically: an existing file or folder is replaced only by a complete export."""
    if partition_by is not None:
        field_columns = all_field_keys()
        with atomic_folder(path) as partial_folder:
            rows = (_flat_row(record, field_columns) for record in records)
            return write_parquet_dataset(rows, partial_folder, partition_by, batch_size)
    with atomic_output(path) as partial:
        if fmt == "parquet":
            field_columns = all_field_keys()
            rows = (_flat_row(record, field_columns) for record in records)
            return write_parquet_file(rows, partial, batch_size)
        with partial.open("w", encoding="utf-8", newline="") as stream:
            return (_write_jsonl if fmt == "jsonl" else _write_csv)(records, stream)
