"""FakeWeb: the started fake gov.cn web, its request log and its published truth."""

from __future__ import annotations

import threading
from pathlib import Path

import yaml

from flows.fakeweb.control import CONTROL_HOST, Conditions
from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.model import ExpectedReport, FakeRequest, LoggedRequest, Reply
from flows.fakeweb.server import FakeWebServer
from flows.fakeweb.sites import build_sites
from flows.fakeweb.sites.base import FakeSite

REGISTRY_FILE_NAME = "fakeweb-sites.yaml"


class FakeWeb:
    """Several fake sites behind one loopback proxy. Build with `start_fake_web()`."""

    def __init__(self, sites: list[FakeSite], store: DocumentStore, port: int = 0) -> None:
        self._sites = {site.id: site for site in sites}
        self._by_host: dict[str, FakeSite] = {}
        for site in sites:
            for host in site.hosts():
                if host in self._by_host:
                    raise ValueError(f"host {host} served by {self._by_host[host].id} and {site.id}")
                self._by_host[host] = site
        self._store = store
        self._log: list[LoggedRequest] = []
        self._log_lock = threading.Lock()
        self.conditions = Conditions()  # per-URL challenge / 404 / … switches (flows.fakeweb.control)
        self._server = FakeWebServer(self._route, self._record, port)
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------
    def start(self) -> FakeWeb:
        self._thread = self._server.serve_in_thread()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def proxy_url(self) -> str:
        return self._server.url

    # -- serving ----------------------------------------------------------------
    def _route(self, request: FakeRequest) -> Reply:
        if request.host == CONTROL_HOST:
            return self.conditions.control(request)
        site = self._by_host.get(request.host)
        if site is None:
            return Reply(502, f"fakeweb: unknown host {request.host}\n".encode(), "text/plain")
        return self.conditions.apply(request, site.handle)

    def _record(self, entry: LoggedRequest) -> None:
        with self._log_lock:
            self._log.append(entry)

    @property
    def request_log(self) -> list[LoggedRequest]:
        """A snapshot of every request seen, in order."""
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def set_revision(self, revision: int) -> None:
        """0 serves the original documents; >= 1 serves the corrected revisable ones."""
        self._store.revision = revision

    def reset(self) -> None:
        """Back to a fresh web: revision 0, flaky URLs failing again, empty log."""
        self.set_revision(0)
        self.conditions.clear()
        for site in self._sites.values():
            site.reset_faults()
        self.clear_log()

    # -- truth --------------------------------------------------------------------
    @property
    def sites(self) -> list[str]:
        return list(self._sites)

    def site(self, site_id: str) -> FakeSite:
        return self._sites[site_id]

    def expected_reports(self, site_id: str | None = None) -> list[ExpectedReport]:
        """Every true report (of one site), with the spec of the revision served now."""
        sites = [self._sites[site_id]] if site_id else list(self._sites.values())
        return [
            ExpectedReport(
                site_id=entry.site_id, agency=entry.agency, year=entry.year, page_url=entry.page_url,
                attachment_urls=tuple(a.url for a in entry.attachments), title=entry.title,
                spec=self._store.spec_for(entry), revisable=entry.revisable, format_version=entry.version,
            )
            for site in sites
            for entry in site.reports
        ]

    @property
    def report_count(self) -> int:
        """How many true reports the web publishes (no reportgen needed)."""
        return sum(len(site.reports) for site in self._sites.values())

    def _gather(self, attribute: str) -> list[str]:
        return [url for site in self._sites.values() for url in getattr(site, attribute)]

    @property
    def noise_urls(self) -> list[str]:
        """Look-alike pages (served 200 or redirected) that must not be recorded as reports."""
        return self._gather("noise_urls")

    @property
    def forbidden_urls(self) -> list[str]:
        """robots.txt-disallowed URLs that are linked but must never be requested."""
        return self._gather("forbidden_urls")

    @property
    def broken_urls(self) -> list[str]:
        """Linked URLs that answer 404."""
        return self._gather("broken_urls")

    @property
    def offsite_urls(self) -> list[str]:
        """URLs on hosts outside the registry that the web links or redirects to."""
        return self._gather("offsite_urls") + ["http://www.gov.cn/"]

    @property
    def offsite_hosts(self) -> set[str]:
        return {url.split("/")[2] for url in self.offsite_urls}

    @property
    def trap_prefix(self) -> str:
        """URL prefix of the crawler trap (every page under it links one more)."""
        return next(site.trap_prefix for site in self._sites.values() if site.trap_prefix)

    @property
    def flaky_urls(self) -> dict[str, int]:
        """URL -> how many first requests answer 503 before it answers 200."""
        return {url: n for site in self._sites.values() for url, n in site.flaky.items()}

    @property
    def redirects(self) -> dict[str, str]:
        return {url: target for site in self._sites.values() for url, target in site.redirects.items()}

    def write_registry(self, path: str | Path) -> Path:
        """Write the site registry (architecture contract) for every fake site; returns the file."""
        target = Path(path)
        if target.is_dir():
            target = target / REGISTRY_FILE_NAME
        entries = [site.registry_entry() for site in self._sites.values()]
        target.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return target


def start_fake_web(extra_generated_sites: int = 0, port: int = 0) -> FakeWeb:
    """Build the fake sites (plus N generated ones for benchmarks) and serve them on 127.0.0.1.

    `port=0` picks a free port; documents are rendered on first request, then cached.
    """
    store = DocumentStore()
    return FakeWeb(build_sites(store, extra_generated_sites), store, port).start()
