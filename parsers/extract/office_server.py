"""One LibreOffice kept alive per process, converting documents through uno_bridge.py.

Starting soffice costs ~1.4 s; a conversion through a running one costs ~0.1 s. The
bridge (and the soffice it starts) run in one process group inside the sandbox of
soffice_sandbox.py; a conversion that overruns its time limit kills the group, and
the next conversion starts a new one. Conversions from several threads queue up
behind one lock: one LibreOffice process converts one document at a time.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import select
import shutil
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

from parsers.extract.soffice_sandbox import new_profile, sandboxed

BRIDGE = Path(__file__).with_name("uno_bridge.py")
START_TIMEOUT_S = 60.0
# LibreOffice's own Python where it ships one (TDF builds), else the system Python.
UNO_PYTHONS = ("/usr/lib/libreoffice/program/python", "/opt/libreoffice/program/python", "/usr/bin/python3")


class OfficeDied(RuntimeError):
    """The LibreOffice process ended or stopped answering during a conversion."""


class OfficeTimeout(RuntimeError):
    pass


@functools.cache
def uno_python() -> str | None:
    """A Python that can `import uno`, or None (then every conversion starts soffice)."""
    for candidate in UNO_PYTHONS:
        if not os.access(candidate, os.X_OK):
            continue
        probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True, timeout=30, check=False)
        if probe.returncode == 0:
            return candidate
    return None


class OfficeServer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._profile: Path | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    def convert(self, source: Path, target: Path, filter_name: str, *, soffice: str,
                timeout_s: float, memory_mb: int) -> None:
        """Write `source` converted with LibreOffice's `filter_name` to `target`.
        Raises OfficeTimeout, OfficeDied or RuntimeError (LibreOffice refused the file)."""
        with self._lock:
            process = self._running(soffice, memory_mb)
            request = {"source": str(source), "target": str(target), "filter": filter_name}
            try:
                process.stdin.write(json.dumps(request) + "\n")
                process.stdin.flush()
                reply = self._reply(process, timeout_s)
            except (OSError, OfficeTimeout, OfficeDied):
                self.stop()
                raise
        if not reply.get("ok"):
            raise RuntimeError(reply.get("error", "conversion failed"))

    def _running(self, soffice: str, memory_mb: int) -> subprocess.Popen:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self.stop()
        python = uno_python()
        assert python is not None, "callers check uno_python() first"
        self._profile = new_profile()
        command = sandboxed([python, str(BRIDGE), soffice, self._profile.as_uri(),
                             f"nianbao-{uuid.uuid4().hex}"], memory_mb)
        # A session of its own: stop() ends the bridge and every soffice process it started.
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        try:
            ready = self._reply(self._process, START_TIMEOUT_S)
        except (OfficeTimeout, OfficeDied):
            self.stop()
            raise OfficeDied("LibreOffice did not start") from None
        assert ready.get("ready")
        return self._process

    @staticmethod
    def _reply(process: subprocess.Popen, timeout_s: float) -> dict:
        deadline = time.monotonic() + timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise OfficeTimeout(f"LibreOffice took longer than {timeout_s:g} s")
            readable, _, _ = select.select([process.stdout], [], [], remaining)
            if readable:
                line = process.stdout.readline()
                if not line:
                    raise OfficeDied("LibreOffice ended during the conversion")
                return json.loads(line)

    def stop(self) -> None:
        if self._process is not None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout):
                stream.close()
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
        self._process = self._profile = None


OFFICE_SERVER = OfficeServer()
atexit.register(OFFICE_SERVER.stop)
