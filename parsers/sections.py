"""The six report sections, found by their headings (never by the intro's count)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache

from parsers.labels import ARTEFACT, core, normalize, within_one_edit
from parsers.schema import sections

_MAX_HEADING = 40
_NUMBERED = re.compile(r"^([一二三四五六七八九十]+)[、.]")
_LOOSE_RATIO = 0.7
# A sentence end followed by a numbered heading of at most _MAX_HEADING characters
# that ends its line.
_RUN_IN = re.compile(r"(?<=[。；;])(?=[一二三四五六七八九十]+、[^。；;]{2,%d}$)" % _MAX_HEADING)


@dataclass(frozen=True)
class SectionHit:
    section_id: str
    line: int  # first line of the heading
    next_line: int  # first line after the heading (headings can wrap)


@cache
def _variant_cores() -> tuple[tuple[str, str, frozenset[str]], ...]:
    return tuple(
        (
            section["id"],
            section["number"],
            frozenset(core(v) for v in [section["canonical_label"], *section["variants"]]),
        )
        for section in sections()
    )


def _heading_text(line: str) -> str:
    return normalize(ARTEFACT.sub("", line).strip().lstrip("#").strip())


def heading_matches(line: str, section_index: int) -> bool:
    """Does this (normalised, short) line head the given section?"""
    if "\t" in line or "|" in line:
        return False  # a table row such as 四、结转下年度继续办理 | 0 | …
    text = _heading_text(line)
    if not text or len(text) > _MAX_HEADING:
        return False
    _, number, cores = _variant_cores()[section_index]
    text_core = core(text)
    if any(within_one_edit(text_core, variant) for variant in cores if len(variant) >= 4):
        return True
    if text_core in cores:
        return True
    numbered = _NUMBERED.match(text)
    if numbered is None or numbered.group(1) != number:
        return False
    return any(SequenceMatcher(None, text_core, v).ratio() >= _LOOSE_RATIO for v in cores)


def split_run_in_headings(lines: list[str]) -> list[str]:
    """Lines with a numbered section heading run into the end of the paragraph before
    it (`…报告如下。二、主动公开政府信息情况`): the heading goes on a line of its own."""
    out: list[str] = []
    for line in lines:
        parts = _RUN_IN.split(line) if "\t" not in line and "|" not in line else [line]
        if len(parts) == 2 and any(heading_matches(parts[1], i) for i in range(len(_variant_cores()))):
            out.extend(parts)
        else:
            out.append(line)
    return out


def find_sections(lines: list[str]) -> list[SectionHit]:
    """Headings in document order; a wrapped heading is joined with its next line."""
    hits: list[SectionHit] = []
    position = 0
    for section_index, (section_id, _, _) in enumerate(_variant_cores()):
        for index in range(position, len(lines)):
            if heading_matches(lines[index], section_index):
                hits.append(SectionHit(section_id, index, index + 1))
                position = index + 1
                break
            following = _next_nonblank(lines, index)
            if following is not None and _wraps(lines[index], lines[following]):
                joined = lines[index].strip() + lines[following].strip()
                if heading_matches(joined, section_index):
                    hits.append(SectionHit(section_id, index, following + 1))
                    position = following + 1
                    break
    return hits


def _wraps(line: str, following: str) -> bool:
    """A numbered heading line that may continue on the next line (PDF wrapping)."""
    return (
        "\t" not in line
        and "\t" not in following
        and _NUMBERED.match(_heading_text(line)) is not None
        and _NUMBERED.match(_heading_text(following)) is None
    )


def _next_nonblank(lines: list[str], index: int) -> int | None:
    for following in range(index + 1, min(index + 3, len(lines))):
        if lines[following].strip():
            return following
    return None


def section_texts(lines: list[str], hits: list[SectionHit]) -> dict[str, str]:
    """Section id → its text (from after the heading to the next found heading)."""
    texts = {}
    for position, hit in enumerate(hits):
        end = hits[position + 1].line if position + 1 < len(hits) else len(lines)
        body = "\n".join(ARTEFACT.sub("", line).rstrip() for line in lines[hit.next_line : end])
        texts[hit.section_id] = body.strip()
    return texts
