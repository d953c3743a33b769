"""Runs that meet a dying web, a silent site, or a SIGKILL, then finish the work on the next run.

The `nianbao` CLI runs as a child process (so it can be killed and must end on
its own), against the session's Prefect test API so no run pays for a
temporary server. Stores are compared by content: (url, sha256) raw versions,
report derivations, exported fields.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from storage import models as m
from tests.flows.conftest import crawl_environment
from tests.flows.faults import (
    SilentServer, WebProcess, count_rows, duplicates, free_port, store_contents, wait_for,
)

pytestmark = pytest.mark.slow
NIANBAO = [sys.executable, "-m", "flows.cli"]
REPO_ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 90  # a run that takes longer than this hangs


@pytest.fixture(scope="module")
def prefect_api_url(prefect_harness) -> str:
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def cli_env(api_url: str, proxy: str, data_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("PREFECT_")}
    env.update(crawl_environment(proxy, data_dir), PREFECT_API_URL=api_url,
               PREFECT_SERVER_ANALYTICS_ENABLED="false", NIANBAO_REQUEST_TIMEOUT="2")
    return env


def start_cli(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    # Own process group: SIGKILL must reach the Scrapy and LibreOffice children too.
    return subprocess.Popen(NIANBAO + args, env=env, cwd=REPO_ROOT, stdout=log.open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def finish(process: subprocess.Popen, log: Path) -> int:
    try:
        return process.wait(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise AssertionError(f"run hung: {log.read_text()[-3000:]}")


def kill_group(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def test_web_killed_mid_crawl_fails_visibly_and_the_next_run_completes(prefect_api_url, fake_web, tmp_path):
    expected = {r.page_url for r in fake_web.expected_reports()}
    web = WebProcess(free_port(), tmp_path / "sites.yaml", tmp_path / "web.log").start()
    env = cli_env(prefect_api_url, web.proxy_url, tmp_path)
    db, blobs = env["NIANBAO_DATABASE_URL"], env["NIANBAO_BLOB_URL"]
    try:
        crawl = start_cli(["crawl", "--sites", str(web.registry)], env, tmp_path / "crawl1.log")
        wait_for(lambda: count_rows(db, m.RawVersion) >= 3 or crawl.poll() is not None, 60,
                 "no document stored")
        web.kill()
        first_exit = finish(crawl, tmp_path / "crawl1.log")
        broken = store_contents(db, blobs)
        web.start()
        second_exit = finish(start_cli(["crawl", "--sites", str(web.registry)], env, tmp_path / "crawl2.log"),
                             tmp_path / "crawl2.log")
    finally:
        web.kill()
    log = (tmp_path / "crawl1.log").read_text()
    assert first_exit in (0, 1), log[-3000:]
    assert len(broken.reports) < len(expected), "the web died too late to test anything"
    assert broken.unreadable_blobs == []
    failed = [s for s in broken.statuses if not s["ok"]]
    assert failed, f"no site shows the dead web: {broken.statuses}"
    assert all(any(key.endswith(("network", "connection", "timeout")) for key in s["errors"]) for s in failed)

    assert second_exit == 0, (tmp_path / "crawl2.log").read_text()[-3000:]
    final = store_contents(db, blobs)
    assert final.unreadable_blobs == []
    assert duplicates(final.raw_versions) == [] and duplicates(final.report_versions) == []
    stored_pages = {doc for r in final.reports.values() for doc in r["documents"]}
    assert expected <= stored_pages
    # The outage changed nothing on the web: no report may have gained a second version.
    assert {key: r["version"] for key, r in final.reports.items() if r["version"] != 1} == {}
    last_run = [s for s in final.statuses if s["run_id"] == max(x["run_id"] for x in final.statuses)]
    assert all(s["ok"] for s in last_run), last_run


def test_a_site_that_never_answers_times_out_and_is_red(prefect_harness, fake_web, tmp_path, monkeypatch):
    from flows.crawl import nightly_crawl
    from flows.summary import summary_markdown

    silent = SilentServer()
    registry = fake_web.write_registry(tmp_path / "sites.yaml")
    with registry.open("a", encoding="utf-8") as file:
        file.write(f"- id: silent\n  name: 不应答县人民政府\n  start_urls: ['http://127.0.0.1:{silent.port}/']\n"
                   f"  allowed_domains: ['127.0.0.1']\n  allow_private: true\n")
    for name, value in {**crawl_environment(fake_web.proxy_url, tmp_path), "NIANBAO_REQUEST_TIMEOUT": "1"}.items():
        monkeypatch.setenv(name, value)
    try:
        result = nightly_crawl(sites_file=str(registry), site_ids=["baishi", "silent"])
    finally:
        silent.close()
    assert silent.accepted > 0  # the crawler did reach it
    rows = {site["site_id"]: site for site in result["sites"]}
    start_url = f"http://127.0.0.1:{silent.port}/"
    assert rows["silent"]["ok"] is False and start_url in rows["silent"]["failure"]
    assert rows["silent"]["crawl_errors"].get("timeout", 0) >= 1, rows["silent"]
    assert rows["baishi"]["ok"] is True, rows["baishi"]
    assert f"| silent | **NO** | 0 " in summary_markdown("run", result)
    contents = store_contents(os.environ["NIANBAO_DATABASE_URL"], os.environ["NIANBAO_BLOB_URL"])
    stored = {status["site_id"]: status for status in contents.statuses}
    assert stored["silent"]["ok"] is False and stored["silent"]["errors"].get("timeout", 0) >= 1
    assert stored["baishi"]["ok"] is True
    healthy = {r.page_url for r in fake_web.expected_reports("baishi")}
    assert healthy <= {doc for r in contents.reports.values() for doc in r["documents"]}


def test_scrapy_download_timeouts_are_counted_as_timeout():
    from scrapy.exceptions import DownloadTimeoutError
    from twisted.python.failure import Failure

    from crawlers.status import failure_reason

    assert failure_reason(Failure(DownloadTimeoutError("took longer than 1 seconds"))) == "timeout"


def test_backfill_killed_with_sigkill_resumes_to_the_same_store(prefect_api_url, fake_web, tmp_path):
    years = ["--years", "2022-2023"]
    registry = fake_web.write_registry(tmp_path / "sites.yaml")
    killed_env = cli_env(prefect_api_url, fake_web.proxy_url, tmp_path / "killed")
    clean_env = cli_env(prefect_api_url, fake_web.proxy_url, tmp_path / "clean")
    for env in (killed_env, clean_env):
        Path(env["NIANBAO_BLOB_URL"]).parent.mkdir()
    expected = len([r for r in fake_web.expected_reports() if r.year in (2022, 2023)])
    db = killed_env["NIANBAO_DATABASE_URL"]

    clean = start_cli(["backfill", *years, "--sites", str(registry)], clean_env, tmp_path / "clean.log")
    first = start_cli(["backfill", *years, "--sites", str(registry)], killed_env, tmp_path / "first.log")
    wait_for(lambda: count_rows(db, m.ReportVersion) >= 2 or first.poll() is not None, 60, "no report stored")
    kill_group(first)
    stored_at_kill = count_rows(db, m.ReportVersion)
    assert 0 < stored_at_kill < expected, "the backfill was killed too late to test anything"
    resumed = finish(start_cli(["backfill", *years, "--sites", str(registry)], killed_env, tmp_path / "second.log"),
                     tmp_path / "second.log")
    assert resumed == 0, (tmp_path / "second.log").read_text()[-3000:]
    assert finish(clean, tmp_path / "clean.log") == 0, (tmp_path / "clean.log").read_text()[-3000:]

    after = store_contents(db, killed_env["NIANBAO_BLOB_URL"])
    reference = store_contents(clean_env["NIANBAO_DATABASE_URL"], clean_env["NIANBAO_BLOB_URL"])
    assert after.unreadable_blobs == [] and reference.unreadable_blobs == []
    assert duplicates(after.raw_versions) == []
    assert set(after.raw_versions) == set(reference.raw_versions)
    assert after.report_versions == reference.report_versions
    assert after.reports == reference.reports
    assert len(reference.reports) >= expected
