"""Names and titles of runs: unique and sortable, the same on the runs page and in artifacts.

Two runs on one day (or two stores on one Prefect server, each with its own "run 1")
must never share a name, so a name carries the start time to the second.
"""

from __future__ import annotations

from datetime import datetime


def run_name(kind: str, detail: str = "", now: datetime | None = None) -> str:
    """`nightly-2026-11-26-020005`, `backfill-2015-2020-2026-11-26-020005`."""
    stamp = f"{(now or datetime.now()):%Y-%m-%d-%H%M%S}"
    return f"{kind}-{detail}-{stamp}" if detail else f"{kind}-{stamp}"


def run_title(kind: str, store_run_id: int) -> str:
    """The heading of a run's artifacts: its Prefect name and the store's run number."""
    from prefect.runtime import flow_run

    name = flow_run.name or kind
    return f"{kind.capitalize()} run {name} (store run {store_run_id})"
