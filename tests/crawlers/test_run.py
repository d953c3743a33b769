"""crawl_sites argument handling that needs no child process."""

from __future__ import annotations

import pytest

from crawlers.registry import SiteConfig
from crawlers.run import crawl_sites, main
from storage.errors import UserError
from storage.records import SiteCrawlStatus

OFF = SiteConfig("off", "停用县人民政府", ("http://www.off.gov.cn/",), enabled=False)


def test_unknown_mode_is_a_user_error() -> None:
    with pytest.raises(UserError, match="unknown crawl mode 'weekly': use one of nightly, backfill"):
        crawl_sites([OFF], mode="weekly")


def test_disabled_sites_are_reported_not_crawled() -> None:
    assert crawl_sites([OFF]) == {"off": SiteCrawlStatus("off", ok=True, detail="disabled in the registry; not crawled")}


def test_child_entry_point_needs_a_job_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: python -m crawlers.run JOB.json" in capsys.readouterr().err
