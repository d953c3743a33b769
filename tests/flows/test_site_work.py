"""One site's fetch → store → parse pass on real storage and the fake web (no Prefect)."""

from __future__ import annotations

import pytest

import flows.site_work as site_work
from flows.fetcher import FetchLimits, Fetcher
from parsers.version import PARSER_VERSION
from storage.records import DiscoveredLink
from storage.repository import Repository

FAST = FetchLimits(delay_seconds=0, backoff_seconds=0.01, backoff_max_seconds=0.02, allow_private=True)


@pytest.fixture()
def report_links(private_web, tmp_path, monkeypatch):
    """A store that knows one fake report's page and attachment, and the web through its proxy."""
    private_web.reset()
    monkeypatch.setenv("HTTP_PROXY", private_web.proxy_url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    report = next(r for r in private_web.expected_reports()
                  if len(r.attachment_urls) == 1 and r.spec is not None
                  and r.attachment_urls[0] not in private_web.flaky_urls)
    repo = Repository.open(f"sqlite:///{tmp_path / 'db.sqlite'}", str(tmp_path / "blobs"))
    repo.record_links([
        DiscoveredLink(report.site_id, report.page_url, "page", report.title, report.year),
        DiscoveredLink(report.site_id, report.attachment_urls[0], "attachment", None, report.year,
                       parent_url=report.page_url),
    ])
    yield repo, report
    repo.close()


def run_site(repo: Repository, site_id: str) -> site_work.SiteOutcome:
    current = repo.derivations().get(site_id, set())
    with Fetcher(FAST) as fetcher:
        return site_work.fetch_site(repo, fetcher, site_id, (), repo.links_to_fetch([site_id]),
                                    PARSER_VERSION, current)


def test_a_parse_crash_keeps_the_raw_documents_and_the_next_run_finishes_the_work(
        report_links, monkeypatch):
    repo, report = report_links

    def crash(document):
        raise RuntimeError("parser bug")

    with monkeypatch.context() as patch:
        patch.setattr(site_work, "parse_stored", crash)
        crashed = run_site(repo, report.site_id)
    assert crashed.documents_new == 2
    assert [(r.status, r.detail) for r in crashed.reports] == [
        ("parse_failed", "parser crashed: RuntimeError: parser bug")]
    assert repo.status_summary()["raw_versions"] == 2 and repo.status_summary()["reports"] == 0

    resumed = run_site(repo, report.site_id)
    assert (resumed.documents_new, resumed.documents_unchanged) == (0, 2)
    assert [r.status for r in resumed.reports] == ["new"]
    [record] = list(repo.iter_export_records())
    assert record["url"] == report.page_url and record["year"] == report.year
    assert {d["url"] for d in record["documents"]} == {report.page_url, *report.attachment_urls}

    again = run_site(repo, report.site_id)
    assert [r.status for r in again.reports] == ["unchanged"]
    assert repo.status_summary()["report_versions"] == 1
