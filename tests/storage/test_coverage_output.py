"""Coverage leaves the store: `nianbao coverage` formats, the export's coverage table, run counts."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.coverage_artifacts import site_counts
from storage.coverage_output import COLUMNS, read_coverage
from storage.export import write_export
from storage.repository import Repository
from storage.link_state import GonePolicy
from tests.storage.test_coverage import HOST, TODAY, populate

ONE_404 = GonePolicy(answers=1, min_days=0)  # a withdrawn report takes one answer to set up


@pytest.fixture
def cli_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repository:
    url, blobs = f"sqlite:///{tmp_path / 'db.sqlite'}", str(tmp_path / "blobs")
    monkeypatch.setenv("NIANBAO_DATABASE_URL", url)
    monkeypatch.setenv("NIANBAO_BLOB_URL", blobs)
    repo = populate(Repository.open(url, blobs, gone_policy=ONE_404))
    yield repo
    repo.close()


def invoke(*args: str):
    return CliRunner().invoke(app, ["coverage", "--today", TODAY.isoformat(), *args])


def test_jsonl_rows_carry_every_column(cli_store):
    result = invoke("--format", "jsonl", "--site", "qingshan")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 14 and all(list(row) == list(COLUMNS) for row in rows)
    late = next(row for row in rows if row["agency"] == "青山市教育局" and row["year"] == 2024)
    assert {k: late[k] for k in ("status", "late", "deadline", "published_date", "published_date_source", "url")} == {
        "status": "found", "late": True, "deadline": "2025-01-31", "published_date": "2025-02-15",
        "published_date_source": "page", "url": f"{HOST}/jyj/202502/t20250215_3.html"}


def test_csv_parquet_html_and_table(cli_store, tmp_path):
    assert invoke("--format", "csv", "--out", str(tmp_path / "c.csv"), "--years", "2023").exit_code == 0
    rows = list(csv.DictReader((tmp_path / "c.csv").open(encoding="utf-8")))
    replaced = next(row for row in rows if row["agency"] == "青山市市场监督管理局")
    assert (replaced["replaced"], replaced["changed_fields"]) == ("True", "t3_new_received__total;t4_review__total")
    assert [row["agency"] for row in rows] == ["青山市人民政府", "青山市人民政府办公室", "青山市审计局",
                                               "青山市市场监督管理局", "青山市教育局"]
    assert invoke("--format", "parquet", "--out", str(tmp_path / "c.parquet")).exit_code == 0
    table = pq.read_table(tmp_path / "c.parquet")
    assert table.num_rows == 14 and table.column_names == list(COLUMNS)
    assert invoke("--format", "html", "--out", str(tmp_path / "m.html")).exit_code == 0
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert page.count('<td class="missing"') == 6 and page.count('<td class="late') == 2
    assert page.count('<td class="withdrawn') == 1 and "replaced: t3_new_received__total, t4_review__total" in page
    table_text = invoke("--years", "2022").stdout
    assert table_text.splitlines()[1].split() == ["qingshan", "青山市审计局", "2022", "missing"]


@pytest.mark.parametrize("args, needle", [
    (["--today", "yesterday"], "YYYY-MM-DD"), (["--format", "xml"], "xml"),
    (["--format", "parquet"], "--out"), (["--years", "2025-2019"], "2019-2025"), (["--site", "nowhere"], "nowhere"),
])
def test_user_errors_are_one_line(cli_store, args, needle):
    result = CliRunner().invoke(app, ["coverage", *args])
    assert result.exit_code == 2 and needle in result.stderr and "Traceback" not in result.stderr


def test_the_export_writes_coverage_beside_the_reports_and_describes_it(cli_store, tmp_path):
    out = tmp_path / "export" / "reports.csv"
    write_export(cli_store, "csv", out)
    header = next(csv.reader((tmp_path / "export" / "coverage.csv").open(encoding="utf-8")))
    package = json.loads((tmp_path / "export" / "datapackage.json").read_text(encoding="utf-8"))
    reports, coverage = package["resources"]
    assert (reports["path"], coverage["path"], coverage["format"]) == ("reports.csv", "coverage.csv", "csv")
    assert [field["name"] for field in coverage["schema"]["fields"]] == header == list(COLUMNS)
    assert coverage["schema"]["primaryKey"] == ["site_id", "agency", "year"]
    write_export(cli_store, "parquet", tmp_path / "export" / "reports.parquet")
    rows = pq.read_table(tmp_path / "export" / "coverage.parquet").to_pylist()
    assert {(row["agency"], row["year"]) for row in rows if row["status"] == "withdrawn"} == {("青山市教育局", 2021)}


def test_run_counts_per_site_count_replacements_since_the_run_started(cli_store):
    rows = read_coverage(cli_store, TODAY)
    long_ago = datetime(2000, 1, 1, tzinfo=timezone.utc)
    assert site_counts(rows, long_ago) == [dict(site_id="qingshan", expected=14, found=7, missing=6, withdrawn=1,
                                                late=2, replaced_this_run=1)]
    assert site_counts(rows, datetime.now(timezone.utc))[0]["replaced_this_run"] == 0
