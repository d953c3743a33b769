"""Extract DOC, WPS and RTF reports: LibreOffice converts them to DOCX, then docx.py reads it."""

from __future__ import annotations

import shutil
import subprocess

from parsers.extract import ExtractionFailure
from parsers.extract.docx import extract_docx
from parsers.extract.html_tables import pipe_grids
from parsers.extract.pdf_worker import EXTRACTION_WORKER
from parsers.extract.soffice_sandbox import sandboxed
from parsers.extract.soffice import (ConversionFailed, ConversionTimeout, ConverterMissing,
                                     convert_bytes)
from parsers.limits import DEFAULT_LIMITS, ParseLimits
from parsers.model import ExtractedDocument

# LibreOffice picks its import filter from the content; a ".wps" name would make it try
# Microsoft Works first, so WPS files (Word-97 binaries) go in as ".doc".
SOURCE_SUFFIX = {"doc": "doc", "wps": "doc", "rtf": "rtf"}


def extract_office(data: bytes, kind: str, *, limits: ParseLimits = DEFAULT_LIMITS) -> ExtractedDocument:
    """Raises ExtractionFailure (converter_missing, timeout, conversion_failed, corrupt, ...)."""
    try:
        docx = convert_bytes(data, source_suffix=SOURCE_SUFFIX[kind], target="docx",
                             timeout_s=limits.convert_timeout_s, memory_mb=limits.convert_memory_mb)
    except ConverterMissing as error:
        if kind == "doc" and shutil.which("antiword"):
            return _antiword(data, limits)
        raise ExtractionFailure("converter_missing", str(error)) from None
    except ConversionTimeout as error:
        raise ExtractionFailure("timeout", str(error)) from None
    except ConversionFailed as error:
        raise ExtractionFailure("conversion_failed", f"LibreOffice could not read this {kind.upper()}: {error}") from None
    try:
        return EXTRACTION_WORKER.run(extract_docx, docx, limits=limits, source_format=kind,
                                     timeout_s=limits.extract_timeout_s, memory_mb=limits.worker_memory_mb)
    except ExtractionFailure as error:
        if error.failure.reason in ("too_large", "timeout"):
            raise
        raise ExtractionFailure("conversion_failed", f"converted DOCX unreadable: {error}") from None


def _antiword(data: bytes, limits: ParseLimits) -> ExtractedDocument:
    """Text-only fallback for DOC without LibreOffice; antiword prints tables as |a|b| rows."""
    try:
        result = subprocess.run(sandboxed(["antiword", "-w", "0", "-m", "UTF-8.txt", "-"], limits.convert_memory_mb),
                                input=data,
                                capture_output=True, timeout=limits.convert_timeout_s, check=False)
    except subprocess.TimeoutExpired:
        raise ExtractionFailure("timeout", "antiword took too long") from None
    if result.returncode != 0 or not result.stdout.strip():
        raise ExtractionFailure("conversion_failed", "antiword could not read this DOC")
    lines = [line.rstrip() for line in result.stdout.decode("utf-8", errors="replace").splitlines()]
    return ExtractedDocument(text="\n".join(lines), tables=pipe_grids(lines), source_format="doc",
                             extraction_style="markdown_pipe")
