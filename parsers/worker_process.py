"""A Python child process that serves one kind of job over a socket pair.

The extraction worker and the OCR worker both run untrusted documents in a child
that can be killed (with its process group) on a limit and started again on the
next job; this is the plumbing they share.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class WorkerProcess:
    """Starts `python -m MODULE FD` on first use (and after it died); `stop` kills its group."""

    module: str = ""
    extra_env: dict[str, str] = {}

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._connection: Connection | None = None

    def _start(self) -> Connection:
        if self._process is None or self._process.poll() is not None:
            self.stop()
            ours, theirs = socket.socketpair()
            env = dict(os.environ, **self.extra_env)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
            self._process = subprocess.Popen(
                [sys.executable, "-m", self.module, str(theirs.fileno())],
                pass_fds=[theirs.fileno()], env=env, start_new_session=True)
            theirs.close()
            self._connection = Connection(ours.detach())
        assert self._connection is not None
        return self._connection

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGKILL)
        if self._process is not None:
            self._process.wait()
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None and self._process.poll() is None else None
