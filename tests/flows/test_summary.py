"""The run summary: per-site verdicts (failed first), the markdown artifact, the documents table."""

from __future__ import annotations

from flows.site_work import ReportOutcome, SiteOutcome
from flows.artifacts import document_rows
from flows.summary import run_result, summary_markdown, years_text
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
    assert sites["bad"]["failure"] == "discovery: start page answered 502; fetch task failed: boom"
    assert result["totals"] == {"new": 1, "changed": 0, "unchanged": 1, "parse_failed": 1,
                                "fetch_failed": 0, "sites": 2, "sites_failed": 1, "requests": 3,
                                "bytes_downloaded": 1200, "documents_new": 2}
    markdown = summary_markdown("Nightly run 7", result)
    assert "| bad | **NO** |" in markdown and "start page answered 502" in markdown
    assert "[甲2020年报](http://a.gov.cn/3.html) | needs_ocr: no text layer |" in markdown


def test_failed_sites_come_first_and_discovery_is_shown_per_site():
    statuses = {"good": SiteCrawlStatus("good", pages_visited=4, reports_by_year={2022: 1, 2021: 2},
                                        detail="4 pages, 3 reports; robots.txt forbids /old/",
                                        report_columns=("http://a.gov.cn/nb/",)),
                "bad": SiteCrawlStatus("bad", ok=False, detail="0 pages, 0 reports; http_502 at http://b/")}
    result = run_result("nightly", 7, statuses, outcomes(), ["good", "bad"])
    assert [site["site_id"] for site in result["sites"]] == ["bad", "good"]
    markdown = summary_markdown("Nightly run 7", result)
    assert markdown.index("## Failed sites (1 of 2)") < markdown.index("## Sites")
    assert ("| good | yes | 4 | 2021: 2, 2022: 1 | 1 | 0 | 1 | 1 | robots.txt forbids /old/ "
            "| [1](http://a.gov.cn/nb/) |") in markdown


def test_years_are_text_not_a_python_dict():
    assert years_text({2022: 1, 2021: 2}) == "2021: 2, 2022: 1"
    assert years_text({}) == "none"


def test_documents_table_lists_new_and_changed_reports_with_their_documents():
    result = run_result("nightly", 7, {}, outcomes(), ["good", "bad"])
    assert document_rows(result["reports"]) == [{
        "site": "good", "agency": "甲局", "year": 2022, "status": "new", "version": 1, "format": "",
        "checks_failed": "t3_total_applications", "title": "甲2022年报",
        "source": "http://a.gov.cn/1.html", "documents": "",
    }]
