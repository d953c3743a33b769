"""The `nianbao` command line: user errors, empty stores, `parse` output shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from storage.export_columns import field_keys

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
REPO_ROOT = Path(__file__).resolve().parents[2]
NIANBAO = [sys.executable, "-c", "from flows.cli import main; main()"]


def run_cli(args: list[str], env_overrides: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_overrides}
    return subprocess.run(NIANBAO + args, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture()
def store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {"NIANBAO_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
           "NIANBAO_BLOB_URL": str(tmp_path / "blobs")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.mark.parametrize("args", [["status"], ["export", "--format", "jsonl"]])
def test_bad_database_url_is_one_line_and_exit_2(tmp_path, args):
    result = run_cli(args, {"NIANBAO_DATABASE_URL": "nosuchdb://x/y"}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nianbao: error:") and "Traceback" not in result.stderr


@pytest.mark.parametrize("args,needle", [
    (["crawl", "--site", "no-such-site"], "no-such-site"),
    (["backfill", "--years", "2020-2015"], "2015-2020"),
    (["crawl", "--sites", "/no/such/registry.yaml"], "/no/such/registry.yaml"),
    (["export", "--format", "xml"], "xml"),
    (["export", "--format", "parquet"], "--out"),
])
def test_user_errors_exit_2_with_one_line(tmp_path, store_env, args, needle):
    result = run_cli(args, store_env, tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]


def test_status_and_export_on_an_empty_store(store_env, tmp_path):
    runner = CliRunner()
    status = runner.invoke(app, ["status", "--json"])
    assert status.exit_code == 0, status.output
    summary = json.loads(status.stdout)
    assert summary["reports"] == 0 and summary["last_runs"] == [] and summary["failing_sites"] == []
    out = tmp_path / "out.jsonl"
    export = runner.invoke(app, ["export", "--format", "jsonl", "--out", str(out)])
    assert export.exit_code == 0 and out.read_text() == ""
    csv_out = tmp_path / "out.csv"
    assert runner.invoke(app, ["export", "--format", "csv", "--out", str(csv_out)]).exit_code == 0
    header = csv_out.read_text(encoding="utf-8").splitlines()
    assert len(header) == 1 and header[0].startswith("site_id,agency,year")
    human = runner.invoke(app, ["status"])
    assert human.exit_code == 0 and "no runs yet" in human.stdout


def test_parse_prints_one_export_shaped_object_per_file():
    from parsers.api import parse_file

    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    result = CliRunner().invoke(app, ["parse", *map(str, seeds)])
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["file"] for o in objects] == list(map(str, seeds))
    for seed, record in zip(seeds, objects):
        gold = json.loads((SEEDS / "gold" / (seed.stem + ".json")).read_text(encoding="utf-8"))
        assert (record["year"], record["format_version"]) == (gold["report_year"], gold["format_version"])
        keys = field_keys(record["format_version"], record["t2_format_version"], record["t3_format_version"])
        assert list(record["fields"]) == keys
        parsed = parse_file(seed)
        assert record["fields"] == {key: parsed.field_values().get(key) for key in keys}
        assert record["checks"] == [{"name": c.name, "ok": c.ok} for c in parsed.checks]
        assert {"agency", "title", "scope", "parser_version", "failure"} <= set(record)


# ---- crawl runs through the CLI (Prefect test harness, private fake web) -------------

@pytest.fixture()
def registry_with_dead_site(private_web, tmp_path, monkeypatch) -> Path:
    import yaml

    from tests.flows.conftest import crawl_environment

    for name, value in crawl_environment(private_web.proxy_url, tmp_path).items():
        monkeypatch.setenv(name, value)
    registry = private_web.write_registry(tmp_path / "sites.yaml")
    sites = yaml.safe_load(registry.read_text(encoding="utf-8"))
    sites.append({"id": "deadsite", "name": "已关闭的站点", "start_urls": ["http://www.deadsite.gov.cn/"]})
    registry.write_text(yaml.safe_dump(sites, allow_unicode=True), encoding="utf-8")
    return registry


@pytest.mark.slow
def test_one_failing_site_is_red_but_the_run_completes(prefect_harness, registry_with_dead_site):
    runner = CliRunner()
    result = runner.invoke(app, ["crawl", "--sites", str(registry_with_dead_site),
                                 "--site", "liushu", "--site", "deadsite"])
    assert result.exit_code == 0, result.output
    assert "sites failed: 1 of 2" in " ".join(result.stdout.split())
    status = json.loads(runner.invoke(app, ["status", "--json"]).stdout)
    assert [site["site_id"] for site in status["failing_sites"]] == ["deadsite"]
    assert status["reports"] > 0 and status["last_runs"][0]["status"] == "completed"


@pytest.mark.slow
def test_a_run_where_every_site_fails_exits_1(prefect_harness, registry_with_dead_site):
    result = CliRunner().invoke(app, ["crawl", "--sites", str(registry_with_dead_site), "--site", "deadsite"])
    assert result.exit_code == 1
    # Prefect's run logs come first on stderr; the verdict is the last line.
    assert result.stderr.strip().splitlines()[-1] == (
        "nianbao: nightly-crawl run failed: all 1 sites failed; see the nightly-summary artifact")


def test_status_on_a_populated_store_shows_reports_by_year_and_format(store_env):
    from storage.repository import Repository
    from tests.storage.factories import fetched, parsed_report

    repo = Repository.open()
    for year, version in ((2020, "v2019"), (2023, "v2021"), (2024, "v2021")):
        url = f"http://www.qingshan.gov.cn/nb/{year}.html"
        raw = repo.record_fetch(fetched(url, str(year).encode()))
        repo.record_parse("qingshan", [raw], parsed_report(year=year, t2=version, t3=version), url)
    repo.close()
    human = CliRunner().invoke(app, ["status"], terminal_width=200)
    assert human.exit_code == 0, human.output
    rows = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
            for line in human.stdout.splitlines() if line.startswith("│ 20")}
    assert rows == {"2020": ["1", ""], "2023": ["", "1"], "2024": ["", "1"]}
