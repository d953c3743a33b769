"""Night-by-night scenarios on the fake web: every night leaves the store true.

Each night fetches the site's known links (as the nightly flow does, without
Prefect) while the fake web's control switches one condition on or off per URL.
The exported current records and the export of all versions are asserted whole.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import flows.site_work as site_work
from flows.fakeweb import FakeWeb, start_fake_web
from flows.fakeweb.revise import REVISED_FIELD, revise_spec
from flows.fetcher import Fetcher, FetchLimits
from parsers.version import PARSER_VERSION
from storage.records import DiscoveredLink
from storage.repository import Repository

FAST = FetchLimits(delay_seconds=0, backoff_seconds=0.01, backoff_max_seconds=0.02, allow_private=True)
INLINE_REVISABLE = "http://xxgk.baishi.gov.cn/xxgknb/content/post_4388.html"


@pytest.fixture(scope="module")
def web() -> Iterator[FakeWeb]:
    started = start_fake_web()
    yield started
    started.stop()


@pytest.fixture
def store(web: FakeWeb, database_url: str, tmp_path, monkeypatch) -> Iterator[Repository]:
    web.reset()
    monkeypatch.setenv("HTTP_PROXY", web.proxy_url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    repo = Repository.open(database_url, str(tmp_path / "blobs"))
    yield repo
    repo.close()
    web.reset()


def know_report(repo: Repository, web: FakeWeb, page_url: str):
    """Record the links of the fake report at `page_url`, as a crawl would; return its truth."""
    report = next(r for r in web.expected_reports() if r.page_url == page_url)
    repo.record_links([DiscoveredLink(report.site_id, report.page_url, "page", report.title, report.year)]
                      + [DiscoveredLink(report.site_id, url, "attachment", None, report.year,
                                        parent_url=report.page_url) for url in report.attachment_urls])
    return report


def night(repo: Repository, web: FakeWeb, site_id: str) -> dict[str, int]:
    """One nightly fetch of the site; the statuses the fake web answered, per document URL (no robots.txt)."""
    web.clear_log()
    current = repo.derivations().get(site_id, set())
    with Fetcher(FAST) as fetcher:
        site_work.fetch_site(repo, fetcher, site_id, (), repo.links_to_fetch([site_id]), PARSER_VERSION, current)
    return {entry.url: entry.status for entry in web.request_log if not entry.url.endswith("/robots.txt")}


def view(repo: Repository, all_versions: bool = False) -> list[tuple]:
    """The export, reduced to what the scenarios decide: which version, its value, current, withdrawn."""
    return [
        (r["url"], r["version"], r["fields"].get(REVISED_FIELD), r["current"], r["failure"], r["withdrawn_at"])
        for r in repo.iter_export_records(all_versions=all_versions)
    ]


def fetch_outcomes(repo: Repository, url: str) -> list[str]:
    from sqlalchemy import select

    from storage import models as m

    with repo._session() as session:
        return list(session.scalars(select(m.FetchEvent.outcome).where(m.FetchEvent.url == url)
                                    .order_by(m.FetchEvent.id)))


def test_bytes_that_go_back_make_the_first_record_current_again_and_etags_follow(store, web):
    report = know_report(store, web, INLINE_REVISABLE)
    a = report.spec.fields[REVISED_FIELD]
    b = revise_spec(report.spec).fields[REVISED_FIELD]
    page = report.page_url

    assert night(store, web, "baishi") == {page: 200}
    web.set_revision(1)
    assert night(store, web, "baishi") == {page: 200}
    assert view(store) == [(page, 2, b, True, None, None)]
    web.set_revision(0)  # the site goes back to the first bytes
    assert night(store, web, "baishi") == {page: 200}
    assert view(store) == [(page, 1, a, True, None, None)]
    assert view(store, all_versions=True) == [(page, 1, a, True, None, None), (page, 2, b, False, None, None)]
    assert night(store, web, "baishi") == {page: 304}  # the ETag of A is sent, not B's

    web.conditions.set(page, "rotate_etag")  # identical bytes under a new ETag
    assert night(store, web, "baishi") == {page: 200}
    assert night(store, web, "baishi") == {page: 304}
    assert view(store, all_versions=True) == [(page, 1, a, True, None, None), (page, 2, b, False, None, None)]
    assert fetch_outcomes(store, page) == [
        "new_version", "new_version", "reverted", "not_modified", "unchanged", "not_modified"]


@pytest.mark.parametrize("condition", ["challenge", "login", "soft_404"])
def test_a_stand_in_page_for_one_night_changes_nothing(store, web, condition):
    report = know_report(store, web, INLINE_REVISABLE)
    page, value = report.page_url, report.spec.fields[REVISED_FIELD]
    night(store, web, "baishi")
    before = [(page, 1, value, True, None, None)]
    assert view(store, all_versions=True) == before

    web.conditions.set(page, condition)
    assert night(store, web, "baishi") == {page: 200}
    web.conditions.clear(page)
    assert view(store) == before and view(store, all_versions=True) == before
    assert night(store, web, "baishi") == {page: 304}
    assert view(store, all_versions=True) == before
    assert fetch_outcomes(store, page) == ["new_version", condition, "not_modified"]


def test_a_404_for_one_night_loses_nothing(store, web):
    report = know_report(store, web, INLINE_REVISABLE)
    page, value = report.page_url, report.spec.fields[REVISED_FIELD]
    night(store, web, "baishi")
    web.conditions.set(page, "404")
    assert night(store, web, "baishi") == {page: 404}
    assert view(store, all_versions=True) == [(page, 1, value, True, None, None)]
    web.conditions.clear(page)
    assert night(store, web, "baishi") == {page: 304}  # still fetched, with its validators
    assert view(store, all_versions=True) == [(page, 1, value, True, None, None)]
    assert fetch_outcomes(store, page) == ["new_version", "missing", "not_modified"]


def test_a_page_gone_for_good_stays_exported_as_withdrawn(store, web):
    from storage.link_state import GonePolicy

    store.gone_policy = GonePolicy(answers=2, min_days=0)
    report = know_report(store, web, INLINE_REVISABLE)
    page, value = report.page_url, report.spec.fields[REVISED_FIELD]
    night(store, web, "baishi")
    web.conditions.set(page, "410")
    night(store, web, "baishi")
    assert night(store, web, "baishi") == {page: 410}
    [(url, version, got, current, failure, withdrawn)] = view(store, all_versions=True)
    assert (url, version, got, current, failure) == (page, 1, value, True, None) and withdrawn
    assert night(store, web, "baishi") == {}  # gone links are not fetched again
    assert fetch_outcomes(store, page) == ["new_version", "missing", "gone"]


def scanned_pdf() -> bytes:
    from flows.reportgen import pdfcraft

    return pdfcraft.scanned_pdf()


def with_link(html: bytes, href: str) -> bytes:
    """The page with one more attachment link in its article (after its last table), ASCII only."""
    link = f'<p><a href="{href}">scan.pdf</a></p>'.encode()
    if b"</table>" in html:
        head, tail = html.rsplit(b"</table>", 1)
        return head + b"</table>" + link + tail
    return html.replace(b"</body>", link + b"</body>", 1)


def test_an_attachment_added_to_a_known_page_is_found_and_fetched_the_same_night(store, web):
    report = know_report(store, web, INLINE_REVISABLE)
    page, value = report.page_url, report.spec.fields[REVISED_FIELD]
    added = page.rsplit("/", 1)[0] + "/P020240401_scan.pdf"
    night(store, web, "baishi")
    original = next(iter(store.iter_export_records()))["documents"][0]["sha256"]
    web.conditions.set(page, "serve", with_link(store.read_blob(original), added))
    web.conditions.set(added, "serve", scanned_pdf(), content_type="application/pdf")
    assert night(store, web, "baishi") == {page: 200, added: 200}
    assert [(r["version"], [d["url"] for d in r["documents"]]) for r in
            store.iter_export_records(all_versions=True)] == [(1, [page]), (2, [page, added])]
    # The page's tables stay the record; the scan beside it is one of its documents.
    assert view(store) == [(page, 2, value, True, None, None)]
    assert night(store, web, "baishi") == {page: 304, added: 304}


def test_a_scanned_pdf_listed_beside_an_html_report_does_not_replace_it(store, web):
    report = know_report(store, web, INLINE_REVISABLE)
    page, value = report.page_url, report.spec.fields[REVISED_FIELD]
    scan = page.rsplit("/", 1)[0] + "/P020240401_scan.pdf"
    store.record_links([DiscoveredLink("baishi", scan, "attachment", report.title, report.year, report.agency,
                                       parent_url="http://xxgk.baishi.gov.cn/xxgknb/")])  # listed on its own
    web.conditions.set(scan, "serve", scanned_pdf(), content_type="application/pdf")
    night(store, web, "baishi")
    assert view(store) == [(page, 1, value, True, None, None)]
    assert view(store, all_versions=True) == [(page, 1, value, True, None, None),
                                              (scan, 2, None, False, "ocr_unreadable", None)]


def test_a_report_whose_only_document_is_an_unreadable_scan_fails_as_the_scan(store, web):
    notice = "http://xxgk.baishi.gov.cn/xxgknb/content/post_9901.html"
    scan = "http://xxgk.baishi.gov.cn/xxgknb/content/P020240401_9901.pdf"
    body = ("<html><head><title>白石市2023年政府信息公开工作年度报告</title></head><body>"
            "<h1>白石市2023年政府信息公开工作年度报告</h1><p>详见附件。</p></body></html>").encode()
    web.conditions.set(notice, "serve", with_link(body, scan))
    web.conditions.set(scan, "serve", scanned_pdf(), content_type="application/pdf")
    store.record_links([DiscoveredLink("baishi", notice, "page", "白石市2023年政府信息公开工作年度报告", 2023)])
    night(store, web, "baishi")  # the scan is found on the page, fetched and parsed the same night
    assert [(r["url"], r["version"], r["current"], r["failure"], [d["url"] for d in r["documents"]])
            for r in store.iter_export_records(all_versions=True)] == [
        (notice, 1, True, "ocr_unreadable", [notice, scan])]


def test_a_parser_that_corrects_the_agency_name_corrects_the_report_not_adds_one(store, web, monkeypatch):
    from dataclasses import replace

    from flows.tasks import _reparse_item

    report = know_report(store, web, INLINE_REVISABLE)
    page, value = report.page_url, report.spec.fields[REVISED_FIELD]
    real_parse = site_work.parse_stored

    def misreading_parser(document):  # an older parser that misreads the agency name
        parsed = real_parse(document)
        return replace(parsed, agency_name=f"{parsed.agency_name}办公室", parser_version="0-misreads")

    with monkeypatch.context() as patch:
        patch.setattr(site_work, "parse_stored", misreading_parser)
        night(store, web, "baishi")
    assert [(r["agency"], r["version"]) for r in store.iter_export_records()] == [(f"{report.agency}办公室", 1)]

    for item in store.reparse_items():  # `nianbao reparse` with the fixed parser
        _reparse_item(store, item)
    assert [(r["agency"], r["url"], r["version"], r["current"], r["fields"][REVISED_FIELD])
            for r in store.iter_export_records(all_versions=True)] == [
        (report.agency, page, 1, False, value), (report.agency, page, 2, True, value)]
    assert view(store) == [(page, 2, value, True, None, None)]


def test_a_challenged_list_page_for_one_night_loses_no_link_and_changes_no_record(store, web, database_url,
                                                                                 tmp_path, monkeypatch):
    from crawlers.registry import load_registry
    from crawlers.run import crawl_sites

    monkeypatch.setenv("http_proxy", web.proxy_url)
    monkeypatch.setenv("NIANBAO_CRAWL_DELAY", "0")
    site = next(s for s in load_registry(web.write_registry(tmp_path / "sites.yaml")) if s.id == "baishi")

    def crawl_and_fetch() -> list[tuple]:
        crawl_sites([site], mode="nightly", database_url=database_url, blob_url=str(tmp_path / "blobs"),
                    settings_overrides={"LOG_LEVEL": "WARNING"})
        night(store, web, "baishi")
        return sorted((link.url, link.kind) for link in store.links_to_fetch(include_gone=True))

    links = crawl_and_fetch()
    current, every = view(store), view(store, all_versions=True)
    assert {url for url, _ in links} == {r.page_url for r in web.expected_reports("baishi")}
    assert len(current) == len(links) and len(every) == len(links)

    web.conditions.set("http://xxgk.baishi.gov.cn/xxgknb/list.html", "challenge")
    assert crawl_and_fetch() == links
    assert (view(store), view(store, all_versions=True)) == (current, every)
