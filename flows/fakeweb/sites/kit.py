"""Small pieces shared by the discovery-test sites: a report page with its tables, a look-alike page, robots."""

from __future__ import annotations

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.model import Reply, ReportEntry
from flows.fakeweb.sites import static_style
from flows.fakeweb.sites.base import FakeSite
from flows.fakeweb.sites.html import esc, report_article_html
from flows.fakeweb.sites.serving import publish


def add_report_page(
    site: FakeSite, store: DocumentStore, report: ReportEntry, encoding: str = "utf-8", declared: str | None = None
) -> None:
    """A report page carrying the report's own tables; `declared` sends a (possibly wrong) charset header."""

    def html() -> str:
        text = report_article_html(store.render(report, "html"))
        return static_style.report_page(report.title, report.agency, report.published, text, "./")

    publish(site, store, report, html, encoding, header_charset=False)
    if declared:
        site.routes[report.page_url] = lambda _request: Reply(
            200, html().encode(encoding), f"text/html; charset={declared}"
        )


def add_noise_page(site: FakeSite, url: str, title: str, agency: str, published: str) -> None:
    """A look-alike page (served 200) that must never be recorded as a report."""
    body = f"<p>{esc(title)}。</p><p>主动公开 依申请公开 行政复议</p>"
    site.add_html(url, static_style.report_page(title, agency, published, body, "./"), "utf-8", True)
    site.noise_urls.append(url)


def allow_all_robots(site: FakeSite, host: str) -> None:
    site.add_bytes(f"{host}/robots.txt", lambda: b"User-agent: *\nDisallow:\n", "text/plain")


def serve_wrong_charset(site: FakeSite, url: str, html: str, real: str = "gbk", declared: str = "utf-8") -> None:
    """A page whose bytes are `real` while header and <meta> both say `declared`."""
    text = html.replace("<head>\n", f'<head>\n<meta charset="{declared}">\n', 1)
    site.add(url, lambda _request: Reply(200, text.encode(real, errors="xmlcharrefreplace"),
                                         f"text/html; charset={declared}"))
