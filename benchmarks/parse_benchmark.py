"""Parse a corpus of generated reports in every format; print reports/second and peak memory.

    .venv/bin/python benchmarks/parse_benchmark.py [--per-format N] [--office N]

Documents come from flows.reportgen (LibreOffice renders are cached on disk, so only
the first run pays for them). Parsing runs serially on one core. Peak memory is the
Python heap of the parsing process (tracemalloc, measured in a separate pass so it
does not slow the timed one), the extraction worker's peak RSS for PDF, and the kept-alive
LibreOffice's peak RSS for DOC/WPS (whose first conversion, which starts LibreOffice, is
timed apart).

With the benchmark extra installed (`.venv/bin/pip install -e '.[bench]'`), it also times
pdfplumber's `extract_tables` on the same PDFs, document by document next to a full parse,
and prints the ratio (goal: <= 0.7).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers.api import parse_bytes  # noqa: E402
from parsers.extract.office_server import OFFICE_SERVER  # noqa: E402
from parsers.extract.pdf_worker import PDF_WORKER  # noqa: E402
from flows.reportgen import (render_doc, render_docx, render_html, render_pdf,  # noqa: E402
                             render_wps, sample_spec)
from flows.reportgen.expect import field_mismatches  # noqa: E402

AGENCIES = ["某某市生态环境局", "某某县人民政府办公室", "某某区教育局", "某某市自然资源和规划局"]
STYLES = ["grid", "split", "paragraphs"]


def _spec(index: int):
    version = "v2021" if index % 2 else "v2019"
    return sample_spec(index, version=version, year=2022 if version == "v2021" else 2020,
                       agency=AGENCIES[index % len(AGENCIES)], table_style=STYLES[index % 3])


def _html(index: int) -> bytes:
    return render_html(_spec(index), encoding="gbk" if index % 4 == 0 else "utf-8",
                       declare_charset=index % 3 != 0)


RENDERERS = {"html": _html, "docx": lambda i: render_docx(_spec(i)), "pdf": lambda i: render_pdf(_spec(i)),
             "doc": lambda i: render_doc(_spec(i)), "wps": lambda i: render_wps(_spec(i))}


def build_corpus(per_format: int, office: int) -> dict[str, list[tuple[int, bytes]]]:
    counts = {"html": per_format, "docx": per_format, "pdf": per_format, "doc": office, "wps": office}
    corpus = {}
    with ThreadPoolExecutor(max_workers=2) as pool:  # renders are LibreOffice-bound
        for kind, count in counts.items():
            corpus[kind] = list(zip(range(count), pool.map(RENDERERS[kind], range(count))))
    return corpus


def _pdf_worker_peak_kb() -> int | None:
    pid = PDF_WORKER.pid
    if pid is None:
        return None
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def _office_peak_kb() -> int:
    """Largest peak RSS among the kept-alive LibreOffice's processes (its process group)."""
    group, peak = OFFICE_SERVER.pid, 0
    for status in Path("/proc").glob("[0-9]*/status") if group else []:
        try:
            if os.getpgid(int(status.parent.name)) != group:
                continue
            lines = status.read_text().splitlines()
        except (OSError, ProcessLookupError):
            continue
        peak = max([peak] + [int(line.split()[1]) for line in lines if line.startswith("VmHWM:")])
    return peak


def pdfplumber_ratio(documents: list[tuple[int, bytes]]) -> tuple[float, float] | None:
    """Seconds per document for our full parse and for pdfplumber's extract_tables alone,
    interleaved document by document so machine load hits both alike; None without pdfplumber."""
    try:
        import pdfplumber
    except ImportError:
        return None
    ours = theirs = 0.0
    for _, data in documents:
        started = time.perf_counter()
        parse_bytes(data)
        ours += time.perf_counter() - started
        started = time.perf_counter()
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_tables()
        theirs += time.perf_counter() - started
    return ours / len(documents), theirs / len(documents)


def time_format(documents: list[tuple[int, bytes]]) -> tuple[float, int]:
    wrong = 0
    started = time.perf_counter()
    for index, data in documents:
        report = parse_bytes(data)
        wrong += bool(report.failure or field_mismatches(report, _spec(index)))
    return time.perf_counter() - started, wrong


def heap_peak_mb(documents: list[tuple[int, bytes]]) -> float:
    tracemalloc.start()
    for _, data in documents[:10]:
        parse_bytes(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-format", type=int, default=60, help="HTML, DOCX and PDF reports each")
    parser.add_argument("--office", type=int, default=15, help="DOC and WPS reports each")
    parser.add_argument("--ocr", type=int, default=4, help="scanned reports (OCR row; 0 skips it)")
    args = parser.parse_args()
    print("rendering corpus (cached after the first run)...", flush=True)
    corpus = build_corpus(args.per_format, args.office)
    parse_bytes(corpus["pdf"][0][1])  # start the extraction worker outside the timing
    first_office = None
    if corpus["doc"]:  # start LibreOffice outside the timing, and say what that costs
        started = time.perf_counter()
        parse_bytes(corpus["doc"][0][1])
        first_office = time.perf_counter() - started
    print(f"{'format':6} {'reports':>7} {'ms/report':>10} {'reports/s':>10} {'wrong':>5}  peak memory")
    total = 0
    for kind, documents in corpus.items():
        seconds, wrong = time_format(documents)
        total += len(documents)
        memory = f"python heap {heap_peak_mb(documents):.1f} MB"
        if kind == "pdf":
            memory += f", pdf worker RSS {(_pdf_worker_peak_kb() or 0) / 1024:.0f} MB"
        if kind in ("doc", "wps"):
            memory += f", LibreOffice RSS {_office_peak_kb() / 1024:.0f} MB"
        print(f"{kind:6} {len(documents):7d} {1000 * seconds / len(documents):10.1f} "
              f"{len(documents) / seconds:10.1f} {wrong:5d}  {memory}", flush=True)
    print(f"total  {total:7d} reports")
    if first_office is not None:
        print(f"DOC/WPS: the first document took {first_office:.2f} s (starting LibreOffice); "
              "the rows above are the ones after it")
    ratio = pdfplumber_ratio(corpus["pdf"])
    if ratio is None:
        print("PDF vs pdfplumber: not measured (pip install -e '.[bench]' for pdfplumber)")
    else:
        print(f"PDF vs pdfplumber: full parse {1000 * ratio[0]:.1f} ms, pdfplumber extract_tables "
              f"{1000 * ratio[1]:.1f} ms per document: ratio {ratio[0] / ratio[1]:.2f} (goal <= 0.7)")
    if args.ocr:
        ocr_row(args.ocr)


def ocr_row(documents: int) -> None:
    """Scanned reports through the OCR worker (one thread): CPU s per page, peak RSS."""
    from ocr_benchmark import run  # benchmarks/ocr_benchmark.py, beside this file

    result = run(documents, verbose=False)
    print(f"ocr    {documents:7d}  {result['cpu_s_per_page']:.2f} CPU s/page, cell accuracy "
          f"{result['accuracy']:.4f}, ocr worker RSS {result['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
