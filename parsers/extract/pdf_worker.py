"""Run pdfminer in a long-lived child process, so a pathological PDF can be killed on time.

Some PDFs keep pdfminer busy for minutes (field notes). The child is started once and
reused; when a document overruns its time limit the child is killed and a new one is
started for the next document. The child is a fresh interpreter (`python -m
parsers.extract.pdf_worker FD`), not a multiprocessing spawn, which would re-run the
caller's unguarded __main__ script; it is safe to start from threaded parents.
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

from parsers.extract.pdf_pages import PdfContent


class PdfTimeout(Exception):
    pass


class PdfUnreadable(Exception):
    """pdfminer could not read the document; `reason` is a FAILURE_REASONS code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def _serve(connection: Connection) -> None:
    """Child process loop: read PDFs from the pipe, send back content or an error."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    from parsers.extract.pdf_pages import TooManyPages, read_pdf

    while True:
        try:
            data, max_pages = connection.recv()
        except EOFError:
            return
        try:
            reply = ("ok", read_pdf(data, max_pages))
        except TooManyPages as error:
            reply = ("too_large", str(error))
        except (PDFPasswordIncorrect, PDFEncryptionError) as error:
            reply = ("corrupt", f"PDF needs a password or uses unsupported encryption ({type(error).__name__})")
        except Exception as error:  # noqa: BLE001 - malformed PDFs raise anything in pdfminer
            reply = ("corrupt", f"unreadable PDF ({type(error).__name__}: {str(error)[:200]})")
        connection.send(reply)


PROJECT_ROOT = Path(__file__).resolve().parents[2]


class PdfWorker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._connection: Connection | None = None

    def _start(self) -> Connection:
        if self._process is None or self._process.poll() is not None:
            self.stop()
            ours, theirs = socket.socketpair()
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
            self._process = subprocess.Popen(
                [sys.executable, "-m", "parsers.extract.pdf_worker", str(theirs.fileno())],
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

    def read(self, data: bytes, *, max_pages: int, timeout_s: float) -> PdfContent:
        """Raises PdfTimeout or PdfUnreadable."""
        with self._lock:
            connection = self._start()
            try:
                connection.send((data, max_pages))
                if not connection.poll(timeout_s):
                    self.stop()
                    raise PdfTimeout(f"PDF text extraction took longer than {timeout_s:g} s")
                status, payload = connection.recv()
            except (EOFError, OSError):
                self.stop()
                raise PdfUnreadable("corrupt", "the PDF reader process died on this document") from None
        if status != "ok":
            raise PdfUnreadable(status, payload)
        return payload


# One per process: parse calls from several threads queue up behind its lock.
PDF_WORKER = PdfWorker()


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])))
