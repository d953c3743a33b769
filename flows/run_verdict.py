"""How a run tells its outcome outside its artifacts: state message, tag, events, warnings.

A night where some sites failed still completes (the others' reports are stored), but it
must not look like a healthy night: its Completed state is named `Sites failed`, its
message names the failed sites, it carries the `sites-failed` tag (filterable on the
runs page), each failed site is logged at WARNING and emitted as a `nianbao.site.failed`
event an automation can notify on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

SITES_FAILED_TAG = "sites-failed"
SITES_FAILED_STATE = "Sites failed"  # a Completed state's name: the badge says it, in green
SITE_FAILED_EVENT = "nianbao.site.failed"
MAX_MESSAGE_CHARS = 500


def failed_sites(result: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [site for site in result["sites"] if not site["ok"]]


def state_message(result: Mapping[str, Any]) -> str:
    """`1 of 5 sites failed: gone (discovery: …) · reports 3 new, 1 changed, 29 unchanged`."""
    totals = result["totals"]
    reports = (f"reports {totals['new']} new, {totals['changed']} changed, "
               f"{totals['unchanged']} unchanged")
    failed = failed_sites(result)
    if not failed:
        return f"all {totals['sites']} sites ok · {reports}"
    head = f"{len(failed)} of {totals['sites']} sites failed: "
    names = "; ".join(f"{site['site_id']} ({site['failure']})" for site in failed)
    room = MAX_MESSAGE_CHARS - len(head) - len(reports) - 3
    if len(names) > room:
        names = names[:room - 1] + "…"
    return f"{head}{names} · {reports}"


def completed_state(result: Mapping[str, Any]) -> Any:
    """The run's final Completed state: named `Sites failed` when some did, with the message."""
    from prefect.states import Completed

    name = SITES_FAILED_STATE if failed_sites(result) else "Completed"
    return Completed(name=name, message=state_message(result), data=result)


def announce_failures(kind: str, result: Mapping[str, Any], logger: logging.Logger | Any) -> None:
    """Log each failed site at WARNING, emit its event and tag the flow run."""
    failed = failed_sites(result)
    for site in failed:
        logger.warning("site %s failed: %s", site["site_id"], site["failure"])
        emit_site_failed(kind, result, site)
    if failed:
        add_flow_run_tags([SITES_FAILED_TAG])


def emit_site_failed(kind: str, result: Mapping[str, Any], site: Mapping[str, Any]) -> None:
    from prefect.events import emit_event

    related = []
    if result.get("flow_run_id"):
        related.append({"prefect.resource.id": f"prefect.flow-run.{result['flow_run_id']}",
                        "prefect.resource.role": "flow-run"})
    emit_event(
        event=SITE_FAILED_EVENT,
        resource={"prefect.resource.id": f"nianbao.site.{site['site_id']}",
                  "prefect.resource.name": site["site_id"]},
        related=related,
        payload={"site_id": site["site_id"], "reason": site["failure"], "kind": kind,
                 "store_run_id": result["run_id"]},
    )


def add_flow_run_tags(tags: Sequence[str]) -> None:
    """Add tags to the running flow run (kept beside the deployment's own tags)."""
    from prefect.client.orchestration import get_client
    from prefect.runtime import flow_run

    if not flow_run.id:
        return
    with get_client(sync_client=True) as client:
        current = client.read_flow_run(flow_run.id).tags
        client.update_flow_run(flow_run.id, tags=sorted(set(current) | set(tags)))
