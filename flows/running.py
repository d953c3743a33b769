"""Run a Prefect flow in this process with nianbao's Prefect defaults; shared by the CLI and the demo."""

from __future__ import annotations

import os
from typing import Any

from flows.process_guard import interruptible, sweep_stale_temp_folders
from flows.reaper import start_reaper
from storage.errors import UserError

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # A cold ephemeral server took ~17 s here; Prefect's default wait is 20 s.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


class RunFailedError(Exception):
    """A flow run failed as a whole."""


def set_prefect_defaults() -> None:
    """Sensible Prefect settings unless the user chose otherwise."""
    for name, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)


def _mark_runs_interrupted() -> str:
    """Mark the runs this process started as interrupted (on Ctrl-C / SIGTERM)."""
    from storage.repository import Repository
    from storage.run_owner import current_owner

    repo = Repository.open()
    try:
        run_ids = repo.interrupt_runs_of(current_owner())
    finally:
        repo.close()
    return f"run {', '.join(map(str, run_ids))} marked interrupted" if run_ids else "no run was started"


def run_flow(flow: Any, **parameters: Any) -> dict[str, Any]:
    """Run a flow in this process; its result, or UserError / RunFailedError."""
    from flows.progress import site_progress

    set_prefect_defaults()
    sweep_stale_temp_folders()
    start_reaper()  # ends our children should this process be killed with SIGKILL
    with interruptible(_mark_runs_interrupted), site_progress(f"{flow.name}: sites done"):
        state = flow(**parameters, return_state=True)
    if state.is_completed():
        return state.result()
    error = state.result(raise_on_failure=False)
    if isinstance(error, UserError):
        raise error
    raise RunFailedError(f"{flow.name} run failed: {error}")
