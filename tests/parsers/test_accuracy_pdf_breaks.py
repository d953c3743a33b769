"""Issue 12, cause 5: a header at the top of a PDF page is never the tail of the row above."""

from __future__ import annotations

import pytest

from flows.reportgen import report_tables, sample_spec
from flows.reportgen.tables import texts
from parsers.extract.pdf_breaks import join_continuation


def _grids(version: str, year: int) -> dict[str, list[list[str]]]:
    spec = sample_spec(9, version=version, year=year, agency="某某县交通运输局")
    return {name: texts(grid) for name, grid in report_tables(spec).items()}


def _header_breaks(grid: list[list[str]]) -> list[int]:
    """Every row index where a text-only row (a header) follows a row with values."""
    def has_digits(row: list[str]) -> bool:
        return any(any(ch.isdigit() for ch in cell) for cell in row)
    return [i for i in range(1, len(grid)) if has_digits(grid[i - 1]) and not has_digits(grid[i])
            and any(cell.strip() for cell in grid[i])]


@pytest.mark.parametrize(("version", "year"), [("v2021", 2022), ("v2019", 2020)])
@pytest.mark.parametrize("table", ["t2", "t3"])
def test_a_page_break_before_any_header_keeps_the_rows_apart(version: str, year: int, table: str) -> None:
    grid = _grids(version, year)[table]
    breaks = _header_breaks(grid) or [3]  # t3: its header rows are the top of the table
    for cut in breaks:
        joined = [list(row) for row in grid[:cut]]
        join_continuation(joined, [list(row) for row in grid[cut:]])
        assert joined == grid, f"break before row {cut}: {grid[cut]}"


def test_t2_subheader_after_the_last_row_of_a_page() -> None:
    """`行政许可 | 11` at the bottom, 第二十条第（六）项 at the top of the next page."""
    above = [["第二十条第（五）项"] * 2, ["信息内容", "本年处理决定数量"], ["行政许可", "11"]]
    below = [["第二十条第（六）项"] * 2, ["信息内容", "本年处理决定数量"], ["行政处罚", "9"]]
    join_continuation(above, below)
    assert above[2] == ["行政许可", "11"]
    assert above[3] == ["第二十条第（六）项"] * 2


def test_repeated_column_header_on_the_next_page() -> None:
    """Word's 'repeat header row': the column header printed again at the page top."""
    header = ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    above = [["第二十条第（一）项"] * 4, header, ["规章", "1", "0", "3"]]
    below = [list(header), ["行政规范性文件", "2", "1", "20"]]
    join_continuation(above, below)
    assert above[2] == ["规章", "1", "0", "3"]
    assert above[3] == header and above[4] == ["行政规范性文件", "2", "1", "20"]


def test_a_wrapped_label_is_still_a_row_tail() -> None:
    """The rest of a label wrapped over the break still joins its row."""
    above = [["三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，", "0", "1"]]
    below = [["", "不计其他情形）", "", ""], ["三、本年度办理结果", "（三）不予公开", "0", "0"]]
    join_continuation(above, below)
    assert above[0][1] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert len(above) == 2


@pytest.mark.parametrize(("padding", "subheader"), [(13, "第二十条第（六）项")])
def test_pdf_row_at_the_bottom_of_a_page_then_a_subheader(padding: int, subheader: str) -> None:
    """A real PDF (LibreOffice) where the prose above pushes table 二 so that the page
    ends after 行政许可 and the next page opens with the sub-header."""
    import io

    from docx import Document
    from pdfminer.high_level import extract_text

    from flows.reportgen import render_docx
    from parsers.api import parse_bytes
    from parsers.extract.soffice import convert_bytes

    spec = sample_spec(5, version="v2021", year=2022, agency="某某区统计局")
    document = Document(io.BytesIO(render_docx(spec)))
    heading = next(p for p in document.paragraphs if p.text.startswith("二、"))
    for _ in range(padding):
        heading.insert_paragraph_before("本年度依法依规做好政府信息公开工作。")
    buffer = io.BytesIO()
    document.save(buffer)
    pdf = convert_bytes(buffer.getvalue(), source_suffix="docx", target="pdf", timeout_s=120.0)
    # The layout this test is about: the second page opens with the sub-header.
    second_page = extract_text(io.BytesIO(pdf), page_numbers=[1]).strip()
    assert second_page.startswith(subheader)
    report = parse_bytes(pdf)
    assert report.failure is None
    assert report.field_values() == spec.fields
    assert not any(subheader in (cell.raw or "") for cell in report.fields.values())
