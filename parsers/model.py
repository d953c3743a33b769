"""Plain data passed between the parser stages and to storage.

Extractors (HTML, PDF, DOCX, DOC/WPS, text) turn bytes into an
`ExtractedDocument`; the report builder turns that into a `ParsedReport`.
Nothing here does any work beyond (de)serialising itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# "inferred": a value read from a flattened row (cells run together) by the unique
# split of its digits that satisfies the identities. "ocr": a number read from a scan by
# OCR; "ocr_corrected": a low-confidence OCR digit replaced by the only reading that makes
# every identity hold.
CellState = Literal["number", "blank", "na_marker", "absent", "unreadable", "inferred", "ocr", "ocr_corrected"]
NUMBER_STATES = frozenset({"number", "ocr", "ocr_corrected"})  # states whose value is a number
# How a cell's row was found: by its label (exact or one typo), by a similar label
# at its template position, or by position alone (label lost; identities confirm).
MappedBy = Literal["label", "similar_label", "position"]
FormatVersion = Literal["v2021", "v2019", "legacy_pre2019", "unknown"]
TableVersion = Literal["v2021", "v2019", "absent"]
Scope = Literal["department", "government_own", "region_aggregate", "unknown"]

# Reason codes for a document that could not be parsed. Stored with the record.
FAILURE_REASONS = (
    "empty_file",
    "too_large",
    "timeout",
    "corrupt",  # truncated PDF, broken zip, unreadable OLE
    "encrypted",  # needs a password we do not have
    "unsafe_xml",  # XML bomb, external entity
    "unsupported_type",
    "needs_ocr",  # scanned PDF / image-only report, no usable text layer
    "anti_bot_page",  # 412 / JS challenge instead of content
    "login_page",
    "soft_404_page",  # an error page ("页面不存在") served with 200
    "converter_missing",  # LibreOffice not installed
    "conversion_failed",
    "not_a_report",
    "ocr_timeout",  # reading a scanned page took longer than its limit
    "ocr_unreadable",  # a scan (or image) in which OCR found no report: blank, illegible or another document
)


@dataclass(frozen=True)
class Cell:
    """One table cell in the schema's cell value model."""

    raw: str | None
    value: int | float | None
    state: CellState
    unit_as_printed: str | None = None
    # Added keys (optional, None when unknown): the row label as printed, and how
    # the row was matched to the schema.
    label_as_printed: str | None = None
    mapped_by: MappedBy | None = None
    confidence: float | None = None  # OCR'd cells: the recogniser's confidence (0–1)

    @classmethod
    def absent(cls) -> Cell:
        return cls(raw=None, value=None, state="absent", unit_as_printed=None)


@dataclass(frozen=True)
class Check:
    """One hard identity of the schema, evaluated.

    `ok` is True/False, or None when an operand is absent. `status` refines a
    failure: "incomplete" when it disappears once blank total cells are
    treated as unknown, "inconsistent" otherwise.
    """

    name: str
    ok: bool | None
    status: Literal["holds", "inconsistent", "incomplete", "not_evaluable"]


@dataclass(frozen=True)
class ParseFailure:
    reason: str  # one of FAILURE_REASONS
    detail: str = ""


@dataclass
class ExtractedDocument:
    """What an extractor got out of one document, before any table mapping.

    `tables` are grids of cell text, one list per row; a merged cell's text is
    repeated in every position it covers, so every row has the full width.
    `text` is the body text in reading order (tables may also appear in it).
    """

    text: str
    tables: list[list[list[str]]] = field(default_factory=list)
    title: str | None = None
    source_format: str = "text"  # html | pdf | docx | doc | wps | text
    extraction_style: str = "text"
    page_count: int | None = None
    attachment_links: list[str] = field(default_factory=list)


@dataclass
class ParsedReport:
    """One report as the schema describes it: metadata, sections, fields, checks."""

    parser_version: str
    agency_name: str | None = None
    report_year: int | None = None
    title: str | None = None
    # Where the agency name came from: title | line_above | page_title | listing_title
    # (added key; None when no source gave a name that looks like an agency).
    agency_source: str | None = None
    scope: Scope = "unknown"
    format_version: FormatVersion = "unknown"
    t2_format_version: TableVersion = "absent"
    t3_format_version: TableVersion = "absent"
    sections: dict[str, str] = field(default_factory=dict)
    fields: dict[str, Cell] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    source_format: str = "text"
    extraction_style: str = "text"
    truncated: bool = False
    failure: ParseFailure | None = None
    warnings: list[str] = field(default_factory=list)
    source_url: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None

    def field_values(self) -> dict[str, int | float | None]:
        """`fields` as the export contract wants them: key -> number or null."""
        return {key: cell.value for key, cell in self.fields.items()}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the full record, cells included)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedReport:
        data = dict(data)
        data["fields"] = {k: Cell(**v) for k, v in data.get("fields", {}).items()}
        data["checks"] = [Check(**c) for c in data.get("checks", [])]
        if data.get("failure"):
            data["failure"] = ParseFailure(**data["failure"])
        return cls(**data)
