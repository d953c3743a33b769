"""Decode a web page's bytes: BOM, then the HTTP charset, then <meta>, then detection."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode

_CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_REPLACEMENTS = 20  # U+FFFD count above which a declared charset is taken to be wrong


def decode_html(data: bytes, header_charset: str | None = None) -> str:
    """Unicode text of a page. gb2312/gbk are read as gb18030 (their superset), which
    w3lib does; detection runs only when nothing declares the encoding."""
    content_type = f"text/html; charset={header_charset}" if header_charset else None
    _, text = html_to_unicode(content_type, data, auto_detect_fun=_detect_encoding)
    damaged = text.count("\ufffd")
    if damaged > MAX_REPLACEMENTS:
        # The declaration lies (a GBK page labelled utf-8, or the reverse): trust the bytes.
        detected = _detect_encoding(data)
        if detected:
            redone = data.decode(detected, errors="replace")
            if redone.count("\ufffd") < damaged:
                return redone
    return text


def decode_text(data: bytes) -> str:
    """Plain text (no markup to declare a charset): BOM, then the same detection."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                          (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    return data.decode(_detect_encoding(data) or "utf-8", errors="replace")


def _detect_encoding(data: bytes) -> str | None:
    """Strict UTF-8, then strict GB18030 if it yields Chinese, then charset-normalizer.

    charset-normalizer alone misreads short GBK as UTF-16 or Big5 (field notes), and
    gov.cn pages without a declaration are nearly always UTF-8 or GBK, so those two are
    tried first and the statistical guess is the last resort, on the whole document.
    """
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8" or _CJK.search(text):
            return encoding
    best = from_bytes(data).best()
    return best.encoding if best is not None else None
