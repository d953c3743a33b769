"""The grammar of a 政府信息公开 annual report title: the one place that says what a report title is.

A title is `[noise prefix] [agency] [year] [关于] [year] <report phrase> [edition note]`,
where the report phrase is 政府信息公开 / 政务公开 [工作] [的] [year] 年度报告 / 年报 /
工作报告, and a listing may cut it at any character (with `...`, `…` or nothing).
Look-alikes are told apart by structure, not by bare substrings:

- the report phrase must END the title (apart from an edition note such as （超链版）
  or a file extension): `…年度报告编制工作的通知` and `…年度报告解读` go on, so they
  are about a report, not the report;
- the words before the phrase must not be a commentary or news lead (图解, 解读,
  一图读懂, 关于做好, 发布会 …); an agency name such as 机构编制委员会办公室 or
  预算评审中心 is no such lead, so it is kept.

Years are found by parsers.metadata (one implementation of what a printed year is).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from parsers.metadata import year_in, year_spans

YEAR_MARK = "#"
# The report phrase, on text whose years were replaced by YEAR_MARK (which swallows 年/年度).
_PHRASE = re.compile(
    r"(?:(?:政府|政务)?信息公开|政务公开)(?:工作)?(?:的)?#?(?:年度(?:工作)?报告|年报|(?:工作)?报告)"
)
# Full spellings a cut title is completed with (the cut is any prefix of one of them).
_COMPLETIONS = (
    "政府信息公开工作年度报告",
    "政府信息公开工作的年度报告",
    "政府信息公开年度报告",
    "政府信息公开年报",
    "政务公开工作年度报告",
    "政府信息公开工作报告",
    "年度报告",
    "#报告",  # 信息公开工作2023年度报… (the year swallowed 年度)
)
_CUT_MARK = re.compile(r"(?:\.{2,}|…+|。{2,}|>>|»)$")
_NOISE_PREFIX = re.compile(
    r"^(?:上一篇|下一篇|上一条|下一条|上篇|下篇|相关链接|相关文章|附件\d*|\[附件\]|【附件】|\[[^\]]{0,6}\]|【(?:[^】]{0,6})】)[:：]?"
)
# A lead before the phrase that makes the title about a report, not the report itself.
_LEADS = re.compile(
    r"图解|解读|一图|读懂|看懂|图说|问答|动漫|发布会|召开|部署|通报|督查|做好|报送|公布|印发|转发"
    r"|关于(?:编制|开展)|发布(?!中心)"
)
# What may follow the phrase and still be the report: edition notes, file names, a date.
_TRAILER = re.compile(
    r"(?:[（(【\[][^）)】\]]{0,16}[）)】\]]|\.(?:pdf|docx?|wps|ofd|html?)|[-/.]?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|[:：]?(?:全文|正文))+$",
    re.I,
)
_AGENCY_HINT = re.compile(
    r"(政府|办公室|办公厅|委员会|委|局|厅|院|办|中心|处|所|馆|会|部|署|队|街道|镇|乡|区|县|市|省|州|旗|站|社|公司|行)$"
)
_MIN_CUT = 2  # characters of the phrase a marked cut must keep (…2023年政府… is too little: 政府 alone)


@dataclass(frozen=True)
class TitleReading:
    """What the grammar reads from a title: the year, the agency and whether it was cut."""

    year: int | None
    agency: str | None
    cut: bool
    full_phrase: bool  # the words 工作 and 年度报告 are both there (a report, not a column name)


def normalize_title(title: str) -> str:
    """Full-width digits and letters to ASCII, whitespace removed (labels wrap in listings)."""
    text = unicodedata.normalize("NFKC", title or "")
    return re.sub(r"\s+", "", text)


def strip_noise(text: str) -> str:
    """Drop 上一篇：/下一篇：/[附件]/【…】 prefixes (repeatedly), keeping any lead they hold for the caller."""
    previous = None
    while previous != text:
        previous = text
        text = _NOISE_PREFIX.sub("", text)
    return text


def mark_years(text: str) -> str:
    """Replace each printed year (with its 年 / 年度 / 度) by YEAR_MARK."""
    out, last = [], 0
    for start, end in year_spans(text):
        if start < last:
            continue
        while end < len(text) and text[end] in "年度" and text[end - 1] != "度":
            end += 1
        out.append(text[last:start] + YEAR_MARK)
        last = end
    return "".join(out) + text[last:]


def read_title(title: str) -> TitleReading | None:
    """A TitleReading when `title` is a report title (whole or cut), else None."""
    text = normalize_title(title)
    cut = bool(_CUT_MARK.search(text))
    text = _CUT_MARK.sub("", text)
    if not text or _LEADS.search(text[: _lead_end(text)]):
        return None
    body = strip_noise(text)
    marked = mark_years(body)
    match = _phrase_at_end(marked)
    if match is None:
        match = _completed_cut(marked, cut)
        cut = cut or match is not None
    if match is None:
        return None
    head = marked[: match.start()]
    words = match.group(0)
    full = "工作" in words and ("年度报告" in words or "#报告" in words)
    return TitleReading(year=year_in(body), agency=_agency(head, words), cut=cut, full_phrase=full)


def _lead_end(text: str) -> int:
    """How far leads are looked for: up to the report phrase (agency names come later, not before leads)."""
    found = re.search(r"信息公开|政务公开", text)
    return found.start() if found else len(text)


def _phrase_at_end(marked: str) -> re.Match[str] | None:
    rest = _TRAILER.sub("", marked)
    last = None
    for match in _PHRASE.finditer(rest):
        last = match
    return last if last is not None and last.end() == len(rest) else None


def _completed_cut(marked: str, marked_cut: bool) -> re.Match[str] | None:
    """A cut title: complete it with the rest of a full spelling and read it again.

    Without a cut mark the cut must go past 信息公开 and hold a year, so a column
    named 政府信息公开 is not taken for a report.
    """
    if YEAR_MARK not in marked:
        return None
    for full in _COMPLETIONS:
        for keep in range(len(full) - 1, _MIN_CUT - 1, -1):
            if not marked.endswith(full[:keep]):
                continue
            if not marked_cut and (not re.search(r"(信息|政务)公开.", marked) or marked.endswith("公开")):
                continue
            match = _phrase_at_end(marked + full[keep:])
            if match is not None and match.start() < len(marked):
                return match
    return None


def _agency(head: str, words: str) -> str | None:
    """The agency: the last piece before the phrase that ends like an agency name."""
    if head.endswith("人民") and words.startswith("政府"):
        head += "政府"  # 某县人民|政府信息公开…: the phrase took the government's last word
    pieces = [re.sub(r"^(关于)+|(关于|的|年度|度)+$", "", p).strip(":：-—_、,，") for p in head.split(YEAR_MARK)]
    pieces = [p for p in pieces if len(p) >= 2]
    if not pieces:
        return None
    best = re.sub(r"[（(【\[][^）)】\]]{0,16}[）)】\]]", "", pieces[-1])
    return best if len(best) >= 2 and _AGENCY_HINT.search(best) else None
