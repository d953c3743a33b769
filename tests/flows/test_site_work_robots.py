"""A link robots.txt forbids, in one site's fetch pass: never requested, never gone, no failed site."""

from __future__ import annotations

import pytest

import flows.site_work as site_work
from flows.fetcher import FetchLimits, Fetcher
from flows.summary import site_summary
from parsers.version import PARSER_VERSION
from storage.link_state import GonePolicy
from storage.records import DiscoveredLink
from storage.repository import Repository

FAST = FetchLimits(delay_seconds=0, backoff_seconds=0.01, backoff_max_seconds=0.02, allow_private=True)


@pytest.fixture()
def store(private_web, tmp_path, monkeypatch):
    """A store on the fake web (through its proxy) whose 404s would retire a link at once."""
    private_web.reset()
    monkeypatch.setenv("HTTP_PROXY", private_web.proxy_url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    repo = Repository.open(f"sqlite:///{tmp_path / 'db.sqlite'}", str(tmp_path / "blobs"),
                           gone_policy=GonePolicy(answers=1, min_days=0))
    yield repo
    repo.close()


def run_site(repo: Repository, site_id: str) -> site_work.SiteOutcome:
    current = repo.derivations().get(site_id, set())
    with Fetcher(FAST) as fetcher:
        return site_work.fetch_site(repo, fetcher, site_id, (), repo.links_to_fetch([site_id]),
                                    PARSER_VERSION, current)


def test_a_robots_disallowed_attachment_is_skipped_without_going_gone_or_failing_the_site(private_web, store):
    [forbidden] = private_web.forbidden_urls
    host = forbidden.split("/")[2]
    report = next(r for r in private_web.expected_reports()
                  if r.page_url.split("/")[2] == host and r.spec is not None and len(r.attachment_urls) == 1
                  and not {r.page_url, *r.attachment_urls} & set(private_web.flaky_urls))
    store.record_links([
        DiscoveredLink(report.site_id, report.page_url, "page", report.title, report.year),
        DiscoveredLink(report.site_id, report.attachment_urls[0], "attachment", None, report.year,
                       parent_url=report.page_url),
        # robots.txt forbids it now (it may not have when the link was found)
        DiscoveredLink(report.site_id, forbidden, "attachment", None, report.year, parent_url=report.page_url),
    ])

    outcomes = [run_site(store, report.site_id) for _night in range(2)]

    requested = [entry.url for entry in private_web.request_log]
    assert forbidden not in requested
    assert requested.count(f"http://{host}/robots.txt") == 2  # once per fetcher, i.e. per night
    assert [outcome.fetch_errors for outcome in outcomes] == [{"robots_disallowed": 1}] * 2
    assert [outcome.documents_gone for outcome in outcomes] == [0, 0]
    assert [[r.status for r in outcome.reports] for outcome in outcomes] == [["new"], ["unchanged"]]
    assert all(site_summary(None, outcome)["ok"] for outcome in outcomes)
    assert forbidden in {link.url for link in store.links_to_fetch()}  # not gone
    assert store.latest_raw_version(forbidden) is None
    [record] = list(store.iter_export_records())
    assert {d["url"] for d in record["documents"]} == {report.page_url, *report.attachment_urls}
