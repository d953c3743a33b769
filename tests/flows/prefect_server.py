"""A real `prefect server` on loopback for the tests that look at runs through its API.

One server per test session (starting one costs ~15 s): the deployment tests run
workers against it, the UI tests run flows in this process against it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

PREFECT = [sys.executable, "-m", "prefect"]


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


@contextmanager
def prefect_server(home: Path) -> Iterator[tuple[httpx.Client, dict[str, str], Path]]:
    """Start `prefect server start` on a free loopback port; its API client, environment and home."""
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = prefect_env(home, api_url)
    server = start(PREFECT + ["server", "start", "--host", "127.0.0.1", "--port", str(port)],
                   env, home, home / "server.log")
    api = httpx.Client(base_url=api_url, trust_env=False, timeout=30)
    try:
        wait_healthy(api)
        yield api, env, home
    finally:
        api.close()
        stop(server)
