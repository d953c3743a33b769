"""Shared fixtures: a fresh database per test on SQLite and, when available, PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

pytest_plugins = ["tests.fakeweb_fixtures"]

POSTGRES_URL_ENV = "NIANBAO_TEST_POSTGRES_URL"
# CI sets this so that a missing server fails the run instead of skipping tests.
REQUIRE_POSTGRES_ENV = "NIANBAO_REQUIRE_POSTGRES"


def _postgres_database(tmp_name: str) -> Iterator[str]:
    base_url = os.environ.get(POSTGRES_URL_ENV)
    if not base_url:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(f"{POSTGRES_URL_ENV} is not set but {REQUIRE_POSTGRES_ENV}=1")
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_URL_ENV} (make test starts one)")
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{tmp_name}"'))
    try:
        yield sa.make_url(base_url).set(database=tmp_name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{tmp_name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(autouse=True)
def own_http_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's crawls keep their conditional-request cache to themselves (never ./data)."""
    monkeypatch.setenv("NIANBAO_HTTP_CACHE_DIR", str(tmp_path / "http-cache"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nianbao.db'}"
    else:
        yield from _postgres_database(f"nianbao_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'nianbao.db'}"


@pytest.fixture
def blob_dir(tmp_path: Path) -> Path:
    return tmp_path / "blobs"


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Say how many tests ran on PostgreSQL, so a silent skip cannot pass unnoticed."""
    counts = {
        outcome: sum(1 for report in terminalreporter.stats.get(outcome, []) if "[postgresql" in report.nodeid)
        for outcome in ("passed", "failed", "skipped", "error")
    }
    server = os.environ.get(POSTGRES_URL_ENV)
    where = sa.make_url(server).render_as_string(hide_password=True) if server else "no server"
    terminalreporter.write_line(
        f"PostgreSQL tests ({where}): {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped, {counts['error']} errors"
    )
