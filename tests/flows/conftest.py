"""Fixtures of the flows tests: one Prefect test harness and one real Prefect server per session."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

LOOPBACK = "127.0.0.1,localhost"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A throw-away Prefect API for the whole session (entering one costs ~12 s)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """A real `prefect server` on loopback for the whole session: (API client, env, home)."""
    from tests.flows.prefect_server import prefect_server as serve

    with serve(tmp_path_factory.mktemp("prefect-home")) as server:
        yield server


@pytest.fixture(scope="module")
def private_web():
    """A fake web of our own: these tests revise and stop it, others must not notice."""
    from flows.fakeweb import start_fake_web

    web = start_fake_web()
    yield web
    web.stop()


def crawl_environment(web_proxy: str | None, data_dir: Path) -> dict[str, str]:
    """Environment of a crawl into `data_dir` through the fake web's proxy."""
    env = {
        "NIANBAO_DATABASE_URL": f"sqlite:///{data_dir / 'nianbao.db'}",
        "NIANBAO_BLOB_URL": str(data_dir / "blobs"),
        "NIANBAO_CRAWL_DELAY": "0",
        "NIANBAO_HTTP_CACHE_DIR": str(data_dir / "http-cache"),
        # Runs here are "nights" seconds apart: every run checks every known document.
        "NIANBAO_REFRESH_ALL": "1",
        # Prefect's API is on loopback too: it must never go through the fake proxy.
        "NO_PROXY": LOOPBACK, "no_proxy": LOOPBACK,
    }
    if web_proxy:
        env.update(HTTP_PROXY=web_proxy, http_proxy=web_proxy)
    return env


def set_parser_version(monkeypatch: pytest.MonkeyPatch, version: str) -> None:
    """Pretend the parser was bumped: patch every parsers module holding the constant."""
    for name, module in list(sys.modules.items()):
        if (name == "parsers" or name.startswith("parsers.")) and hasattr(module, "PARSER_VERSION"):
            monkeypatch.setattr(module, "PARSER_VERSION", version)
