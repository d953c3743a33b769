"""OCR of the scanned fixture set: cell accuracy, CPU seconds per page, peak memory.

    .venv/bin/python benchmarks/ocr_benchmark.py [--count 20]

Parses each fixture of flows.reportgen.scanset through parsers.api.parse_bytes (the OCR
worker runs on one thread), prints one line per document, the cells it got wrong and
the identities it found broken, then a total. CPU time is the worker's, so a busy
machine does not inflate it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402

from flows.reportgen.scanset import Score, cell_accuracy, scan_fixtures, unreadable_scan  # noqa: E402
from parsers.api import parse_bytes  # noqa: E402
from parsers.ocr.worker import OCR_WORKER  # noqa: E402


def worker_usage() -> tuple[float, float]:
    """(CPU seconds, peak resident MB) of the OCR worker process so far."""
    if OCR_WORKER._process is None or OCR_WORKER._process.poll() is not None:
        return 0.0, 0.0
    process = psutil.Process(OCR_WORKER._process.pid)
    cpu = sum(process.cpu_times()[:2])
    peak = 0.0
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    return cpu, peak


def page_count(data: bytes, kind: str) -> int:
    """Pages as the OCR reads them (a tall JPG counts its page-high strips)."""
    if kind != "pdf":
        from parsers.ocr.raster import image_pages

        return sum(1 for _ in image_pages(data, 40))
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def run(count: int, verbose: bool = True) -> dict[str, float]:
    total, pages, cpu_total, peak = Score(), 0, 0.0, 0.0
    parse_bytes(unreadable_scan())  # starts the worker and loads the models
    for fixture in scan_fixtures(count):
        data = fixture.data()
        before, _ = worker_usage()
        started = time.perf_counter()
        report = parse_bytes(data)
        wall = time.perf_counter() - started
        after, peak_now = worker_usage()
        peak = max(peak, peak_now)
        if after < before:  # the worker was restarted (killed on a limit) during this document
            before = 0.0
        score = cell_accuracy(fixture.spec, report.fields)
        total.add(score)
        pages += page_count(data, fixture.kind)
        cpu_total += after - before
        broken = [check.name for check in report.checks if check.ok is False]
        if not verbose:
            continue
        print(f"{fixture.name:28} {score.accuracy:6.3f}  cpu {after - before:5.1f} s  wall {wall:5.1f} s"
              f"  failure={report.failure.reason if report.failure else None}  broken={broken}", flush=True)
        for line in score.wrong[:5]:
            print("    ", line)
    blank = parse_bytes(unreadable_scan())
    print(f"blank scan: {blank.failure.reason if blank.failure else 'parsed?!'}", flush=True)
    result = {"accuracy": total.accuracy, "cpu_s_per_page": cpu_total / max(pages, 1), "peak_mb": peak}
    print(f"cells {total.correct}/{total.total} = {total.accuracy:.4f}; {pages} pages; "
          f"{result['cpu_s_per_page']:.2f} CPU s per page; peak {peak:.0f} MB (OCR worker)")
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    run(parser.parse_args().count)
