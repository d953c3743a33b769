"""End to end: the fake gov.cn web → nightly_crawl → SQLite, then re-runs, a revision, a reparse.

One module fixture drives the whole life of a store (first crawl, unchanged
re-crawl, revised document, parser bump with the web stopped) and keeps a
snapshot after each step; the tests assert on the snapshots.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from storage.repository import Repository
from tests.flows.conftest import crawl_environment, set_parser_version

pytestmark = pytest.mark.slow
DOCUMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps")


@dataclass
class Snapshot:
    result: dict[str, Any]
    counts: dict[str, int]
    records: list[dict[str, Any]]
    requests: list[Any]


def snapshot(result: dict[str, Any], web: Any | None) -> Snapshot:
    repo = Repository.open()
    try:
        summary = repo.status_summary()
        records = list(repo.iter_export_records())
    finally:
        repo.close()
    counts = {key: summary[key] for key in ("raw_versions", "report_versions", "reports", "links")}
    requests = web.request_log if web is not None else []
    return Snapshot(result, counts, records, requests)


@pytest.fixture(scope="module")
def lifecycle(private_web, prefect_harness, tmp_path_factory) -> dict[str, Any]:
    from flows.crawl import nightly_crawl
    from flows.reparse import reparse

    data_dir = tmp_path_factory.mktemp("e2e")
    registry = str(private_web.write_registry(data_dir / "sites.yaml"))
    steps: dict[str, Any] = {"expected": private_web.expected_reports()}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in crawl_environment(private_web.proxy_url, data_dir).items():
            patch.setenv(name, value)
        steps["first"] = snapshot(nightly_crawl(sites_file=registry), private_web)
        private_web.clear_log()
        steps["second"] = snapshot(nightly_crawl(sites_file=registry), private_web)
        private_web.set_revision(1)
        steps["revised_expected"] = private_web.expected_reports()
        private_web.clear_log()
        steps["third"] = snapshot(nightly_crawl(sites_file=registry), private_web)
        private_web.stop()  # reparse must not need the network
        set_parser_version(patch, "core-99-e2e")
        steps["reparse"] = snapshot(reparse(), None)
    return steps


def _by_url(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {record["url"]: record for record in records}


def _mismatches(expected_reports: list[Any], records: list[dict[str, Any]]) -> list[str]:
    stored = _by_url(records)
    problems = []
    for report in expected_reports:
        if report.spec is None:
            continue
        record = stored.get(report.page_url)
        if record is None:
            problems.append(f"{report.page_url}: no record")
            continue
        for key, value in report.spec.fields.items():
            got = record["fields"].get(key)
            if got != pytest.approx(value) if value is not None else got is not None:
                problems.append(f"{report.page_url} {key}: expected {value}, stored {got}")
    return problems


def test_first_crawl_stores_every_report_with_the_spec_values(lifecycle):
    first = lifecycle["first"]
    with_spec = [r for r in lifecycle["expected"] if r.spec is not None]
    assert with_spec, "the fake web should publish reports rendered from specs"
    assert _mismatches(lifecycle["expected"], first.records) == []
    expected_pages = {r.page_url for r in lifecycle["expected"]}
    assert expected_pages <= set(_by_url(first.records))
    for report in with_spec:
        record = _by_url(first.records)[report.page_url]
        assert (record["site_id"], record["year"]) == (report.site_id, report.year)
        assert {doc["url"] for doc in record["documents"]} >= {report.page_url, *report.attachment_urls}
    assert first.result["totals"]["new"] == first.counts["report_versions"]


def test_second_crawl_adds_no_versions_and_downloads_no_documents(lifecycle):
    first, second = lifecycle["first"], lifecycle["second"]
    assert second.counts == first.counts
    assert second.result["totals"]["new"] == second.result["totals"]["changed"] == 0
    downloaded = [r.url for r in second.requests
                  if r.status == 200 and r.url.lower().endswith(DOCUMENT_SUFFIXES)]
    assert downloaded == []


def test_revision_adds_one_report_version_per_revised_report(lifecycle):
    second, third = lifecycle["second"], lifecycle["third"]
    revised = [r for r in lifecycle["revised_expected"] if r.revisable]
    assert revised, "the fake web should mark some reports revisable"
    assert third.counts["report_versions"] == second.counts["report_versions"] + len(revised)
    assert third.result["totals"]["changed"] == len(revised)
    new_documents = _document_versions(third.records) - _document_versions(second.records)
    revised_urls = {url for r in revised for url in (r.page_url, *r.attachment_urls)}
    assert {url for url, _sha in new_documents} <= revised_urls
    assert third.counts["raw_versions"] == second.counts["raw_versions"] + len(new_documents)
    assert _mismatches(revised, third.records) == []
    changed = sorted(r["url"] for r in third.records if r["version"] == 2)
    assert changed == sorted(r.page_url for r in revised)


def _document_versions(records: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(doc["url"], doc["sha256"]) for record in records for doc in record["documents"]}


def test_reparse_after_a_parser_bump_adds_versions_offline(lifecycle):
    third, after = lifecycle["third"], lifecycle["reparse"]
    reports = third.counts["reports"]
    assert after.counts["raw_versions"] == third.counts["raw_versions"]
    assert after.counts["report_versions"] == third.counts["report_versions"] + reports
    assert {r["parser_version"] for r in after.records} == {"core-99-e2e"}
    assert _mismatches(lifecycle["revised_expected"], after.records) == []


def test_run_artifacts_summarise_and_list_the_changed_reports(lifecycle):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    runs = [lifecycle[step].result["flow_run_id"] for step in ("first", "second", "third")]
    with get_client(sync_client=True) as client:
        summaries = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["nightly-summary"]), flow_run_id={"any_": runs}))
        everything = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id={"any_": runs}))
    assert sorted(str(a.flow_run_id) for a in summaries) == sorted(runs)  # one per nightly run
    newest = max(summaries, key=lambda a: a.created)
    assert all(site in newest.data for site in {r.site_id for r in lifecycle["expected"]})
    assert f"changed **{len([r for r in lifecycle['revised_expected'] if r.revisable])}**" in newest.data
    third = next(a for a in everything if a.key == "nightly-documents"
                 and str(a.flow_run_id) == lifecycle["third"].result["flow_run_id"])
    changed = {row["source"] for row in json.loads(third.data) if row["status"] == "changed"}
    assert changed == {r.page_url for r in lifecycle["revised_expected"] if r.revisable}
    # The fake web's reports all pass their checks: the table is still written, empty, every night.
    check_tables = [a for a in everything if a.key == "nightly-check-failures"]
    assert sorted(str(a.flow_run_id) for a in check_tables) == sorted(runs)
    assert all(json.loads(a.data) == [] for a in check_tables)


def test_each_run_publishes_coverage_counts_and_the_matrix(lifecycle):
    import json
    import re
    from pathlib import Path
    from urllib.parse import unquote, urlsplit

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter

    first, third = (lifecycle[step].result["flow_run_id"] for step in ("first", "third"))
    with get_client(sync_client=True) as client:
        def artifacts(run_id):
            found = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id={"any_": [run_id]}))
            return {a.key: a for a in found if a.key in ("coverage", "coverage-matrix")}
        first_run, third_run = artifacts(first), artifacts(third)
    counts = {run: json.loads(a["coverage"].data) for run, a in (("first", first_run), ("third", third_run))}
    assert sum(site["found"] for site in counts["first"]) == len(lifecycle["expected"])
    assert sum(site["replaced_this_run"] for site in counts["first"]) == 0
    revisable = [r for r in lifecycle["revised_expected"] if r.revisable]
    assert sum(site["replaced_this_run"] for site in counts["third"]) == len(revisable)
    link = third_run["coverage-matrix"].data
    page = Path(unquote(urlsplit(link[link.rindex("](") + 2:-1]).path))
    matrix = page.read_text(encoding="utf-8")
    assert all(f"<h2>{site}</h2>" in matrix for site in {r.site_id for r in lifecycle["expected"]})
    assert len(re.findall(r'<td class="[^"]* replaced', matrix)) == len(revisable)
