"""Run extractors (PDF, DOCX, HTML) in a long-lived child process under a memory cap and a time limit.

Some documents keep a parser busy for minutes or take it to gigabytes (a flate-bomb
PDF, millions of text operators, a DOCX with 60 MB of XML; field notes, issue 13). The
child is started once and reused; each job runs with the child's address space capped
(setrlimit RLIMIT_AS), so a runaway allocation becomes a MemoryError there, reported as
`too_large`; a job that overruns its time limit has the child killed (`timeout`), and a
new child starts for the next job.

The child is a fresh interpreter (`python -m parsers.extract.pdf_worker FD`), not a
multiprocessing spawn or fork: a spawn re-runs the caller's unguarded __main__ script
and a fork from a threaded parent (Prefect, Scrapy) can deadlock. A process pool such as
pebble would bring exactly those two start methods, so this small worker stays.
Jobs are module-level functions, which pickle by name: the child imports them.
"""

from __future__ import annotations

import resource
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from parsers.extract import ExtractionFailure
from parsers.worker_process import WorkerProcess

T = TypeVar("T")
MB = 1024 * 1024
OUT_OF_MEMORY = "out_of_memory"  # the child hit its cap and exits: reported as too_large


def _run_job(function: Callable[..., Any], data: bytes, kwargs: dict[str, Any]) -> tuple[str, Any]:
    """In the child: (status, payload), status "ok" or a FAILURE_REASONS code."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return "ok", function(data, **kwargs)
    except ExtractionFailure as error:
        return error.failure.reason, error.failure.detail
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        return "encrypted", f"the PDF needs a password or uses unsupported encryption ({type(error).__name__})"
    except RecursionError:
        return "corrupt", "the document is nested too deeply to read"
    except MemoryError:
        raise  # an Exception too, but the cap's doing: _serve reports it
    except Exception as error:  # noqa: BLE001 - malformed documents raise anything in pdfminer
        return "corrupt", f"unreadable document ({type(error).__name__}: {str(error)[:200]})"


def _serve(connection: Connection) -> None:
    """Child process loop: read jobs from the socket, send back a result or a reason."""
    while True:
        try:
            function, data, kwargs, memory_mb = connection.recv()
        except EOFError:
            return
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, hard))
        try:
            reply = _run_job(function, data, kwargs)
        except MemoryError:
            reply = None
        del data
        if reply is None:
            # Whatever the job left half-built is unreliable: answer, then let the parent restart us.
            connection.send((OUT_OF_MEMORY, f"the document needs more than the {memory_mb} MB memory cap"))
            return
        connection.send(reply)


class WorkerDied(ExtractionFailure):
    """The child ended mid-job: a crash in native code (PDFium aborts when it reaches
    the memory cap) rather than a Python exception."""

    def __init__(self) -> None:
        super().__init__("corrupt", "the reader process died on this document")


class ExtractionWorker(WorkerProcess):
    module = "parsers.extract.pdf_worker"

    def run(self, function: Callable[..., T], data: bytes, *, timeout_s: float, memory_mb: int,
            **kwargs: Any) -> T:
        """`function(data, **kwargs)` in the child. Raises ExtractionFailure (timeout,
        too_large, corrupt, encrypted, or whatever the function raised)."""
        with self._lock:
            connection = self._start()
            try:
                connection.send((function, data, kwargs, memory_mb))
                if not connection.poll(timeout_s):
                    self.stop()
                    raise ExtractionFailure("timeout", f"reading the document took longer than {timeout_s:g} s")
                status, payload = connection.recv()
            except (EOFError, OSError):
                self.stop()
                raise WorkerDied() from None
            if status == OUT_OF_MEMORY:
                self.stop()
                status = "too_large"
        if status != "ok":
            raise ExtractionFailure(status, payload)
        return payload


# One per process: calls from several threads queue up behind its lock.
EXTRACTION_WORKER = ExtractionWorker()
PDF_WORKER = EXTRACTION_WORKER  # the name from when only PDFs ran there


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])))
