"""Run LibreOffice headless to convert one document's bytes, with a timeout and its own profile."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path


class ConverterMissing(RuntimeError):
    """soffice is not installed (or not on PATH)."""


class ConversionFailed(RuntimeError):
    """soffice ran but produced no output."""


class ConversionTimeout(RuntimeError):
    """soffice did not finish in time and was killed."""


# A fresh profile costs seconds on first start, so each thread keeps one for the life
# of the process. Two soffice runs sharing a profile silently lose outputs (field
# notes), hence one per thread rather than one per process.
_profiles = threading.local()
_created_profiles: list[Path] = []


@atexit.register
def _remove_profiles() -> None:
    for path in _created_profiles:
        shutil.rmtree(path, ignore_errors=True)


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile_url() -> str:
    path = getattr(_profiles, "path", None)
    if path is None:
        path = Path(tempfile.gettempdir()) / f"lo-{os.getpid()}-{uuid.uuid4().hex}"
        _profiles.path = path
        _created_profiles.append(path)
    return path.as_uri()


def convert_bytes(data: bytes, *, source_suffix: str, target: str, timeout_s: float) -> bytes:
    """Convert `data` (a file ending in `source_suffix`) to `target` (e.g. "docx",
    "pdf", "doc:MS Word 97"). Raises ConverterMissing, ConversionTimeout or
    ConversionFailed."""
    binary = soffice_binary()
    if binary is None:
        raise ConverterMissing("LibreOffice (soffice) is not installed; install it to read DOC/WPS")
    workdir = Path(tempfile.mkdtemp(prefix=f"nianbao-convert-{os.getpid()}-"))  # pid: see flows.process_guard
    try:
        source = workdir / f"input.{source_suffix}"
        source.write_bytes(data)
        command = [binary, "--headless", "--norestore", "--nologo", "--nolockcheck",
                   f"-env:UserInstallation={_profile_url()}",
                   "--convert-to", target, "--outdir", str(workdir / "out"), str(source)]
        _run_with_timeout(command, timeout_s)
        outputs = list((workdir / "out").glob("input.*"))
        if not outputs:
            raise ConversionFailed(f"soffice produced no {target.split(':')[0]} output")
        return outputs[0].read_bytes()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run_with_timeout(command: list[str], timeout_s: float) -> None:
    # A new session lets us kill soffice together with the helper processes it forks.
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise ConversionTimeout(f"soffice took longer than {timeout_s:g} s") from None
