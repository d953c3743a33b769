"""One keyed progress artifact per run that follows every stage (discovery, then fetching).

The bar is the share of (site, stage) steps done, and its description says how far each
stage is, so "is the backfill still running and how far is it" is answered on the
Artifacts page under `<kind>-progress` without opening a log.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID


class RunProgress:
    """Counts sites done per stage and mirrors the counts into the run's progress artifact."""

    def __init__(self, kind: str, stages: Sequence[str], total_sites: int) -> None:
        self.stages = list(stages)
        self.total_sites = total_sites
        self.done = {stage: 0 for stage in self.stages}
        self._artifact_id: UUID | None = None
        self._kind = kind

    def start(self) -> RunProgress:
        from prefect.artifacts import create_progress_artifact

        self._artifact_id = create_progress_artifact(
            self.percent(), key=f"{self._kind}-progress", description=self.description())
        return self

    def advance(self, stage: str, sites: int = 1) -> None:
        """`sites` more sites finished `stage`."""
        from prefect.artifacts import update_progress_artifact

        self.done[stage] = min(self.total_sites, self.done[stage] + sites)
        if self._artifact_id is not None:
            update_progress_artifact(self._artifact_id, self.percent(), description=self.description())

    def percent(self) -> float:
        steps = self.total_sites * len(self.stages)
        return 100.0 if steps == 0 else 100.0 * sum(self.done.values()) / steps

    def description(self) -> str:
        """`discovery 8/177 sites · fetch 3/177 sites`."""
        return " · ".join(f"{stage} {self.done[stage]}/{self.total_sites} sites" for stage in self.stages)
