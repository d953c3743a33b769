"""The versioning rules: fetch events vs raw versions vs report versions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage import models as m
from storage.records import DiscoveredLink, FetchedDocument
from storage.repository import Repository
from tests.storage.factories import fetched, parsed_report

PAGE = "http://www.qingshan.gov.cn/zfxxgk/zfxxgknb/202401/t20240129_1926722.shtml"
PDF = "http://www.qingshan.gov.cn/zfxxgk/zfxxgknb/202401/P020240129123.pdf"


@pytest.fixture
def repo(database_url, blob_dir):
    repository = Repository.open(database_url, str(blob_dir))
    yield repository
    repository.close()


def count(repo: Repository, model) -> int:
    with repo._session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_same_bytes_add_a_fetch_event_not_a_version(repo):
    first = repo.record_fetch(fetched(PAGE, b"<html>v1</html>"))
    again = repo.record_fetch(fetched(PAGE, b"<html>v1</html>"))
    assert first is not None and first.version == 1
    assert again is None
    assert count(repo, m.RawVersion) == 1
    assert count(repo, m.FetchEvent) == 2
    assert repo.read_blob(first.sha256) == b"<html>v1</html>"


def test_changed_bytes_add_a_version_and_keep_the_old_one(repo):
    v1 = repo.record_fetch(fetched(PAGE, b"one"))
    v2 = repo.record_fetch(fetched(PAGE, b"two"))
    assert (v1.version, v2.version) == (1, 2)
    assert repo.latest_raw_version(PAGE) == v2
    assert repo.read_blob(v1.sha256) == b"one"


def test_identical_bytes_from_two_urls_are_stored_once(repo, blob_dir):
    a = repo.record_fetch(fetched(PAGE, b"same document"))
    b = repo.record_fetch(fetched(PDF, b"same document"))
    assert a.sha256 == b.sha256 and a.id != b.id
    assert count(repo, m.Blob) == 1
    assert len([p for p in blob_dir.rglob("*") if p.is_file()]) == 1


def test_not_modified_and_gone(repo):
    repo.record_links([DiscoveredLink("qingshan", PAGE, "page", report_year=2023)])
    repo.record_fetch(fetched(PAGE, b"one", etag='"abc"'))
    assert repo.record_fetch(FetchedDocument(PAGE, 304)) is None
    assert repo.links_to_fetch()[0].etag == '"abc"'
    assert repo.record_fetch(FetchedDocument(PAGE, 404)) is None
    assert [link.url for link in repo.links_to_fetch()] == [PAGE]  # one 404 retires nothing
    assert count(repo, m.RawVersion) == 1
    with repo._session() as session:
        outcomes = list(session.scalars(select(m.FetchEvent.outcome).order_by(m.FetchEvent.id)))
    assert outcomes == ["new_version", "not_modified", "missing"]


def test_links_are_recorded_once_and_filtered(repo):
    links = [
        DiscoveredLink("qingshan", PAGE, "page", title="2023年报", report_year=2023),
        DiscoveredLink("qingshan", PDF, "attachment", report_year=2023, parent_url=PAGE),
        DiscoveredLink("baishi", "http://xxgk.baishi.gov.cn/content/post_1.html", "page", report_year=2019),
    ]
    assert repo.record_links(links).new == 3
    counts = repo.record_links(links[:2])
    assert (counts.new, counts.seen) == (0, 2)
    assert repo.known_link_urls("qingshan") == {PAGE, PDF}
    assert [l.url for l in repo.links_to_fetch(years=[2019])] == ["http://xxgk.baishi.gov.cn/content/post_1.html"]
    assert {l.url for l in repo.links_to_fetch(site_ids=["qingshan"])} == {PAGE, PDF}


def test_report_versions_follow_raw_and_parser_versions(repo):
    raw1 = repo.record_fetch(fetched(PAGE, b"one"))
    first = repo.record_parse("qingshan", [raw1], parsed_report(), PAGE)
    assert first is not None and first.version == 1
    assert repo.record_parse("qingshan", [raw1], parsed_report(), PAGE) is None  # idempotent

    newer_parser = repo.record_parse("qingshan", [raw1], parsed_report(parser_version="test-2"), PAGE)
    raw2 = repo.record_fetch(fetched(PAGE, b"two"))
    newer_raw = repo.record_parse("qingshan", [raw2], parsed_report(parser_version="test-2", value=9), PAGE)
    assert (newer_parser.version, newer_raw.version) == (2, 3)
    assert {first.report_id, newer_parser.report_id, newer_raw.report_id} == {first.report_id}

    current = list(repo.iter_export_records())
    assert [(r["version"], r["fields"]["t2_regulation__issued"]) for r in current] == [(3, 9)]
    every = list(repo.iter_export_records(all_versions=True))
    assert [r["version"] for r in every] == [1, 2, 3]
    assert [r["current"] for r in every] == [False, False, True]


def test_report_values_long_table_has_one_row_per_field(repo):
    raw = repo.record_fetch(fetched(PAGE, b"one"))
    parsed = parsed_report(blank_keys=("t2_regulation__issued",))
    ref = repo.record_parse("qingshan", [raw], parsed, PAGE)
    with repo._session() as session:
        rows = session.execute(
            select(m.ReportValue.key, m.ReportValue.value, m.ReportValue.state)
            .where(m.ReportValue.report_version_id == ref.id)
        ).all()
        total = session.scalar(
            select(func.sum(m.ReportValue.value)).where(m.ReportValue.key == "t3_new_received__total")
        )
    assert len(rows) == len(parsed.fields) == 200
    assert ("t2_regulation__issued", None, "blank") in rows
    assert total == 7


def test_two_documents_claiming_one_identity_are_both_kept(repo):
    raw_html = repo.record_fetch(fetched(PAGE, b"html"))
    raw_pdf = repo.record_fetch(fetched(PDF, b"pdf"))
    repo.record_parse("qingshan", [raw_html], parsed_report(value=1), PAGE)
    second = repo.record_parse("qingshan", [raw_pdf], parsed_report(value=2), PDF)
    with repo._session() as session:
        report = session.get(m.Report, second.report_id)
    assert report.current_version_id == second.id
    assert PDF in report.current_reason and PAGE in report.current_reason
    assert len(list(repo.iter_export_records(all_versions=True))) == 2


def test_derivations_include_versions_that_are_not_current(repo):
    raw_html = repo.record_fetch(fetched(PAGE, b"html"))
    raw_pdf = repo.record_fetch(fetched(PDF, b"pdf"))
    repo.record_parse("qingshan", [raw_html], parsed_report(value=1), PAGE)
    repo.record_parse("qingshan", [raw_pdf], parsed_report(value=2), PDF)
    repo.record_parse("qingshan", [raw_html, raw_pdf], parsed_report(parser_version="test-2"), PAGE)
    assert repo.derivations() == {"qingshan": {
        (frozenset({raw_html.id}), "test-1"),
        (frozenset({raw_pdf.id}), "test-1"),
        (frozenset({raw_html.id, raw_pdf.id}), "test-2"),
    }}


def test_reparse_items_name_the_current_derivation(repo):
    raw_page = repo.record_fetch(fetched(PAGE, b"page"))
    raw_pdf = repo.record_fetch(fetched(PDF, b"pdf"))
    repo.record_parse("qingshan", [raw_page, raw_pdf], parsed_report(), PAGE, title="年报")
    [item] = repo.reparse_items()
    assert (item.site_id, item.source_url, item.title, item.parser_version) == ("qingshan", PAGE, "年报", "test-1")
    assert [raw.url for raw in item.raw_versions] == [PAGE, PDF]
    assert item.report_year == 2023
