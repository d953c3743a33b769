"""The parser's resource limits, in one config object."""

from __future__ import annotations

from dataclasses import dataclass

from common.settings import MAX_DOCUMENT_BYTES

MB = 1024 * 1024


@dataclass(frozen=True)
class ParseLimits:
    """How much one document may cost. Defaults suit a nightly crawl on one core."""

    max_bytes: int = MAX_DOCUMENT_BYTES
    pdf_timeout_s: float = 60.0  # PDF reading runs in the extraction worker, killed after this
    convert_timeout_s: float = 120.0  # one soffice DOC/WPS -> DOCX conversion
    max_pdf_pages: int = 200  # reports run to ~10 pages; more is not a report
    max_xml_bytes: int = 64 * MB  # uncompressed size of one OOXML part (zip bombs)
    max_html_chars: int = 20 * MB  # decoded characters of one HTML page
    extract_timeout_s: float = 60.0  # DOCX and HTML extraction, in the same worker as PDF
    worker_memory_mb: int = 1024  # address space of the extraction worker (PDF, DOCX, HTML)
    convert_memory_mb: int = 2048  # address space of LibreOffice (maps ~460 MB for a report)
    max_garbled_share: float = 0.2  # (cid:N)/U+FFFD share of PDF text that means OCR is needed
    ocr_max_pages: int = 40  # scanned pages read per document
    ocr_page_timeout_s: float = 60.0  # one page; ~3 s of CPU is usual (README, Benchmarks)
    ocr_max_memory_mb: int = 1500  # resident size of the OCR process; ~400 MB is usual


DEFAULT_LIMITS = ParseLimits()
