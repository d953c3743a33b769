"""Tell a document's type from its bytes alone (never from its URL or Content-Type)."""

from __future__ import annotations

import codecs
import io
import re
import zipfile

import filetype
import olefile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
RTF_MAGIC = b"{\\rtf"
# WPS Office stores its build in a user-defined document property of every file it
# saves; its application name shows up as "WPS Office"/"Kingsoft" where one is written.
WPS_MARKERS = (b"KSOProductBuildVer", b"WPS Office", b"Kingsoft")
IMAGE_TYPES = {"jpg", "png", "gif", "tif", "bmp", "webp"}

_HTML_START = re.compile(
    rb"<(!doctype\s+html|html|head|body|meta|title|script|style|div|table|p|span|br|h[1-6])\b", re.I
)

# What detect_type can answer. "corrupt" = a container format we know whose
# structure cannot be read; "image" = a picture of a report (needs OCR).
DOCUMENT_TYPES = ("empty", "pdf", "docx", "doc", "wps", "rtf", "html", "text",
                  "xlsx", "xls", "image", "corrupt", "unknown")


def detect_type(data: bytes) -> str:
    """One of DOCUMENT_TYPES."""
    if not data.strip():
        return "empty"
    head = data[:1024]
    if PDF_MAGIC in head:  # some servers prepend junk or a BOM before %PDF
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return _ole_type(data)
    if data.startswith(ZIP_MAGIC):
        return _zip_type(data)
    if data.startswith(RTF_MAGIC):
        return "rtf"
    kind = filetype.guess(head)
    if kind is not None and kind.extension in IMAGE_TYPES:
        return "image"
    if _looks_like_html(data):
        return "html"
    if _looks_like_text(data):
        return "text"
    return "unknown"


def _ole_type(data: bytes) -> str:
    try:
        # Raise on structural defects: a damaged Word file must not pass for "some other OLE".
        ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    except (OSError, ValueError, IndexError):
        return "corrupt"
    with ole:
        if ole.exists("WordDocument"):
            return "wps" if _has_wps_marker(ole) else "doc"
        if ole.exists("Workbook") or ole.exists("Book"):
            return "xls"
    return "unknown"


def _has_wps_marker(ole: olefile.OleFileIO) -> bool:
    for stream in ("\x05DocumentSummaryInformation", "\x05SummaryInformation"):
        if ole.exists(stream):
            content = ole.openstream(stream).read()
            if any(marker in content for marker in WPS_MARKERS):
                return True
    return False


def _zip_type(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "corrupt"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "unknown"


def _looks_like_html(data: bytes) -> bool:
    head = data[:4096]
    for bom in (b"\xef\xbb\xbf",):
        head = head.removeprefix(bom)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 pages: check decoded text
        head = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    return bool(_HTML_START.search(head.lstrip()[:1024]))


def _looks_like_text(data: bytes) -> bool:
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # final=False: the sample may end inside a multi-byte character.
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False
