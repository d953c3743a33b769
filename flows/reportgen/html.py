"""Render a spec as a gov.cn-like article page (site chrome around the report body)."""

from __future__ import annotations

from html import escape

from flows.reportgen.prose import narrative
from flows.reportgen.spec import ReportSpec
from flows.reportgen.tables import Grid, report_tables, spans, texts

SPLIT_T3_AT = 14  # the row where a "split" t3 continues in a second <table>

_CHARSET_LABELS = {"gbk": "gb2312", "gb18030": "gb18030", "utf-8": "utf-8"}

_NAV = ["首页", "政务公开", "政务服务", "互动交流", "走进本地"]
_SIDEBAR = ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"]


def render_html(spec: ReportSpec, *, encoding: str = "utf-8", declare_charset: bool = True) -> bytes:
    """The page as bytes in `encoding`; the charset goes into a <meta> when declared."""
    meta = ""
    if declare_charset:
        label = _CHARSET_LABELS.get(encoding.lower(), encoding)
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'
    page = _page(spec, meta)
    return page.encode(encoding, errors="xmlcharrefreplace")


def _page(spec: ReportSpec, meta: str) -> str:
    nav = "".join(f'<li><a href="/col{i}/index.html">{name}</a></li>' for i, name in enumerate(_NAV))
    side = "".join(f'<li><a href="/xxgk/{i}/">{name}</a></li>' for i, name in enumerate(_SIDEBAR))
    return f"""<!DOCTYPE html>
<html><head>{meta}<title>{escape(spec.title)}_{escape(spec.agency)}</title>
<script>var _hmt = _hmt || [];</script></head>
<body>
<div class="header"><div class="logo">{escape(spec.agency)}</div><ul class="nav">{nav}</ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政务公开</a> &gt; 政府信息公开年报</div>
<div class="main">
<div class="sidebar"><h3>政府信息公开</h3><ul>{side}</ul></div>
<div class="article">
<h1 class="article-title">{escape(spec.title)}</h1>
<div class="article-info">发布时间：{spec.year + 1}-01-20 来源：{escape(spec.agency)} 【字体：大 中 小】</div>
<div class="TRS_Editor" id="zoom">
{_body(spec)}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
</div></div>
<div class="footer"><p>主办单位：{escape(spec.agency)} 网站标识码：1234567890</p>
<p><a href="/sitemap.html">网站地图</a> | <a href="/contact.html">联系我们</a></p></div>
</body></html>
"""


def _body(spec: ReportSpec) -> str:
    story = narrative(spec)
    tables = report_tables(spec)
    parts = [f"<p>{escape(story.intro)}</p>"]
    for section in story.sections:
        parts.append(f"<p><strong>{escape(section.heading)}</strong></p>")
        parts += [f"<p>{escape(text)}</p>" for text in section.paragraphs]
        if section.table:
            parts.append(_table_html(tables[section.table], section.table, spec.table_style))
    return "\n".join(parts)


def _table_html(grid: Grid, name: str, style: str) -> str:
    if style == "paragraphs":
        return "\n".join("<p>| " + " | ".join(escape(t) for t in row) + " |</p>" for row in texts(grid))
    if style == "split" and name == "t3":
        return _grid_table(grid[:SPLIT_T3_AT]) + "\n<p></p>\n" + _grid_table(grid[SPLIT_T3_AT:])
    return _grid_table(grid)


def _grid_table(grid: Grid) -> str:
    rows: list[list[str]] = [[] for _ in grid]
    for span in spans(grid):
        attrs = ""
        if span.rowspan > 1:
            attrs += f' rowspan="{span.rowspan}"'
        if span.colspan > 1:
            attrs += f' colspan="{span.colspan}"'
        # Real CMS output wraps cell text in <p>/<span> and pads blanks with &nbsp;.
        text = escape(span.text) if span.text else "&nbsp;"
        rows[span.row].append(f'<td{attrs} valign="center"><p align="center"><span>{text}</span></p></td>')
    body = "\n".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)
    return f'<table border="1" cellspacing="0" cellpadding="0" width="600"><tbody>\n{body}\n</tbody></table>'
