"""A run whose process died shows, and is then marked, as interrupted (issue 13 item 6)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import sqlalchemy as sa

from storage import models as m
from storage.repository import Repository

REPO_ROOT = Path(__file__).resolve().parents[2]


def _run_started_by_a_process_that_dies(database_url: str, blob_dir: Path) -> None:
    subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import os
        from storage.repository import Repository
        Repository.open({database_url!r}, {str(blob_dir)!r}).start_crawl_run("nightly")
        os._exit(0)  # never finishes its run, as after a SIGKILL
    """)], cwd=REPO_ROOT, check=True, timeout=120)


def test_runs_of_dead_processes_are_interrupted_and_live_ones_keep_running(database_url, blob_dir):
    _run_started_by_a_process_that_dies(database_url, blob_dir)
    repo = Repository.open(database_url, str(blob_dir))
    try:
        assert [run["status"] for run in repo.status_summary()["last_runs"]] == ["interrupted"]
        live = repo.start_crawl_run("backfill")  # the next start marks the dead run for good
        with repo.engine.connect() as connection:
            stored = dict(connection.execute(sa.select(m.CrawlRun.id, m.CrawlRun.status)).all())
        assert stored == {live - 1: "interrupted", live: "running"}
        assert [run["status"] for run in repo.status_summary()["last_runs"]] == ["running", "interrupted"]
    finally:
        repo.close()
