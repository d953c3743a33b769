"""Ctrl-C stops a crawl within seconds and leaves nothing running or behind (issue 13 item 6).

The CLI runs as it does for a user: its own temporary Prefect server, its own
process group (a terminal sends Ctrl-C to the whole group), a slowed crawl on
the fake web so the signal arrives mid-run.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from storage import models as m
from tests.flows.conftest import crawl_environment
from tests.flows.faults import count_rows, wait_for

pytestmark = pytest.mark.slow
REPO_ROOT = Path(__file__).resolve().parents[2]
NIANBAO = [sys.executable, "-m", "flows.cli"]
STOP_WITHIN_SECONDS = 10


def _env(proxy: str, data_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("PREFECT_API")}
    env.update(crawl_environment(proxy, data_dir), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               NIANBAO_CRAWL_DELAY="0.3")  # slow enough that the crawl is still running
    return env


def _group_members(pgid: int) -> list[psutil.Process]:
    members = []
    for process in psutil.process_iter(["pid"]):
        try:
            if os.getpgid(process.pid) == pgid:
                members.append(process)
        except (ProcessLookupError, PermissionError):
            pass
    return members


def _our_temp_folders(pids: set[int]) -> list[str]:
    return [entry.name for entry in Path(tempfile.gettempdir()).iterdir()
            if any(entry.name.startswith(f"{prefix}-{pid}-") for pid in pids
                   for prefix in ("nianbao-crawl", "nianbao-convert", "lo"))]


def _status(env: dict[str, str]) -> dict:
    result = subprocess.run(NIANBAO + ["status", "--json"], env=env, cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_ctrl_c_stops_a_crawl_within_seconds_and_marks_it_interrupted(fake_web, tmp_path):
    registry = fake_web.write_registry(tmp_path / "sites.yaml")
    env = _env(fake_web.proxy_url, tmp_path)
    log = tmp_path / "crawl.log"
    crawl = subprocess.Popen(NIANBAO + ["crawl", "--sites", str(registry)], env=env, cwd=REPO_ROOT,
                             stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: count_rows(env["NIANBAO_DATABASE_URL"], m.Link) > 0 or crawl.poll() is not None,
                 180, "the crawl never started discovering")
        assert crawl.poll() is None, log.read_text()[-3000:]
        family = {crawl.pid} | {child.pid for child in psutil.Process(crawl.pid).children(recursive=True)}
        interrupted_at = time.monotonic()
        os.killpg(crawl.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        try:
            exit_code = crawl.wait(timeout=STOP_WITHIN_SECONDS)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running {STOP_WITHIN_SECONDS} s after Ctrl-C: {log.read_text()[-3000:]}")
        stopped_after = time.monotonic() - interrupted_at
        wait_for(lambda: not _group_members(crawl.pid), 5, "processes of the crawl outlived it")
    finally:
        if crawl.poll() is None or _group_members(crawl.pid):
            os.killpg(crawl.pid, signal.SIGKILL)
    output = log.read_text()
    assert exit_code == 128 + signal.SIGINT, output[-3000:]
    assert stopped_after < STOP_WITHIN_SECONDS
    assert "Traceback" not in output and "interrupted" in output.strip().splitlines()[-1]
    assert _our_temp_folders(family) == []
    assert _status(env)["last_runs"][0]["status"] == "interrupted"


def test_sigkill_of_a_crawl_ends_its_children_and_the_run_shows_interrupted(fake_web, tmp_path):
    registry = fake_web.write_registry(tmp_path / "sites.yaml")
    env = _env(fake_web.proxy_url, tmp_path)
    log = tmp_path / "crawl.log"
    crawl = subprocess.Popen(NIANBAO + ["crawl", "--sites", str(registry)], env=env, cwd=REPO_ROOT,
                             stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    children: list[psutil.Process] = []
    try:
        wait_for(lambda: count_rows(env["NIANBAO_DATABASE_URL"], m.Link) > 0 or crawl.poll() is not None,
                 180, "the crawl never started discovering")
        assert crawl.poll() is None, log.read_text()[-3000:]
        children = psutil.Process(crawl.pid).children(recursive=True)
        assert children, "a crawl runs a Prefect server and a Scrapy child"
        family = {crawl.pid} | {child.pid for child in children}
        crawl.kill()  # SIGKILL to the main process only: it can do nothing about it
        crawl.wait(timeout=10)
        wait_for(lambda: not any(child.is_running() for child in children), 15,
                 "children of the killed crawl are still running")
        wait_for(lambda: _our_temp_folders(family) == [], 10, "temp folders of the killed crawl remain")
    finally:
        if crawl.poll() is None:
            crawl.kill()
        for child in children:
            with contextlib.suppress(psutil.Error):
                child.kill()
    assert _status(env)["last_runs"][0]["status"] == "interrupted"
