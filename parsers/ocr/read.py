"""A scanned document (image-only PDF or image file) → `ParsedReport`, by OCR.

The pages are read in the OCR worker, assembled like a PDF's text layer and mapped by
the same builder as every other format. Every number read keeps its confidence and
the state `ocr`; a single one-digit repair may be taken (`ocr_corrected`, see trust.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import replace

from parsers.build import report_from_extracted
from parsers.limits import ParseLimits
from parsers.model import Cell, ParsedReport, ParseFailure
from parsers.ocr.document import ScannedDocument, assemble, box_ids
from parsers.ocr.trust import correct_one_digit
from parsers.ocr.worker import OCR_WORKER, OcrFailure
from parsers.version import PARSER_VERSION

if TYPE_CHECKING:
    from parsers.ocr.page import PageReading

MIN_BOXES = 5  # fewer text lines on every page together: a blank or illegible scan


def read_scan(data: bytes, kind: str, *, limits: ParseLimits, url: str | None = None,
              title_hint: str | None = None) -> ParsedReport:
    """`kind` is "pdf" (image-only) or "image"."""
    source_format = "pdf" if kind == "pdf" else "image"
    try:
        pages = OCR_WORKER.read(data, "pdf" if kind == "pdf" else "image",
                                max_pages=limits.ocr_max_pages,
                                page_timeout_s=limits.ocr_page_timeout_s,
                                max_memory_mb=limits.ocr_max_memory_mb)
    except OcrFailure as error:
        return _failed(source_format, url, error.reason, str(error))
    return report_from_pages(pages, source_format, url=url, title_hint=title_hint)


def report_from_pages(pages: list[PageReading], source_format: str, *, url: str | None = None,
                      title_hint: str | None = None) -> ParsedReport:
    boxes = sum(len(page.boxes) for page in pages)
    if boxes < MIN_BOXES:
        return _failed(source_format, url, "ocr_unreadable",
                       f"OCR found {boxes} lines of text in {len(pages)} pages: blank or illegible")
    scan = assemble(pages, source_format)
    report = report_from_extracted(scan.document, url=url, title_hint=title_hint)
    if not report.ok:
        report.failure = ParseFailure("ocr_unreadable", f"OCR read {boxes} lines but no report: "
                                      f"{report.failure.detail if report.failure else ''}")
        return report
    traced = report_from_extracted(scan.tracer, url=url, title_hint=title_hint)
    report.fields = {key: _ocr_cell(cell, traced.fields.get(key), scan)
                     for key, cell in report.fields.items()}
    note = correct_one_digit(report)
    if note:
        report.warnings.append(note)
    return report


def _ocr_cell(cell: Cell, traced: Cell | None, scan: ScannedDocument) -> Cell:
    """A number read by OCR: state `ocr` and the lowest confidence of the boxes it came from."""
    if cell.state != "number":
        return cell
    ids = box_ids(traced.raw if traced is not None else None)
    confidence = min((scan.confidence[i] for i in ids if i in scan.confidence), default=None)
    return replace(cell, state="ocr", confidence=round(confidence, 4) if confidence is not None else None)


def _failed(source_format: str, url: str | None, reason: str, detail: str) -> ParsedReport:
    return ParsedReport(parser_version=PARSER_VERSION, source_format=source_format, source_url=url,
                        failure=ParseFailure(reason, detail))
