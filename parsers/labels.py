"""Label normalisation and typo-tolerant matching of row/column labels."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from opencc import OpenCC

_T2S = OpenCC("t2s")
ARTEFACT = re.compile(r"\[(?:bookmark|image):[^\]]*\]")
_WHITESPACE = re.compile(r"\s+")
# Quotes around 三安全一稳定 come straight or curly; they carry no meaning.
_QUOTES = re.compile("[\"'“”‘’「」『』]")
_MARKUP = re.compile(r"[*#|]")
# Enumerators in front of a label: 一、 (一) 1. 1、 其中:
_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[.、]|其中:?)")
_CLOSED_PAREN = re.compile(r"\([^()]*\)")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def clean_cell(text: str | None) -> str:
    """Cell text without extraction artefacts and surrounding whitespace."""
    if not text:
        return ""
    return ARTEFACT.sub("", text).strip()


@lru_cache(maxsize=65536)
def plain(text: str) -> str:
    """NFKC, no whitespace, no quotes or markup; the script as printed (names keep
    their characters: 濛江镇 is a simplified name that OpenCC would make 蒙江镇)."""
    text = unicodedata.normalize("NFKC", ARTEFACT.sub("", text))
    text = _WHITESPACE.sub("", text)
    return _MARKUP.sub("", _QUOTES.sub("", text))


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """`plain`, then Traditional→Simplified: for matching labels and words, never names."""
    text = plain(text)
    if _NON_ASCII.search(text):
        text = _T2S.convert(text)
    return text


@lru_cache(maxsize=65536)
def core(text: str) -> str:
    """The distinctive part of a label: no enumerators, no explanatory parentheses."""
    text = normalize(text)
    previous = None
    while previous != text:
        previous = text
        text = _ENUMERATOR.sub("", text)
    text = _CLOSED_PAREN.sub("", _CLOSED_PAREN.sub("", text))
    cut = text.find("(")
    if cut > 0:
        text = text[:cut]
    return text.rstrip(":")


def within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one substitution, insertion or deletion."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


@dataclass
class LabelIndex:
    """Finds which key a printed label means: exact, contained, truncated, or one typo off."""

    slack: int = 6
    min_fuzzy: int = 4
    # Labels this short (其他, 总计) are also column headers; with bare_min=3 they only
    # count as row labels when printed with their enumerator (3.其他, （七）总计).
    bare_min: int = 0
    _cores: list[tuple[str, str]] = field(default_factory=list)
    _exact: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, labels: Iterable[str]) -> None:
        for label in labels:
            label_core = core(label)
            if label_core and label_core not in self._exact:
                self._exact[label_core] = key
                self._cores.append((label_core, key))
        self._cores.sort(key=lambda item: -len(item[0]))

    def match(self, text: str) -> str | None:
        text_core = core(text)
        if not text_core:
            return None
        if text_core in self._exact:
            if len(text_core) < self.bare_min and not _ENUMERATOR.match(normalize(text)):
                return None
            return self._exact[text_core]
        for label_core, key in self._cores:
            if (
                len(label_core) >= self.min_fuzzy
                and label_core in text_core
                and len(text_core) <= len(label_core) + self.slack
            ):
                return key
        for label_core, key in self._cores:
            if len(label_core) >= self.min_fuzzy and within_one_edit(label_core, text_core):
                return key
        # Labels cut off by a line break in PDF text: a long enough unique prefix.
        if len(text_core) >= 6:
            keys = {key for label_core, key in self._cores if label_core.startswith(text_core)}
            if len(keys) == 1:
                return keys.pop()
        return None
