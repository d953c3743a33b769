"""Tables printed as text in the observed extraction styles, and odd documents."""

from __future__ import annotations

from parsers.build import report_from_extracted
from parsers.model import ExtractedDocument
from parsers.text import parse_text

T3_LABELS = [
    ("new_received", ["一、本年新收政府信息公开申请数量"]),
    ("carried_over", ["二、上年结转政府信息公开申请数量"]),
    ("granted", ["三、本年度办理结果", "（一）予以公开"]),
    ("partially_granted", ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]),
    ("withheld_state_secret", ["（三）不予公开", "1.属于国家秘密"]),
    ("withheld_law_prohibited", ["2.其他法律行政法规禁止公开"]),
    ("withheld_security_stability", ["3.危及“三安全一稳定”"]),
    ("withheld_third_party_rights", ["4.保护第三方合法权益"]),
    ("withheld_internal_affairs", ["5.属于三类内部事务信息"]),
    ("withheld_process_info", ["6.属于四类过程性信息"]),
    ("withheld_enforcement_file", ["7.属于行政执法案卷"]),
    ("withheld_admin_inquiry", ["8.属于行政查询事项"]),
    ("unable_not_held", ["（四）无法提供", "1.本机关不掌握相关政府信息"]),
    ("unable_needs_creation", ["2.没有现成信息需要另行制作"]),
    ("unable_still_unclear", ["3.补正后申请内容仍不明确"]),
    ("rejected_petition_complaint", ["（五）不予处理", "1.信访举报投诉类申请"]),
    ("rejected_repeat", ["2.重复申请"]),
    ("rejected_publication", ["3.要求提供公开出版物"]),
    ("rejected_mass_repeat", ["4.无正当理由大量反复申请"]),
    ("rejected_confirm_reissue", ["5.要求行政机关确认或重新出具已获取信息"]),
    ("other_overdue_correction", ["（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]),
    ("other_overdue_fee", ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"]),
    ("other_other", ["3.其他"]),
    ("outcome_total", ["（七）总计"]),
    ("carry_next", ["四、结转下年度继续办理"]),
]
# One application from a natural person, granted; everything else zero.
T3_VALUES = {"new_received": "1 0 0 0 0 0 1", "granted": "1 0 0 0 0 0 1",
             "outcome_total": "1 0 0 0 0 0 1"}
T2_ROWS = [
    ["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "0", "2"], ["行政规范性文件", "3", "1", "20"],
    ["第二十条第（五）项"], ["信息内容", "本年处理决定数量"], ["行政许可", "15"],
    ["第二十条第（六）项"], ["信息内容", "本年处理决定数量"], ["行政处罚", "9"], ["行政强制", "0"],
    ["第二十条第（八）项"], ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "0"],
]
T4_ROW = "0 0 0 0 0 1 0 0 0 1 0 0 0 0 0"


def t3_rows() -> list[list[str]]:
    return [labels + T3_VALUES.get(key, "0 0 0 0 0 0 0").split() for key, labels in T3_LABELS]


def document(render) -> str:
    """A v2021 report whose tables are rendered row by row with `render`."""
    parts = ["某某县某某局2022年政府信息公开工作年度报告", "一、总体情况", "本年度依法公开。",
             "二、主动公开政府信息情况", *map(render, T2_ROWS), "三、收到和处理政府信息公开申请情况",
             *map(render, t3_rows()), "四、政府信息公开行政复议、行政诉讼情况",
             render(["行政复议", "行政诉讼"]), render(T4_ROW.split()),
             "五、存在的主要问题及改进情况", "无", "六、其他需要报告的事项", "无"]
    return "\n".join(parts)


def assert_reference_values(report) -> None:
    values = report.field_values()
    assert report.format_version == "v2021" and len(values) == 200
    assert values["t2_normative_doc__in_force"] == 20 and values["t2_admin_license__decisions"] == 15
    assert values["t3_new_received__natural_person"] == 1
    assert values["t3_granted__total"] == 1
    assert values["t3_other_other__total"] == 0
    assert values["t4_litigation_direct__upheld"] == 1 and values["t4_litigation_direct__total"] == 1
    assert all(check.ok for check in report.checks) and len(report.checks) == 42


def test_pipe_tables() -> None:
    report = parse_text(document(lambda cells: "| " + " | ".join(cells) + " |"))
    assert report.extraction_style == "markdown_pipe"
    assert_reference_values(report)


def test_pdf_text_with_spaces_and_vertical_headers() -> None:
    text = document(lambda cells: " ".join(cells)).replace(
        "行政复议 行政诉讼", "行政复议 行政诉讼\n结 结 其 尚 总\n果 果 他 未 计\n维 纠 结 审\n持 正 果 结")
    report = parse_text(text)
    assert report.extraction_style == "pdf_text_spaces"
    assert_reference_values(report)


def test_pandoc_cells_with_injected_empty_lines() -> None:
    text = document(lambda cells: "".join(f"\t{cell}\n" for cell in cells))
    text = text.replace("\t（一）予以公开", "\n" * 12 + "\t（一）予以公开")
    report = parse_text(text)
    assert report.extraction_style == "pandoc_cell_per_line"
    assert_reference_values(report)


def test_dropped_empty_cells_resolved_by_row_sum() -> None:
    text = document(lambda cells: "\t".join(cells))
    text = text.replace("一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1", "一、本年新收政府信息公开申请数量\t3\t3")
    text = text.replace("二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0", "二、上年结转政府信息公开申请数量\t7\t1\t8")
    report = parse_text(text)
    cells = report.fields
    assert (cells["t3_new_received__natural_person"].value, cells["t3_new_received__total"].value) == (3, 3)
    assert cells["t3_new_received__commercial_enterprise"].state == "blank"
    # 7 | 1 | 8: which organisation column got the 1 is unknowable, so only 总计 is kept.
    assert cells["t3_carried_over__total"].value == 8
    assert cells["t3_carried_over__natural_person"].state == "unreadable"
    assert cells["t3_carried_over__natural_person"].value is None


def test_traditional_mirror_text_and_signed_changes() -> None:
    text = "\n".join([
        "某某市某某局2021年政府信息公開工作年度報告",
        "二、主動公開政府信息情況",
        "第二十條第（五）項\t\t\t", "信息內容\t上一年項目數量\t本年增/減\t處理決定數量",
        "行政許可\t40\t減3\t200", "其他對外管理服務事項\t5\t+1\t9",
        "第二十條第（九）項\t\t\t", "信息內容\t採購項目數量\t採購總金額\t",
        "政府集中採購\t3\t1035000\t",
    ])
    report = parse_text(text)
    values = report.field_values()
    assert report.t2_format_version == "v2019" and report.t3_format_version == "absent"
    assert values["t2_admin_license__items_change"] == -3
    assert values["t2_other_mgmt_service__items_change"] == 1
    # No unit printed in a 万元 column: taken as 万元.
    assert values["t2_central_procurement__total_amount"] == 1035000
    assert report.fields["t3_new_received__total"].state == "absent"


def test_legacy_statistics_table_by_label() -> None:
    text = "\n".join([
        "某某县人民政府2015年政府信息公开工作年度报告", "一、概述", "本县依法公开。",
        "二、主动公开政府信息的情况", "统计指标\t单位\t统计数",
        "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）\t条\t1523",
        "其中：主动公开规范性文件数\t条\t12", "（二）收到申请数\t件\t25",
        "1.同意公开答复数\t件\t20", "三、依申请公开政府信息情况", "依申请公开信息收取的费用\t万元\t0.05",
    ])
    report = parse_text(text)
    assert report.format_version == "legacy_pre2019" and report.report_year == 2015
    values = report.field_values()
    assert values["legacy_proactive_items"] == 1523
    assert values["legacy_normative_docs_published"] == 12
    assert values["legacy_applications_received"] == 25
    assert values["legacy_granted"] == 20
    assert values["legacy_fees_collected"] == 0.05
    assert values["legacy_denied"] is None and report.checks == []


def test_not_a_report_never_raises() -> None:
    for text in ["", "网站维护中，请稍后访问。", "\x00\x01\t\t|||\n" * 50, "一、\n二、\n三、"]:
        report = report_from_extracted(ExtractedDocument(text=text, tables=[[[""]], []]))
        assert report.failure is not None and report.failure.reason == "not_a_report"
        assert report.fields == {}


def test_year_from_signature_date_and_chinese_digits() -> None:
    signed = parse_text("某某局政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n"
                        "三、收到和处理政府信息公开申请情况\n某某局\n2024年1月20日")
    assert signed.report_year == 2023 and signed.agency_name == "某某局"
    chinese = parse_text("某某区人民政府办公室二〇二三年政府信息公开工作年度报告\n一、总体情况\n"
                         "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况")
    assert chinese.report_year == 2023 and chinese.scope == "government_own"
    assert chinese.format_version == "v2021"  # no tables: from the year


def test_labels_on_their_own_line_and_t4_one_number_per_line() -> None:
    def render(cells: list[str]) -> str:
        labels = [cell for cell in cells if not cell.isdigit()]
        numbers = [cell for cell in cells if cell.isdigit()]
        return "\n".join(filter(None, [" ".join(labels), " ".join(numbers)]))

    text = document(render).replace(T4_ROW, T4_ROW.replace(" ", "\n"))
    assert_reference_values(parse_text(text))


def test_fee_in_yuan_is_converted_to_wan_yuan() -> None:
    text = document(lambda cells: "\t".join(cells)).replace("行政事业性收费\t0", "行政事业性收费\t12000元")
    cell = parse_text(text).fields["t2_admin_fee__amount"]
    assert (cell.value, cell.unit_as_printed, cell.raw) == (1.2, "元", "12000元")


def test_wrapped_label_with_values_on_the_next_line() -> None:
    long_label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    wrapped = "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政\n府信息公开申请 2 0 0 0 0 0 2"
    text = document(lambda cells: " ".join(cells))
    text = text.replace(f"（六）其他处理 {long_label} 0 0 0 0 0 0 0", wrapped)
    assert wrapped in text
    report = parse_text(text)
    assert report.fields["t3_other_overdue_correction__natural_person"].value == 2
    assert report.fields["t3_other_overdue_correction__total"].value == 2
    assert report.fields["t3_other_overdue_fee__total"].value == 0


def test_skeleton_table_without_numbers_gives_blank_cells() -> None:
    def skeleton(cells: list[str]) -> str:
        return "\t".join("" if cell.isdigit() else cell for cell in cells)

    text = document(skeleton).replace(skeleton(T4_ROW.split()), "\t" * 14)
    report = parse_text(text)
    states = {cell.state for cell in report.fields.values()}
    assert states == {"blank"}
    assert len(report.fields) == 200 and all(check.ok for check in report.checks)


def test_split_header_words_are_not_rows() -> None:
    # xuwen.gov.cn prints 商业/科研 on one header row and 企业/机构 on the next.
    text = document(lambda cells: "\t".join(cells)).replace(
        "一、本年新收", "\t\t商业\t科研\t社会公益\t法律服务\t其他\t\n\t\t企业\t机构\t组织\t机构\t\t\n一、本年新收", 1)
    report = parse_text(text)
    assert_reference_values(report)


def test_a_stray_table_row_is_not_a_report() -> None:
    doc = ExtractedDocument(text="办事指南", tables=[[["事项", "件数"], ["行政许可", "12"]]])
    assert report_from_extracted(doc).failure.reason == "not_a_report"


def test_soft_checks_warn_without_changing_values() -> None:
    text = document(lambda cells: "\t".join(cells))
    text = text.replace("行政事业性收费\t0", "行政事业性收费\t2500000").replace("行政处罚\t9", "行政处罚\t-9")
    report = parse_text(text)
    assert report.fields["t2_admin_fee__amount"].value == 2500000
    assert report.fields["t2_admin_penalty__decisions"].value == -9
    assert report.warnings == [
        "negative value t2_admin_penalty__decisions=-9",
        "fee 2500000 万元 looks like an amount in 元",
    ]
    assert parse_text(document(lambda cells: "\t".join(cells))).warnings == []
