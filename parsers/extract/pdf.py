"""Extract a report from a PDF: text and ruled tables, under a time limit, or a reason why not."""

from __future__ import annotations

import time

from parsers.extract import ExtractionFailure
from parsers.extract.pdf_pages import read_pdf
from parsers.extract.pdf_worker import EXTRACTION_WORKER, WorkerDied
from parsers.limits import DEFAULT_LIMITS, ParseLimits
from parsers.model import ExtractedDocument

EOF_WINDOW = 4096  # "%%EOF" must appear this close to the end, or the file was cut off
MIN_GLYPHS = 20  # fewer characters than this in the whole file: a scan, not a text PDF


def extract_pdf(data: bytes, *, limits: ParseLimits = DEFAULT_LIMITS) -> ExtractedDocument:
    """Raises ExtractionFailure (corrupt, encrypted, timeout, too_large, needs_ocr)."""
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise ExtractionFailure("corrupt", "the PDF is truncated (no %%EOF at its end)")
    started = time.monotonic()
    try:
        content = EXTRACTION_WORKER.run(read_pdf, data, max_pages=limits.max_pdf_pages,
                                        timeout_s=limits.pdf_timeout_s, memory_mb=limits.worker_memory_mb)
    except WorkerDied:
        # PDFium crashed (it aborts at the memory cap): pdfminer alone says what it is,
        # too_large by a MemoryError, corrupt, or readable after all.
        remaining = limits.pdf_timeout_s - (time.monotonic() - started)
        if remaining <= 0:
            raise ExtractionFailure("timeout", f"reading the PDF took longer than {limits.pdf_timeout_s:g} s") from None
        content = EXTRACTION_WORKER.run(read_pdf, data, max_pages=limits.max_pdf_pages, use_pdfium=False,
                                        timeout_s=remaining, memory_mb=limits.worker_memory_mb)
    if content.glyph_count < MIN_GLYPHS:
        raise ExtractionFailure("needs_ocr", f"no text layer ({content.glyph_count} characters in "
                                      f"{content.page_count} pages): a scanned report")
    share = content.garbled_count / content.glyph_count
    if share > limits.max_garbled_share:
        raise ExtractionFailure("needs_ocr", f"{share:.0%} of the text is unmapped glyphs (cid:N / U+FFFD)")
    return ExtractedDocument(
        text="\n".join(content.lines),
        tables=content.tables,
        title=content.title,
        source_format="pdf",
        extraction_style="other",
        page_count=content.page_count,
    )
