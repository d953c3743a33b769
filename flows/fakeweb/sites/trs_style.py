"""Pages in the style of TRS WCM sites: `index_N.shtml` lists paged by createPageHTML()."""

from __future__ import annotations

import zlib

from flows.fakeweb.model import Attachment
from flows.fakeweb.sites.html import attachment_block, esc, list_items, page

# TRS writes the pager with this script; the page count appears nowhere else.
PAGER_FUNCTION = """<script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0) document.write("<span>首页</span> ");
  else document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a> ");
  for(var i = 1; i < _nPageCount; i++){
    document.write("<a href=\\"" + _sPageName + "_" + i + "." + _sPageExt + "\\">" + (i + 1) + "</a> ");
  }
}
</script>
"""

TRS_META = "gb2312"


def column_pages(
    heading: str, breadcrumb: str, sidebar: str, items: list[tuple[str, str, str]], per_page: int
) -> dict[str, str]:
    """index.shtml, index_1.shtml, ... of one column; items are (relative href, title, date)."""
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    pages: dict[str, str] = {}
    for number, chunk in enumerate(chunks):
        name = "index.shtml" if number == 0 else f"index_{number}.shtml"
        pager = f'<div class="page"><script>createPageHTML({len(chunks)}, {number}, "index", "shtml");</script></div>'
        body = (
            f'<div class="position">当前位置：{breadcrumb}</div>\n'
            f'<div class="left">{sidebar}</div>\n'
            f'<div class="right"><h2 class="lmmc">{esc(heading)}</h2>\n{list_items(chunk)}\n{pager}</div>'
        )
        pages[name] = page(heading, body, PAGER_FUNCTION, meta_charset=TRS_META)
    return pages


def attachment_for(page_url: str, published: str, index: int, fmt: str, text: str) -> tuple[Attachment, str]:
    """A TRS attachment next to its page (`./P0YYYYMMDD….pdf`): the Attachment and its relative href."""
    stamp = published.replace("-", "")
    digits = f"{zlib.crc32(f'{page_url}#{index}'.encode()) % 10**11:011d}"
    name = f"P0{stamp}{digits}{index}.{fmt}"
    directory = page_url.rsplit("/", 1)[0]
    return Attachment(f"{directory}/{name}", fmt, text), f"./{name}"


def report_page(
    title: str, agency: str, published: str, column: str, breadcrumb: str, text_html: str,
    attachments: list[tuple[str, str]],
) -> str:
    """A TRS document page: title, metadata, editor text and the `附件：` block."""
    head = (
        f'<meta name="ArticleTitle" content="{esc(title)}">\n'
        f'<meta name="PubDate" content="{published} 09:30">\n'
        f'<meta name="ContentSource" content="{esc(agency)}">\n'
        f'<meta name="ColumnName" content="{esc(column)}">\n'
    )
    body = (
        f'<div class="position">当前位置：{breadcrumb}</div>\n'
        f'<div class="article"><h1>{esc(title)}</h1>\n'
        f'<div class="info">发布日期：{published} 来源：{esc(agency)}</div>\n'
        f'<div class="TRS_Editor">{text_html}</div>\n'
        f"{attachment_block(attachments) if attachments else ''}</div>"
    )
    return page(title, body, head, meta_charset=TRS_META)
