"""prefect.yaml for real: a Prefect server, `prefect deploy`, a process worker, a backfill run.

The worker starts in another folder than the repository, so the run only works
if the deployment's pull step sets the working directory.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from storage.repository import Repository
from tests.flows.conftest import crawl_environment

pytestmark = pytest.mark.slow
REPO_ROOT = Path(__file__).resolve().parents[2]
PREFECT = [sys.executable, "-m", "prefect"]
BACKFILL_YEARS = (2022, 2023)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prefect_env(home: Path, api_url: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_API_URL=api_url, PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_UI_ENABLED="false", PREFECT_WORKER_QUERY_SECONDS="1",
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    return env


def start(args: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen:
    # Own process group: the server and worker spawn children we must stop too.
    return subprocess.Popen(args, env=env, cwd=cwd, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_healthy(api: httpx.Client, deadline_seconds: float = 90) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            if api.get("/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise AssertionError("prefect server did not become healthy")


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory) -> Iterator[tuple[httpx.Client, dict[str, str], Path]]:
    home = tmp_path_factory.mktemp("prefect-home")
    api_url = f"http://127.0.0.1:{free_port()}/api"
    env = prefect_env(home, api_url)
    port = api_url.split(":")[2].split("/")[0]
    server = start(PREFECT + ["server", "start", "--host", "127.0.0.1", "--port", port],
                   env, home, home / "server.log")
    api = httpx.Client(base_url=api_url, trust_env=False, timeout=30)
    try:
        wait_healthy(api)
        yield api, env, home
    finally:
        api.close()
        stop(server)


def run_deployment(api: httpx.Client, name: str, parameters: dict[str, Any], timeout: float) -> dict:
    deployment = api.get(f"/deployments/name/{name}").json()
    run = api.post(f"/deployments/{deployment['id']}/create_flow_run",
                   json={"parameters": parameters}).json()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = api.get(f"/flow_runs/{run['id']}").json()
        if run["state"] and run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return run
        time.sleep(1)
    raise AssertionError(f"flow run of {name} did not finish in {timeout} s: {run['state']}")


def test_backfill_deployment_runs_on_a_worker(prefect_server, private_web, tmp_path):
    api, env, home = prefect_server
    deploy_env = {**env, "PWD": str(REPO_ROOT)}  # the pull step records the repo root from $PWD
    for args in (["work-pool", "create", "nianbao-process", "--type", "process"],
                 ["--no-prompt", "deploy", "--all"]):
        done = subprocess.run(PREFECT + args, env=deploy_env, cwd=REPO_ROOT, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    nightly = api.get("/deployments/name/nightly-crawl/nightly-crawl").json()
    assert [(s["schedule"]["cron"], s["schedule"]["timezone"]) for s in nightly["schedules"]] == [
        ("0 2 * * *", "Asia/Shanghai")]

    registry = private_web.write_registry(tmp_path / "sites.yaml")
    worker_env = {**env, **crawl_environment(private_web.proxy_url, tmp_path)}
    elsewhere = tmp_path / "worker-cwd"
    elsewhere.mkdir()
    worker = start(PREFECT + ["worker", "start", "--pool", "nianbao-process"], worker_env, elsewhere,
                   home / "worker.log")
    try:
        years = f"{BACKFILL_YEARS[0]}-{BACKFILL_YEARS[-1]}"
        run = run_deployment(api, "backfill/backfill", {"years": years, "sites_file": str(registry)},
                             timeout=150)
    finally:
        stop(worker)
    assert run["state"]["type"] == "COMPLETED", (home / "worker.log").read_text()[-3000:]
    assert run["name"].startswith(f"backfill-{years}-")
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
