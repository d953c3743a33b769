"""A batched, streaming export gives exactly the rows of an unbatched one; `--partition-by year` (issue 14 item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from parsers.model import ParseFailure
from storage.errors import UserError
from storage.export import write_export
from storage.repository import Repository
from tests.storage.factories import fetched, parsed_report

YEARS = (2021, 2022, 2023)
SMALL_BATCH = 2  # far fewer rows than the store holds, so every export spans many batches


@pytest.fixture
def store(database_url, blob_dir):
    """Nine reports over three years, one with a second version, one look-alike that is not a report."""
    repo = Repository.open(database_url, str(blob_dir))
    for number in range(9):
        url = f"http://www.qingshan.gov.cn/nb/{number}.html"
        raw = repo.record_fetch(fetched(url, f"report {number}".encode()))
        report = parsed_report(agency=f"青山市第{number}局", year=YEARS[number % 3], value=number,
                               t2="v2019" if number % 2 else "v2021", t3="v2019" if number % 2 else "v2021")
        repo.record_parse("qingshan", [raw], report, url)
        if number == 4:  # a newer parser: a second version of the same report
            repo.record_parse("qingshan", [raw], parsed_report(agency="青山市第4局", year=2022, value=40,
                                                               parser_version="test-2"), url)
    url = "http://www.qingshan.gov.cn/nb/notice.html"
    raw = repo.record_fetch(fetched(url, b"notice"))
    notice = parsed_report(agency="青山市第9局", year=2023)
    notice.failure = ParseFailure("not_a_report")
    repo.record_parse("qingshan", [raw], notice, url)
    yield repo
    repo.close()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
@pytest.mark.parametrize("all_versions", [False, True])
def test_a_batched_export_equals_an_unbatched_one(store, tmp_path: Path, fmt: str, all_versions: bool):
    whole, batched = tmp_path / "whole" / f"reports.{fmt}", tmp_path / "batched" / f"reports.{fmt}"
    expected = 10 if all_versions else 9
    assert write_export(store, fmt, whole, all_versions=all_versions, batch_size=10_000) == expected
    assert write_export(store, fmt, batched, all_versions=all_versions, batch_size=SMALL_BATCH) == expected
    if fmt == "parquet":
        assert pq.read_table(batched).equals(pq.read_table(whole))
        assert pq.ParquetFile(batched).metadata.num_row_groups == -(-expected // SMALL_BATCH)
    else:
        assert batched.read_bytes() == whole.read_bytes()
    if fmt == "jsonl":
        records = [json.loads(line) for line in batched.read_text(encoding="utf-8").splitlines()]
        assert sorted(r["fields"]["t3_new_received__total"] for r in records if r["current"]) == [
            0, 1, 2, 3, 5, 6, 7, 8, 40]
        assert [r["version"] for r in records if r["agency"] == "青山市第4局"] == ([1, 2] if all_versions else [2])


def test_partition_by_year_writes_hive_folders_that_read_back_the_same_rows(store, tmp_path: Path):
    single, folder = tmp_path / "single" / "reports.parquet", tmp_path / "parts" / "reports"
    write_export(store, "parquet", single)
    assert write_export(store, "parquet", folder, partition_by="year", batch_size=SMALL_BATCH) == 9
    assert sorted(p.name for p in folder.iterdir()) == ["year=2021", "year=2022", "year=2023"]
    assert (tmp_path / "parts" / "datapackage.json").exists() and (tmp_path / "parts" / "coverage.parquet").exists()

    read_back = ds.dataset(folder, format="parquet", partitioning="hive").to_table().to_pylist()
    expected = pq.read_table(single).to_pylist()
    key = lambda row: (row["year"], row["agency"])  # noqa: E731
    assert sorted(read_back, key=key) == sorted(expected, key=key)
    one_year = ds.dataset(folder / "year=2022", format="parquet").to_table()
    assert "year" not in one_year.column_names and len(one_year) == 3  # the year lives in the folder name

    # a second export replaces the folder whole; a year filter leaves only that year's folder
    assert write_export(store, "parquet", folder, partition_by="year", year=2023) == 3
    assert [p.name for p in folder.iterdir()] == ["year=2023"]


def test_partition_by_refuses_what_it_cannot_do(store, tmp_path: Path):
    with pytest.raises(UserError, match="needs --format parquet"):
        write_export(store, "csv", tmp_path / "out", partition_by="year")
    with pytest.raises(UserError, match="unknown --partition-by"):
        write_export(store, "parquet", tmp_path / "out", partition_by="site")
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(UserError, match="other content"):
        write_export(store, "parquet", other, partition_by="year")
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_the_command_line_writes_year_folders_and_refuses_csv_partitions(tmp_path: Path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "NIANBAO_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'nianbao.db'}",
           "NIANBAO_BLOB_URL": str(tmp_path / "data" / "blobs")}
    repo = Repository.open(env["NIANBAO_DATABASE_URL"], env["NIANBAO_BLOB_URL"])
    for year in (2022, 2023):
        url = f"http://www.qingshan.gov.cn/nb/{year}.html"
        repo.record_parse("qingshan", [repo.record_fetch(fetched(url, str(year).encode()))],
                          parsed_report(year=year), url)
    repo.close()
    command = [sys.executable, "-c", "from flows.cli import main; main()", "export"]
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([*command, "--format", "parquet", "--out", str(tmp_path / "out" / "reports"),
                           "--partition-by", "year"], env=env, cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out" / "reports").iterdir()) == ["year=2022", "year=2023"]
    refused = subprocess.run([*command, "--format", "csv", "--out", str(tmp_path / "csv"), "--partition-by", "year"],
                             env=env, cwd=root, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and refused.stderr.strip().count("\n") == 0
    assert "--partition-by needs --format parquet" in refused.stderr
