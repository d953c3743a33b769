"""LibreOffice renders of a spec (PDF, DOC, WPS), cached on disk by a hash of the input."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from parsers.extract.soffice import convert_bytes
from flows.reportgen.docx import render_docx
from flows.reportgen.spec import ReportSpec
from flows.reportgen.wps import with_wps_property

CONVERT_TIMEOUT_S = 120.0
CACHE_FORMAT = "1"  # bump when a renderer changes its output for the same input


def cache_dir() -> Path:
    explicit = os.environ.get("NIANBAO_REPORTGEN_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "nianbao-reportgen" if xdg else Path("/tmp/nianbao-reportgen-cache")


def _cached_convert(data: bytes, source_suffix: str, target: str, out_suffix: str) -> bytes:
    digest = hashlib.sha256(CACHE_FORMAT.encode() + target.encode() + data).hexdigest()
    path = cache_dir() / f"{digest}.{out_suffix}"
    if path.exists():
        return path.read_bytes()
    output = convert_bytes(data, source_suffix=source_suffix, target=target,
                           timeout_s=CONVERT_TIMEOUT_S)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(output)
    partial.replace(path)  # atomic, so parallel test workers never read half a file
    return output


def render_pdf(spec: ReportSpec) -> bytes:
    return _cached_convert(render_docx(spec), "docx", "pdf", "pdf")


def render_doc(spec: ReportSpec) -> bytes:
    return _cached_convert(render_docx(spec), "docx", "doc:MS Word 97", "doc")


def render_wps(spec: ReportSpec) -> bytes:
    """A Word-97 OLE binary carrying WPS Office's build property, as real .wps files do."""
    return _cached_convert(with_wps_property(render_docx(spec)), "docx", "doc:MS Word 97", "wps")


_OWNER_ONLY_ENCRYPTION = (
    'pdf:writer_pdf_Export:{"RestrictPermissions":{"type":"boolean","value":"true"},'
    '"PermissionPassword":{"type":"string","value":"owner-secret"}}'
)


def render_encrypted_pdf(spec: ReportSpec) -> bytes:
    """A PDF encrypted with an owner password only: opens without a password (RC4)."""
    return _cached_convert(render_docx(spec), "docx", _OWNER_ONLY_ENCRYPTION, "pdf")


_OPEN_PASSWORD_ENCRYPTION = (
    'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
    '"DocumentOpenPassword":{"type":"string","value":"open-secret"}}'
)


def render_password_pdf(spec: ReportSpec) -> bytes:
    """A PDF that opens only with a password (which the parser does not have)."""
    return _cached_convert(render_docx(spec), "docx", _OPEN_PASSWORD_ENCRYPTION, "pdf")
