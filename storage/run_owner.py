"""Which process owns a crawl run, and whether that process still lives.

A run row records "host:pid:start time" of the process that started it. A run
still marked running whose owner is gone (SIGKILL, power loss) was interrupted;
the start time guards against a new process that reused the pid.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

import psutil
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage import models as m
from storage.records import utcnow

INTERRUPTED = "interrupted"
RUNNING = "running"


def _start_time(pid: int) -> str:
    return f"{psutil.Process(pid).create_time():.2f}"


def current_owner() -> str:
    """This process, as stored in a run's `owner` column."""
    return f"{socket.gethostname()}:{os.getpid()}:{_start_time(os.getpid())}"


def owner_is_gone(owner: str | None) -> bool:
    """True when `owner` is a process of this machine that no longer runs.

    Runs of other machines (a shared PostgreSQL) or without an owner are never
    declared dead from here: we cannot see their processes.
    """
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid_text, _, started = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        return _start_time(int(pid_text)) != started
    except psutil.Error:  # no such process (or a zombie whose start time is unreadable)
        return True


def shown_status(status: str, owner: str | None) -> str:
    """A run's status as users should see it: running with a dead owner is interrupted."""
    return INTERRUPTED if status == RUNNING and owner_is_gone(owner) else status


def interrupt_runs(session: Session, doomed: Callable[[str | None], bool]) -> list[int]:
    """Mark the running runs whose owner is `doomed` as interrupted (finished now); their ids."""
    running = session.execute(select(m.CrawlRun.id, m.CrawlRun.owner).where(m.CrawlRun.status == RUNNING))
    ids = [run_id for run_id, owner in running if doomed(owner)]
    if ids:
        session.execute(update(m.CrawlRun).where(m.CrawlRun.id.in_(ids))
                        .values(status=INTERRUPTED, finished_at=utcnow()))
    return ids
