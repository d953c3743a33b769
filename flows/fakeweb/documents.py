"""Report documents of the fake web, rendered once per process by flows.reportgen.

flows.reportgen is imported only when a document or a spec is first needed, so the
server runs (and serves every HTML page without inline tables) without it.
"""

from __future__ import annotations

import importlib
import threading
from types import ModuleType
from typing import Any

from flows.fakeweb.model import ReportEntry
from flows.fakeweb.revise import revise_spec

RENDERABLE_FORMATS = ("html", "pdf", "docx", "doc", "wps")


def _reportgen() -> ModuleType:
    return importlib.import_module("flows.reportgen")


class DocumentStore:
    """Specs and rendered bytes per (report, revision), cached for the process."""

    def __init__(self) -> None:
        self.revision = 0
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._lock = threading.RLock()

    def served_revision(self, report: ReportEntry) -> int:
        """Which revision of this report is served now (only revisable ones change)."""
        return 1 if report.revisable and self.revision >= 1 else 0

    def spec_for(self, report: ReportEntry, revision: int | None = None) -> Any:
        """The ReportSpec the report's documents are rendered from (None for prose pages)."""
        if report.prose_only:
            return None
        served = self.served_revision(report) if revision is None else revision
        key = ("spec", report.site_id, report.agency, report.year, served)
        with self._lock:
            if key not in self._cache:
                spec = _reportgen().sample_spec(
                    report.seed, version=report.version, year=report.year, agency=report.agency,
                    break_identity=report.broken_identity,
                )
                spec.title = report.title
                self._cache[key] = revise_spec(spec) if served else spec
            return self._cache[key]

    def render(self, report: ReportEntry, fmt: str) -> bytes:
        """The bytes of the report in one format, as currently served."""
        if fmt not in RENDERABLE_FORMATS:
            raise ValueError(f"cannot render format {fmt!r}")
        served = self.served_revision(report)
        key = ("bytes", report.site_id, report.agency, report.year, fmt, served)
        with self._lock:
            if key not in self._cache:
                renderer = getattr(_reportgen(), f"render_{fmt}")
                self._cache[key] = renderer(self.spec_for(report, served))
            return self._cache[key]
