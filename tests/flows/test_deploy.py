"""prefect.yaml for real: a Prefect server, `prefect deploy`, process workers, backfill runs.

The workers start in another folder than the repository, so a run only works
if the deployment's pull step sets the working directory. The session's server
(tests/flows/prefect_server.py) serves both tests: one worker running a backfill
into SQLite, then two workers on the same pool splitting the same backfill by
site into PostgreSQL (scale-out), which must store exactly what the single
worker stored.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from storage.repository import Repository
from tests.flows.conftest import crawl_environment
from tests.flows.faults import duplicates, store_contents
from tests.flows.prefect_server import PREFECT, start, stop

pytestmark = pytest.mark.slow
REPO_ROOT = Path(__file__).resolve().parents[2]
BACKFILL_YEARS = (2022, 2023)
YEARS = f"{BACKFILL_YEARS[0]}-{BACKFILL_YEARS[-1]}"


def create_run(api: httpx.Client, name: str, parameters: dict[str, Any]) -> dict:
    deployment = api.get(f"/deployments/name/{name}").json()
    return api.post(f"/deployments/{deployment['id']}/create_flow_run", json={"parameters": parameters}).json()


def wait_run(api: httpx.Client, run: dict, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = api.get(f"/flow_runs/{run['id']}").json()
        if run["state"] and run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return run
        time.sleep(1)
    raise AssertionError(f"flow run {run['name']} did not finish in {timeout} s: {run['state']}")


def run_deployment(api: httpx.Client, name: str, parameters: dict[str, Any], timeout: float) -> dict:
    return wait_run(api, create_run(api, name, parameters), timeout)


@pytest.fixture(scope="module")
def deployed(prefect_server) -> tuple[httpx.Client, dict[str, str], Path]:
    """The work pool and every deployment of prefect.yaml, on the module's server."""
    api, env, _home = prefect_server
    deploy_env = {**env, "PWD": str(REPO_ROOT)}  # the pull step records the repo root from $PWD
    for args in (["work-pool", "create", "nianbao-process", "--type", "process"],
                 ["--no-prompt", "deploy", "--all"]):
        done = subprocess.run(PREFECT + args, env=deploy_env, cwd=REPO_ROOT, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    return prefect_server


def start_worker(env: dict[str, str], home: Path, name: str, tmp_path: Path) -> subprocess.Popen:
    elsewhere = tmp_path / f"{name}-cwd"
    elsewhere.mkdir()
    # --limit 1: a worker takes one run at a time, so two runs need two workers.
    return start(PREFECT + ["worker", "start", "--pool", "nianbao-process", "--name", name, "--limit", "1"],
                 env, elsewhere, home / f"{name}.log")


@pytest.fixture(scope="module")
def single_worker_backfill(deployed, private_web, tmp_path_factory) -> dict[str, Any]:
    """One worker, one backfill of every site into SQLite: the run and its store."""
    api, env, home = deployed
    tmp_path = tmp_path_factory.mktemp("one-worker")
    registry = private_web.write_registry(tmp_path / "sites.yaml")
    worker_env = {**env, **crawl_environment(private_web.proxy_url, tmp_path)}
    worker = start_worker(worker_env, home, "single", tmp_path)
    try:
        run = run_deployment(api, "backfill/backfill", {"years": YEARS, "sites_file": str(registry)},
                             timeout=150)
    finally:
        stop(worker)
    return {"run": run, "env": worker_env, "registry": registry, "log": home / "single.log"}


def test_backfill_deployment_runs_on_a_worker(deployed, single_worker_backfill, private_web):
    api, _env, _home = deployed
    nightly = api.get("/deployments/name/nightly-crawl/nightly-crawl").json()
    assert [(s["schedule"]["cron"], s["schedule"]["timezone"]) for s in nightly["schedules"]] == [
        ("0 2 * * *", "Asia/Shanghai")]

    run, worker_env = single_worker_backfill["run"], single_worker_backfill["env"]
    assert run["state"]["type"] == "COMPLETED", single_worker_backfill["log"].read_text()[-3000:]
    assert run["name"].startswith(f"backfill-{YEARS}-")
    artifacts = api.post("/artifacts/filter",
                         json={"artifacts": {"flow_run_id": {"any_": [run["id"]]}}}).json()
    summary = next(a for a in artifacts if a["key"] == "backfill-summary")
    assert all(site in summary["data"] for site in private_web.sites)

    repo = Repository.open(worker_env["NIANBAO_DATABASE_URL"], worker_env["NIANBAO_BLOB_URL"])
    try:
        years_found = {link.report_year for link in repo.links_to_fetch()}
        runs = repo.status_summary()["last_runs"]
    finally:
        repo.close()
    assert years_found and years_found <= set(BACKFILL_YEARS)
    assert [(r["kind"], r["status"]) for r in runs] == [("backfill", "completed")]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty database on the test PostgreSQL server (required in CI)."""
    from tests.conftest import _postgres_database

    yield from _postgres_database(f"nianbao_{uuid.uuid4().hex[:12]}")


@pytest.mark.postgres
def test_two_workers_split_a_backfill_by_site_and_store_what_one_worker_does(
    deployed, single_worker_backfill, private_web, postgres_url, tmp_path
):
    api, env, home = deployed
    worker_env = {**env, **crawl_environment(private_web.proxy_url, tmp_path),
                  "NIANBAO_DATABASE_URL": postgres_url}
    workers = [start_worker(worker_env, home, f"scale-{n}", tmp_path) for n in (1, 2)]
    halves = [private_web.sites[0::2], private_web.sites[1::2]]
    try:
        runs = [create_run(api, "backfill/backfill", {"years": YEARS, "site_ids": half,
                                                      "sites_file": str(single_worker_backfill["registry"])})
                for half in halves]
        runs = [wait_run(api, run, timeout=150) for run in runs]
    finally:
        for worker in workers:
            stop(worker)
    logs = [(home / f"scale-{n}.log").read_text() for n in (1, 2)]
    assert [run["state"]["type"] for run in runs] == ["COMPLETED", "COMPLETED"], "\n".join(logs)[-4000:]
    # Each worker executed exactly one of the runs, and the runs overlapped in time.
    executed = [[run["id"] for run in runs if f"/flow-run/{run['id']}" in log] for log in logs]
    assert sorted(len(ids) for ids in executed) == [1, 1] and executed[0] != executed[1]
    first, second = sorted(runs, key=lambda run: run["start_time"])
    assert second["start_time"] < first["end_time"]

    scaled = store_contents(postgres_url, worker_env["NIANBAO_BLOB_URL"])
    single_env = single_worker_backfill["env"]
    single = store_contents(single_env["NIANBAO_DATABASE_URL"], single_env["NIANBAO_BLOB_URL"])
    assert scaled.unreadable_blobs == []
    assert duplicates(scaled.raw_versions) == [] and duplicates(scaled.report_versions) == []
    assert set(scaled.raw_versions) == set(single.raw_versions)
    assert scaled.report_versions == single.report_versions
    assert scaled.reports == single.reports and scaled.reports
    assert {s["site_id"] for s in scaled.statuses} == set(private_web.sites)
