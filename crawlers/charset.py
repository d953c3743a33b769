"""When a page's declared charset is wrong, which one its bytes are really in."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

REPLACEMENT = "\ufffd"
# A declared decoding with more than this share of replacement characters is not believed.
_MAX_REPLACEMENT_SHARE = 0.001
_CJK_CANDIDATES = ("utf-8", "gb18030", "big5")


def _bad_share(body: bytes, encoding: str) -> float:
    text = body.decode(encoding, errors="replace")
    return text.count(REPLACEMENT) / max(1, len(text))


def encoding_by_bytes(body: bytes, declared: str) -> str | None:
    """A better encoding than `declared` for `body`, or None when the declared one decodes it cleanly.

    Strict decoding by the usual Chinese charsets first (the bytes of GBK text are
    rarely valid UTF-8 and vice versa), then charset-normalizer's best guess.
    """
    try:
        declared_name = codecs.lookup(declared).name
    except LookupError:
        declared_name = declared
    if _bad_share(body, declared_name) <= _MAX_REPLACEMENT_SHARE:
        return None
    for candidate in _CJK_CANDIDATES:
        if codecs.lookup(candidate).name == declared_name:
            continue
        try:
            body.decode(candidate)
            return candidate
        except UnicodeDecodeError:
            continue
    best = from_bytes(body).best()
    if best is not None and best.encoding and _bad_share(body, best.encoding) < _bad_share(body, declared_name):
        return best.encoding
    return None
