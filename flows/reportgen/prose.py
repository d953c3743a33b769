"""The report's narrative: intro, six headed sections, and where each table goes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from flows.reportgen import schema
from flows.reportgen.spec import ReportSpec

NUMERALS = "一二三四五六"
SECTION_TABLES = {"s2_proactive": "t2", "s3_applications": "t3", "s4_review_litigation": "t4"}

_PHRASES = (
    "坚持以公开为常态、不公开为例外",
    "进一步完善政府信息公开工作机制",
    "及时更新政府信息公开指南和目录",
    "围绕重点领域加大信息公开力度",
    "加强政策解读和回应关切",
    "严格落实保密审查制度",
    "持续优化政府网站和政务新媒体平台",
    "规范依申请公开办理流程",
)


@dataclass
class Section:
    heading: str
    paragraphs: list[str]
    table: str | None = None  # "t2" | "t3" | "t4"


@dataclass
class Narrative:
    intro: str
    sections: list[Section] = field(default_factory=list)


def narrative(spec: ReportSpec) -> Narrative:
    rng = random.Random(spec.seed * 7919 + spec.year)
    intro = (
        f"本报告根据《中华人民共和国政府信息公开条例》要求编制，"
        f"本报告中所列数据的统计期限自{spec.year}年1月1日起至{spec.year}年12月31日止。"
    )
    sections = []
    for number, section in zip(NUMERALS, schema.sections()):
        heading = f"{number}、{section['canonical_label']}"
        sections.append(Section(heading, _paragraphs(rng, spec, section["id"]),
                                SECTION_TABLES.get(section["id"])))
    return Narrative(intro, sections)


def _paragraphs(rng: random.Random, spec: ReportSpec, section_id: str) -> list[str]:
    if section_id == "s6_other":
        return ["无。"] if rng.random() < 0.5 else [f"{spec.year}年度未收取信息处理费。"]
    if section_id in SECTION_TABLES:
        return []
    count = rng.randint(1, 3)
    return ["，".join(rng.sample(_PHRASES, 3)) + "。" for _ in range(count)]
