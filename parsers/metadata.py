"""Report metadata from the text: agency name, statistics year, scope, format version."""

from __future__ import annotations

import re
from collections.abc import Sequence

from parsers.labels import ARTEFACT, normalize

TITLE_WORDS = ("政府信息公开", "政务公开", "信息公开")
_CHINESE_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "000012345678" + "9")
_YEAR = re.compile(r"((?:19|20)\d{2})年?")
_CHINESE_YEAR = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})年")
_DATE = re.compile(r"((?:19|20)\d{2})年\d{1,2}月\d{1,2}日")
_AGENCY_TAIL = re.compile(r"(关于|的|年度|年|度|\d+)+$")
_AGENCY_HEAD = re.compile(r"^(关于)")
_AGENCY_AFTER = re.compile(r"报告[(（]([^()（）]+)[)）]$")
# What an agency name ends with (人民政府, 委员会, 局, 街道办事处 …; a date or 索引号 does not).
AGENCY_SUFFIX = re.compile(
    r"(局|委员会|委|办公室|办公厅|办|厅|政府|院|会|处|室|中心|所|站|队|馆|部|署|社|行|镇|乡|街道|办事处|公司)$"
)
_LEADING_YEAR = re.compile(r"^(?:(?:19|20)\d{2}|[〇零○Ｏ一二三四五六七八九]{4})年度?")
_SIGNATURE = 24  # a signature date line is short; dates inside prose are not publication dates
_TEXT_YEAR = re.compile(r"((?:19|20)\d{2})年")
_GOVERNMENT_OFFICE = re.compile(r"(人民政府|政府)(办公厅|办公室)$")
# A township or street office reports on itself; its name may stop at 镇/乡/街道.
_TOWN_GOVERNMENT = re.compile(r"(镇|乡)(人民政府)?$|街道(办事处)?$")
_GOVERNMENT = re.compile(r"(省|市|区|县|州|旗|盟)(人民政府|政府)$")
# A government that reports only on itself says so (本级 / 本机关).
_OWN_ONLY = re.compile(r"(本级政府|政府本级|市政府本级|区政府本级|县政府本级)")


def _clean_line(line: str) -> str:
    return normalize(ARTEFACT.sub("", line).strip().lstrip("#").strip())


def year_in(text: str) -> int | None:
    """The first year printed in a title, in Arabic or Chinese digits (二〇二三年)."""
    chinese = _CHINESE_YEAR.search(text)
    arabic = _YEAR.search(text)
    if arabic and (not chinese or arabic.start() < chinese.start()):
        return int(arabic.group(1))
    if chinese:
        return int(chinese.group(1).translate(_CHINESE_DIGITS))
    return None


def year_spans(text: str) -> list[tuple[int, int]]:
    """Where years are printed (2023 / 2023年 / 二〇二三年), as (start, end) spans, in order.

    The same patterns as `year_in`, so a title's year and its position agree.
    """
    spans = [m.span() for m in _YEAR.finditer(text)] + [m.span() for m in _CHINESE_YEAR.finditer(text)]
    return sorted(spans)


def agency_in_title(title: str) -> str | None:
    """What a (normalised) title prints before its year or its report words."""
    title = _LEADING_YEAR.sub("", title)
    cut = len(title)
    for pattern in (_YEAR, _CHINESE_YEAR):
        match = pattern.search(title)
        if match:
            cut = min(cut, match.start())
    for word in TITLE_WORDS:
        position = title.find(word)
        if position >= 0:
            cut = min(cut, position)
    before = _AGENCY_HEAD.sub("", _AGENCY_TAIL.sub("", title[:cut]))
    if before:
        return before
    after = _AGENCY_AFTER.search(title)  # 2023年…年度报告（某某市交通运输局）
    return after.group(1) if after else None


def agency_above(lines: Sequence[str], title_index: int) -> tuple[str, int] | None:
    """An agency name printed alone on one of the three lines above the title."""
    for index in range(title_index - 1, max(-1, title_index - 4), -1):
        above = _AGENCY_TAIL.sub("", _clean_line(lines[index])) if index >= 0 else ""
        if above and len(above) <= 30 and AGENCY_SUFFIX.search(above):
            return above, index
    return None


def report_year(title: str | None, lines: Sequence[str]) -> int | None:
    """Statistics year: from the title, else the signature date's year − 1."""
    if title:
        year = year_in(title)
        if year is not None:
            return year
    filled = [line for line in lines if line.strip()]
    for line in reversed(filled[-12:]):
        text = normalize(line)
        match = _DATE.search(text)
        # Only a signature line: short and ending in the date.
        if match and len(text) <= _SIGNATURE and match.end() == len(text):
            return int(match.group(1)) - 1
    # The overview usually opens with the statistics year (2023年，我局…).
    for line in filled[:30]:
        text = normalize(line)
        match = _TEXT_YEAR.match(text)
        if match:
            return int(match.group(1))
    return None


def scope_of(agency: str | None, text: str) -> str:
    """department, government_own (a government or its office on itself) or region_aggregate."""
    if not agency:
        return "unknown"
    if _GOVERNMENT_OFFICE.search(agency) or _TOWN_GOVERNMENT.search(agency):
        return "government_own"
    if _GOVERNMENT.search(agency):
        return "government_own" if _OWN_ONLY.search(normalize(text[:20000])) else "region_aggregate"
    return "department"
