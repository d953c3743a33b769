"""An export can neither overwrite the store nor destroy an existing output file (issue 13 item 1)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from storage.repository import Repository
from tests.storage.factories import fetched, parsed_report

REPO_ROOT = Path(__file__).resolve().parents[2]
NIANBAO = [sys.executable, "-c", "from flows.cli import main; main()"]
REPORTS = 60  # enough records that the export is larger than the file-size limit below
FILE_SIZE_LIMIT = 256 * 1024


@pytest.fixture
def store(tmp_path: Path) -> dict[str, str]:
    env = {"NIANBAO_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'nianbao.db'}",
           "NIANBAO_BLOB_URL": str(tmp_path / "data" / "blobs")}
    repo = Repository.open(env["NIANBAO_DATABASE_URL"], env["NIANBAO_BLOB_URL"])
    for number in range(REPORTS):
        url = f"http://www.qingshan.gov.cn/nb/{number}.html"
        raw = repo.record_fetch(fetched(url, f"report {number}".encode()))
        repo.record_parse("qingshan", [raw], parsed_report(agency=f"青山市第{number}局", value=number), url)
    repo.close()
    return env


def nianbao(args: list[str], env: dict[str, str], **popen: object) -> subprocess.CompletedProcess:
    return subprocess.run(NIANBAO + args, env={**os.environ, **env}, cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120, **popen)


def one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nianbao: error:"), result.stderr
    return lines[0]


def stored_reports(env: dict[str, str]) -> int:
    repo = Repository.open(env["NIANBAO_DATABASE_URL"], env["NIANBAO_BLOB_URL"])
    try:
        return repo.status_summary()["reports"]
    finally:
        repo.close()


@pytest.mark.parametrize("target", ["database", "wal", "blob folder", "inside blobs"])
def test_export_onto_the_store_is_refused_and_the_store_is_intact(store, target):
    database = Path(store["NIANBAO_DATABASE_URL"].removeprefix("sqlite:///"))
    blobs = Path(store["NIANBAO_BLOB_URL"])
    out = {"database": database, "wal": Path(f"{database}-wal"), "blob folder": blobs,
           "inside blobs": blobs / "export.jsonl"}[target]
    size_before = database.stat().st_size
    line = one_error_line(nianbao(["export", "--format", "jsonl", "--out", str(out)], store))
    assert str(out) in line
    assert database.stat().st_size == size_before
    assert stored_reports(store) == REPORTS
    assert not (blobs / "export.jsonl").exists()


def test_export_to_a_directory_is_one_line(store, tmp_path):
    line = one_error_line(nianbao(["export", "--format", "csv", "--out", str(tmp_path)], store))
    assert "is a directory" in line


def _limit_file_size() -> None:
    """Runs in the child: writes beyond the limit fail with EFBIG, like a full disk."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def test_a_failed_export_leaves_the_existing_file_untouched(store, tmp_path):
    out = tmp_path / "reports.jsonl"
    assert nianbao(["export", "--format", "jsonl", "--out", str(out)], store).returncode == 0
    complete = out.read_bytes()
    assert len(complete) > FILE_SIZE_LIMIT and complete.count(b"\n") == REPORTS
    failed = nianbao(["export", "--format", "jsonl", "--out", str(out)], store, preexec_fn=_limit_file_size)
    assert failed.returncode != 0
    assert out.read_bytes() == complete
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".reports")] == []
