"""Read scanned pages in a child process, so a page that takes too long or grows too big
can be killed (`ocr_timeout`, `ocr_unreadable`) without taking the caller down.

The child (`python -m parsers.ocr.worker FD`) loads the OCR models once and is reused;
it answers one message per page, so the parent holds each page to its own time limit
and watches the child's memory while it waits.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

import psutil

from parsers.worker_process import WorkerProcess

if TYPE_CHECKING:
    from parsers.ocr.page import PageReading


POLL_S = 0.25
WALL_FACTOR = 5


class OcrFailure(Exception):
    """`reason` is ocr_timeout, ocr_unreadable or too_large."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def _serve(connection: Connection) -> None:
    from parsers.ocr.page import read_page
    from parsers.ocr.raster import BadImage, TooManyPages, image_pages, pdf_pages

    while True:
        try:
            data, kind, max_pages = connection.recv()
        except EOFError:
            return
        try:
            pages = pdf_pages(data, max_pages) if kind == "pdf" else image_pages(data, max_pages)
            for image in pages:
                connection.send(("page", read_page(image)))
            connection.send(("done", None))
        except TooManyPages as error:
            connection.send(("too_large", str(error)))
        except ImportError as error:  # the OCR engine is not installed here
            connection.send(("needs_ocr", f"no OCR engine installed ({error})"))
        except BadImage as error:
            connection.send(("ocr_unreadable", str(error)))
        except Exception as error:  # noqa: BLE001 - a broken image may raise anything in a decoder
            connection.send(("ocr_unreadable", f"OCR failed ({type(error).__name__}: {str(error)[:200]})"))


class OcrWorker(WorkerProcess):
    module = "parsers.ocr.worker"
    extra_env = {"OMP_NUM_THREADS": "1"}

    def read(self, data: bytes, kind: str, *, max_pages: int, page_timeout_s: float,
             max_memory_mb: int) -> list[PageReading]:
        """Every page's reading; raises OcrFailure."""
        with self._lock:
            connection = self._start()
            pages: list[PageReading] = []
            try:
                connection.send((data, kind, max_pages))
                while True:
                    self._wait(connection, len(pages) + 1, page_timeout_s, max_memory_mb)
                    status, payload = connection.recv()
                    if status == "done":
                        return pages
                    if status != "page":
                        raise OcrFailure(status, payload)
                    pages.append(payload)
            except (EOFError, OSError):
                self.stop()
                raise OcrFailure("ocr_unreadable", "the OCR process died on this document") from None

    def _wait(self, connection: Connection, page: int, timeout_s: float, max_memory_mb: int) -> None:
        """Until the next page arrives. The limit is CPU time, so a busy machine does not
        fail pages that are merely waiting for a core; wall time may run to WALL_FACTOR× it."""
        started, waited = self._cpu_s(), 0.0
        while not connection.poll(POLL_S):
            waited += POLL_S
            if self._cpu_s() - started >= timeout_s or waited >= timeout_s * WALL_FACTOR:
                self.stop()
                raise OcrFailure("ocr_timeout", f"OCR of page {page} took longer than {timeout_s:g} s")
            if self._memory_mb() > max_memory_mb:
                self.stop()
                raise OcrFailure("ocr_unreadable", f"OCR of page {page} needed more than {max_memory_mb} MB")

    def _child(self) -> psutil.Process | None:
        try:
            return psutil.Process(self._process.pid) if self._process else None
        except psutil.Error:
            return None

    def _cpu_s(self) -> float:
        child = self._child()
        try:
            return sum(child.cpu_times()[:2]) if child else 0.0
        except psutil.Error:
            return 0.0

    def _memory_mb(self) -> float:
        child = self._child()
        try:
            return child.memory_info().rss / 2**20 if child else 0.0
        except psutil.Error:
            return 0.0


# One per process: parse calls from several threads queue up behind its lock.
OCR_WORKER = OcrWorker()


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])))
