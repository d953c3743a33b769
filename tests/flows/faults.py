"""Helpers of the fault tests: a killable fake web, a server that never answers, store contents.

The fake web is run in a child process here because `FakeWeb.stop()` only stops
accepting: its handler threads keep answering open keep-alive connections, so a
crawl would never notice. SIGKILL of the child is a server that really died.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from storage import models as m
from storage.repository import Repository

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class WebProcess:
    """`python -m flows.fakeweb` on a fixed port: start, kill -9, start again on the same port."""

    def __init__(self, port: int, registry: Path, log: Path) -> None:
        self.port = port
        self.registry = registry
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> WebProcess:
        command = [sys.executable, "-m", "flows.fakeweb", "--port", str(self.port),
                   "--registry", str(self.registry)]
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=self.log.open("a"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(self._listening, 30, "fake web child did not start listening")
        return self

    def _listening(self) -> bool:
        assert self.process is not None and self.process.poll() is None, self.log.read_text()
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return self.registry.exists()
        except OSError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


class SilentServer:
    """A loopback TCP server that accepts connections and never answers a byte."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._connections: list[socket.socket] = []
        self._closed = threading.Event()
        self.accepted = 0
        threading.Thread(target=self._accept, name="silent-server", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                connection, _address = self._listener.accept()
            except OSError:
                return
            self._connections.append(connection)  # held open, never read or written
            self.accepted += 1

    def close(self) -> None:
        self._closed.set()
        self._listener.close()
        for connection in self._connections:
            connection.close()


def wait_for(predicate: Callable[[], bool], timeout: float, message: str, interval: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"{message} (after {timeout} s)")


def count_rows(database_url: str, model: type) -> int:
    """Rows of a table while another process writes (0 until the schema exists)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(model)).scalar_one()
    except SQLAlchemyError:  # SQLite busy, or the writer has not migrated the schema yet
        return 0
    finally:
        engine.dispose()


@dataclass
class StoreContents:
    """What a store holds, in a form two stores can be compared by."""

    raw_versions: Counter  # (url, sha256) -> rows (1 each unless duplicated)
    report_versions: Counter  # (site, agency key, year, raw urls+shas, parser) -> rows
    reports: dict[tuple[str, str | None, int], dict[str, Any]]  # identity -> exported fields
    unreadable_blobs: list[str]
    statuses: list[dict[str, Any]]  # site crawl status rows, oldest run first


def store_contents(database_url: str, blob_url: str) -> StoreContents:
    repo = Repository.open(database_url, blob_url)
    try:
        with repo.engine.connect() as connection:
            raws = connection.execute(select(m.RawVersion.id, m.RawVersion.url, m.RawVersion.sha256)).all()
            versions = connection.execute(
                select(m.Report.site_id, m.Report.agency_key, m.Report.report_year,
                       m.ReportVersion.raw_key, m.ReportVersion.parser_version)
                .join(m.Report, m.Report.id == m.ReportVersion.report_id)).all()
            statuses = connection.execute(
                select(m.SiteCrawlStatusRow).order_by(m.SiteCrawlStatusRow.run_id)).mappings().all()
        records = list(repo.iter_export_records())
        unreadable = [sha for _id, _url, sha in raws if not _blob_readable(repo, sha)]
    finally:
        repo.close()
    raw_of = {raw_id: (url, sha) for raw_id, url, sha in raws}
    derivations = Counter(
        (site, agency, year, tuple(sorted(raw_of[int(i)] for i in raw_key.split(","))), parser)
        for site, agency, year, raw_key, parser in versions)
    return StoreContents(
        raw_versions=Counter((url, sha) for _id, url, sha in raws),
        report_versions=derivations,
        reports={(r["site_id"], r["agency"], r["year"]): {"fields": r["fields"], "version": r["version"],
                                                          "documents": sorted(d["url"] for d in r["documents"])}
                 for r in records},
        unreadable_blobs=unreadable,
        statuses=[dict(row) for row in statuses],
    )


def _blob_readable(repo: Repository, sha256: str) -> bool:
    try:
        return hashlib.sha256(repo.read_blob(sha256)).hexdigest() == sha256
    except Exception:  # noqa: BLE001 - any failure to read is what we look for
        return False


def duplicates(counter: Counter) -> list[Any]:
    return [key for key, n in counter.items() if n > 1]
