"""Extract a report from an HTML page: find the body among the site chrome, its text and tables."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from common.page_kind import stand_in_kind
from parsers.extract import ExtractionFailure
from parsers.extract.decode import decode_html
from parsers.extract.html_tables import join_split_tables, pipe_grids, table_grid
from parsers.limits import DEFAULT_LIMITS, ParseLimits
from parsers.model import ExtractedDocument

SKIPPED_TAGS = {"script", "style", "noscript", "iframe", "select", "button", "template", "svg", "head"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
              "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "blockquote", "pre", "center",
              "header", "footer", "form", "hr", "caption"}
CONTAINER_TAGS = {"div", "section", "article", "main", "center", "td", "tbody", "tr",
                  "table", "form", "font", "body"}
BODY_SHARE = 0.6  # a child holding this share of its parent's text is "where the report is"
ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar)(\?|#|$)", re.I)
REPORT_WORD = "报告"
STAND_IN_FAILURES = {
    "challenge": ("anti_bot_page", "the server sent a JavaScript challenge page instead of the report"),
    "login": ("login_page", "the server sent a login form instead of the report"),
    "soft_404": ("soft_404_page", "the server sent an error page (page not found) instead of the report"),
}


def extract_html(data: bytes, *, url: str | None = None, header_charset: str | None = None,
                 limits: ParseLimits = DEFAULT_LIMITS) -> ExtractedDocument:
    """Raises ExtractionFailure for anti-bot challenges, login and error pages, broken markup
    and pages over `limits.max_html_chars`."""
    html = decode_html(data, header_charset)
    if len(html) > limits.max_html_chars:
        raise ExtractionFailure("too_large", f"the page has {len(html)} characters, over the "
                                             f"{limits.max_html_chars}-character limit")
    stand_in = stand_in_kind(html)
    if stand_in is not None:
        reason, detail = STAND_IN_FAILURES[stand_in]
        raise ExtractionFailure(reason, detail)
    soup = BeautifulSoup(html, "lxml")
    try:
        body = _report_body(soup)
        lines, table_runs = _walk(body)
    except RecursionError:  # thousands of unclosed tags; no report is written like that
        raise ExtractionFailure("corrupt", "HTML elements nested too deeply to read") from None
    grids = join_split_tables(table_runs) + pipe_grids(lines)
    title = _title(soup)
    if title and not any(title in line for line in lines[:5]):
        lines.insert(0, title)  # the page heading often sits outside the body container
    return ExtractedDocument(
        text="\n".join(lines),
        tables=grids,
        title=title,
        source_format="html",
        extraction_style="html_table" if table_runs else ("markdown_pipe" if grids else "other"),
        attachment_links=_attachments(body, url),
    )


def _is_layout_table(tag: Tag) -> bool:
    return tag.name == "table" and tag.find("table") is not None


def _text_sizes(node: Tag, sizes: dict[int, int]) -> int:
    """Non-link text length of every element under `node`, computed in one pass."""
    total = 0
    for child in node.children:
        if isinstance(child, Tag):
            if child.name in SKIPPED_TAGS:
                continue
            size = _text_sizes(child, sizes)
            total += 0 if child.name == "a" else size
        elif isinstance(child, NavigableString) and not isinstance(child, Comment):
            total += len("".join(child.split()))
    sizes[id(node)] = total
    return total


def _report_body(soup: BeautifulSoup) -> Tag:
    """Descend from <body> while one child holds most of the text (nav, sidebars and
    footers are mostly links and short); never into a data table."""
    node = soup.body or soup
    sizes: dict[int, int] = {}
    _text_sizes(node, sizes)
    while True:
        children = [c for c in node.children if isinstance(c, Tag) and c.name in CONTAINER_TAGS
                    and (c.name != "table" or _is_layout_table(c))]
        if not children or not sizes.get(id(node)):
            return node
        best = max(children, key=lambda c: sizes.get(id(c), 0))
        if sizes.get(id(best), 0) < BODY_SHARE * sizes[id(node)]:
            return node
        node = best


def _walk(body: Tag) -> tuple[list[str], list[tuple[list[list[str]], int]]]:
    """Body lines in reading order (tables as tab-separated rows) and the data tables,
    each with the amount of text seen since the previous table."""
    lines: list[str] = [""]
    tables: list[tuple[list[list[str]], int]] = []
    gap = [0]

    def visit(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                text = " ".join(child.split())
                lines[-1] += text
                gap[0] += len(text)
            elif child.name in SKIPPED_TAGS:
                continue
            elif child.name == "br":
                lines.append("")
            elif child.name == "table" and not _is_layout_table(child):
                grid = table_grid(child)
                tables.append((grid, gap[0]))
                gap[0] = 0
                lines.extend("\t".join(row) for row in grid)
                lines.append("")
            elif child.name in BLOCK_TAGS:
                lines.append("")
                visit(child)
                lines.append("")
            else:
                visit(child)

    visit(body)
    return [line.strip() for line in lines if line.strip()], tables


def _title(soup: BeautifulSoup) -> str | None:
    for tag in soup.find_all(["h1", "h2", "h3"]):
        text = "".join(tag.get_text().split())
        if REPORT_WORD in text:
            return text
    for tag in soup.find_all(class_=re.compile("title", re.I)):
        text = "".join(tag.get_text().split())
        if REPORT_WORD in text and len(text) < 120:
            return text
    if soup.title and soup.title.string:
        parts = re.split(r"[_|｜]| - ", soup.title.string.strip())
        return next((p.strip() for p in parts if REPORT_WORD in p), parts[0].strip() or None)
    return None


def _attachments(body: Tag, url: str | None) -> list[str]:
    links: list[str] = []
    for anchor in body.find_all("a", href=True):
        href = anchor["href"].strip()
        # CMS download links (downfile.jsp?…) often show the file name only in the text.
        if ATTACHMENT.search(href) or ATTACHMENT.search(anchor.get_text().strip()):
            absolute = urljoin(url, href) if url else href
            if absolute not in links:
                links.append(absolute)
    return links
