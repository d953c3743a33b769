"""A first migration killed half way leaves a store the next command can use (issue 13 item 5)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from storage.db import create_db_engine, head_revision, schema_revision
from storage.repository import Repository

REPO_ROOT = Path(__file__).resolve().parents[2]
NIANBAO = [sys.executable, "-c", "from flows.cli import main; main()"]

# The child SIGKILLs itself right after its Nth CREATE TABLE reached the database.
KILL_AFTER_CREATE = textwrap.dedent("""
    import os, signal, sys
    from sqlalchemy import Engine, event
    created = 0
    @event.listens_for(Engine, "after_cursor_execute")
    def _maybe_die(conn, cursor, statement, *args):
        global created
        if statement.lstrip().upper().startswith("CREATE TABLE"):
            created += 1
            if created == int(sys.argv[3]):
                os.kill(os.getpid(), signal.SIGKILL)
    from storage.repository import Repository
    Repository.open(sys.argv[1], sys.argv[2]).close()
""")


def _status(database_url: str, blob_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NIANBAO_DATABASE_URL": database_url, "NIANBAO_BLOB_URL": str(blob_dir)}
    return subprocess.run(NIANBAO + ["status", "--json"], env=env, cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120)


def _assert_usable(database_url: str, blob_dir: Path) -> None:
    result = _status(database_url, blob_dir)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["reports"] == 0
    engine = create_db_engine(database_url)
    try:
        assert schema_revision(engine) == head_revision()
    finally:
        engine.dispose()


@pytest.mark.parametrize("tables_created", [2, 6])
def test_kill_during_schema_creation_leaves_a_usable_store(database_url, blob_dir, tables_created):
    child = subprocess.run([sys.executable, "-c", KILL_AFTER_CREATE, database_url, str(blob_dir),
                            str(tables_created)], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    _assert_usable(database_url, blob_dir)


def test_status_killed_at_random_moments_never_breaks_a_new_store(tmp_path):
    """SIGKILL the very first `nianbao status` after random short delays; the next one must work."""
    rng = random.Random(13)
    for attempt in range(4):
        database_url = f"sqlite:///{tmp_path / f'attempt{attempt}' / 'nianbao.db'}"
        blob_dir = tmp_path / f"attempt{attempt}" / "blobs"
        env = {**os.environ, "NIANBAO_DATABASE_URL": database_url, "NIANBAO_BLOB_URL": str(blob_dir)}
        first = subprocess.Popen(NIANBAO + ["status"], env=env, cwd=REPO_ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        database = tmp_path / f"attempt{attempt}" / "nianbao.db"
        deadline = time.monotonic() + 60
        while not database.exists() and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)  # the file appears when the migration starts
        time.sleep(rng.uniform(0, 0.15))
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        _assert_usable(database_url, blob_dir)
