"""The five seed texts parse field by field to their hand-checked gold answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers.text import parse_text
from tests.fixture_paths import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))
METADATA = (
    "agency_name",
    "report_year",
    "format_version",
    "t2_format_version",
    "t3_format_version",
    "scope",
    "extraction_style",
    "truncated",
)


def _gold(seed: Path) -> dict:
    return json.loads((SEEDS / "gold" / f"{seed.stem}.json").read_text(encoding="utf-8"))


def _field_errors(report, gold: dict) -> list[str]:
    errors = []
    for key, expected in gold["fields"].items():
        cell = report.fields.get(key)
        if cell is None:
            errors.append(f"{key}: missing")
        elif expected["state"] == "number" and (cell.state, cell.value) != ("number", expected["value"]):
            errors.append(f"{key}: {cell} != {expected}")
        elif expected["state"] == "blank" and (cell.state, cell.value) != ("blank", None):
            errors.append(f"{key}: {cell} != blank")
        elif expected["state"] == "absent" and cell.value is not None:
            errors.append(f"{key}: {cell} != absent")
    return errors


def test_seed_files_are_there() -> None:
    assert len(SEED_FILES) == 5


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda path: path.stem)
def test_seed_matches_gold(seed: Path) -> None:
    gold = _gold(seed)
    report = parse_text(seed.read_text(encoding="utf-8"))
    field_errors = _field_errors(report, gold)
    checks = {check.name: check.ok for check in report.checks}
    identity_errors = [
        f"{name}: {checks.get(name, 'missing')} != {ok}"
        for name, ok in gold["identities"].items()
        if checks.get(name, "missing") != ok
    ]
    metadata_errors = [
        f"{name}: {getattr(report, name)!r} != {gold[name]!r}"
        for name in METADATA
        if getattr(report, name) != gold[name]
    ]
    fields_ok = len(gold["fields"]) - len(field_errors)
    print(
        f"{seed.stem}: fields {fields_ok}/{len(gold['fields'])}"
        f" ({100 * fields_ok / len(gold['fields']):.1f}%),"
        f" identities {len(gold['identities']) - len(identity_errors)}/{len(gold['identities'])},"
        f" metadata {len(METADATA) - len(metadata_errors)}/{len(METADATA)}"
    )
    assert report.failure is None
    assert set(report.fields) == set(gold["fields"]), "field keys differ from the version's keys"
    assert field_errors == []
    assert identity_errors == []
    assert len(report.checks) == len(gold["identities"])
    assert metadata_errors == []


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda path: path.stem)
def test_seed_cells_keep_raw_text_and_units(seed: Path) -> None:
    gold = _gold(seed)
    report = parse_text(seed.read_text(encoding="utf-8"))
    wrong = {
        key: (report.fields[key].raw, report.fields[key].unit_as_printed)
        for key, expected in gold["fields"].items()
        if (report.fields[key].raw, report.fields[key].unit_as_printed, report.fields[key].state)
        != (expected["raw"], expected["unit_as_printed"], expected["state"])
    }
    assert wrong == {}


def test_seed_sections_found_by_heading() -> None:
    # Seed 003's intro claims five parts; the body has all six headings.
    report = parse_text((SEEDS / "003_e5cb504301f5c306.txt").read_text(encoding="utf-8"))
    assert list(report.sections) == [
        "s1_overview",
        "s2_proactive",
        "s3_applications",
        "s4_review_litigation",
        "s5_problems",
        "s6_other",
    ]
    assert report.sections["s6_other"] == "无"
    # Seed 002 is truncated inside t2/t3, so its section 三 heading is missing.
    truncated = parse_text((SEEDS / "002_6c5e6dbdf847c1a1.txt").read_text(encoding="utf-8"))
    assert "s3_applications" not in truncated.sections
    assert truncated.sections["s6_other"].startswith("（一）政务公开工作创新情况")
