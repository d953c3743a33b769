"""The life of a link in storage: reverts, validators, stand-in pages, gone after repeated 404s."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from parsers.model import ParseFailure
from storage import models as m
from storage.link_state import GonePolicy, withdrawn_reports
from storage.records import DiscoveredLink, FetchedDocument
from storage.repository import Repository
from tests.storage.factories import fetched, parsed_report

PAGE = "http://www.qingshan.gov.cn/zfxxgk/zfxxgknb/202401/t20240129_1926722.shtml"
PDF = "http://www.qingshan.gov.cn/zfxxgk/zfxxgknb/202401/P020240129123.pdf"
DAY0 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def repo(database_url, blob_dir):
    repository = Repository.open(database_url, str(blob_dir))
    repository.record_links([DiscoveredLink("qingshan", PAGE, "page", report_year=2023)])
    yield repository
    repository.close()


def outcomes(repo: Repository) -> list[str]:
    with repo._session() as session:
        return list(session.scalars(select(m.FetchEvent.outcome).order_by(m.FetchEvent.id)))


def test_bytes_that_go_back_make_the_earlier_version_current_with_its_validators(repo):
    a = repo.record_fetch(fetched(PAGE, b"A", etag='"a"'))
    b = repo.record_fetch(fetched(PAGE, b"B", etag='"b"'))
    assert repo.record_fetch(fetched(PAGE, b"A", etag='"a2"')) is None
    assert repo.latest_raw_version(PAGE) == a and b is not None and b.version == 2
    assert [(l.url, l.etag) for l in repo.links_to_fetch()] == [(PAGE, '"a2"')]
    assert outcomes(repo) == ["new_version", "new_version", "reverted"]


def test_validators_follow_every_200_and_304(repo):
    repo.record_fetch(fetched(PAGE, b"A", etag='"1"', last_modified="Mon, 02 Mar 2026 00:00:00 GMT"))
    repo.record_fetch(fetched(PAGE, b"A", etag='"2"'))  # same bytes, rotated ETag
    assert repo.links_to_fetch()[0].etag == '"2"' and repo.links_to_fetch()[0].last_modified is None
    repo.record_fetch(FetchedDocument(PAGE, 304, etag='"3"'))
    assert repo.links_to_fetch()[0].etag == '"3"'
    assert outcomes(repo) == ["new_version", "unchanged", "not_modified"]


@pytest.mark.parametrize("kind", ["challenge", "login", "soft_404"])
def test_stand_in_pages_are_fetch_events_never_versions(repo, kind):
    kept = repo.record_fetch(fetched(PAGE, b"A"))
    doc = FetchedDocument(PAGE, 200, error=f"{kind}: the server answered 200 with a {kind} page")
    assert repo.record_fetch(doc) is None
    assert repo.latest_raw_version(PAGE) == kept
    assert outcomes(repo) == ["new_version", kind]


def answer(repo: Repository, status: int, day: float) -> None:
    repo.record_fetch(FetchedDocument(PAGE, status, fetched_at=DAY0 + timedelta(days=day)))


def test_a_link_is_gone_only_after_repeated_404s_over_days_and_comes_back(repo):
    version = repo.record_fetch(fetched(PAGE, b"A"))
    repo.record_parse("qingshan", [version], parsed_report(), PAGE)
    for day in (0, 1, 2, 3):  # four answers, but only over three days
        answer(repo, 404, day)
    assert [l.url for l in repo.links_to_fetch()] == [PAGE]
    answer(repo, 410, 7)
    assert repo.links_to_fetch() == []
    [record] = list(repo.iter_export_records())
    assert record["withdrawn_at"] == (DAY0 + timedelta(days=7)).isoformat()
    with repo._session() as session:
        assert list(withdrawn_reports(session).values()) == [DAY0 + timedelta(days=7)]
    assert outcomes(repo)[-2:] == ["missing", "gone"]

    repo.record_links([DiscoveredLink("qingshan", PAGE, "page", report_year=2023)])  # rediscovered
    assert [l.url for l in repo.links_to_fetch()] == [PAGE]
    [record] = list(repo.iter_export_records())
    assert record["withdrawn_at"] is None


def test_a_200_clears_the_missing_streak(repo, database_url, blob_dir):
    repo.gone_policy = GonePolicy(answers=2, min_days=0)
    repo.record_fetch(fetched(PAGE, b"A"))
    answer(repo, 404, 0)
    repo.record_fetch(fetched(PAGE, b"A"))
    answer(repo, 404, 1)
    assert [l.url for l in repo.links_to_fetch()] == [PAGE]  # 2 answers, but not in a row
    answer(repo, 404, 2)
    assert repo.links_to_fetch() == []


def test_the_current_record_is_chosen_by_quality(repo):
    page = repo.record_fetch(fetched(PAGE, b"page"))
    pdf = repo.record_fetch(fetched(PDF, b"scan"))
    good = repo.record_parse("qingshan", [page], parsed_report(), PAGE)
    scanned = parsed_report()
    scanned.fields, scanned.failure = {}, ParseFailure("needs_ocr", "no text layer")
    repo.record_parse("qingshan", [pdf], scanned, PDF)
    fewer = parsed_report(blank_keys=(), parser_version="test-2")
    fewer.fields = dict(list(fewer.fields.items())[:5])
    repo.record_parse("qingshan", [pdf], fewer, PDF)
    [current] = list(repo.iter_export_records())
    assert (current["url"], current["version"]) == (PAGE, good.version)
    with repo._session() as session:
        reason = session.scalar(select(m.Report.current_reason))
    assert reason.startswith("version 1 kept over version 3") and "more fields read" in reason
    assert [r["current"] for r in repo.iter_export_records(all_versions=True)] == [True, False, False]


def test_identity_comes_from_discovery_and_a_real_merge_keeps_the_old_report(repo):
    other = PAGE.replace("1926722", "1926999")
    page, second = repo.record_fetch(fetched(PAGE, b"page")), repo.record_fetch(fetched(other, b"other"))
    repo.record_parse("qingshan", [page], parsed_report(agency="青山市财政局"), PAGE)
    repo.record_parse("qingshan", [second], parsed_report(agency="青山市财政局局"), other)
    assert [r["agency"] for r in repo.iter_export_records()] == ["青山市财政局", "青山市财政局局"]
    # The fixed parser reads the second page's agency right: it is the same report.
    repo.record_parse("qingshan", [second], parsed_report(agency="青山市财政局", parser_version="test-2"), other)
    # One current record (equal quality: the newest); the merged report keeps its version, not current.
    assert [(r["url"], r["version"]) for r in repo.iter_export_records()] == [(other, 2)]
    assert [(r["url"], r["version"], r["current"]) for r in repo.iter_export_records(all_versions=True)] == [
        (PAGE, 1, False), (other, 2, True), (other, 1, False)]
    with repo._session() as session:
        merged = session.scalars(select(m.Report).where(m.Report.merged_into_id.is_not(None))).one()
    assert merged.discovery_key == other


def test_unknown_years_are_separate_reports(repo):
    first, second = repo.record_fetch(fetched(PAGE, b"one")), repo.record_fetch(fetched(PDF, b"two"))
    for raw, url in ((first, PAGE), (second, PDF)):
        parsed = parsed_report()
        parsed.report_year = None
        repo.record_parse("qingshan", [raw], parsed, url)
    assert [(r["url"], r["year"]) for r in repo.iter_export_records()] == [(PAGE, None), (PDF, None)]
