"""Export current (or all) report versions as JSONL, CSV or Parquet, in the contract's shape."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import models as m
from storage.coverage_output import write_coverage_beside
from storage.datapackage import write_datapackage
from storage.errors import UserError
from storage.export_columns import METADATA_COLUMNS, all_field_keys, field_keys
from storage.export_target import atomic_output, check_export_target

FORMATS = ("jsonl", "csv", "parquet")
BATCH = 500  # report versions whose documents are read in one query


def _documents(session: Session, version_ids: list[int]) -> dict[int, list[m.RawVersion]]:
    """The raw documents of many report versions, in one query."""
    found: dict[int, list[m.RawVersion]] = {version_id: [] for version_id in version_ids}
    rows = session.execute(
        select(m.ReportVersionRaw.report_version_id, m.RawVersion)
        .join(m.RawVersion, m.RawVersion.id == m.ReportVersionRaw.raw_version_id)
        .where(m.ReportVersionRaw.report_version_id.in_(version_ids))
        .order_by(m.RawVersion.id)
    )
    for version_id, raw in rows:
        found[version_id].append(raw)
    return found


def _record(report: m.Report, version: m.ReportVersion, documents: list[m.RawVersion]) -> dict[str, Any]:
    stored = version.record
    stored_fields = stored.get("fields", {})
    keys = field_keys(version.format_version, version.t2_format_version, version.t3_format_version)
    fields = {key: (stored_fields.get(key) or {}).get("value") for key in keys}
    failure = stored.get("failure")
    fetched_at = max((d.fetched_at for d in documents), default=None)
    return {
        "site_id": report.site_id,
        "agency": report.agency_name,
        "year": report.report_year or None,
        "title": version.title,
        "url": version.source_url,
        "documents": [{"url": d.url, "sha256": d.sha256, "content_type": d.content_type} for d in documents],
        "scope": version.scope,
        "format_version": version.format_version,
        "t2_format_version": version.t2_format_version,
        "t3_format_version": version.t3_format_version,
        "parser_version": version.parser_version,
        "version": version.version,
        "current": version.id == report.current_version_id and report.merged_into_id is None,
        "withdrawn_at": report.withdrawn_at.isoformat() if report.withdrawn_at else None,
        "fetched_at": fetched_at.isoformat() if fetched_at else None,
        "failure": failure.get("reason") if failure else None,
        "fields": fields,
        "checks": [{"name": c["name"], "ok": c["ok"]} for c in stored.get("checks", [])],
    }


def export_records(
    session: Session, *, year: int | None = None, site_id: str | None = None, all_versions: bool = False
) -> Iterator[dict[str, Any]]:
    query = select(m.Report, m.ReportVersion).join(m.ReportVersion, m.ReportVersion.report_id == m.Report.id)
    if not all_versions:  # a report merged into another has no current record of its own
        query = query.where(m.ReportVersion.id == m.Report.current_version_id, m.Report.merged_into_id.is_(None))
    if year is not None:
        query = query.where(m.Report.report_year == year)
    if site_id is not None:
        query = query.where(m.Report.site_id == site_id)
    query = query.order_by(m.Report.site_id, m.Report.report_year, m.Report.agency_key, m.ReportVersion.version)
    for batch in session.execute(query).partitions(BATCH):
        documents = _documents(session, [version.id for _, version in batch])
        for report, version in batch:
            if (version.record.get("failure") or {}).get("reason") == "not_a_report":
                continue  # a look-alike the crawler took for a report (needs_ocr ones stay: they are reports)
            yield _record(report, version, documents[version.id])


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


def _write_parquet(records: Iterable[dict[str, Any]], out: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    field_columns = all_field_keys()
    rows = [_flat_row(record, field_columns) for record in records]
    schema = pa.schema(
        [(c, pa.int64() if c in ("year", "version") else pa.bool_() if c == "current" else pa.string())
         for c in (*METADATA_COLUMNS, "documents", "checks_failed")]
        + [(key, pa.float64()) for key in field_columns]
    )
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, out)
    return len(rows)


def write_export(
    repo: Any,
    fmt: str,
    out: str | Path | None = None,
    *,
    year: int | None = None,
    site_id: str | None = None,
    all_versions: bool = False,
) -> int:
    """Write the export to `out` (stdout when None, except Parquet); returns the record count.

    A CSV or Parquet file gets a Frictionless `datapackage.json` beside it.
    """
    if fmt not in FORMATS:
        raise UserError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "parquet" and out is None:
        raise UserError("Parquet export needs --out FILE")
    path = check_export_target(out, repo.protected_paths()) if out is not None else None
    records = repo.iter_export_records(year=year, site_id=site_id, all_versions=all_versions)
    writer = _write_jsonl if fmt == "jsonl" else _write_csv
    if path is None:
        return writer(records, sys.stdout)
    with atomic_output(path) as partial:  # an existing file is replaced only by a complete export
        if fmt == "parquet":
            count = _write_parquet(records, partial)
        else:
            with partial.open("w", encoding="utf-8", newline="") as stream:
                count = writer(records, stream)
    if fmt != "jsonl":  # tabular files get a data dictionary beside them
        write_coverage_beside(repo, path, fmt)  # coverage.{csv,parquet}: the expected grid
        write_datapackage(path, fmt)
    return count
