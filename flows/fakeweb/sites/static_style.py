"""Pages of plain static sites: `list.html`, `list_2.html`… chained by 下一页 links."""

from __future__ import annotations

from flows.fakeweb.sites.html import esc, link, list_items, page


def list_pages(heading: str, items: list[tuple[str, str, str]], per_page: int) -> dict[str, str]:
    """list.html, list_2.html, ... ; only the 下一页/上一页 links say that more pages exist."""
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    names = ["list.html"] + [f"list_{n}.html" for n in range(2, len(chunks) + 1)]
    pages: dict[str, str] = {}
    for index, chunk in enumerate(chunks):
        pager = [link(names[0], "首页")]
        if index > 0:
            pager.append(link(names[index - 1], "上一页"))
        if index + 1 < len(chunks):
            pager.append(link(names[index + 1], "下一页"))
        pager.append(link(names[-1], "尾页"))
        body = (f'<div class="list-title">{esc(heading)}</div>\n{list_items(chunk)}\n'
                f'<div class="pages">{" ".join(pager)}</div>')
        pages[names[index]] = page(heading, body, meta_charset=None)
    return pages


def report_page(title: str, agency: str, published: str, text_html: str, back_href: str) -> str:
    """A `content/post_N.html` page whose text is the report itself."""
    body = (f'<div class="article"><h1>{esc(title)}</h1>\n'
            f'<div class="info">时间：{published} 来源：{esc(agency)}</div>\n'
            f'<div class="article-content">{text_html}</div>\n{link(back_href, "返回")}</div>')
    return page(title, body, meta_charset=None)
