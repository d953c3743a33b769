"""`nianbao parse FILE...`: every file gets a record, failures say why, any failure exits 1."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app
from parsers.api import parse_bytes
from flows.reportgen import sample_spec
from flows.reportgen.convert import render_password_pdf

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def _run(*paths: Path | str):
    result = CliRunner().invoke(app, ["parse", *map(str, paths)])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    return result, records


def test_every_file_is_parsed_and_each_failure_is_reported(tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[0]
    folder = tmp_path / "folder"
    folder.mkdir()
    loop = tmp_path / "loop"
    os.symlink(loop, loop)
    dangling = tmp_path / "dangling"
    os.symlink(tmp_path / "nowhere.pdf", dangling)
    missing = tmp_path / "missing.pdf"
    result, records = _run(missing, folder, seed, loop, dangling)
    assert result.exit_code == 1
    assert [r["file"] for r in records] == [str(missing), str(folder), str(seed), str(loop), str(dangling)]
    reasons = [r["failure"]["reason"] if r["failure"] else None for r in records]
    assert reasons == ["file_not_found", "not_a_file", None, "symlink_loop", "file_not_found"]
    assert records[1]["failure"]["detail"] == "is a directory, not a file"
    assert "symbolic link" in records[4]["failure"]["detail"]
    assert records[2]["year"] is not None and records[2]["fields"]
    assert set(records[0]) == set(records[2])  # failure records have the same shape
    assert len(result.stderr.strip().splitlines()) == 4 and "Traceback" not in result.stderr


def test_a_document_that_fails_to_parse_exits_1(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result, records = _run(empty)
    assert result.exit_code == 1 and records[0]["failure"]["reason"] == "empty_file"


def test_all_files_parsed_exits_0():
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    result, records = _run(*seeds)
    assert result.exit_code == 0 and all(r["failure"] is None for r in records)


def test_a_pdf_that_needs_a_password_is_encrypted_not_corrupt():
    data = render_password_pdf(sample_spec(5, version="v2021", year=2022, agency="某某区统计局"))
    report = parse_bytes(data)
    assert report.failure is not None and report.failure.reason == "encrypted"
