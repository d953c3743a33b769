"""Title, agency and year from a document's head, however messy.

Heads come with site chrome (`标题:`, `正文`, breadcrumbs), titles wrapped over two PDF
lines, the agency before or after the year, or a body sentence where the title
should be. A name only counts as the agency when it looks like one (an agency
suffix, no 《》, no sentence words); otherwise the next source is tried: the title
in the text, the line above it, then the listing/page title. `agency_source` says
which one won. Names keep their printed characters unless the whole document is
printed in Traditional characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.labels import ARTEFACT, normalize, plain
from parsers.metadata import AGENCY_SUFFIX, TITLE_WORDS, agency_above, agency_in_title, report_year, year_in

_MAX_TITLE = 70
_HEAD_LINES = 25
# Site chrome in front of a title: 标题: / 正文 / 附件1: / 当前位置: … / 首页 > … > …
_PREFIX = re.compile(r"^(?:(?:文章)?标题|题目|正文|内容|当前位置|附件\d*)[:：]?")
_CRUMB = re.compile(r"^.*[>»›]")
_NOT_TITLE = re.compile(r"[。《》]|根据|依据|按照|本报告|当前位置|首页")
# Words and marks no agency name holds: sentence punctuation, report words, site chrome.
_SENTENCE = re.compile(r"[《》〈〉。，,；;:：、!?！？\[\]]|本报告|依据|根据|条例|规定|编制|特此|"
                       r"报告|工作|年度|信息公开|共和国|网站|门户|首页")
_TRAILING_NOTE = re.compile(r"[(（][^()（）]*[)）]$")
_MIN_AGENCY, _MAX_AGENCY = 3, 40


@dataclass(frozen=True)
class Head:
    title: str | None
    agency: str | None
    agency_source: str | None  # title | line_above | page_title | listing_title
    year: int | None


def looks_like_agency(name: str | None) -> bool:
    """A government body's name, not a sentence or a fragment of one."""
    if not name or not _MIN_AGENCY <= len(name) <= _MAX_AGENCY:
        return False
    bare = _TRAILING_NOTE.sub("", name)  # 某某县委办公室（县人民政府办公室）
    return AGENCY_SUFFIX.search(bare) is not None and _SENTENCE.search(name) is None


def strip_chrome(line: str) -> str:
    """A head line without artefacts, markup and site chrome; script as printed."""
    text = plain(ARTEFACT.sub("", line).strip().lstrip("#"))
    text = _CRUMB.sub("", text) if any(word in normalize(text) for word in TITLE_WORDS) else text
    return _PREFIX.sub("", text)


def _is_title(text: str) -> bool:
    simple = normalize(text)
    return (len(simple) <= _MAX_TITLE and "报告" in simple
            and any(word in simple for word in TITLE_WORDS) and not _NOT_TITLE.search(simple))


def find_head_title(lines: Sequence[str]) -> tuple[str | None, int, int]:
    """The title (chrome removed, a wrapped second line joined), its first line index
    and the index after its last line; (None, -1, -1) when there is none."""
    filled: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        text = strip_chrome(line) if line.strip() else ""
        if text:
            filled.append((index, text))
            if len(filled) >= _HEAD_LINES:
                break
    for position, (index, text) in enumerate(filled):
        following = filled[position + 1] if position + 1 < len(filled) else None
        if (following and "报告" not in normalize(text) and not _is_title(following[1])
                and _is_title(text + following[1])):
            return text + following[1], index, following[0] + 1
        if _is_title(text):
            return text, index, index + 1
    return None, -1, -1


def _traditional(text: str, name: str) -> bool:
    """The document is printed in Traditional characters: outside the name, OpenCC
    changes at least two characters of the head."""
    rest = plain(text).replace(name, "")
    return sum(a != b for a, b in zip(rest, normalize(rest))) >= 2


def _as_printed(name: str | None, title: str) -> str | None:
    """The agency in its printed characters, found at the same place in the title."""
    if not name:
        return None
    printed, simple = plain(title), normalize(title)
    start = simple.find(name)
    if start < 0 or len(printed) != len(simple):
        return name
    original = printed[start : start + len(name)]
    return name if _traditional(title, original) else original


def read_head(lines: Sequence[str], outside: Sequence[tuple[str | None, str]] = ()) -> Head:
    """Title, agency (with its source) and year from the head, then from the titles
    found outside the text: (title, source) pairs such as the page's <title>
    ("page_title") and the listing link's text ("listing_title")."""
    title, start, end = find_head_title(lines)
    candidates: list[tuple[str | None, str]] = []
    if title is not None:
        candidates.append((_as_printed(agency_in_title(normalize(title)), title), "title"))
        above = agency_above(lines, start)
        if above is not None:
            candidates.append((_as_printed(above[0], strip_chrome(lines[above[1]])), "line_above"))
    others = [(strip_chrome(text), source) for text, source in outside if text and text.strip()]
    for text, source in others:
        if _is_title(text):  # a site's name or a bare date in <title> is no report title
            candidates.append((_as_printed(agency_in_title(normalize(text)), text), source))
    agency, source = next(((name, where) for name, where in candidates if looks_like_agency(name)),
                          (None, None))
    printed = _printed_title(lines, start, end, agency, source) if title is not None else None
    if printed is None and others:
        printed = next(text.strip() for text, _ in outside if text and text.strip())
    years = [year_in(normalize(text)) for text in [title, *(text for text, _ in others)] if text]
    year = next((y for y in years if y is not None), None) or report_year(None, lines)
    return Head(printed, agency, source, year)


def _printed_title(lines: Sequence[str], start: int, end: int, agency: str | None,
                   source: str | None) -> str:
    """The title as printed (wrapped lines joined); the agency line above it is
    included when the agency was taken from there."""
    parts = [_printed(lines[index]) for index in range(start, end) if lines[index].strip()]
    title = "".join(parts) if len(parts) > 1 else parts[0]
    if source == "line_above" and agency:
        return f"{_printed(lines[start - 1])} {title}"
    return title


def _printed(line: str) -> str:
    text = " ".join(ARTEFACT.sub("", line).strip().lstrip("#").replace("*", "").split())
    chrome = strip_chrome(text)
    return text if plain(text) == chrome else _tail_of(text, chrome)


def _tail_of(text: str, chrome_free: str) -> str:
    """`text` from where its chrome-free part starts (spaces as printed)."""
    squeezed = 0
    skip = len(plain(text)) - len(chrome_free)
    for position, char in enumerate(text):
        if squeezed >= skip:
            return text[position:].strip()
        if not char.isspace():
            squeezed += 1
    return chrome_free
