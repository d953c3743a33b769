"""`python -m flows.reaper PID`: when process PID dies, even by SIGKILL, end what it started.

A process killed with SIGKILL cannot clean up: its temporary Prefect server
(~200 MB), a Scrapy child or LibreOffice would run on, orphaned. The reaper
runs in its own session (so a kill of the run's process group spares it),
remembers the run's descendants while it lives, and when it is gone ends them
and removes its temporary folders. It exits with the run either way.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psutil

POLL_SECONDS = 1.0


_started_for: set[int] = set()


def start_reaper() -> None:
    """Watch this process from a detached child, in a session of its own (once per process)."""
    if os.getpid() in _started_for:
        return
    _started_for.add(os.getpid())
    subprocess.Popen([sys.executable, "-m", "flows.reaper", str(os.getpid())], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     close_fds=True)


def watch(parent_pid: int, poll_seconds: float = POLL_SECONDS) -> list[psutil.Process]:
    """Wait for `parent_pid` to end; then end the descendants it had; those ended."""
    try:
        parent = psutil.Process(parent_pid)
    except psutil.NoSuchProcess:
        return []
    descendants: dict[int, psutil.Process] = {}
    while parent.is_running() and parent.status() != psutil.STATUS_ZOMBIE:
        try:
            for child in parent.children(recursive=True):
                descendants.setdefault(child.pid, child)
        except psutil.Error:
            break
        descendants = {pid: p for pid, p in descendants.items() if p.is_running()}
        time.sleep(poll_seconds)
    survivors = [p for p in descendants.values() if p.is_running() and p.pid != os.getpid()]
    for process in survivors:
        try:
            process.terminate()
        except psutil.Error:
            pass
    _gone, alive = psutil.wait_procs(survivors, timeout=2)
    for process in alive:
        try:
            process.kill()
        except psutil.Error:
            pass
    return survivors


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not args[0].isdigit():
        print("usage: python -m flows.reaper PID (started by nianbao runs)", file=sys.stderr)
        return 2
    watch(int(args[0]))
    from flows.process_guard import sweep_stale_temp_folders

    sweep_stale_temp_folders()
    return 0


if __name__ == "__main__":
    sys.exit(main())
