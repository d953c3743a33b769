"""The refresh policy: which known documents a nightly run checks on a given night."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from storage.records import DiscoveredLink, FetchedDocument
from storage.refresh import RefreshPolicy, next_interval_days
from storage.repository import Repository

NIGHT0 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)  # statistics year 2025 is the latest
RECENT = "http://www.a.gov.cn/xxgk/ndbg/t20260120_2025.html"  # a 2025 report
LAST_YEAR = "http://www.a.gov.cn/xxgk/ndbg/t20250120_2024.html"  # 2024: still recent (two years)
OLD = "http://www.a.gov.cn/xxgk/ndbg/t20190120_2018.html"  # 2018: backs off
UNDATED = "http://www.a.gov.cn/xxgk/ndbg/fj.pdf"


@pytest.mark.parametrize(
    ("previous", "outcome", "year", "expected"),
    [
        (None, "new_version", 2018, 1.0),  # a change: checked again tomorrow
        (8.0, "reverted", 2018, 1.0),
        (8.0, "error", 2018, 1.0),  # trouble: look again tomorrow
        (8.0, "challenge", 2018, 1.0),
        (None, "unchanged", 2025, 1.0),  # the latest two statistics years stay nightly
        (4.0, "not_modified", 2024, 1.0),
        (None, "unchanged", None, 1.0),  # unknown year: nightly
        (None, "unchanged", 2018, 2.0),  # older and unchanged: doubling
        (2.0, "not_modified", 2018, 4.0),
        (16.0, "unchanged", 2018, 30.0),  # capped
        (30.0, "unchanged", 2018, 30.0),
    ],
)
def test_interval_after_a_fetch(previous, outcome, year, expected) -> None:
    assert next_interval_days(previous, outcome, year, date(2026, 3, 1), RefreshPolicy()) == expected


def _night(n: float) -> datetime:
    return NIGHT0 + timedelta(days=n)


def _due(repo: Repository, night: float) -> set[str]:
    return {link.url for link in repo.links_to_fetch(due_by=_night(night))}


def _answer_all_unchanged(repo: Repository, urls: set[str], night: float) -> None:
    for url in urls:
        repo.record_fetch(FetchedDocument(url, 304, fetched_at=_night(night)))


def test_nightly_runs_check_recent_reports_every_night_and_older_ones_less_often(database_url, blob_dir) -> None:
    repo = Repository.open(database_url, str(blob_dir))
    try:
        repo.record_links([DiscoveredLink("a", RECENT, "page", report_year=2025),
                           DiscoveredLink("a", LAST_YEAR, "page", report_year=2024),
                           DiscoveredLink("a", OLD, "page", report_year=2018),
                           DiscoveredLink("a", UNDATED, "attachment")])
        every = {RECENT, LAST_YEAR, OLD, UNDATED}
        seen = []
        for night in range(8):
            due = _due(repo, night)
            seen.append(OLD in due)
            _answer_all_unchanged(repo, due, night)
            assert {RECENT, LAST_YEAR, UNDATED} <= due
        # Checked on night 0, then after 2 and 4 more nights: nights 0, 2, 6.
        assert seen == [True, False, True, False, False, False, True, False]

        # A change brings the old report back to nightly checks.
        repo.record_fetch(FetchedDocument(OLD, 200, content=b"%PDF changed", fetched_at=_night(8)))
        assert OLD in _due(repo, 9)
        # Backfill and --refresh-all ignore the policy.
        assert {link.url for link in repo.links_to_fetch()} == every
    finally:
        repo.close()
