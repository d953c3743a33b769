"""Issue 12, causes 1–2: misprinted and lost row labels, placed by template position."""

from __future__ import annotations

import pytest

from flows.reportgen import report_tables, sample_spec
from flows.reportgen.tables import texts
from parsers.build import report_from_extracted
from parsers.model import ExtractedDocument
from parsers.text import parse_text
from tests.parsers.textdoc import Damage, report_text

# Labels as real reports misprint them: a character missing, swapped or replaced,
# a synonym, and a label nobody could match by edit distance alone.
TYPOS = {
    "2.其他法律行政法规禁止公开": "2.其他法律行政法规禁公开",
    "4.保护第三方合法权益": "4.保护第三人合法利益",
    "2.没有现成信息需要另行制作": "2.没有现成信息需另行制作的",
    "2.重复申请": "2.反复申请",
    "行政许可": "行政许诺",
    "社会公益组织": "社会组织",
}
SAME_BY_POSITION = {"3.要求提供公开出版物": "3.其他情形"}
ROW_OF = {
    "2.其他法律行政法规禁止公开": "withheld_law_prohibited",
    "4.保护第三方合法权益": "withheld_third_party_rights",
    "2.没有现成信息需要另行制作": "unable_needs_creation",
    "2.重复申请": "rejected_repeat",
    "3.要求提供公开出版物": "rejected_publication",
}
CASES = [(seed, style, version, year) for seed in (0, 5, 11) for style in ("pipe", "tabs")
         for version, year in (("v2021", 2023), ("v2019", 2020))]


def _spec(seed: int, version: str, year: int):
    return sample_spec(seed, version=version, year=year, agency="某某市生态环境局")


def _values_match(report, spec) -> None:
    assert report.failure is None
    assert report.format_version == spec.version
    assert report.field_values() == spec.fields
    assert {check.name: check.ok for check in report.checks} == spec.expected_checks()


@pytest.mark.parametrize(("seed", "style", "version", "year"), CASES)
def test_mistyped_labels_map_to_their_rows(seed: int, style: str, version: str, year: int) -> None:
    spec = _spec(seed, version, year)
    report = parse_text(report_text(spec, style=style, damage=Damage(relabel={**TYPOS, **SAME_BY_POSITION})))
    _values_match(report, spec)
    for printed, row in ROW_OF.items():
        cell = report.fields[f"t3_{row}__total"]
        assert cell.label_as_printed == {**TYPOS, **SAME_BY_POSITION}[printed]
        assert cell.mapped_by in ("label", "similar_label", "position")
    assert report.fields["t3_rejected_publication__total"].mapped_by == "position"
    assert report.fields["t3_withheld_third_party_rights__total"].mapped_by == "similar_label"
    assert report.fields["t2_admin_license__decisions"].label_as_printed == "行政许诺"
    assert report.fields["t3_granted__total"].mapped_by == "label"


@pytest.mark.parametrize(("seed", "style", "version", "year"), CASES)
def test_rows_without_labels_map_by_position(seed: int, style: str, version: str, year: int) -> None:
    lost = ["规章", "行政处罚", "一、本年新收政府信息公开申请数量", "2.其他法律行政法规禁止公开",
            "3.补正后申请内容仍不明确", "（七）总计", "四、结转下年度继续办理"]
    spec = _spec(seed, version, year)
    report = parse_text(report_text(spec, style=style, damage=Damage(unlabel_rows=lost)))
    _values_match(report, spec)
    for row in ("new_received", "withheld_law_prohibited", "outcome_total", "carry_next"):
        cell = report.fields[f"t3_{row}__total"]
        assert (cell.mapped_by, cell.label_as_printed) == ("position", None)
    first_t2 = next(key for key in report.fields if key.startswith("t2_regulation__"))
    assert report.fields[first_t2].mapped_by == "position"


def test_more_unlabeled_rows_than_gaps_are_not_guessed() -> None:
    """Two unlabeled rows where one row is missing: no position tells which is which."""
    spec = _spec(2, "v2021", 2023)
    text = report_text(spec, damage=Damage(unlabel_rows=["2.重复申请"]))
    lines = text.split("\n")
    blank_row = next(line for line in lines if line.startswith("|  |"))
    lines.insert(lines.index(blank_row), blank_row)
    report = parse_text("\n".join(lines))
    assert report.fields["t3_rejected_repeat__total"].state == "absent"
    assert report.fields["t3_rejected_publication__total"].value == spec.fields[
        "t3_rejected_publication__total"]


def test_placed_row_that_breaks_the_identities_is_unreadable() -> None:
    """A lost label's values that cannot be that row (the balance fails): not kept."""
    spec = _spec(4, "v2021", 2023)
    text = report_text(spec, damage=Damage(unlabel_rows=["二、上年结转政府信息公开申请数量"]))
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("|  |"))
    lines[row] = "|  | 900 | 0 | 0 | 0 | 0 | 0 | 900 |"
    report = parse_text("\n".join(lines))
    assert report.fields["t3_carried_over__total"].state == "unreadable"
    assert report.fields["t3_carried_over__total"].mapped_by == "position"
    assert report.fields["t3_new_received__total"].value == spec.fields["t3_new_received__total"]


