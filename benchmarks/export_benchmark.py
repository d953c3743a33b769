"""Time `write_export(..., "parquet")` over a generated store against pyarrow writing the same rows from memory.

    .venv/bin/python benchmarks/export_benchmark.py [--reports N] [--batch N]

Writes N generated report versions (default 100,000; every field of the v2021 or v2019
tables filled, two 1,500-character sections each, one raw document) into a fresh SQLite store
with bulk inserts, then, in a child process, runs the streaming export and reports its wall
time and peak RSS. The baseline builds the same flat rows in memory (untimed) and times
`pyarrow.Table.from_pylist` + `pyarrow.parquet.write_table` on them. Goal (issue 14): export
at least 0.5x pyarrow's speed, export peak memory under 1 GB. The export's time includes the
coverage table and datapackage.json it writes beside the Parquet file, as `nianbao export` does.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from parsers.model import Cell, Check, ParsedReport  # noqa: E402
from storage import models as m  # noqa: E402
from storage.export_columns import field_keys  # noqa: E402
from storage.records import SiteRecord  # noqa: E402
from storage.repository import Repository  # noqa: E402

SITES = 100
INSERT_CHUNK = 2000
SECTION_TEXT = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，" * 60  # 1,500 characters a section


def _record(number: int, year: int, version: str) -> dict[str, Any]:
    keys = field_keys(version, version, version)
    parsed = ParsedReport(
        parser_version="bench-1", agency_name=f"第{number}局", report_year=year, title=f"第{number}局{year}年报告",
        scope="department", format_version=version, t2_format_version=version, t3_format_version=version,
        sections={f"section_{i}": SECTION_TEXT for i in range(2)},
        fields={key: Cell(raw=str(i), value=i + number % 7, state="number") for i, key in enumerate(keys)},
        checks=[Check(name="t3_balance__total", ok=number % 13 != 0, status="holds")], source_format="html")
    return asdict(parsed)


def populate(repo: Repository, reports: int) -> None:
    """Bulk-insert `reports` reports with one version and one raw document each (Core executemany)."""
    repo.upsert_sites([SiteRecord(f"site{s:03d}", f"第{s}市人民政府") for s in range(SITES)])
    now = datetime.now(timezone.utc)
    templates = {v: _record(0, 2023, v) for v in ("v2021", "v2019")}
    with repo.engine.begin() as connection:
        for start in range(1, reports + 1, INSERT_CHUNK):
            ids = range(start, min(start + INSERT_CHUNK, reports + 1))
            blobs, raws, reps, versions, links = [], [], [], [], []
            for n in ids:
                agency, year, fmt = n // 8, 2016 + n % 8, "v2021" if n % 8 >= 4 else "v2019"
                site, url = f"site{agency % SITES:03d}", f"http://www.site{agency % SITES:03d}.gov.cn/nb/{n}.html"
                sha = f"{n:064x}"
                blobs.append({"sha256": sha, "size": 5000})
                raws.append({"id": n, "url": url, "sha256": sha, "version": 1, "size": 5000,
                             "content_type": "text/html", "fetched_at": now})
                reps.append({"id": n, "site_id": site, "agency_key": f"第{agency}局", "agency_name": f"第{agency}局",
                             "report_year": year, "current_version_id": n, "created_at": now})
                record = {**templates[fmt], "report_year": year, "agency_name": f"第{agency}局"}
                versions.append({"id": n, "report_id": n, "version": 1, "raw_key": str(n), "parser_version": "bench-1",
                                 "source_url": url, "title": f"第{agency}局{year}年报告", "format_version": fmt,
                                 "t2_format_version": fmt, "t3_format_version": fmt, "scope": "department",
                                 "checks_failed": 0, "record": record, "created_at": now})
                links.append({"report_version_id": n, "raw_version_id": n})
            for table, rows in ((m.Blob, blobs), (m.RawVersion, raws), (m.Report, reps),
                                (m.ReportVersion, versions), (m.ReportVersionRaw, links)):
                connection.execute(insert(table), rows)


def _export_child(database_url: str, blob_dir: str, out: str, batch: int, answer: Any) -> None:
    from storage.coverage_output import write_coverage_beside
    from storage.export import write_export

    repo = Repository.open(database_url, blob_dir)
    started = time.perf_counter()
    count = write_export(repo, "parquet", out, batch_size=batch)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    write_coverage_beside(repo, Path(out), "parquet")  # the part of the export that is not the reports file
    answer.send((count, seconds, time.perf_counter() - started, peak_kib))
    repo.close()


def time_export(database_url: str, blob_dir: str, out: Path, batch: int) -> tuple[int, float, float, int]:
    """(rows, seconds, seconds of its coverage table, peak RSS in KiB) of the export.

    It runs in a fresh process, so the peak memory is the export's own.
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_export_child, args=(database_url, blob_dir, str(out), batch, send))
    child.start()
    result = receive.recv()
    child.join()
    return result


def time_pyarrow(database_url: str, blob_dir: str, out: Path) -> tuple[int, float]:
    """pyarrow writing the export's rows (built in memory first, untimed) straight to Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from sqlalchemy.orm import Session

    from storage.export import _flat_row, export_records
    from storage.export_columns import all_field_keys
    from storage.export_parquet import export_schema

    repo = Repository.open(database_url, blob_dir)
    with Session(repo.engine) as session:
        columns = all_field_keys()
        rows = [_flat_row(record, columns) for record in export_records(session)]
    repo.close()
    started = time.perf_counter()
    pq.write_table(pa.Table.from_pylist(rows, schema=export_schema()), out)
    return len(rows), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=None, help="export batch size (default: storage.export.BATCH)")
    args = parser.parse_args()
    from storage.export import BATCH

    with tempfile.TemporaryDirectory(prefix="nianbao-export-bench-") as folder:
        root = Path(folder)
        database_url, blob_dir = f"sqlite:///{root / 'nianbao.db'}", str(root / "blobs")
        started = time.perf_counter()
        repo = Repository.open(database_url, blob_dir)
        populate(repo, args.reports)
        repo.close()
        size_mb = (root / "nianbao.db").stat().st_size / 2**20
        print(f"store: {args.reports} report versions, {size_mb:.0f} MB SQLite, "
              f"written in {time.perf_counter() - started:.1f} s")
        count, export_s, coverage_s, peak_kib = time_export(database_url, blob_dir, root / "out" / "reports.parquet",
                                                args.batch or BATCH)
        rows, pyarrow_s = time_pyarrow(database_url, blob_dir, root / "direct.parquet")
        assert rows == count, (rows, count)
        print(f"export (write_export parquet, batch {args.batch or BATCH}): {count} rows in {export_s:.2f} s "
              f"({count / export_s:,.0f} rows/s), peak RSS {peak_kib / 1024:.0f} MB; of which the coverage "
              f"table beside it ~{coverage_s:.2f} s, the reports file ~{export_s - coverage_s:.2f} s")
        print(f"pyarrow from memory (from_pylist + write_table): {rows} rows in {pyarrow_s:.2f} s "
              f"({rows / pyarrow_s:,.0f} rows/s)")
        print(f"speed ratio export / pyarrow: {pyarrow_s / export_s:.2f}x (goal >= 0.5x), reports file alone "
              f"{pyarrow_s / max(export_s - coverage_s, 1e-9):.2f}x; "
              f"peak memory goal < 1024 MB: {'met' if peak_kib < 1024 * 1024 else 'missed'}")


if __name__ == "__main__":
    main()
