"""LibreOffice converts untrusted DOC/WPS: it reaches no network and stays alive between documents."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from parsers.api import parse_bytes
from parsers.extract.office_server import OFFICE_SERVER, uno_python
from parsers.extract.soffice_sandbox import network_isolation, new_profile, sandboxed
from flows.reportgen import render_doc, render_wps, sample_spec
from flows.reportgen.expect import field_mismatches

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


class _CountingServer:
    """A loopback HTTP server that records every request it gets."""

    def __init__(self) -> None:
        requests = self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                requests.append(f"{self.command} {self.path}")
                self.send_response(404)
                self.end_headers()

            do_GET = do_HEAD = do_OPTIONS = do_POST = do_PROPFIND = _record

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def counting_server():
    server = _CountingServer()
    yield server
    server.server.shutdown()


def _fields_doc(tmp_path: Path, port: int) -> bytes:
    """A Word 97 DOC (from a DOCX) with fields naming URLs (LibreOffice keeps INCLUDETEXT)."""
    import docx
    from docx.oxml import parse_xml
    from xml.sax.saxutils import quoteattr

    document = docx.Document()
    document.add_paragraph("某某局2023年政府信息公开工作年度报告")
    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for instruction in (f'INCLUDEPICTURE "http://127.0.0.1:{port}/field.png" \\d',
                        f'INCLUDETEXT "http://127.0.0.1:{port}/included.docx"'):
        paragraph = document.add_paragraph()
        paragraph._p.append(parse_xml(f"<w:fldSimple {namespace} w:instr={quoteattr(instruction)}>"
                                      "<w:r><w:t>x</w:t></w:r></w:fldSimple>"))
    document.save(tmp_path / "fields.docx")
    _render_offline(tmp_path / "fields.docx", tmp_path, [])
    data = (tmp_path / "fields.doc").read_bytes()
    assert f"127.0.0.1:{port}/included.docx".encode("utf-16-le") in data  # the field is in the DOC
    return data


@pytest.fixture(scope="module")
def fields_doc(tmp_path_factory, counting_server) -> bytes:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    data = _fields_doc(tmp_path_factory.mktemp("fields"), counting_server.port)
    assert counting_server.requests == []
    return data


@pytest.fixture(scope="module")
def linking_doc(tmp_path_factory, counting_server) -> bytes:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    data = _linking_doc(tmp_path_factory.mktemp("linking"), counting_server.port)
    assert counting_server.requests == []  # rendering it offline fetched nothing
    return data


def _render_offline(source: Path, out_dir: Path, options: list[str]) -> None:
    """`source` saved as Word 97 into `out_dir`, by a LibreOffice with no network."""
    profile = new_profile()
    try:
        subprocess.run(sandboxed(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
             *options, "--convert-to", "doc:MS Word 97", "--outdir", str(out_dir), str(source)], 2048),
            capture_output=True, timeout=120, check=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _linking_doc(tmp_path: Path, port: int) -> bytes:
    """A Word 97 DOC holding linked (not embedded) images and a linked frame, all
    pointing at the counting server. Rendered offline, so rendering fetches nothing."""
    base = f"http://127.0.0.1:{port}"
    (tmp_path / "linked.html").write_text(
        "<html><body><h1>某某局2023年政府信息公开工作年度报告</h1>"
        f'<p><img src="{base}/image.png" width="40" height="40"></p>'
        f'<table border="1"><tr><td><img src="{base}/cell.png" width="20" height="20"></td>'
        "<td>1</td></tr></table>"
        f'<iframe src="{base}/frame.html" width="200" height="50"></iframe>'
        "</body></html>", encoding="utf-8")
    _render_offline(tmp_path / "linked.html", tmp_path, ["--infilter=HTML (StarWriter)"])
    data = (tmp_path / "linked.doc").read_bytes()
    assert f"127.0.0.1:{port}/image.png".encode() in data  # the link is in the DOC
    return data


@needs_soffice
def test_linked_images_make_libreoffice_fetch_when_not_sandboxed(tmp_path, counting_server, linking_doc):
    """The reproduction: plain soffice requests the linked image while loading the DOC."""
    counting_server.requests.clear()
    (tmp_path / "in.doc").write_bytes(linking_doc)
    profile = tmp_path / "plain-profile"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", "docx", "--outdir", str(tmp_path / "out"), str(tmp_path / "in.doc")],
                   capture_output=True, timeout=120, check=True)
    assert any("/image.png" in request for request in counting_server.requests)


@pytest.mark.parametrize("document", ["linking_doc", "fields_doc"])
def test_parsing_a_doc_with_linked_content_makes_no_request(request, counting_server, document):
    data = request.getfixturevalue(document)
    counting_server.requests.clear()
    report = parse_bytes(data)
    assert report.failure is not None and report.failure.reason == "not_a_report"  # it was read
    assert counting_server.requests == []


@needs_soffice
@pytest.mark.skipif(uno_python() is None, reason="LibreOffice's Python bridge (python3-uno) is not installed")
def test_one_libreoffice_converts_every_document_of_a_run():
    specs = [sample_spec(i, version="v2021", year=2022, agency="某某区教育局") for i in (7, 8)]
    documents = [render_doc(specs[0]), render_wps(specs[1])]
    pids = []
    for spec, data in zip(specs, documents):
        report = parse_bytes(data)
        assert report.failure is None and field_mismatches(report, spec) == []
        pids.append(OFFICE_SERVER.pid)
    assert pids[0] is not None and pids[0] == pids[1]


@needs_soffice
@pytest.mark.skipif(uno_python() is None, reason="LibreOffice's Python bridge (python3-uno) is not installed")
def test_conversion_over_its_time_limit_is_timeout_and_the_next_one_works():
    from parsers.limits import ParseLimits

    spec = sample_spec(7, version="v2021", year=2022, agency="某某区教育局")
    data = render_doc(spec)
    parse_bytes(data)  # LibreOffice is up: the limit below applies to the conversion alone
    report = parse_bytes(data, limits=ParseLimits(convert_timeout_s=0.01))
    assert report.failure is not None and report.failure.reason == "timeout"
    assert OFFICE_SERVER.pid is None  # the stuck LibreOffice was ended, not left running
    after = parse_bytes(data)
    assert after.failure is None and field_mismatches(after, spec) == []


@pytest.mark.skipif(not network_isolation(), reason="no network namespace available (unshare -n / -rn)")
def test_the_converter_sandbox_has_no_network(counting_server):
    """What the sandbox prefix does on this machine (root: unshare -n; others: unshare -rn)."""
    probe = ("import socket, sys\n"
             "try:\n"
             f"    socket.create_connection(('127.0.0.1', {counting_server.port}), timeout=5)\n"
             "except OSError:\n"
             "    sys.exit(0)\n"
             "sys.exit(1)\n")
    counting_server.requests.clear()
    assert subprocess.run(sandboxed([sys.executable, "-c", probe], 1024), timeout=60).returncode == 0
    assert subprocess.run([sys.executable, "-c", probe], timeout=60).returncode == 1  # outside it connects
