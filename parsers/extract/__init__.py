"""Per-format extractors: bytes -> ExtractedDocument (see parsers.api for the entry point)."""

from __future__ import annotations

from parsers.model import ParseFailure


class ExtractionFailure(Exception):
    """The document cannot be read as a report; `failure` says why (a FAILURE_REASONS code)."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.failure = ParseFailure(reason, detail)
