"""Hand-written prose of a pre-2019 report (no national table, so no ReportSpec)."""

from __future__ import annotations

import random

from flows.fakeweb.sites.html import esc


def legacy_report_html(agency: str, year: int, seed: int) -> str:
    """Paragraphs in the pre-2019 layout: 概述, 主动公开, 依申请公开, fees, appeals, problems."""
    rng = random.Random(seed)
    active, requests, granted = rng.randint(300, 3000), rng.randint(5, 60), 0
    granted = rng.randint(0, requests)
    paragraphs = [
        f"本报告根据《中华人民共和国政府信息公开条例》要求，由{agency}编制。"
        f"报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、概述",
        f"{year}年，{agency}认真贯彻落实政府信息公开各项工作要求，不断完善公开制度。",
        "二、主动公开政府信息的情况",
        f"全年主动公开政府信息{active}条，其中通过门户网站公开{active - rng.randint(0, 200)}条。",
        "三、依申请公开政府信息情况",
        f"全年共受理政府信息公开申请{requests}件，已全部办结，其中同意公开{granted}件。",
        "四、政府信息公开的收费及减免情况",
        "全年未收取政府信息公开相关费用。",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
        f"全年因政府信息公开申请行政复议{rng.randint(0, 3)}件，提起行政诉讼{rng.randint(0, 2)}件。",
        "六、政府信息公开工作存在的主要问题及改进措施",
        "公开内容的全面性和及时性还需进一步提高，下一步将加强培训。",
    ]
    return "\n".join(f"<p>{esc(text)}</p>" for text in paragraphs)
