"""Parse a report from plain extracted text (the seeds, pandoc output, PDF text)."""

from __future__ import annotations

from parsers.build import report_from_extracted
from parsers.model import ExtractedDocument, ParsedReport


def parse_text(text: str, *, title_hint: str | None = None) -> ParsedReport:
    return report_from_extracted(ExtractedDocument(text=text), title_hint=title_hint)
