"""`nianbao demo`: crawl the bundled fake gov.cn web into a fresh folder, on loopback only.

`nianbao demo --again` crawls it once more into the same folder: a quiet night, where
every document answers unchanged and no report version is added.

The fake web (flows.fakeweb) answers for every fake gov.cn host through a proxy
on 127.0.0.1, so the demo sets HTTP_PROXY for the run and never reaches the
internet. Records land in a SQLite file and a blob folder inside the data folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storage.errors import UserError

MARKER = ".nianbao-demo"  # only folders the demo made itself are ever emptied
DATABASE_FILE = "nianbao.db"


def prepare_data_dir(data_dir: Path, again: bool = False) -> Path:
    """A fresh demo folder (or, `again`, the previous demo's); never empties a foreign folder."""
    if again:
        if not (data_dir / MARKER).exists() or not (data_dir / DATABASE_FILE).exists():
            raise UserError(f"{data_dir} holds no demo run to repeat; run `nianbao demo` first")
        return data_dir.resolve()
    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / MARKER).exists():
            raise UserError(f"{data_dir} exists and is not a demo folder; choose another --data-dir")
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / MARKER).write_text("created by `nianbao demo`; emptied on the next demo run\n")
    return data_dir.resolve()


@contextmanager
def demo_environment(proxy_url: str, data_dir: Path) -> Iterator[dict[str, str]]:
    """Proxy to the fake web and storage in the demo folder, for this run only."""
    loopback = "127.0.0.1,localhost"  # Prefect's own API must not go through the fake proxy
    values = {
        "HTTP_PROXY": proxy_url, "http_proxy": proxy_url,
        "NO_PROXY": loopback, "no_proxy": loopback,
        "NIANBAO_DATABASE_URL": f"sqlite:///{data_dir / DATABASE_FILE}",
        "NIANBAO_BLOB_URL": str(data_dir / "blobs"),
        "NIANBAO_LOG_DIR": str(data_dir / "logs"),
        "NIANBAO_CRAWL_DELAY": "0",  # loopback: politeness delays would only slow the demo
    }
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield values
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _start_fake_web() -> Any:
    from flows.fakeweb import start_fake_web

    return start_fake_web()


def run_demo(data_dir: Path, again: bool = False) -> dict[str, Any]:
    """Serve the fake web, crawl it into `data_dir`, export JSONL, explain where things are.

    With `again`, crawl into the previous demo's store instead of a fresh one.
    """
    from flows.running import run_flow
    from flows.crawl import nightly_crawl
    from flows.progress import print_run_result, stdout
    from storage.export import write_export
    from storage.repository import Repository

    data_dir = prepare_data_dir(data_dir, again)
    web = _start_fake_web()
    try:
        registry = web.write_registry(data_dir / "sites.yaml")
        stdout.print(f"fake gov.cn web with {len(web.sites)} sites on {web.proxy_url} (proxy)")
        with demo_environment(web.proxy_url, data_dir) as env:
            # The demo's nights are minutes apart: check every document, not only those due.
            result = run_flow(nightly_crawl, sites_file=str(registry), refresh_all=True)
            repo = Repository.open()
            try:
                exported = write_export(repo, "jsonl", data_dir / "reports.jsonl")
            finally:
                repo.close()
    finally:
        web.stop()
    print_run_result(result)
    _print_where(data_dir, env, exported)
    return result


def _print_where(data_dir: Path, env: dict[str, str], exported: int) -> None:
    from functools import partial

    from flows.progress import stdout as console

    say = partial(console.print, soft_wrap=True, highlight=False)  # commands must stay copy-pasteable
    say(f"\n{exported} current reports exported to {data_dir / 'reports.jsonl'}")
    say(f"database: {env['NIANBAO_DATABASE_URL']}\nraw documents: {env['NIANBAO_BLOB_URL']}"
        f"\ncrawler logs: {env['NIANBAO_LOG_DIR']}")
    say("\nexplore them:")
    say(f"  NIANBAO_DATABASE_URL={env['NIANBAO_DATABASE_URL']} "
        f"NIANBAO_BLOB_URL={env['NIANBAO_BLOB_URL']} nianbao status")
    say(f"  … nianbao export --format parquet --out {data_dir / 'reports.parquet'}")
    say(f"\nwhat a quiet night looks like: nianbao demo --again --data-dir {data_dir}")
    api_url = os.environ.get("PREFECT_API_URL")
    if api_url:
        ui = api_url.rstrip("/").removesuffix("/api")
        say(f"\nthis run is in the Prefect UI: {ui}/runs (artifacts: {ui}/artifacts)")
    else:
        say("\nto see runs and artifacts in the Prefect UI: run `prefect server start`, then "
            "`export PREFECT_API_URL=http://127.0.0.1:4200/api` and `nianbao demo` again; "
            "open http://127.0.0.1:4200")
