"""Parse one document from its bytes: detect the type, extract, build the report.

Bad input never raises: it comes back as `ParsedReport(failure=ParseFailure(code, detail))`
with a code from `parsers.model.FAILURE_REASONS`.
"""

from __future__ import annotations

from pathlib import Path

from parsers.build import report_from_extracted
from parsers.detect import detect_type
from parsers.extract import ExtractionFailure
from parsers.extract.decode import decode_text
from parsers.extract.docx import extract_docx
from parsers.extract.html import extract_html
from parsers.extract.office import extract_office
from parsers.extract.pdf import extract_pdf
from parsers.extract.pdf_worker import EXTRACTION_WORKER
from parsers.limits import DEFAULT_LIMITS, ParseLimits
from parsers.model import ExtractedDocument, ParsedReport, ParseFailure
from parsers.ocr.read import read_scan
from parsers.version import PARSER_VERSION

__all__ = ["detect_type", "parse_bytes", "parse_file"]

# Types we recognise but cannot read as a report.
_TYPE_FAILURES = {
    "empty": ("empty_file", "the document is empty"),
    "corrupt": ("corrupt", "the document's container (zip/OLE) is damaged"),
    "xlsx": ("unsupported_type", "spreadsheets are not parsed"),
    "xls": ("unsupported_type", "spreadsheets are not parsed"),
    "unknown": ("unsupported_type", "unrecognised file type"),
}


def parse_bytes(data: bytes, *, url: str | None = None, title_hint: str | None = None,
                content_type_charset: str | None = None,
                limits: ParseLimits | None = None) -> ParsedReport:
    limits = limits or DEFAULT_LIMITS
    if len(data) > limits.max_bytes:
        return _failed("unknown", url, "too_large", f"{len(data)} bytes is over the {limits.max_bytes}-byte limit")
    kind = detect_type(data)
    if kind in _TYPE_FAILURES:
        return _failed(kind, url, *_TYPE_FAILURES[kind])
    if kind == "image":
        return read_scan(data, kind, limits=limits, url=url, title_hint=title_hint)
    try:
        document = _extract(data, kind, url=url, charset=content_type_charset, limits=limits)
    except ExtractionFailure as error:
        if kind == "pdf" and error.failure.reason == "needs_ocr":  # a scan: read its page images
            return _scanned_pdf(data, error.failure.detail, limits=limits, url=url, title_hint=title_hint)
        return _failed(kind, url, error.failure.reason, error.failure.detail)
    return report_from_extracted(document, url=url, title_hint=title_hint)


def parse_file(path: str | Path, *, limits: ParseLimits | None = None) -> ParsedReport:
    limits = limits or DEFAULT_LIMITS
    size = Path(path).stat().st_size
    if size > limits.max_bytes:  # refused before reading it into memory
        return _failed("unknown", None, "too_large", f"{size} bytes is over the {limits.max_bytes}-byte limit")
    return parse_bytes(Path(path).read_bytes(), limits=limits)


def _extract(data: bytes, kind: str, *, url: str | None, charset: str | None,
             limits: ParseLimits) -> ExtractedDocument:
    if kind == "html":
        return EXTRACTION_WORKER.run(extract_html, data, url=url, header_charset=charset, limits=limits,
                                     timeout_s=limits.extract_timeout_s, memory_mb=limits.worker_memory_mb)
    if kind == "pdf":
        return extract_pdf(data, limits=limits)
    if kind == "docx":
        return EXTRACTION_WORKER.run(extract_docx, data, limits=limits,
                                     timeout_s=limits.extract_timeout_s, memory_mb=limits.worker_memory_mb)
    if kind in ("doc", "wps", "rtf"):
        return extract_office(data, kind, limits=limits)
    if kind == "text":
        return ExtractedDocument(text=decode_text(data), source_format="text")
    raise ValueError(f"no extractor for document type {kind!r}")  # a bug: detect_type grew a type


def _scanned_pdf(data: bytes, why: str, *, limits: ParseLimits, url: str | None,
                 title_hint: str | None) -> ParsedReport:
    """OCR of a PDF without a usable text layer; a failure says why OCR was tried."""
    report = read_scan(data, "pdf", limits=limits, url=url, title_hint=title_hint)
    if report.failure is not None:
        report.failure = ParseFailure(report.failure.reason, f"{why}; OCR: {report.failure.detail}")
    return report


def _failed(kind: str, url: str | None, reason: str, detail: str) -> ParsedReport:
    return ParsedReport(parser_version=PARSER_VERSION, source_format=kind, source_url=url,
                        failure=ParseFailure(reason, detail))
