"""The coverage grid on a real store: missing, late, replaced, withdrawn, aliases, expected agencies."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from storage.coverage_output import read_coverage
from storage.errors import UserError
from storage.records import DiscoveredLink, SiteRecord
from storage.link_state import GonePolicy
from storage.repository import Repository
from tests.storage.factories import fetched, parsed_report

TODAY = date(2025, 6, 1)  # 2024's department (01-31) and region (03-31) deadlines have passed
HOST = "http://www.qingshan.gov.cn"
RULES = {"expected_agencies": ["青山市审计局"], "aliases": {"青山市市场监督管理局": ["青山市市场监管局"]}}


def page(date_line: str = "", body: str = "") -> bytes:
    return f"<html><body><h1>年度报告</h1><div class='info'>{date_line}</div><p>{body}</p></body></html>".encode()


def publish(repo, url, agency, year, html, *, listed_year=None, listed_agency=None, scope="department", **report):
    """Store one report page as the crawl and fetch flows would: link, raw version, parse."""
    repo.record_links([DiscoveredLink("qingshan", url, "page", f"{agency}{year}年报告", listed_year or year,
                                      listed_agency or agency)])
    raw = repo.record_fetch(fetched(url, html))
    parsed = dataclasses.replace(parsed_report(agency=agency, year=year, **report), scope=scope)
    repo.record_parse("qingshan", [raw], parsed, url)
    return raw


def populate(repo: Repository) -> Repository:
    """青山市: a withdrawn, a missing, a late and a jumping year; aliases; a replaced report."""
    repo.upsert_sites([SiteRecord("qingshan", "青山市人民政府", coverage_rules=RULES)])
    education = "青山市教育局"
    publish(repo, f"{HOST}/jyj/202201/t20220120_1.html", education, 2021, page("发布日期：2022-01-20"))
    repo.mark_link_gone(f"{HOST}/jyj/202201/t20220120_1.html", 404)  # withdrawn
    publish(repo, f"{HOST}/jyj/202401/t20240125_2.html", education, 2023, page("发布日期：2024-01-25"),
            listed_year=2022)
    publish(repo, f"{HOST}/jyj/202502/t20250215_3.html", education, 2024,
            page("发布时间：2025-02-15 来源：青山市教育局"), value=70)
    office_2023 = f"{HOST}/bgs/202401/t20240129_4.html"
    publish(repo, office_2023, "青山市人民政府办公室", 2023, page(), scope="government_own",
            listed_agency="市政府办公室")  # another spelling of the same office: no disagreement
    publish(repo, f"{HOST}/bgs/nb2024.html", "市政府办", 2024, page("成文日期：2025-01-10"), scope="government_own")
    market = f"{HOST}/scjg/nb2023.html"
    publish(repo, market, "青山市市场监管局", 2023, page(body="v1"))
    revised = parsed_report(agency="青山市市场监管局", year=2023)
    revised.fields["t3_new_received__total"] = dataclasses.replace(revised.fields["t3_new_received__total"], value=9)
    revised.fields["t4_review__total"] = dataclasses.replace(revised.fields["t4_review__total"], value=2)
    revised.sections["s6"] = "特此报告。\n青山市市场监督管理局\n2024年2月2日"
    raw = repo.record_fetch(fetched(market, page(body="v2")))
    repo.record_parse("qingshan", [raw], revised, market)
    publish(repo, f"{HOST}/scjg/nb2024.html", "青山市市场监督管理局", 2024, page("发布日期：2025-01-20"))
    publish(repo, f"{HOST}/zfxxgk/nb2023.html", "青山市人民政府", 2023, page("发布日期：2024-03-20"),
            scope="region_aggregate", listed_agency="青山市财政局")
    return repo


@pytest.fixture
def store(database_url, blob_dir):
    # One 404 retires a link here, so a withdrawn report takes one answer to set up.
    repo = populate(Repository.open(database_url, str(blob_dir), gone_policy=GonePolicy(answers=1, min_days=0)))
    yield repo
    repo.close()


def summary(row):
    return (row.agency, row.year, row.status, row.late, row.deadline, row.published_date,
            row.published_date_source, row.versions, row.changed_fields, row.anomalies)


JUMPS = ["jump:applications_received 7→70", "jump:applications_handled 7→70", "jump:reviews 7→70",
         "jump:lawsuits 14→140"]


def test_the_grid_rows_are_exactly_what_was_found_and_what_was_not(store):
    rows = [summary(row) for row in read_coverage(store, TODAY)]
    assert rows == [
        ("青山市人民政府", 2023, "found", False, "2024-03-31", "2024-03-20", "page", 1, [],
         ["listing_agency:青山市财政局"]),
        ("青山市人民政府", 2024, "missing", None, "2025-03-31", None, None, 0, [], []),
        # aliases merged: 市政府办 is the same office (normalised 简称)
        ("青山市人民政府办公室", 2023, "found", False, "2024-01-31", "2024-01-29", "url", 1, [], []),
        ("青山市人民政府办公室", 2024, "found", False, "2025-01-31", "2025-01-10", "page", 1, [], []),
        # expected by the registry, never found
        ("青山市审计局", 2021, "missing", None, "2022-01-31", None, None, 0, [], []),
        ("青山市审计局", 2022, "missing", None, "2023-01-31", None, None, 0, [], []),
        ("青山市审计局", 2023, "missing", None, "2024-01-31", None, None, 0, [], []),
        ("青山市审计局", 2024, "missing", None, "2025-01-31", None, None, 0, [], []),
        # a registry alias (市场监管局) merged, its 2023 report replaced with two changed values
        ("青山市市场监督管理局", 2023, "found", True, "2024-01-31", "2024-02-02", "document", 2,
         ["t3_new_received__total", "t4_review__total"], []),
        ("青山市市场监督管理局", 2024, "found", False, "2025-01-31", "2025-01-20", "page", 1, [], []),
        ("青山市教育局", 2021, "withdrawn", False, "2022-01-31", "2022-01-20", "page", 1, [], []),
        ("青山市教育局", 2022, "missing", None, "2023-01-31", None, None, 0, [], []),
        ("青山市教育局", 2023, "found", False, "2024-01-31", "2024-01-25", "page", 1, [], ["listing_year:2022"]),
        ("青山市教育局", 2024, "found", True, "2025-01-31", "2025-02-15", "page", 1, [], JUMPS),
    ]


def test_rows_carry_urls_replacement_and_withdrawal_times(store):
    rows = {(row.agency, row.year): row for row in read_coverage(store, TODAY)}
    assert rows[("青山市市场监督管理局", 2023)].replaced is True
    assert rows[("青山市市场监督管理局", 2023)].replaced_at is not None
    assert rows[("青山市市场监督管理局", 2024)].replaced is False
    assert rows[("青山市教育局", 2021)].withdrawn_at is not None
    assert rows[("青山市教育局", 2023)].withdrawn_at is None
    assert rows[("青山市人民政府办公室", 2024)].url == f"{HOST}/bgs/nb2024.html"
    assert rows[("青山市人民政府", 2023)].scope == "region_aggregate"


def test_today_decides_which_years_are_due_and_years_filter_rows(store):
    # on 2025-02-15 the departments' 2024 reports are due, the region's 2024 report is not yet
    early = {(row.agency, row.year) for row in read_coverage(store, date(2025, 2, 15))}
    assert ("青山市审计局", 2024) in early and ("青山市人民政府", 2024) not in early
    only = read_coverage(store, TODAY, years=[2022])
    assert [(row.agency, row.status) for row in only] == [("青山市审计局", "missing"), ("青山市教育局", "missing")]
    with pytest.raises(UserError, match="elsewhere"):
        read_coverage(store, TODAY, site_ids=["qingshan", "elsewhere"])


def test_expected_from_starts_every_agency_in_that_year(store):
    store.upsert_sites([SiteRecord("qingshan", "青山市人民政府", coverage_rules={**RULES, "expected_from": 2022})])
    rows = [(row.agency, row.year, row.status) for row in read_coverage(store, TODAY)
            if row.agency in ("青山市人民政府", "青山市教育局")]
    assert rows == [
        ("青山市人民政府", 2022, "missing"), ("青山市人民政府", 2023, "found"), ("青山市人民政府", 2024, "missing"),
        # a report older than expected_from is still a row
        ("青山市教育局", 2021, "withdrawn"), ("青山市教育局", 2022, "missing"), ("青山市教育局", 2023, "found"),
        ("青山市教育局", 2024, "found"),
    ]


def test_a_store_from_before_coverage_migrates_and_its_sites_have_no_rules(database_url, blob_dir):
    from alembic import command
    from alembic.config import Config

    from storage.db import MIGRATIONS_DIR, create_db_engine

    engine = create_db_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql("INSERT INTO sites (id, name, start_urls, allowed_domains, first_seen, updated_at) "
                                   "VALUES ('old', '旧县人民政府', '[]', '[]', '2024-01-01', '2024-01-01')")
    engine.dispose()
    repo = Repository.open(database_url, str(blob_dir))
    try:
        assert read_coverage(repo, TODAY) == []  # no reports, no expectations: an empty grid, no error
        repo.upsert_sites([SiteRecord("old", "旧县人民政府", coverage_rules={"expected_agencies": ["旧县教育局"]})])
        assert [(r.agency, r.year, r.status) for r in read_coverage(repo, TODAY)] == [("旧县教育局", 2024, "missing")]
    finally:
        repo.close()
