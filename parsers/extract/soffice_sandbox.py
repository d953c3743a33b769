"""Where LibreOffice runs: no network, capped memory, a profile that proxies every URL to nowhere.

A crawled DOC can link images and fields to any URL (`<img src="http://10.0.0.1/…">`),
and LibreOffice fetches them while loading (OPTIONS, HEAD, GET). The converter runs in
a network namespace of its own (`unshare -n` as root, `unshare -rn` through a user
namespace otherwise), where only an unconnected loopback exists. Where neither is
allowed, the profile's proxy settings send every HTTP/HTTPS/FTP request to a closed
local port; both apply when both are available.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

TEMP_PREFIX = "lo-"
_CLOSED_PORT = "9"  # discard: nothing listens there

_OFFLINE_SETTINGS = "".join(
    f'<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="{name}" oor:op="fuse">'
    f"<value>{value}</value></prop></item>\n"
    for name, value in [("ooInetProxyType", "2"), ("ooInetNoProxy", ""),
                        ("ooInetHTTPProxyName", "127.0.0.1"), ("ooInetHTTPProxyPort", _CLOSED_PORT),
                        ("ooInetHTTPSProxyName", "127.0.0.1"), ("ooInetHTTPSProxyPort", _CLOSED_PORT),
                        ("ooInetFTPProxyName", "127.0.0.1"), ("ooInetFTPProxyPort", _CLOSED_PORT)])


def _tool(name: str) -> str | None:
    """util-linux tools by absolute path, so a caller's narrowed PATH cannot turn the sandbox off."""
    return shutil.which(name) or next(
        (path for path in (f"/usr/bin/{name}", f"/bin/{name}") if os.access(path, os.X_OK)), None)


@functools.cache
def network_isolation() -> tuple[str, ...]:
    """The command prefix that runs a program without network, or () if none works here."""
    unshare = _tool("unshare")
    if unshare is None:
        return ()
    for prefix in ((unshare, "-n"), (unshare, "-rn")):
        try:
            probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return prefix
    return ()


def sandboxed(command: list[str], memory_mb: int) -> list[str]:
    """`command` run without network (where possible) and with its address space capped."""
    limit: list[str] = []
    prlimit = _tool("prlimit")
    if prlimit is not None:
        limit = [prlimit, f"--as={memory_mb * 1024 * 1024}", "--"]
    return [*network_isolation(), *limit, *command]


def new_profile() -> Path:
    """A fresh LibreOffice user profile folder whose settings keep it offline."""
    path = Path(tempfile.gettempdir()) / f"{TEMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex}"
    (path / "user").mkdir(parents=True)
    (path / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{_OFFLINE_SETTINGS}</oor:items>\n", encoding="utf-8")
    return path
