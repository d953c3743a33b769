"""Conditional list pages: a second nightly crawl asks with validators and reads 304s as unchanged."""

from __future__ import annotations

from pathlib import Path

from crawlers.registry import load_registry
from crawlers.run import crawl_sites
from flows.fakeweb import FakeWeb
from storage.repository import Repository

OVERRIDES = {"LOG_LEVEL": "WARNING", "NIANBAO_MAX_QUERY_VARIANTS": 10}


def _links(database_url: str, blob_dir: Path) -> set[str]:
    repo = Repository.open(database_url, str(blob_dir))
    try:
        return {link.url for link in repo.links_to_fetch(include_gone=True)}
    finally:
        repo.close()


def test_second_crawl_revalidates_pages_and_a_304_list_adds_nothing(
    web: FakeWeb, tmp_path: Path, sqlite_url: str
) -> None:
    sites = load_registry(web.write_registry(tmp_path / "sites.yaml"))
    blobs = tmp_path / "blobs"
    crawl_sites(sites, database_url=sqlite_url, blob_url=str(blobs), settings_overrides=OVERRIDES)
    first_links = _links(sqlite_url, blobs)
    first = {(e.method, e.url): e.status for e in web.request_log if e.method == "GET"}
    web.clear_log()

    crawl_sites(sites, database_url=sqlite_url, blob_url=str(blobs), settings_overrides=OVERRIDES)
    second = [e for e in web.request_log if e.method == "GET"]

    assert _links(sqlite_url, blobs) == first_links
    revisited = [e for e in second if first.get((e.method, e.url)) == 200]
    assert revisited, "the second crawl asks again for pages it read before"
    not_modified = [e for e in revisited if e.status == 304]
    # Every page read before and unchanged comes back 304, not in full.
    assert [e.url for e in revisited if e.status == 200 and not e.url.endswith("/robots.txt")] == []
    assert len(not_modified) >= len(revisited) - sum(e.url.endswith("/robots.txt") for e in revisited)
