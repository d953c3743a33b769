"""Serving a report's page and attachments from the document store."""

from __future__ import annotations

from typing import Callable
from urllib.parse import quote

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.model import FakeRequest, Reply, ReportEntry
from flows.fakeweb.sites.base import FakeSite

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    # Real servers mostly do not know WPS and send a generic type.
    "wps": "application/octet-stream",
}


def serve_attachments(site: FakeSite, store: DocumentStore, report: ReportEntry) -> None:
    """Add one route per attachment of `report` that answers the rendered document."""
    for attachment in report.attachments:
        site.add(attachment.url, _document_handler(store, report, attachment.fmt, attachment.link_text))


def _document_handler(
    store: DocumentStore, report: ReportEntry, fmt: str, link_text: str
) -> Callable[[FakeRequest], Reply]:
    def handler(_request: FakeRequest) -> Reply:
        headers: tuple[tuple[str, str], ...] = ()
        if "downfile.jsp" in _request.path:
            # Extension-less download URLs name the file only in this header.
            headers = (("Content-Disposition", f"attachment; filename*=UTF-8''{quote(link_text)}"),)
        return Reply(200, store.render(report, fmt), CONTENT_TYPES[fmt], headers)

    return handler


def publish(
    site: FakeSite,
    store: DocumentStore,
    report: ReportEntry,
    page_html: Callable[[], str],
    encoding: str = "utf-8",
    header_charset: bool = True,
) -> None:
    """Register a true report: its page, its attachments and its truth."""
    site.add_report(report)
    site.add_html(report.page_url, page_html, encoding, header_charset)
    serve_attachments(site, store, report)
