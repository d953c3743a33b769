"""Runs end cleanly: Ctrl-C or SIGTERM stops within seconds, children end with us, leftovers go.

Without this, Ctrl-C left Prefect's event worker retrying a temporary server
that had already died (over 90 s), and runs stayed "running" for ever. Here a
signal ends every child process (the temporary Prefect server, the Scrapy
crawl, LibreOffice), marks this process's runs interrupted, prints one line
and leaves at once: nothing that waits on a dead server runs after it.

Temporary folders carry the pid of the process that made them
(`nianbao-crawl-PID-*`, `nianbao-convert-PID-*`, `lo-PID-*`); folders whose
process is gone are removed when the next run starts.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

CHILD_GRACE_SECONDS = 2.0  # SIGTERM first; what still runs after this is killed
_OUR_TEMP_FOLDER = re.compile(r"^(?:nianbao-crawl|nianbao-convert|lo)-(\d+)-")


def sweep_stale_temp_folders(temp_dir: str | Path | None = None) -> list[Path]:
    """Remove our temp folders whose owner process is gone; the removed paths."""
    return _remove_temp_folders(lambda pid: not psutil.pid_exists(pid), temp_dir)


def _remove_temp_folders(doomed: Callable[[int], bool], temp_dir: str | Path | None = None) -> list[Path]:
    root = Path(temp_dir or tempfile.gettempdir())
    removed = []
    for entry in root.iterdir():
        match = _OUR_TEMP_FOLDER.match(entry.name)
        if match is None or entry.is_symlink() or not entry.is_dir() or not doomed(int(match.group(1))):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def end_children(grace: float = CHILD_GRACE_SECONDS) -> None:
    """SIGTERM every descendant of this process, then SIGKILL those still running after `grace`."""
    children = psutil.Process().children(recursive=True)
    for child in children:
        try:
            child.terminate()
        except psutil.Error:
            pass
    _gone, alive = psutil.wait_procs(children, timeout=grace)
    for child in alive:
        try:
            child.kill()
        except psutil.Error:
            pass


@contextmanager
def interruptible(on_interrupt: Callable[[], str]) -> Iterator[None]:
    """Within the block, SIGINT/SIGTERM end the children, call `on_interrupt` (which says
    what it marked, in a few words) and exit at once with 128 + the signal number."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def stop(signum: int, _frame: object) -> None:
        for name in (signal.SIGINT, signal.SIGTERM):
            signal.signal(name, signal.SIG_IGN)  # a second Ctrl-C must not cut the cleanup short
        # Tasks in other threads see their children end and would log tracebacks while we
        # clean up; the user asked to stop, so the one line below is all they get.
        logging.disable(logging.CRITICAL)
        end_children()
        family = {os.getpid()}  # folders of this process and of the children just ended
        _remove_temp_folders(lambda pid: pid in family or not psutil.pid_exists(pid))
        try:
            marked = on_interrupt()
        except Exception as exc:  # noqa: BLE001 - we are leaving; say why the mark failed
            marked = f"could not mark the run interrupted ({type(exc).__name__}: {exc})"
        sys.stderr.write(f"\nnianbao: interrupted by {signal.Signals(signum).name}; {marked}\n")
        sys.stderr.flush()
        os._exit(128 + signum)

    previous = {name: signal.signal(name, stop) for name in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(name, handler)
