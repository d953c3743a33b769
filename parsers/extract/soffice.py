"""Convert one document's bytes with LibreOffice: sandboxed, with a timeout and a memory cap.

DOCX targets (the parser's DOC/WPS path) go through one LibreOffice kept alive
(office_server.py); other targets, or machines without LibreOffice's Python (`uno`),
start soffice for each conversion. Both run in soffice_sandbox.py's sandbox.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from parsers.extract.office_server import OFFICE_SERVER, OfficeDied, OfficeTimeout, uno_python
from parsers.extract.soffice_sandbox import new_profile, sandboxed

# Targets the long-lived LibreOffice converts, by LibreOffice filter name.
SERVER_FILTERS = {"docx": "MS Word 2007 XML"}
DEFAULT_MEMORY_MB = 2048  # soffice maps ~460 MB of address space converting a report


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
        path = new_profile()
        _profiles.path = path
        _created_profiles.append(path)
    return path.as_uri()


def convert_bytes(data: bytes, *, source_suffix: str, target: str, timeout_s: float,
                  memory_mb: int = DEFAULT_MEMORY_MB) -> bytes:
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
        if target in SERVER_FILTERS and uno_python() is not None:
            output = workdir / f"output.{target}"
            _convert_on_server(source, output, SERVER_FILTERS[target], binary, timeout_s, memory_mb)
            return output.read_bytes()
        command = [binary, "--headless", "--norestore", "--nologo", "--nolockcheck",
                   f"-env:UserInstallation={_profile_url()}",
                   "--convert-to", target, "--outdir", str(workdir / "out"), str(source)]
        _run_with_timeout(sandboxed(command, memory_mb), timeout_s)
        outputs = list((workdir / "out").glob("input.*"))
        if not outputs:
            raise ConversionFailed(f"soffice produced no {target.split(':')[0]} output")
        return outputs[0].read_bytes()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _convert_on_server(source: Path, output: Path, filter_name: str, binary: str,
                       timeout_s: float, memory_mb: int) -> None:
    try:
        OFFICE_SERVER.convert(source, output, filter_name, soffice=binary, timeout_s=timeout_s,
                              memory_mb=memory_mb)
    except OfficeTimeout as error:
        raise ConversionTimeout(str(error)) from None
    except OfficeDied as error:
        raise ConversionFailed(f"{error} (a crash, or over its {memory_mb} MB memory cap)") from None
    except RuntimeError as error:
        raise ConversionFailed(str(error)) from None
    if not output.exists():
        raise ConversionFailed("LibreOffice produced no output")


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
