"""Attachments of a known report page, read again whenever the page's bytes change.

A site that adds or replaces the PDF of a report edits the report page; the
crawler does not walk known pages again, so the fetch pass reads the page's
attachment links (the HTML extractor's `attachment_links`) from each new raw
version and records those it did not know, to be fetched the same night.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from common.scope import in_scope
from flows.fetcher import header_charset
from flows.reports import ReportGroup
from storage.records import DiscoveredLink
from storage.refs import LinkToFetch, RawVersionRef
from storage.repository import Repository


def page_attachment_links(content: bytes, raw: RawVersionRef) -> list[str]:
    """The document links of a stored report page (none when it is not readable HTML)."""
    from parsers.extract import ExtractionFailure
    from parsers.extract.html import extract_html

    try:
        return extract_html(content, url=raw.url, header_charset=header_charset(raw.content_type)).attachment_links
    except ExtractionFailure:
        return []


def new_attachments(
    repo: Repository, group: ReportGroup, page_raw: RawVersionRef, allowed_domains: Sequence[str]
) -> list[LinkToFetch]:
    """Record the attachments the page's new version links that the group lacks; return them as links."""
    page = group.page
    assert page is not None
    known = {link.url for link in group.attachments}
    domains = tuple(allowed_domains) or (urlsplit(page.url).hostname or "",)
    found = [url for url in page_attachment_links(repo.read_blob(page_raw.sha256), page_raw)
             if url not in known and url != page.url and in_scope(url, domains)]
    if not found:
        return []
    repo.record_links([DiscoveredLink(group.site_id, url, "attachment", None, page.report_year,
                                      page.agency_guess, parent_url=page.url) for url in found])
    template = replace(page, kind="attachment", title=None, parent_url=page.url, etag=None, last_modified=None)
    return [replace(template, url=url) for url in found]
