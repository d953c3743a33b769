"""Tables as grids (HTML rowspan/colspan expanded) map onto every field of their version."""

from __future__ import annotations

import random

import pytest
from opencc import OpenCC

from parsers.build import report_from_extracted
from parsers.model import ExtractedDocument

COLUMNS = ("natural_person", "commercial_enterprise", "research_institution",
           "social_welfare_org", "legal_service_org", "other_org", "total")
# (row key, group label, own label) as the template prints them.
OUTCOME_ROWS_2021 = [
    ("granted", None, "（一）予以公开"),
    ("partially_granted", None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld_state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("withheld_law_prohibited", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("withheld_security_stability", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("withheld_third_party_rights", "（三）不予公开", "4.保护第三方合法权益"),
    ("withheld_internal_affairs", "（三）不予公开", "5.属于三类内部事务信息"),
    ("withheld_process_info", "（三）不予公开", "6.属于四类过程性信息"),
    ("withheld_enforcement_file", "（三）不予公开", "7.属于行政执法案卷"),
    ("withheld_admin_inquiry", "（三）不予公开", "8.属于行政查询事项"),
    ("unable_not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unable_needs_creation", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("unable_still_unclear", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("rejected_petition_complaint", "（五）不予处理", "1.信访举报投诉类申请"),
    ("rejected_repeat", "（五）不予处理", "2.重复申请"),
    ("rejected_publication", "（五）不予处理", "3.要求提供公开出版物"),
    ("rejected_mass_repeat", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("rejected_confirm_reissue", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_overdue_correction", "（六）其他处理",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_overdue_fee", "（六）其他处理",
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "（六）其他处理", "3.其他"),
]
OUTCOME_ROWS_2019 = OUTCOME_ROWS_2021[:-3] + [("other_handling", None, "（六）其他处理")]
T4_GROUPS = ("review", "litigation_direct", "litigation_after_review")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
T4_HEADS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def consistent_t3(outcome_rows: list[tuple], seed: int) -> dict[str, int]:
    """t3 values that satisfy every hard identity."""
    rng = random.Random(seed)
    values: dict[str, int] = {}
    for row_key in [row[0] for row in outcome_rows] + ["carried_over", "carry_next"]:
        for column in COLUMNS[:-1]:
            values[f"t3_{row_key}__{column}"] = rng.choice([0, 0, 1, 2, 5, 13])
    for column in COLUMNS[:-1]:
        outcome = sum(values[f"t3_{row[0]}__{column}"] for row in outcome_rows)
        values[f"t3_outcome_total__{column}"] = outcome
        carried = min(values[f"t3_carried_over__{column}"], outcome)
        values[f"t3_carried_over__{column}"] = carried
        values[f"t3_new_received__{column}"] = outcome + values[f"t3_carry_next__{column}"] - carried
    row_keys = {key.split("__")[0] for key in values}
    for row in row_keys:
        values[f"{row}__total"] = sum(values[f"{row}__{column}"] for column in COLUMNS[:-1])
    return values


def t3_grid(outcome_rows: list[tuple], values: dict[str, object]) -> list[list[str]]:
    """t3 laid out like an HTML table with rowspan/colspan repeated into every cell."""
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    grid = [
        [corner] * 3 + ["申请人情况"] * 7,
        [corner] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"],
        [corner] * 3 + ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ]

    def cells(row_key: str) -> list[str]:
        return [str(values.get(f"t3_{row_key}__{column}", "")) for column in COLUMNS]

    grid.append(["一、本年新收政府信息公开申请数量"] * 3 + cells("new_received"))
    grid.append(["二、上年结转政府信息公开申请数量"] * 3 + cells("carried_over"))
    result = "三、本年度办理结果"
    for row_key, group, label in outcome_rows:
        labels = [result, group, label] if group else [result, label, label]
        grid.append(labels + cells(row_key))
    grid.append([result, "（七）总计", "（七）总计"] + cells("outcome_total"))
    grid.append(["四、结转下年度继续办理"] * 3 + cells("carry_next"))
    return grid


def t4_grid(values: dict[str, object]) -> list[list[str]]:
    return [
        ["行政复议"] * 5 + ["行政诉讼"] * 10,
        T4_HEADS + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
        T4_HEADS * 3,
        [str(values[f"t4_{group}__{column}"]) for group in T4_GROUPS for column in T4_COLUMNS],
    ]


def consistent_t4() -> dict[str, int]:
    values = {}
    for offset, group in enumerate(T4_GROUPS):
        parts = [offset + 1, 0, 2, offset]
        values.update({f"t4_{group}__{column}": part for column, part in zip(T4_COLUMNS, parts)})
        values[f"t4_{group}__total"] = sum(parts)
    return values


def t2_grid_2021() -> list[list[str]]:
    return [
        ["第二十条第（一）项"] * 4,
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "1", "0", "5"],
        ["行政规范性文件", "12", "3", "140"],
        ["第二十条第（五）项"] * 4,
        ["信息内容"] + ["本年处理决定数量"] * 3,
        ["行政许可"] + ["2,345"] * 3,
        ["第二十条第（六）项"] * 4,
        ["信息内容"] + ["本年处理决定数量"] * 3,
        ["行政处罚"] + ["67"] * 3,
        ["行政强制"] + ["-"] * 3,
        ["第二十条第（八）项"] * 4,
        ["信息内容"] + ["本年收费金额（单位：万元）"] * 3,
        ["行政事业性收费"] + ["27.2500"] * 3,
    ]


T2_2021 = {
    "t2_regulation__issued": 1, "t2_regulation__abolished": 0, "t2_regulation__in_force": 5,
    "t2_normative_doc__issued": 12, "t2_normative_doc__abolished": 3,
    "t2_normative_doc__in_force": 140, "t2_admin_license__decisions": 2345,
    "t2_admin_penalty__decisions": 67, "t2_admin_coercion__decisions": None,
    "t2_admin_fee__amount": 27.25,
}

TEXT = "某某市某某局2023年政府信息公开工作年度报告\n\n一、总体情况\n\n本年度我局依法公开。\n"


def grid_report(tables: list[list[list[str]]], text: str = TEXT):
    doc = ExtractedDocument(text=text, tables=tables, source_format="html", extraction_style="html_table")
    return report_from_extracted(doc, url="http://127.0.0.1/report.html")


def test_v2021_grids_map_every_field() -> None:
    t3 = consistent_t3(OUTCOME_ROWS_2021, seed=1)
    t4 = consistent_t4()
    report = grid_report([t2_grid_2021(), t3_grid(OUTCOME_ROWS_2021, t3), t4_grid(t4)])
    assert (report.format_version, report.t2_format_version, report.t3_format_version) == (
        "v2021", "v2021", "v2021")
    assert report.extraction_style == "html_table"
    assert report.source_url == "http://127.0.0.1/report.html"
    assert len(report.fields) == 200
    expected = {**T2_2021, **t3, **t4}
    assert set(expected) == set(report.fields)
    assert {key: cell.value for key, cell in report.fields.items()} == expected
    assert report.fields["t2_admin_coercion__decisions"].state == "na_marker"
    assert len(report.checks) == 42
    assert all(check.ok is True for check in report.checks)
    assert report.agency_name == "某某市某某局" and report.report_year == 2023


def test_v2019_grids_with_traditional_labels_and_yuan() -> None:
    to_traditional = OpenCC("s2t")
    t2 = [
        ["第二十條第（一）項"] * 4,
        ["信息內容", "本年新制作數量", "本年新公開數量", "對外公開總數量"],
        ["規章", "0", "0", "3"],
        ["規範性文件", "4", "4", "27"],
        ["第二十條第（五）項"] * 4,
        ["信息內容", "上一年項目數量", "本年增/減", "處理決定數量"],
        ["行政許可", "35", "減3", "1,120"],
        ["其他對外管理服務事項", "8", "+2", "40"],
        ["第二十條第（六）項"] * 4,
        ["信息內容", "上一年項目數量", "本年增/減", "處理決定數量"],
        ["行政處罰", "120", "0", "56"],
        ["行政強制", "/", "/", "/"],
        ["第二十條第（八）項"] * 4,
        ["信息內容", "上一年項目數量", "本年增/減", "本年增/減"],
        ["行政事業性收費", "2", "-1", "-1"],
        ["第二十條第（九）項"] * 4,
        ["信息內容", "採購項目數量", "採購總金額", "採購總金額"],
        ["政府集中採購", "3", "1035000元", "1035000元"],
    ]
    t3 = consistent_t3(OUTCOME_ROWS_2019, seed=2)
    t3_cells = [[to_traditional.convert(cell) for cell in row] for row in t3_grid(OUTCOME_ROWS_2019, t3)]
    t4 = consistent_t4()
    report = grid_report([t2, t3_cells, t4_grid(t4)], text="某某區某某局2020年政府信息公開工作年度報告\n")
    assert (report.format_version, report.t2_format_version, report.t3_format_version) == (
        "v2019", "v2019", "v2019")
    assert len(report.fields) == 198
    values = report.field_values()
    assert values["t2_normative_doc__total_published"] == 27
    assert values["t2_admin_license__items_change"] == -3
    assert values["t2_other_mgmt_service__items_change"] == 2
    assert values["t2_admin_fee__items_change"] == -1
    assert values["t2_central_procurement__projects"] == 3
    assert values["t2_central_procurement__total_amount"] == pytest.approx(103.5)
    assert report.fields["t2_central_procurement__total_amount"].unit_as_printed == "元"
    assert report.fields["t2_admin_coercion__decisions"].state == "na_marker"
    assert {key: values[key] for key in {**t3, **t4}} == {**t3, **t4}
    assert len(report.checks) == 40 and all(check.ok for check in report.checks)


def test_inconsistent_report_fails_only_the_broken_identity() -> None:
    t3 = consistent_t3(OUTCOME_ROWS_2021, seed=3)
    t4 = consistent_t4()
    t4["t4_litigation_direct__total"] += 1
    report = grid_report([t2_grid_2021(), t3_grid(OUTCOME_ROWS_2021, t3), t4_grid(t4)])
    failed = {check.name: check.status for check in report.checks if check.ok is not True}
    assert failed == {"t4_sum__litigation_direct": "inconsistent"}


def test_blank_totals_make_a_failure_incomplete() -> None:
    t3: dict[str, object] = consistent_t3(OUTCOME_ROWS_2021, seed=4)
    t3["t3_granted__natural_person"] = 1
    t3["t3_granted__total"] = ""  # the 上海 2019 style: 总计 left empty on a sub-row
    report = grid_report([t3_grid(OUTCOME_ROWS_2021, t3)])
    checks = {check.name: check for check in report.checks}
    assert checks["t3_row_sum__granted"].status == "incomplete"
    assert checks["t3_row_sum__granted"].ok is False
    assert report.fields["t3_granted__total"].state == "blank"
    # t4 is missing entirely: its identities cannot be evaluated.
    assert checks["t4_sum__review"].ok is None and checks["t4_sum__review"].status == "not_evaluable"
    assert report.fields["t4_review__total"].state == "absent"


def test_derived_fields_and_record_round_trip() -> None:
    from parsers.identities import derived_values
    from parsers.model import ParsedReport

    t3 = consistent_t3(OUTCOME_ROWS_2021, seed=5)
    t4 = consistent_t4()
    report = grid_report([t3_grid(OUTCOME_ROWS_2021, t3), t4_grid(t4)])
    derived = derived_values(report.format_version, report.fields)
    for column in COLUMNS:
        assert derived[f"t3_other_handling__{column}"] == sum(
            t3[f"t3_{row}__{column}"] for row in ("other_overdue_correction", "other_overdue_fee", "other_other"))
        assert derived[f"t3_unable_subtotal__{column}"] == sum(
            t3[f"t3_{row}__{column}"] for row in ("unable_not_held", "unable_needs_creation", "unable_still_unclear"))
    assert derived["t4_litigation__total"] == t4["t4_litigation_direct__total"] + t4["t4_litigation_after_review__total"]
    assert ParsedReport.from_dict(report.to_dict()) == report


def test_v2019_t2_whose_value_spans_differ_from_its_header_spans() -> None:
    # Laid out like 上海市人民政府办公厅's 2019 HTML: five grid columns, where a header
    # spans columns 2-3 in one block but a value spans columns 1-2 in another.
    t2 = [
        ["第二十条第（一）项"] * 5,
        ["信息内容", "本年新制作数量", "本年新公开数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "13", "13", "13", "524"],
        ["规范性文件", "60", "58", "58", "368"],
        ["第二十条第（五）项"] * 5,
        ["信息内容", "上一年项目数量", "本年增/减", "本年增/减", "处理决定数量"],
        ["行政许可", "5", "5", "-1", "20"],
        ["其他对外管理服务事项", "", "", "", ""],
        ["第二十条第（八）项"] * 5,
        ["信息内容", "上一年项目数量", "上一年项目数量", "本年增/减", "本年增/减"],
        ["行政事业性收费", "3", "3", "", ""],
        ["第二十条第（九）项"] * 5,
        ["信息内容", "采购项目数量", "采购项目数量", "采购总金额", "采购总金额"],
        ["政府集中采购", "6", "6", "251000元", "251000元"],
    ]
    values = grid_report([t2], text="上海市人民政府办公厅2019年政府信息公开工作年度报告\n").field_values()
    assert [values[f"t2_regulation__{c}"] for c in ("new_made", "new_published", "total_published")] == [13, 13, 524]
    assert [values[f"t2_normative_doc__{c}"] for c in ("new_made", "new_published", "total_published")] == [60, 58, 368]
    assert [values[f"t2_admin_license__{c}"] for c in ("prev_year_items", "items_change", "decisions")] == [5, -1, 20]
    assert values["t2_other_mgmt_service__decisions"] is None
    assert (values["t2_admin_fee__prev_year_items"], values["t2_admin_fee__items_change"]) == (3, None)
    assert (values["t2_central_procurement__projects"], values["t2_central_procurement__total_amount"]) == (6, 25.1)


def test_mixed_layout_keeps_t2_and_t3_versions_apart() -> None:
    from parsers.schema import report_field_keys

    t2_old = [
        ["第二十条第（一）项"] * 4,
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "0", "0", "4"],
        ["规范性文件", "2", "2", "31"],
    ]
    t3 = consistent_t3(OUTCOME_ROWS_2021, seed=6)
    report = grid_report([t2_old, t3_grid(OUTCOME_ROWS_2021, t3), t4_grid(consistent_t4())])
    assert (report.t2_format_version, report.t3_format_version) == ("v2019", "v2021")
    assert report.format_version == "v2021"
    assert tuple(report.fields) == report_field_keys("v2019", "v2021")
    assert report.fields["t2_normative_doc__total_published"].value == 31
    assert report.fields["t2_central_procurement__projects"].state == "absent"
    assert len(report.checks) == 42
