"""The scanned-report fixture set: generated reports with known values, scanned, and how
to score a parse of them (cell accuracy).

Twenty documents over v2019 and v2021, as image-only PDFs and as one tall JPG each,
with scan styles between 100 and 150 dpi; one blank scan that must be refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flows.reportgen.scan import ScanStyle, blank_scan, scanned_jpg, scanned_pdf, style_for
from flows.reportgen.spec import ReportSpec, sample_spec

AGENCIES = ("某某市生态环境局", "某某县人民政府", "某某区教育局", "某某市交通运输局", "某某镇人民政府")
TOLERANCE = 1e-4


@dataclass(frozen=True)
class ScanFixture:
    name: str
    spec: ReportSpec
    style: ScanStyle
    kind: str  # pdf | jpg

    def data(self) -> bytes:
        return scanned_pdf(self.spec, self.style) if self.kind == "pdf" else scanned_jpg(self.spec, self.style)


def scan_fixtures(count: int = 20) -> list[ScanFixture]:
    """`count` documents: versions and years alternate, every fourth one a JPG."""
    fixtures = []
    for number in range(count):
        version = ("v2021", "v2019")[number % 2]
        year = (2021, 2022, 2023)[number // 2 % 3] if version == "v2021" else (2019, 2020)[number // 2 % 2]
        agency = AGENCIES[number % len(AGENCIES)]
        spec = sample_spec(100 + number, version=version, year=year, agency=agency)
        kind = "jpg" if number % 4 == 3 else "pdf"
        fixtures.append(ScanFixture(f"{version}-{year}-{number:02d}-{kind}", spec, style_for(number), kind))
    return fixtures


def unreadable_scan() -> bytes:
    return blank_scan()


@dataclass
class Score:
    correct: int = 0
    total: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def add(self, other: Score) -> None:
        self.correct += other.correct
        self.total += other.total
        self.wrong += other.wrong


def cell_accuracy(spec: ReportSpec, fields: dict) -> Score:
    """Share of the spec's cells parsed right: a number equal to the spec's, or blank
    where the spec has a blank (None)."""
    score = Score()
    for key, expected in spec.fields.items():
        score.total += 1
        cell = fields.get(key)
        value = getattr(cell, "value", None)
        state = getattr(cell, "state", "absent")
        if expected is None:
            right = state == "blank"
        else:
            right = value is not None and abs(value - expected) <= TOLERANCE
        if right:
            score.correct += 1
        else:
            score.wrong.append(f"{key}: expected {expected!r}, got {state} {value!r}")
    return score
