"""Export in the contract's shape (schema keys, numbers, nulls) and `status` counts."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from storage.errors import UserError
from storage.export import write_export
from storage.records import DiscoveredLink, SiteCrawlStatus, SiteRecord
from storage.repository import Repository
from tests.storage.factories import export_to_string, fetched, parsed_report

SCHEMA_PATH = "parsers/data/report-schema.json"
PAGE_2023 = "http://www.qingshan.gov.cn/zfxxgk/zfxxgknb/202401/t20240129_1.shtml"
PAGE_2020 = "http://www.qingshan.gov.cn/zfxxgk/zfxxgknb/202101/t20210129_2.shtml"
PAGE_2022 = "http://www.hanshan.gov.cn/art/2023/1/25/art_1229_3.html"


def schema_keys(version: str, tables: tuple[str, ...]) -> list[str]:
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        schema = json.load(handle)
    return [f["key"] for f in schema["format_versions"][version]["fields"] if f["table"] in tables]


@pytest.fixture
def populated(database_url, blob_dir):
    repo = Repository.open(database_url, str(blob_dir))
    repo.upsert_sites([SiteRecord("qingshan", "青山市人民政府"), SiteRecord("hanshan", "寒山县人民政府")])
    raw = repo.record_fetch(fetched(PAGE_2023, b"2023"))
    repo.record_parse("qingshan", [raw], parsed_report(year=2023, blank_keys=("t2_regulation__issued",)), PAGE_2023)
    raw = repo.record_fetch(fetched(PAGE_2020, b"2020"))
    repo.record_parse("qingshan", [raw], parsed_report(year=2020, t2="v2019", t3="v2019", value=3), PAGE_2020)
    raw = repo.record_fetch(fetched(PAGE_2022, b"2022"))
    mixed = parsed_report(agency="寒山县人民政府办公室", year=2022, t2="v2019", t3="v2021",
                          failing_check="t3_balance__natural_person")
    repo.record_parse("hanshan", [raw], mixed, PAGE_2022)
    yield repo
    repo.close()


def test_jsonl_carries_exactly_the_schema_keys_of_each_version(populated):
    records = [json.loads(line) for line in export_to_string(populated, "jsonl").splitlines()]
    by_year = {r["year"]: r for r in records}
    assert sorted(by_year) == [2020, 2022, 2023]
    assert list(by_year[2023]["fields"]) == schema_keys("v2021", ("t2", "t3", "t4"))
    assert list(by_year[2020]["fields"]) == schema_keys("v2019", ("t2", "t3", "t4"))
    # a v2019 t2 beside a v2021 t3: t2 keys follow t2, t3/t4 keys follow t3
    assert list(by_year[2022]["fields"]) == schema_keys("v2019", ("t2",)) + schema_keys("v2021", ("t3", "t4"))
    assert (by_year[2022]["t2_format_version"], by_year[2022]["t3_format_version"]) == ("v2019", "v2021")


def test_jsonl_values_are_numbers_or_null_and_metadata_follows_the_contract(populated):
    [record] = [json.loads(line) for line in export_to_string(populated, "jsonl", year=2023).splitlines()]
    assert record["fields"]["t2_regulation__issued"] is None  # blank cell → null, not 0
    assert record["fields"]["t3_new_received__total"] == 7
    assert {k: record[k] for k in ("site_id", "agency", "year", "url", "version", "format_version")} == {
        "site_id": "qingshan", "agency": "青山市市场监督管理局", "year": 2023, "url": PAGE_2023,
        "version": 1, "format_version": "v2021",
    }
    assert record["documents"] == [
        {"url": PAGE_2023, "sha256": record["documents"][0]["sha256"], "content_type": "text/html"}
    ]
    assert record["checks"] == [{"name": "t3_balance__total", "ok": True}]
    assert record["fetched_at"].startswith("20")


def test_filters_by_site_and_year(populated):
    assert [json.loads(l)["year"] for l in export_to_string(populated, "jsonl", site_id="hanshan").splitlines()] == [2022]
    assert export_to_string(populated, "jsonl", year=2015) == ""


def test_csv_has_one_column_per_field(populated):
    rows = list(csv.DictReader(io.StringIO(export_to_string(populated, "csv"))))
    assert len(rows) == 3
    row_2023 = next(r for r in rows if r["year"] == "2023")
    assert row_2023["t3_new_received__total"] == "7"
    assert row_2023["t2_regulation__issued"] == ""
    assert row_2023["t2_central_procurement__projects"] == ""  # a v2019-only column
    mixed = next(r for r in rows if r["year"] == "2022")
    assert mixed["checks_failed"] == "t3_balance__natural_person"


def test_parquet_round_trips(populated, tmp_path):
    out = tmp_path / "reports.parquet"
    assert write_export(populated, "parquet", out) == 3
    table = pq.read_table(out).to_pylist()
    row_2020 = next(r for r in table if r["year"] == 2020)
    assert row_2020["t2_admin_license__prev_year_items"] == 3.0
    assert row_2020["t2_regulation__issued"] is None


def test_tabular_exports_get_a_data_dictionary(populated, tmp_path):
    out = tmp_path / "export" / "reports.csv"
    assert write_export(populated, "csv", out) == 3
    package = json.loads((tmp_path / "export" / "datapackage.json").read_text(encoding="utf-8"))
    resource = package["resources"][0]
    assert (resource["path"], resource["format"]) == ("reports.csv", "csv")
    fields = {field["name"]: field for field in resource["schema"]["fields"]}
    header = next(csv.reader(out.open(encoding="utf-8")))
    assert list(fields) == header
    fee = fields["t2_admin_fee__amount"]
    assert (fee["type"], fee["unit"]) == ("number", "万元")
    assert "行政事业性收费" in fee["title"] and "v2021" in fee["description"]
    assert fields["t3_granted__total"]["type"] == "integer"
    assert fields["year"]["type"] == "integer"


def test_export_format_errors_are_user_errors(populated):
    with pytest.raises(UserError, match="unknown export format"):
        write_export(populated, "xlsx")
    with pytest.raises(UserError, match="needs --out"):
        write_export(populated, "parquet")


def test_status_and_export_on_an_empty_database(database_url, blob_dir):
    repo = Repository.open(database_url, str(blob_dir))
    summary = repo.status_summary()
    assert (summary["reports"], summary["links"], summary["last_runs"], summary["failing_sites"]) == (0, 0, [], [])
    assert export_to_string(repo, "jsonl") == ""
    repo.close()


def test_status_on_a_populated_database(populated):
    run = populated.start_crawl_run("nightly", {"sites": ["qingshan", "hanshan"]})
    populated.record_links([DiscoveredLink("qingshan", PAGE_2023, "page", report_year=2023)], run_id=run)
    populated.record_site_status(run, SiteCrawlStatus("qingshan", pages_visited=12, reports_by_year={2023: 1}))
    populated.record_site_status(run, SiteCrawlStatus("hanshan", ok=False, errors={"timeout": 3}, detail="all requests timed out"))
    populated.finish_crawl_run(run, "completed", {"failed_sites": 1})
    summary = populated.status_summary()
    assert (summary["sites"], summary["links"], summary["raw_versions"], summary["reports"]) == (2, 1, 3, 3)
    assert summary["reports_by_year_and_format"] == [
        {"year": 2020, "format_version": "v2019", "reports": 1},
        {"year": 2022, "format_version": "v2021", "reports": 1},
        {"year": 2023, "format_version": "v2021", "reports": 1},
    ]
    assert summary["checks_failing_reports"] == 1
    assert summary["last_runs"][0]["status"] == "completed"
    assert summary["failing_sites"] == [
        {"site_id": "hanshan", "run_id": run, "errors": {"timeout": 3}, "detail": "all requests timed out"}
    ]


@pytest.mark.parametrize(("reason", "exported"), [("not_a_report", False), ("needs_ocr", True)])
def test_documents_that_are_not_reports_are_not_exported(populated, reason, exported):
    from parsers.model import ParseFailure

    url = "http://www.qingshan.gov.cn/zfxxgk/tjxw/202401/t20240130_9.shtml"
    raw = populated.record_fetch(fetched(url, b"tujie"))
    looks_alike = parsed_report(agency="青山市统计局", year=2021)
    looks_alike.failure = ParseFailure(reason, "test")
    populated.record_parse("qingshan", [raw], looks_alike, url)
    urls = {json.loads(line)["url"] for line in export_to_string(populated, "jsonl").splitlines()}
    assert (url in urls) is exported