@pytest.mark.parametrize("seed", [1, 7])
def test_mistyped_labels_in_grids(seed: int) -> None:
    """The same misprints in a document's table grids (HTML/DOCX/PDF extraction)."""
    spec = _spec(seed, "v2021", 2022)
    relabel = {**TYPOS, **SAME_BY_POSITION}
    grids = [[[relabel.get(text, text) for text in row] for row in texts(grid)]
             for grid in report_tables(spec).values()]
    doc = ExtractedDocument(text=spec.title, tables=grids, source_format="docx", extraction_style="other")
    report = report_from_extracted(doc)
    _values_match(report, spec)
    assert report.fields["t3_rejected_repeat__natural_person"].label_as_printed == "2.反复申请"


@pytest.mark.parametrize(("seed", "style", "version", "year"), CASES)
def test_labels_glued_to_the_row_above(seed: int, style: str, version: str, year: int) -> None:
    glued = ["2.其他法律行政法规禁止公开", "4.保护第三方合法权益", "2.重复申请", "（七）总计", "行政强制"]
    spec = _spec(seed, version, year)
    report = parse_text(report_text(spec, style=style, damage=Damage(glue_up=glued)))
    _values_match(report, spec)
    assert report.fields["t3_withheld_law_prohibited__total"].label_as_printed == "2.其他法律行政法规禁止公开"


@pytest.mark.parametrize(("name", "seed", "version", "year", "agency"), [
    ("pipe_unlabeled_rows_2023.txt", 8, "v2021", 2023, "某某县卫生健康委员会"),
    ("tabs_mistyped_labels_2021.txt", 12, "v2019", 2021, "某某区市场监督管理局"),
])
def test_fixture_documents(name: str, seed: int, version: str, year: int, agency: str) -> None:
    """Stored text documents (a pipe table with rows that lost their labels; tab text
    with misprinted labels) parse to the values of the spec they were printed from."""
    from tests.fixture_paths import FIXTURES

    spec = sample_spec(seed, version=version, year=year, agency=agency)
    report = parse_text((FIXTURES / "documents" / name).read_text(encoding="utf-8"))
    assert (report.agency_name, report.report_year) == (agency, year)
    _values_match(report, spec)


@pytest.mark.parametrize(("version", "year"), [("v2021", 2023), ("v2019", 2020)])
def test_a_table_without_any_row_label_maps_by_the_template_row_count(version: str, year: int) -> None:
    """Every t3 label lost, no year printed, no other table: the row count names the
    template (v2021 has three （六） rows, v2019 one) and the rows map by position."""
    from tests.parsers.textdoc import table_rows

    spec = _spec(2, version, year)
    labels = [row_labels[-1] for row_labels, values in table_rows(report_tables(spec)["t3"]) if values]
    text = report_text(spec, damage=Damage(unlabel_rows=labels))
    lines = [line for line in text.split("\n")
             if not line.startswith("|") or "勾稽" in line or line.startswith("|  |")]
    report = parse_text("\n".join(lines).replace(str(year + 1), "本").replace(str(year), "本"))
    assert (report.report_year, report.format_version, report.t3_format_version) == (None, version, version)
    t3 = {key: value for key, value in spec.fields.items() if key.startswith("t3_")}
    assert {key: report.fields[key].value for key in t3} == t3
    assert {report.fields[key].mapped_by for key in t3} == {"position"}


def _docx_with_labels(spec, relabel: dict[str, str]) -> bytes:
    """The generator's DOCX with some table labels misprinted (python-docx)."""
    import io

    from docx import Document

    from flows.reportgen import render_docx

    document = Document(io.BytesIO(render_docx(spec)))
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.text in relabel:
                    cell.text = relabel[cell.text]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("seed", "version", "year"), [(3, "v2021", 2022), (6, "v2019", 2020)])
def test_mistyped_labels_in_a_docx(seed: int, version: str, year: int) -> None:
    from parsers.api import parse_bytes

    spec = _spec(seed, version, year)
    report = parse_bytes(_docx_with_labels(spec, {**TYPOS, **SAME_BY_POSITION}))
    assert report.source_format == "docx"
    _values_match(report, spec)
    assert report.fields["t3_withheld_third_party_rights__total"].label_as_printed == "4.保护第三人合法利益"


@pytest.mark.parametrize(("seed", "style", "version", "year"), CASES)
def test_labels_wrapped_over_two_rows(seed: int, style: str, version: str, year: int) -> None:
    """A label's first part on a row of empty cells, the rest with the values below."""
    wrapped = ["2.没有现成信息需要另行制作", "5.要求行政机关确认或重新出具已获取信息",
               "二、上年结转政府信息公开申请数量", "行政规范性文件"]
    spec = _spec(seed, version, year)
    report = parse_text(report_text(spec, style=style, damage=Damage(wrap=wrapped)))
    _values_match(report, spec)
