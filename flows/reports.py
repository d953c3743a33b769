"""Which stored documents make up one report, and which parse of them is the record.

A report page's HTML and the documents attached to it are one report. The page
is parsed first; when it carries no table (a short notice linking a PDF), the
attachments are parsed and the best one becomes the record. Every document of
the group stays a raw version of the report either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from parsers.model import NUMBER_STATES, ParsedReport
from storage.refs import LinkToFetch, RawVersionRef

TABLE_CELL_STATES = NUMBER_STATES | {"blank", "na_marker"}
# A scan that could not be read (no OCR engine, or OCR failed) is still a report document.
SCAN_FAILURES = ("needs_ocr", "ocr_unreadable", "ocr_timeout")


@dataclass(frozen=True)
class ReportGroup:
    """One report's documents as links: its page (if any) and its attachments."""

    site_id: str
    source_url: str
    page: LinkToFetch | None
    attachments: tuple[LinkToFetch, ...] = ()

    @property
    def links(self) -> tuple[LinkToFetch, ...]:
        return ((self.page,) if self.page else ()) + self.attachments

    @property
    def title(self) -> str | None:
        return next((link.title for link in self.links if link.title), None)

    @property
    def year_hint(self) -> int | None:
        return next((link.report_year for link in self.links if link.report_year), None)

    @property
    def agency_hint(self) -> str | None:
        return next((link.agency_guess for link in self.links if link.agency_guess), None)


@dataclass(frozen=True)
class StoredDocument:
    """A raw version with its bytes, ready for the parser (no network involved)."""

    raw: RawVersionRef
    content: bytes
    title_hint: str | None = None
    charset: str | None = None


@dataclass
class ChosenParse:
    parsed: ParsedReport
    from_url: str
    tried: list[str] = field(default_factory=list)


def group_links(links: Iterable[LinkToFetch]) -> list[ReportGroup]:
    """Pages with their attachments; an attachment without a known page is its own report."""
    links = list(links)
    pages = {link.url: link for link in links if link.kind == "page"}
    attached: dict[str, list[LinkToFetch]] = {url: [] for url in pages}
    orphans: list[LinkToFetch] = []
    for link in links:
        if link.kind == "page":
            continue
        if link.parent_url in attached:
            attached[link.parent_url].append(link)
        else:
            orphans.append(link)
    groups = [
        ReportGroup(page.site_id, page.url, page, tuple(attached[url])) for url, page in pages.items()
    ]
    groups += [ReportGroup(link.site_id, link.url, None, (link,)) for link in orphans]
    return groups


def has_tables(parsed: ParsedReport) -> bool:
    """True when the parse found at least one table cell of the schema."""
    return parsed.ok and any(cell.state in TABLE_CELL_STATES for cell in parsed.fields.values())


def table_score(parsed: ParsedReport) -> tuple[int, int, int, int]:
    """Order parses: usable first, then by numbers found, then by cells found.

    Among failures, a scanned report that could not be read says more than a page that
    is not a report (a notice linking the scan): the group fails as the scan did.
    """
    numbers = sum(1 for cell in parsed.fields.values() if cell.state in NUMBER_STATES)
    cells = sum(1 for cell in parsed.fields.values() if cell.state in TABLE_CELL_STATES)
    needs_ocr = 1 if parsed.failure is not None and parsed.failure.reason in SCAN_FAILURES else 0
    return (1 if parsed.ok else 0, numbers, cells, needs_ocr)


def choose_parse(
    page: StoredDocument | None,
    attachments: Sequence[StoredDocument],
    parse: Callable[[StoredDocument], ParsedReport],
) -> ChosenParse:
    """Parse the page, and the attachments only when the page has no tables."""
    if page is None and not attachments:
        raise ValueError("a report group needs at least one stored document")
    chosen: ChosenParse | None = None
    if page is not None:
        chosen = ChosenParse(parse(page), page.raw.url, [page.raw.url])
        if has_tables(chosen.parsed) or not attachments:
            return chosen
    tried = chosen.tried if chosen else []
    for document in attachments:
        candidate = parse(document)
        tried.append(document.raw.url)
        if chosen is None or table_score(candidate) > table_score(chosen.parsed):
            chosen = ChosenParse(candidate, document.raw.url, tried)
    assert chosen is not None
    chosen.tried = tried
    return chosen
