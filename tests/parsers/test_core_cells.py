"""Cell text → Cell, and label normalisation / typo-tolerant matching."""

from __future__ import annotations

import pytest

from parsers.labels import core, normalize
from parsers.numbers import parse_cell
from parsers.tables.layout import t2_row_index, t3_row_index


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("0", None, ("0", 0, "number", None)),
        ("１，２３４", None, ("１，２３４", 1234, "number", None)),
        ("4,922,273", None, ("4,922,273", 4922273, "number", None)),
        ("減3", "项", ("減3", -3, "number", None)),
        ("减 2", "项", ("减 2", -2, "number", None)),
        ("增5", "项", ("增5", 5, "number", None)),
        ("+173", "项", ("+173", 173, "number", None)),
        ("-2", "项", ("-2", -2, "number", None)),
        ("787.139204", "万元", ("787.139204", 787.139204, "number", None)),
        ("１２．５", "万元", ("１２．５", 12.5, "number", None)),
        ("17万元", "万元", ("17万元", 17, "number", "万元")),
        ("251000元", "万元", ("251000元", 25.1, "number", "元")),
        ("184719元", "万元", ("184719元", 18.4719, "number", "元")),
        ("1035000", "万元", ("1035000", 1035000, "number", None)),
        ("3件", "件", ("3件", 3, "number", "件")),
        ("\t1186.37万元", "万元", ("1186.37万元", 1186.37, "number", "万元")),
        ("[bookmark: hmcheck_1]5", None, ("5", 5, "number", None)),
        ("[image: a.png]", None, ("", None, "blank", None)),
        ("", None, ("", None, "blank", None)),
        ("  ", None, ("", None, "blank", None)),
        ("-", None, ("-", None, "na_marker", None)),
        ("—", None, ("—", None, "na_marker", None)),
        ("－", None, ("－", None, "na_marker", None)),
        ("／", None, ("／", None, "na_marker", None)),
        ("/", None, ("/", None, "na_marker", None)),
        ("无", None, ("无", None, "na_marker", None)),
        ("约5", None, ("约5", None, "unreadable", None)),
    ],
)
def test_parse_cell(text: str, unit: str | None, expected: tuple) -> None:
    cell = parse_cell(text, unit=unit)
    assert (cell.raw, cell.value, cell.state, cell.unit_as_printed) == expected


def test_absent_cell() -> None:
    cell = parse_cell(None)
    assert (cell.raw, cell.value, cell.state) == (None, None, "absent")


def test_normalize_and_core() -> None:
    assert normalize("總 計") == "总计"
    assert normalize("本年新\n公开数量") == "本年新公开数量"
    assert core("(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)") == "部分公开"
    assert core("1．属于国家秘密") == "属于国家秘密"
    assert core("上一年项目数量(指2019年事项数)") == "上一年项目数量"
    assert core("3. 危及\"三安全一稳定\"") == core("3.危及“三安全一稳定”")


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("2. 申请人预期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_overdue_fee"),
        ("3. 其他", "other_other"),
        ("（六）其他处理", "other_handling"),
        ("(七) 总计", "outcome_total"),
        ("2.其他法律行政法规禁止公开", "withheld_law_prohibited"),
        ("1.申请人无正当理由逾期不补正、行政机关不再处", "other_overdue_correction"),
        ("三、本年度办理结果", None),
        ("（三）不予公开", None),
        ("二、上年結轉政府信息公開申請數量", "carried_over"),
    ],
)
def test_t3_row_labels(label: str, key: str | None) -> None:
    assert t3_row_index().match(label) == key


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("規範性文件", "normative_doc"),
        ("行政规范性文件", "normative_doc"),
        ("行政许可(指本机关实施的)", "admin_license"),
        ("政府集中采购", "central_procurement"),
        ("其他主动公开文件", None),
        ("信息内容", None),
    ],
)
def test_t2_row_labels(label: str, key: str | None) -> None:
    assert t2_row_index().match(label) == key


def test_report_field_keys_per_table_version() -> None:
    from parsers.schema import report_field_keys

    assert len(report_field_keys("v2021", "v2021")) == 200
    assert len(report_field_keys("v2019", "v2019")) == 198
    mixed = report_field_keys("v2019", "v2021")  # 2023 report keeping the old t2 layout
    assert len(mixed) == 22 + 175 + 15 and "t2_central_procurement__projects" in mixed
    assert len(report_field_keys("legacy_pre2019", "legacy_pre2019")) == 12
