"""A run's artifacts, each under a key so the Artifacts page shows the newest beside its history.

- `<kind>-summary`: markdown, failed sites first, every site's discovery and fetch results;
- `<kind>-documents`: a table of every new or changed report with its source documents;
- `<kind>-check-failures`: a table of every current report whose arithmetic checks fail,
  read from the store and written every run (empty when none fail), so a report stays
  listed until a newer version passes and the key never shows an old night as current.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flows.summary import summary_markdown

CHANGED = ("new", "changed")


def document_rows(reports: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every report this run recorded as new or changed, with the links to its documents."""
    return [
        {"site": r["site_id"], "agency": r["agency"] or "", "year": r["year"], "status": r["status"],
         "checks_failed": ", ".join(r["failed_checks"]), "source": r["source_url"],
         "documents": " ".join(r["document_urls"]), "format": r.get("format_version") or "",
         "version": r["version"], "title": r["title"] or ""}
        for r in reports if r["status"] in CHANGED
    ]


def publish_run_artifacts(
    kind: str, title: str, result: Mapping[str, Any], check_failures: Sequence[Mapping[str, Any]]
) -> None:
    """Create the run's three keyed artifacts (call inside a flow run)."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    totals = result["totals"]
    create_markdown_artifact(summary_markdown(title, result), key=f"{kind}-summary",
                             description=f"{title}: {totals['sites_failed']} of {totals['sites']} "
                                         "sites failed; sites, reports, failures")
    documents = document_rows(result["reports"])
    create_table_artifact(documents, key=f"{kind}-documents",
                          description=f"{title}: {len(documents)} new or changed reports "
                                      "and their source documents")
    create_table_artifact(list(check_failures), key=f"{kind}-check-failures",
                          description=f"{title}: {len(check_failures)} current reports whose "
                                      "arithmetic checks fail (listed until fixed)")
