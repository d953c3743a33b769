"""The run summary: per-site verdicts, the markdown artifact, the failed-checks table."""

from __future__ import annotations

from flows.site_work import ReportOutcome, SiteOutcome
from flows.summary import check_failure_rows, run_result, summary_markdown
from storage.records import SiteCrawlStatus


def outcomes() -> dict[str, SiteOutcome]:
    good = SiteOutcome("good", requests=3, bytes_downloaded=1200, documents_new=2, reports=[
        ReportOutcome("good", "http://a.gov.cn/1.html", "甲2022年报", "new", "甲局", 2022, 1,
                      failed_checks=["t3_total_applications"]),
        ReportOutcome("good", "http://a.gov.cn/2.html", "甲2021年报", "unchanged"),
        ReportOutcome("good", "http://a.gov.cn/3.html", "甲2020年报", "parse_failed",
                      detail="needs_ocr: no text layer"),
    ])
    return {"good": good, "bad": SiteOutcome("bad", error="fetch task failed: boom")}


def test_a_failed_site_is_red_and_the_others_still_count():
    statuses = {"good": SiteCrawlStatus("good", pages_visited=4),
                "bad": SiteCrawlStatus("bad", ok=False, detail="start page answered 502")}
    result = run_result("nightly", 7, statuses, outcomes(), ["good", "bad"])
    sites = {site["site_id"]: site for site in result["sites"]}
    assert sites["good"]["ok"] and sites["good"]["reports_new"] == 1
    assert not sites["bad"]["ok"]
    assert sites["bad"]["failure"] == "start page answered 502; fetch task failed: boom"
    assert result["totals"] == {"new": 1, "changed": 0, "unchanged": 1, "parse_failed": 1,
                                "fetch_failed": 0, "sites": 2, "sites_failed": 1, "requests": 3,
                                "bytes_downloaded": 1200, "documents_new": 2}
    markdown = summary_markdown("Nightly run 7", result)
    assert "| bad | **NO** |" in markdown and "start page answered 502" in markdown
    assert "[甲2020年报](http://a.gov.cn/3.html) | needs_ocr: no text layer |" in markdown


def test_check_failure_rows_list_only_recorded_reports_with_failed_checks():
    result = run_result("nightly", 7, {}, outcomes(), ["good", "bad"])
    assert check_failure_rows(result["reports"]) == [{
        "site": "good", "agency": "甲局", "year": 2022,
        "failed_checks": "t3_total_applications", "url": "http://a.gov.cn/1.html",
    }]

