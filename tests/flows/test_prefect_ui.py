"""The Prefect UI tells a night's story: asserted through a real `prefect server`'s API.

Flows run in this process against the session's server. The web is one generated
fake site whose newest report fails an arithmetic check, plus a registry entry for
a host nobody serves (the failing site). Night 1 crawls both, night 2 only the
healthy site (a clean night); backfills with bad `years` are refused.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.flows.conftest import crawl_environment

pytestmark = pytest.mark.slow
BROKEN_CHECK = "t4_sum__review"
GONE_SITE = {"id": "gone", "name": "消失县人民政府", "start_urls": ["http://www.gone.gov.cn/"],
             "allowed_domains": ["gone.gov.cn"]}
REFUSED_YEARS = {
    "2009-1999": "refused years '2009-1999': '1999' is not a report year (2008-2100); "
                 "use e.g. --years 2015-2020",
    "2020-2015": "refused years '2020-2015': year range '2020-2015' runs backwards; write it as 2015-2020",
}


@pytest.fixture(scope="module")
def ui_web():
    """A private fake web: one static site whose newest report breaks BROKEN_CHECK."""
    from flows.fakeweb.documents import DocumentStore
    from flows.fakeweb.sites import generated
    from flows.fakeweb.web import FakeWeb

    store = DocumentStore()
    web = FakeWeb([generated.build(store, 2, broken_identity=BROKEN_CHECK)], store).start()
    yield web
    web.stop()


@pytest.fixture(scope="module")
def nights(prefect_server, ui_web, tmp_path_factory) -> dict[str, Any]:
    """Night 1 with a failing site, night 2 clean, and refused backfills: their flow run ids."""
    from prefect.events.worker import EventsWorker
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.crawl import backfill, nightly_crawl

    _api, env, _home = prefect_server
    data_dir = tmp_path_factory.mktemp("ui-nights")
    registry = ui_web.write_registry(data_dir / "sites.yaml")
    entries = yaml.safe_load(registry.read_text(encoding="utf-8")) + [GONE_SITE]
    registry.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    runs: dict[str, Any] = {"registry": registry}
    with pytest.MonkeyPatch.context() as patch, temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}):
        for name, value in crawl_environment(ui_web.proxy_url, data_dir).items():
            patch.setenv(name, value)
        patch.setenv("NIANBAO_LOG_DIR", str(data_dir / "logs"))
        # Prefect's events worker is one per process and keeps the API it first saw: an
        # earlier test's server would receive this server's events (task runs included).
        EventsWorker.drain_all()
        runs["failing"] = nightly_crawl(sites_file=str(registry), return_state=True)
        runs["clean"] = nightly_crawl(sites_file=str(registry), site_ids=["gen002"], return_state=True)
        runs["refused"] = {years: backfill(years=years, sites_file=str(registry), return_state=True)
                           for years in REFUSED_YEARS}
        EventsWorker.drain_all()  # deliver them here, and let later tests start afresh
    return runs


def flow_run(api: httpx.Client, state: Any) -> dict[str, Any]:
    return api.get(f"/flow_runs/{state.state_details.flow_run_id}").json()


def artifacts(api: httpx.Client, state: Any) -> dict[str, dict[str, Any]]:
    found = api.post("/artifacts/filter", json={"artifacts": {
        "flow_run_id": {"any_": [str(state.state_details.flow_run_id)]}}}).json()
    return {artifact["key"]: artifact for artifact in found}


def table(artifact: dict[str, Any]) -> list[dict[str, Any]]:
    import json

    return json.loads(artifact["data"])


def test_a_night_with_a_failed_site_says_so_in_its_state_message_and_tag(prefect_server, nights):
    api = prefect_server[0]
    run = flow_run(api, nights["failing"])
    assert (run["state"]["type"], run["state"]["name"]) == ("COMPLETED", "Sites failed")
    assert run["state"]["message"].startswith("1 of 2 sites failed: gone (discovery: ")
    assert "http_502 at http://www.gone.gov.cn/" in run["state"]["message"]
    assert "sites-failed" in run["tags"]
    clean = flow_run(api, nights["clean"])
    assert (clean["state"]["type"], clean["state"]["name"]) == ("COMPLETED", "Completed")
    assert clean["state"]["message"] == "all 1 sites ok · reports 0 new, 0 changed, 3 unchanged"
    assert "sites-failed" not in clean["tags"]


def test_each_failed_site_is_a_prefect_event(prefect_server, nights):
    api = prefect_server[0]
    run_id = str(nights["failing"].state_details.flow_run_id)
    query = {"filter": {"event": {"name": ["nianbao.site.failed"]},
                        "related": {"id": [f"prefect.flow-run.{run_id}"]}}}
    deadline, events = time.monotonic() + 30, []
    while not events and time.monotonic() < deadline:  # events reach the server asynchronously
        events = api.post("/events/filter", json=query).json()["events"]
        time.sleep(0.5)
    assert [(e["resource"]["prefect.resource.id"], e["payload"]["site_id"]) for e in events] == [
        ("nianbao.site.gone", "gone")]
    assert "http_502 at http://www.gone.gov.cn/" in events[0]["payload"]["reason"]


def test_summary_lists_failed_sites_first_with_discovery_results(prefect_server, nights):
    summary = artifacts(prefect_server[0], nights["failing"])["nightly-summary"]["data"]
    assert summary.index("## Failed sites (1 of 2)") < summary.index("| **gone** | discovery: ")
    sites_table = summary[summary.index("## Sites"):]
    assert sites_table.index("| gone | **NO** | 0 |") < sites_table.index("| gen002 | yes |")
    assert "| gen002 | yes | 6 | 2021: 1, 2022: 1, 2023: 1 | 3 | 0 | 0 | 0 |" in sites_table


def test_documents_table_lists_every_new_report_with_its_source(prefect_server, nights, ui_web):
    api = prefect_server[0]
    rows = table(artifacts(api, nights["failing"])["nightly-documents"])
    expected = {report.page_url: report for report in ui_web.expected_reports()}
    assert sorted(row["source"] for row in rows) == sorted(expected)
    for row in rows:
        report = expected[row["source"]]
        assert (row["site"], row["year"], row["status"], row["version"]) == ("gen002", report.year, "new", 1)
        assert row["documents"] == row["source"]  # inline report: the page is its only document
        assert row["format"] == report.format_version
    broken = next(r for r in ui_web.expected_reports() if r.spec.break_identity)
    assert {row["source"]: row["checks_failed"] for row in rows}[broken.page_url] == BROKEN_CHECK
    assert table(artifacts(api, nights["clean"])["nightly-documents"]) == []  # nothing new


def test_check_failures_table_is_written_every_night_until_the_report_is_fixed(prefect_server, nights, ui_web):
    api = prefect_server[0]
    broken = next(r for r in ui_web.expected_reports() if r.spec.break_identity)
    for night in ("failing", "clean"):  # the clean night changed nothing: the report still fails
        rows = table(artifacts(api, nights[night])["nightly-check-failures"])
        assert [(r["site"], r["year"], r["checks_failed"], r["source"]) for r in rows] == [
            ("gen002", broken.year, BROKEN_CHECK, broken.page_url)]


def test_progress_covers_discovery_and_fetching(prefect_server, nights):
    progress = artifacts(prefect_server[0], nights["failing"])["nightly-progress"]
    assert progress["type"] == "progress" and float(progress["data"]) == 100.0
    assert progress["description"] == "discovery 2/2 sites · fetch 2/2 sites"


def test_run_names_are_unique_and_sort_by_start_time(prefect_server, nights):
    api = prefect_server[0]
    first, second = flow_run(api, nights["failing"]), flow_run(api, nights["clean"])
    assert first["name"] != second["name"] and first["name"] < second["name"]
    assert all(run["name"].startswith("nightly-20") for run in (first, second))
    summary = artifacts(api, nights["clean"])["nightly-summary"]["data"]
    assert summary.startswith(f"# Nightly run {second['name']} (store run 2)")


def test_crawl_task_names_say_which_sites_a_batch_holds(prefect_server, nights):
    api = prefect_server[0]
    run_id = str(nights["failing"].state_details.flow_run_id)
    tasks = api.post("/task_runs/filter", json={"flow_runs": {"id": {"any_": [run_id]}}}).json()
    assert sorted(task["name"] for task in tasks if task["name"].startswith("crawl")) == ["crawl-gen002,gone"]


@pytest.mark.parametrize("years", sorted(REFUSED_YEARS))
def test_backfill_refuses_bad_years_with_a_one_line_state_message(prefect_server, nights, years):
    api = prefect_server[0]
    run = flow_run(api, nights["refused"][years])
    assert run["state"]["type"] == "FAILED"
    assert run["state"]["message"] == REFUSED_YEARS[years]
    assert run["name"].startswith("backfill-refused-")
    assert artifacts(api, nights["refused"][years]) == {}  # refused before any work


def test_backfill_years_parameter_is_typed_described_and_takes_one_year():
    from prefect.utilities.callables import parameter_schema

    from flows.crawl import backfill
    from flows.years import YEARS_HELP

    schema = parameter_schema(backfill).model_dump()
    years = schema["properties"]["years"]
    assert years["description"] == YEARS_HELP and "2019" in YEARS_HELP
    assert {option.get("type") for option in years["anyOf"]} == {"string", "integer", "array"}
    assert backfill.validate_parameters({"years": 2019})["years"] == 2019
    assert backfill.validate_parameters({"years": [2019, 2021]})["years"] == [2019, 2021]
