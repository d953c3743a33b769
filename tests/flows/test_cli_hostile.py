"""Careless input gets one line on stderr and exit 2, never a traceback (issue 13 item 8)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from storage.repository import Repository
from tests.storage.factories import fetched, parsed_report

REPO_ROOT = Path(__file__).resolve().parents[2]
NIANBAO = [sys.executable, "-c", "from flows.cli import main; main()"]


def _random_bytes_database(tmp: Path) -> list[str]:
    (tmp / "nianbao.db").write_bytes(os.urandom(8192))
    return ["status"]


def _damaged_pages_database(tmp: Path) -> list[str]:
    repo = Repository.open(f"sqlite:///{tmp / 'nianbao.db'}", str(tmp / "blobs"))
    for number in range(30):
        url = f"http://www.qingshan.gov.cn/nb/{number}.html"
        raw = repo.record_fetch(fetched(url, str(number).encode()))
        repo.record_parse("qingshan", [raw], parsed_report(agency=f"第{number}局"), url)
    repo.close()
    (tmp / "nianbao.db-wal").unlink(missing_ok=True)
    database = tmp / "nianbao.db"
    data = bytearray(database.read_bytes())
    page = 4096
    data[page:] = os.urandom(len(data) - page)  # the schema page survives, every table is garbage
    database.write_bytes(bytes(data))
    return ["export", "--format", "jsonl"]


def _non_utf8_registry(tmp: Path) -> list[str]:
    (tmp / "sites.yaml").write_bytes("- id: qingshan\n  name: 青山市\n".encode("gb18030"))
    return ["crawl", "--sites", str(tmp / "sites.yaml")]


def _symlink_loop(tmp: Path) -> Path:
    (tmp / "loop").symlink_to(tmp / "loop")
    return tmp / "loop"


def _file(tmp: Path) -> Path:
    (tmp / "not-a-folder").write_text("x")
    return tmp / "not-a-folder"


# `nianbao parse` reports unreadable files per file and exits 1 (tests/flows/test_cli_parse.py).
CASES: dict[str, tuple[Callable[[Path], list[str]], dict[str, str], str]] = {
    "random bytes as database": (_random_bytes_database, {}, "file is not a database"),
    "database with damaged pages": (_damaged_pages_database, {}, "malformed"),
    "year too large": (lambda t: ["export", "--format", "jsonl", "--year", "99999999999999999999"], {}, "--year"),
    "non-UTF-8 registry": (_non_utf8_registry, {}, "not UTF-8"),
    "demo data dir is a file": (lambda t: ["demo", "--data-dir", str(_file(t))], {}, "is a file"),
    "crawl delay not a number": (lambda t: ["crawl"], {"NIANBAO_CRAWL_DELAY": "abc"}, "NIANBAO_CRAWL_DELAY"),
    "negative request timeout": (lambda t: ["crawl"], {"NIANBAO_REQUEST_TIMEOUT": "-1"}, "NIANBAO_REQUEST_TIMEOUT"),
    "missing option": (lambda t: ["export"], {}, "Missing option '--format'"),
    "unknown option": (lambda t: ["status", "--bogus"], {}, "--bogus"),
    "registry a symlink loop": (lambda t: ["crawl", "--sites", str(_symlink_loop(t))], {}, "symlink loop"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_careless_input_is_one_line_and_exit_2(tmp_path, case):
    make_args, env_overrides, needle = CASES[case]
    args = make_args(tmp_path)
    env = {**os.environ, "NIANBAO_DATABASE_URL": f"sqlite:///{tmp_path / 'nianbao.db'}",
           "NIANBAO_BLOB_URL": str(tmp_path / "blobs"), **env_overrides}
    result = subprocess.run(NIANBAO + args, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr[-3000:]
    assert len(lines) == 1 and lines[0].startswith("nianbao: error:"), result.stderr[-3000:]
    assert needle in lines[0]
