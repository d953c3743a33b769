"""Title classification: true reports with year and agency, look-alikes rejected; link ranking."""

from __future__ import annotations

import pytest

from crawlers.classify import ReportGuess, classify_title, link_priority

REPORTS = [
    # (title, url, year, agency)
    ("聊城市人民政府2022年政府信息公开工作年度报告", None, 2022, "聊城市人民政府"),
    ("2023年度聊城市教育局政府信息公开工作年度报告", None, 2023, "聊城市教育局"),
    ("青山市人民政府二〇二二年政府信息公开工作年度报告", None, 2022, "青山市人民政府"),
    ("寒山区人民政府办公室二〇一九年政府信息公开工作年度报告", None, 2019, "寒山区人民政府办公室"),
    # the first year printed is the statistics year, not a later publication date
    ("青山市人民政府二〇二三年政府信息公开工作年度报告（2024年1月发布）", None, 2023, "青山市人民政府"),
    ("柳树市人民政府2022年政府信息公开工作年度报告（图片版）", None, 2022, "柳树市人民政府"),
    ("高平市人民政府办公室２０２３年政府信息公开工作年度报告", None, 2023, "高平市人民政府办公室"),
    ("2021年政府信息公开工作年度报告", None, 2021, None),
    ("长春市体育局2023年政府信息公开年报", None, 2023, "长春市体育局"),
    ("上海市2018年政府信息公开年度报告", None, 2018, "上海市"),
    ("西安市莲湖区信访局 2020 年 政府信息公开 工作年度报告", None, 2020, "西安市莲湖区信访局"),
    # Listing cut short, year still in the title.
    ("江干区市场监督管理局2023年政府信息公开工作年...", None, 2023, "江干区市场监督管理局"),
    # No year in the title: the publication date folder minus one.
    ("湛江市地方志办公室政府信息公开工作年度报告", "https://www.zhanjiang.gov.cn/a/202401/t20240115_3271106.html",
     2023, "湛江市地方志办公室"),
]

LOOK_ALIKES = [
    "2024年青山市政府工作报告",
    "青山市2023年法治政府建设年度报告",
    "青山市2024年预算公开",
    "白石县2023年部门决算公开",
    "青山市2024年政务公开工作要点",
    "关于做好2023年政府信息公开工作年度报告编制发布工作的通知",
    "关于报送2023年度政府信息公开工作年报的通知",
    "白石县2023年度企业年度报告公示",
    "青山市2023年国民经济和社会发展统计公报",
    "政府信息公开年报",  # a column's name, not a report
    "乡镇政府信息公开年报",
    "年度报告（旧栏目）",
    "政府信息公开指南",
    "青山市召开2024年经济工作会议",
]


@pytest.mark.parametrize(("title", "url", "year", "agency"), REPORTS)
def test_reports_are_recognised_with_year_and_agency(title: str, url: str | None, year: int, agency: str | None) -> None:
    assert classify_title(title, url) == ReportGuess(title=title, year=year, agency=agency)


@pytest.mark.parametrize("title", LOOK_ALIKES)
def test_look_alikes_are_rejected(title: str) -> None:
    assert classify_title(title) is None


@pytest.mark.parametrize(
    ("text", "url", "expected"),
    [
        ("政府信息公开年报", "http://x.gov.cn/zfxxgk/zfxxgknb/index.shtml", 35),
        ("部门年报", "http://x.gov.cn/a/b/", 20),
        ("", "http://x.gov.cn/zwgk/xxgknb/bmxxgknb/", 15),
        ("政务公开", "http://x.gov.cn/zwgk/index.shtml", 13),
        ("政府信息公开", "http://x.gov.cn/col/col123/index.html", 8),
        ("", "http://x.gov.cn/xxgk/", 5),
        ("新闻中心", "http://x.gov.cn/xwzx/index.shtml", 0),
        ("活动日历", "http://x.gov.cn/xwzx/rl/?date=2024-01-01", 0),
        ("2024年政府工作报告", "http://x.gov.cn/zwgk/zfgzbg/", 0),
        ("2024年政务公开工作要点", "http://x.gov.cn/zwgk/", 0),
        ("2023年度企业年度报告公示", "http://x.gov.cn/qyxx/", 0),
    ],
)
def test_link_priority(text: str, url: str, expected: int) -> None:
    assert link_priority(text, url) == expected


def test_report_columns_rank_above_general_disclosure_links() -> None:
    column = link_priority("政府信息公开年报", "http://x.gov.cn/zfxxgk/zfxxgknb/")
    disclosure = link_priority("政府信息公开", "http://x.gov.cn/zfxxgk/")
    assert column > disclosure > link_priority("首页", "http://x.gov.cn/") == 0
