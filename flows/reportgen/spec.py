"""What a synthetic report says: `ReportSpec`, a seeded sampler, and its identity truth."""

from __future__ import annotations

import random
from dataclasses import dataclass

from flows.reportgen import schema

TOLERANCE = 1e-4
BLANK_SHARE = 0.15  # share of zero cells printed blank, as real reports often do
TABLE_STYLES = ("grid", "split", "paragraphs")


@dataclass
class ReportSpec:
    """One report's truth. `fields` maps every schema key of `version` to a number or
    None (a blank cell). `break_identity` records which identity the sampler broke."""

    agency: str
    year: int
    version: str
    fields: dict[str, int | float | None]
    title: str = ""
    break_identity: str | None = None
    seed: int = 0  # drives the prose and page chrome, so renders are reproducible
    table_style: str = "grid"  # HTML only: grid | split (t3 over two <table>) | paragraphs

    def __post_init__(self) -> None:
        if not self.title:
            self.title = f"{self.agency}{self.year}年政府信息公开工作年度报告"
        if self.table_style not in TABLE_STYLES:
            raise ValueError(f"table_style must be one of {TABLE_STYLES}")
        missing = set(schema.field_keys(self.version)) - set(self.fields)
        if missing:
            raise ValueError(f"spec lacks {len(missing)} fields, e.g. {sorted(missing)[:3]}")

    def expected_checks(self) -> dict[str, bool]:
        """Every hard identity of the version, evaluated on the spec (blank = 0)."""
        results = {}
        for identity in schema.identities(self.version):
            left, right = schema.identity_operands(identity["expr"])
            lhs = sum(self.fields[k] or 0 for k in left)
            rhs = sum(self.fields[k] or 0 for k in right)
            results[identity["id"]] = abs(lhs - rhs) <= TOLERANCE
        return results

    def false_identities(self) -> set[str]:
        return {name for name, ok in self.expected_checks().items() if not ok}


def sample_spec(
    seed: int,
    *,
    version: str,
    year: int,
    agency: str,
    break_identity: str | None = None,
    table_style: str = "grid",
) -> ReportSpec:
    """Deterministic values that satisfy every hard identity, with some blank cells.

    With `break_identity` (an identity id of the schema) the first left-hand operand
    of that identity is raised by one afterwards, so the identity fails; t4 identities
    share no operand with any other, so breaking one breaks exactly that one.
    """
    rng = random.Random(f"{seed}-{version}-{year}-{agency}")
    values: dict[str, int | float | None] = {}
    values.update(_sample_t2(rng, version))
    values.update(_sample_t3(rng, version))
    values.update(_sample_t4(rng))
    for key, value in values.items():
        if value == 0 and rng.random() < BLANK_SHARE:
            values[key] = None
    if break_identity:
        _break(values, version, break_identity)
    return ReportSpec(
        agency=agency,
        year=year,
        version=version,
        fields=values,
        break_identity=break_identity,
        seed=seed,
        table_style=table_style,
    )


def _break(values: dict, version: str, identity_id: str) -> None:
    by_id = {i["id"]: i for i in schema.identities(version)}
    if identity_id not in by_id:
        raise ValueError(f"{identity_id!r} is not a {version} identity")
    first = schema.identity_operands(by_id[identity_id]["expr"])[0][0]
    values[first] = (values[first] or 0) + 1


def _small(rng: random.Random, high: int, zero_share: float = 0.5) -> int:
    return 0 if rng.random() < zero_share else rng.randint(1, high)


def _sample_t2(rng: random.Random, version: str) -> dict[str, int | float]:
    values: dict[str, int | float] = {}
    for f in schema.field_defs(version):
        if f["table"] != "t2":
            continue
        column = f["column_key"]
        if column == "items_change":
            values[f["key"]] = rng.choice([0, rng.randint(-5, -1), rng.randint(1, 9)])
        elif f["type"] == "decimal":
            values[f["key"]] = rng.choice([0, round(rng.uniform(0.1, 900), 4)])
        elif column == "decisions":
            values[f["key"]] = _small(rng, rng.choice([30, 800, 12000]), 0.2)
        else:
            values[f["key"]] = _small(rng, 40, 0.3)
    if version == "v2019":  # new_published never exceeds total_published
        for row in ("regulation", "normative_doc"):
            published = values[f"t2_{row}__new_published"]
            values[f"t2_{row}__total_published"] += published
    return values


def _t3_shape(version: str) -> tuple[list[str], list[str], list[str]]:
    layout = schema.table_layout(version, "t3")
    columns = [c["key"] for c in layout["columns"]]
    rows = [r["key"] for r in layout["rows"]]
    flow_rows = {"new_received", "carried_over", "outcome_total", "carry_next"}
    leaves = [r for r in rows if r not in flow_rows]
    return columns, rows, leaves


def _sample_t3(rng: random.Random, version: str) -> dict[str, int]:
    columns, rows, leaves = _t3_shape(version)
    values: dict[str, int] = {}
    for column in columns[:-1]:
        busy = column == "natural_person" or rng.random() < 0.4
        high = 25 if column == "natural_person" else 4
        cell = {leaf: _small(rng, high, 0.3 if leaf == "granted" else 0.8) if busy else 0
                for leaf in leaves}
        cell["outcome_total"] = sum(cell.values())
        cell["carry_next"] = _small(rng, 3, 0.6) if busy else 0
        cell["carried_over"] = rng.randint(0, min(3, cell["outcome_total"] + cell["carry_next"]))
        cell["new_received"] = cell["outcome_total"] + cell["carry_next"] - cell["carried_over"]
        for row, value in cell.items():
            values[f"t3_{row}__{column}"] = value
    for row in rows:
        values[f"t3_{row}__total"] = sum(values[f"t3_{row}__{c}"] for c in columns[:-1])
    return values


def _sample_t4(rng: random.Random) -> dict[str, int]:
    values: dict[str, int] = {}
    order = schema.table_layout("v2021", "t4")["column_order"]
    for group in dict.fromkeys(key.split("__")[0] for key in order):
        parts = {p: _small(rng, 3, 0.6) for p in ("upheld", "corrected", "other", "pending")}
        for part, value in parts.items():
            values[f"{group}__{part}"] = value
        values[f"{group}__total"] = sum(parts.values())
    return values
