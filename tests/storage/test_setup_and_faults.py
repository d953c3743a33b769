"""Migrations from empty, and one-line errors for set-ups a user can get wrong."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage import models as m
from storage.db import create_db_engine, head_revision, schema_revision
from storage.errors import StorageError
from storage.repository import Repository
from tests.fixture_paths import REPO_ROOT
from tests.storage.factories import fetched


def test_migrations_create_every_table_from_empty(database_url, blob_dir):
    Repository.open(database_url, str(blob_dir)).close()
    Repository.open(database_url, str(blob_dir)).close()  # a second open changes nothing
    engine = create_db_engine(database_url)
    tables = set(sa.inspect(engine).get_table_names())
    assert set(m.Base.metadata.tables) <= tables
    for name, table in m.Base.metadata.tables.items():  # every model column exists after migrating
        assert {c.name for c in table.columns} <= {c["name"] for c in sa.inspect(engine).get_columns(name)}
    assert schema_revision(engine) == head_revision()
    engine.dispose()


def test_database_from_a_newer_nianbao_is_refused(database_url, blob_dir):
    Repository.open(database_url, str(blob_dir)).close()
    engine = create_db_engine(database_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(StorageError, match="created by a newer nianbao"):
        Repository.open(database_url, str(blob_dir))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a database url", "not a database URL"),
        ("postgresql+psycopg://nianbao@127.0.0.1:1/nowhere", "cannot use database"),
        ("nosuchdb://x/y", "no driver"),
    ],
)
def test_unusable_database_urls_give_one_line_errors(url, message, blob_dir):
    with pytest.raises(StorageError, match=message) as caught:
        Repository.open(url, str(blob_dir))
    assert "\n" not in str(caught.value)


def test_blob_folder_that_is_a_file_is_refused(tmp_path, sqlite_url):
    not_a_folder = tmp_path / "blobs"
    not_a_folder.write_text("x")
    with pytest.raises(StorageError, match="cannot create blob folder"):
        Repository.open(sqlite_url, str(not_a_folder))


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write to (root ignores modes, but not sysfs)."""
    if os.geteuid() == 0:
        return Path("/sys/kernel")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def test_read_only_blob_folder_is_refused(read_only_folder, sqlite_url):
    with pytest.raises(StorageError, match="is not writable") as caught:
        Repository.open(sqlite_url, str(read_only_folder))
    assert str(read_only_folder) in str(caught.value)


def test_a_writer_killed_mid_blob_leaves_no_blob_and_no_row(tmp_path, sqlite_url, blob_dir):
    Repository.open(sqlite_url, str(blob_dir)).close()
    # The child dies (SIGKILL) after writing the temp file, before the rename.
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(f"""
            import os, signal
            os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
            from storage.repository import Repository
            from storage.records import FetchedDocument
            repo = Repository.open({sqlite_url!r}, {str(blob_dir)!r})
            repo.record_fetch(FetchedDocument("http://www.qingshan.gov.cn/a.pdf", 200, b"%PDF-1.7 half"))
        """)],
        cwd=REPO_ROOT, capture_output=True, timeout=60,
    )
    assert child.returncode == -signal.SIGKILL
    repo = Repository.open(sqlite_url, str(blob_dir))
    assert repo.status_summary()["raw_versions"] == 0
    assert [p.name[:5] for p in blob_dir.rglob("*") if p.is_file()] == [".tmp-"]
    assert repo.blobs.sweep_temp_files() == 1
    stored = repo.record_fetch(fetched("http://www.qingshan.gov.cn/a.pdf", b"%PDF-1.7 half"))
    assert repo.read_blob(stored.sha256) == b"%PDF-1.7 half"
    repo.close()


def _open_and_close(database_url: str, blob_url: str) -> None:
    Repository.open(database_url, blob_url).close()


def test_processes_opening_a_new_database_at_once_migrate_it_once(database_url, blob_dir):
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    openers = [ctx.Process(target=_open_and_close, args=(database_url, str(blob_dir))) for _ in range(3)]
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join(timeout=120)
    assert [opener.exitcode for opener in openers] == [0, 0, 0]
    engine = create_db_engine(database_url)
    assert schema_revision(engine) == head_revision()
    engine.dispose()
