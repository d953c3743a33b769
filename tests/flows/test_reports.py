"""Grouping a site's links into reports, and choosing which parse becomes the record."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from flows.reports import StoredDocument, choose_parse, group_links, has_tables
from parsers.model import Cell, ParsedReport, ParseFailure
from storage.refs import LinkToFetch, RawVersionRef

PAGE = "http://www.a.gov.cn/xxgk/ndbg/t20230131_1.html"
PDF = "http://www.a.gov.cn/xxgk/ndbg/P020230131.pdf"
DOCX = "http://www.a.gov.cn/xxgk/ndbg/P020230131.docx"
LIST = "http://www.a.gov.cn/xxgk/ndbg/index.html"


def link(url: str, kind: str, parent: str | None = None, title: str | None = None) -> LinkToFetch:
    return LinkToFetch("a", url, kind, title, 2022, None, parent, None, None)


def stored(url: str, n: int) -> StoredDocument:
    raw = RawVersionRef(n, url, f"{n:064x}", 10, None, datetime.now(timezone.utc), 1)
    return StoredDocument(raw, url.encode())


def report(numbers: int, failure: str | None = None) -> ParsedReport:
    fields = {f"k{i}": Cell(str(i), i, "number") for i in range(numbers)}
    fields["absent"] = Cell.absent()
    return ParsedReport("test", fields=fields, failure=ParseFailure(failure) if failure else None)


def test_attachments_join_their_page_and_orphans_stand_alone():
    groups = group_links([
        link(PAGE, "page", LIST, "某局2022年报"), link(PDF, "attachment", PAGE),
        link(DOCX, "attachment", LIST),
    ])
    assert [(g.source_url, g.page.url if g.page else None, [a.url for a in g.attachments])
            for g in groups] == [(PAGE, PAGE, [PDF]), (DOCX, None, [DOCX])]
    assert groups[0].title == "某局2022年报" and groups[0].year_hint == 2022


def test_a_page_with_tables_is_the_record_and_attachments_are_not_parsed():
    parsed_urls = []

    def parse(doc: StoredDocument) -> ParsedReport:
        parsed_urls.append(doc.raw.url)
        return report(5)

    chosen = choose_parse(stored(PAGE, 1), [stored(PDF, 2)], parse)
    assert chosen.from_url == PAGE and parsed_urls == [PAGE]


def test_a_page_without_tables_falls_back_to_the_best_attachment():
    results = {PAGE: report(0), PDF: report(3), DOCX: report(7)}
    chosen = choose_parse(stored(PAGE, 1), [stored(PDF, 2), stored(DOCX, 3)],
                          lambda doc: results[doc.raw.url])
    assert chosen.from_url == DOCX and chosen.tried == [PAGE, PDF, DOCX]


def test_a_failed_attachment_never_beats_a_usable_page():
    results = {PAGE: report(0), PDF: report(0, failure="needs_ocr")}
    chosen = choose_parse(stored(PAGE, 1), [stored(PDF, 2)], lambda doc: results[doc.raw.url])
    assert chosen.from_url == PAGE


def test_has_tables_ignores_absent_cells_and_failures():
    assert not has_tables(report(0))
    assert has_tables(report(1))
    assert not has_tables(report(4, failure="corrupt"))


def test_a_group_needs_a_document():
    with pytest.raises(ValueError):
        choose_parse(None, [], lambda doc: report(1))
