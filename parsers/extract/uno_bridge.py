"""Keep one LibreOffice alive and convert documents through UNO, one JSON line per request.

Runs under the Python that has LibreOffice's `uno` module (Debian: python3-uno), not
the project's virtualenv, so it imports nothing from the project. It is started by
office_server.py inside the converter's sandbox (no network, capped memory) and talks
over stdin/stdout: a pipe crosses the network namespace, a TCP port (unoserver's
XML-RPC) would not.

    request:  {"source": "/tmp/…/input.doc", "target": "/tmp/…/output.docx", "filter": "MS Word 2007 XML"}
    reply:    {"ok": true} or {"ok": false, "error": "…"}
The first line written is {"ready": true} once LibreOffice accepts connections.
"""

import json
import os
import signal
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

CONNECT_TIMEOUT_S = 60.0


def _properties(**values):
    result = []
    for name, value in values.items():
        item = PropertyValue()
        item.Name, item.Value = name, value
        result.append(item)
    return tuple(result)


def _desktop(pipe_name: str):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_TIMEOUT_S
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe_name};urp;StarOffice.ComponentContext")
            break
        except Exception:  # NoConnectException until soffice listens
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def _convert(desktop, request: dict) -> None:
    # Never run macros, never update links: the document is untrusted.
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(request["source"]), "_blank", 0,
        _properties(Hidden=True, ReadOnly=True, UpdateDocMode=0, MacroExecutionMode=0))
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        document.storeToURL(uno.systemPathToFileUrl(request["target"]),
                            _properties(FilterName=request["filter"], Overwrite=True))
    finally:
        document.close(True)


def main() -> None:
    soffice, profile_url, pipe_name = sys.argv[1:4]
    office = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nolockcheck",
         "--nodefault", f"-env:UserInstallation={profile_url}",
         f"--accept=pipe,name={pipe_name};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        desktop = _desktop(pipe_name)
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            try:
                _convert(desktop, json.loads(line))
                reply = {"ok": True}
            except Exception as error:  # noqa: BLE001 - reported to the parent, which decides
                reply = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
            print(json.dumps(reply), flush=True)
    finally:
        # stdin closed: the parent is gone or done. soffice.bin is a grandchild (through
        # oosplash), so end the whole process group this bridge leads, itself included.
        office.kill()
        os.killpg(os.getpgrp(), signal.SIGKILL)


if __name__ == "__main__":
    main()
