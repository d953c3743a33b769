"""Benchmark the nightly crawl on the fake gov.cn web with many generated sites.

Two runs into a fresh store: a first full run, then a second run with nothing
changed. For each: requests seen by the web, document bodies downloaded, bytes
fetched, wall time, peak memory (this process and the crawl child processes).
The second run must download no document body (conditional GET); the script
exits 1 if it does.

    .venv/bin/python benchmarks/crawl_benchmark.py [--sites 50] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCUMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps")


def peak_memory_mb() -> dict[str, float]:
    """Peak resident memory so far (ru_maxrss is KiB on Linux)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": round(own, 1), "peak_child_rss_mb": round(children, 1)}


def document_downloads(log: list[Any]) -> int:
    """Document bodies served in full (200) — what conditional GET should avoid."""
    return sum(1 for r in log if r.status == 200 and r.url.lower().split("?")[0].endswith(DOCUMENT_SUFFIXES)
               or r.status == 200 and "downfile" in r.url)


def measure_run(label: str, web: Any, registry: Path) -> dict[str, Any]:
    from flows.crawl import nightly_crawl

    web.clear_log()
    started = time.perf_counter()
    result = nightly_crawl(sites_file=str(registry))
    wall = time.perf_counter() - started
    log = web.request_log
    totals = result["totals"]
    return {
        "run": label, "wall_seconds": round(wall, 1), "requests": len(log),
        "requests_304": sum(1 for r in log if r.status == 304),
        "document_bodies_downloaded": document_downloads(log),
        "fetcher_bytes": totals["bytes_downloaded"], "reports_new": totals["new"],
        "reports_changed": totals["changed"], "reports_unchanged": totals["unchanged"],
        "sites": totals["sites"], "sites_failed": totals["sites_failed"], **peak_memory_mb(),
    }


def measure_browser_pages(data: Path) -> dict[str, Any]:
    """Crawl the two browser-only fake sites: wall time per page the browser rendered."""
    from crawlers.registry import load_registry
    from crawlers.run import crawl_sites
    from flows.fakeweb.documents import DocumentStore
    from flows.fakeweb.sites import browser_only
    from flows.fakeweb.web import FakeWeb

    store = DocumentStore()
    web = FakeWeb(browser_only.build(store), store).start()
    previous = {name: os.environ.get(name) for name in ("HTTP_PROXY", "http_proxy")}
    os.environ.update({"HTTP_PROXY": web.proxy_url, "http_proxy": web.proxy_url})
    try:
        sites = load_registry(web.write_registry(data / "browser-sites.yaml"))
        started = time.perf_counter()
        crawl_sites(sites, database_url=f"sqlite:///{data / 'browser.db'}", blob_url=str(data / "browser-blobs"),
                    settings_overrides={"LOG_LEVEL": "WARNING"})
        wall = time.perf_counter() - started
        log = web.request_log
    finally:
        web.stop()
        os.environ.update({k: v for k, v in previous.items() if v is not None})
    rendered = [r for r in log if "HeadlessChromium" in (r.user_agent or "")
                and not r.url.endswith(("/robots.txt", ".json", ".js"))]
    return {"run": "browser sites", "wall_seconds": round(wall, 1), "requests": len(log),
            "browser_page_loads": len(rendered),
            "seconds_per_browser_page": round(wall / max(len(rendered), 1), 2), **peak_memory_mb()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=50, help="generated sites added to the fake web")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO_ROOT))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.fakeweb import start_fake_web

    web = start_fake_web(extra_generated_sites=args.sites)
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        data = Path(tmp)
        os.environ.update({
            "HTTP_PROXY": web.proxy_url, "http_proxy": web.proxy_url,
            "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
            "NIANBAO_DATABASE_URL": f"sqlite:///{data / 'nianbao.db'}",
            "NIANBAO_BLOB_URL": str(data / "blobs"), "NIANBAO_CRAWL_DELAY": "0",
        })
        registry = web.write_registry(data / "sites.yaml")
        try:
            runs = [measure_run("first", web, registry), measure_run("unchanged", web, registry)]
        finally:
            web.stop()
        runs.append(measure_browser_pages(data))
    print(json.dumps(runs, indent=2))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2), encoding="utf-8")
    if runs[1]["document_bodies_downloaded"]:
        print("FAIL: the unchanged run downloaded document bodies", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
