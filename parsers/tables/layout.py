"""Table layouts from the schema: row/column keys in order and label indexes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from parsers.labels import LabelIndex, core, normalize
from parsers.schema import TABLE_VERSIONS, field_defs, table_layout


@dataclass(frozen=True)
class T2Row:
    row_key: str
    fields: tuple[tuple[str, str], ...]  # (field key, canonical unit) in column order


@cache
def t2_rows(version: str) -> dict[str, T2Row]:
    """t2 row key → its fields in printed column order, for one version."""
    columns: dict[str, list[tuple[str, str]]] = {}
    for definition in field_defs(version):
        if definition["table"] == "t2":
            columns.setdefault(definition["row_key"], []).append(
                (definition["key"], definition["unit"])
            )
    return {row_key: T2Row(row_key, tuple(fields)) for row_key, fields in columns.items()}


@cache
def t2_row_index() -> LabelIndex:
    """Row labels of t2 in every version (规范性文件 and 行政规范性文件 are one row)."""
    index = LabelIndex(slack=4)
    for version in TABLE_VERSIONS:
        for definition in field_defs(version):
            if definition["table"] == "t2":
                index.add(
                    definition["row_key"],
                    [definition["row_label"], *definition.get("row_label_variants", [])],
                )
    return index


@cache
def t3_row_keys(version: str) -> tuple[str, ...]:
    return tuple(row["key"] for row in table_layout(version, "t3")["rows"])


@cache
def t3_column_keys() -> tuple[str, ...]:
    return tuple(column["key"] for column in table_layout("v2021", "t3")["columns"])


@cache
def t3_row_index() -> LabelIndex:
    """Row labels of t3 in both versions; group labels are not rows."""
    index = LabelIndex(slack=6, bare_min=3)
    for version in TABLE_VERSIONS:
        for row in table_layout(version, "t3")["rows"]:
            index.add(row["key"], [row["label"], *row.get("variants", [])])
    return index


@cache
def t4_column_keys() -> tuple[str, ...]:
    return tuple(table_layout("v2021", "t4")["column_order"])


def _flatten(rows: list[list[str]]) -> set[str]:
    return {core(label) for row in rows for label in row}


@cache
def header_words() -> dict[str, frozenset[str]]:
    """Header label cores that say which table a row belongs to.

    Words printed in the headers of two tables (总计, 其他) tell nothing and are left out.
    """
    t2: set[str] = set()
    for version in TABLE_VERSIONS:
        for block in table_layout(version, "t2")["blocks"]:
            t2 |= {core(block["article"])} | {core(column) for column in block["columns"]}
    t3_layout = table_layout("v2021", "t3")
    t3 = _flatten(t3_layout["column_header_rows"]) | {
        core(column["label"]) for column in t3_layout["columns"]
    }
    t4 = _flatten(table_layout("v2021", "t4")["header_rows"])
    shared = (t2 & t3) | (t2 & t4) | (t3 & t4)
    return {
        name: frozenset(word for word in words - shared if len(word) >= 3)
        for name, words in (("t2", t2), ("t3", t3), ("t4", t4))
    }


@cache
def t2_article_word() -> str:
    """The 第二十条 that opens every t2 block, taken from the schema's block names."""
    article = core(table_layout("v2021", "t2")["blocks"][0]["article"])
    return article[: article.index("条") + 1]


@cache
def t3_corner_word() -> str:
    """勾稽关系, the distinctive word of t3's corner note."""
    note = normalize(table_layout("v2021", "t3")["corner_note"])
    return note[note.index("勾稽") : note.index("勾稽") + 4] if "勾稽" in note else note[:6]


@cache
def t2_column_header_word() -> str:
    """信息内容, the first cell of every t2 block's column header row."""
    return core(table_layout("v2021", "t2")["blocks"][0]["columns"][0])


@cache
def row_order(table: str, version: str) -> tuple[str, ...]:
    """Row keys of t2 or t3 in printed template order."""
    return tuple(t2_rows(version)) if table == "t2" else t3_row_keys(version)


@cache
def row_labels(table: str, version: str) -> dict[str, str]:
    """Row key → the template's label for it."""
    if table == "t3":
        return {row["key"]: row["label"] for row in table_layout(version, "t3")["rows"]}
    return {d["row_key"]: d["row_label"] for d in field_defs(version) if d["table"] == "t2"}


@cache
def row_fields(table: str, version: str) -> dict[str, tuple[str, ...]]:
    """Row key → the field keys printed in that row."""
    if table == "t3":
        return {row: tuple(f"t3_{row}__{column}" for column in t3_column_keys())
                for row in t3_row_keys(version)}
    return {key: tuple(f for f, _ in row.fields) for key, row in t2_rows(version).items()}
