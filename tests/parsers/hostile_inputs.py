"""Small-on-disk documents that cost a parser gigabytes or minutes (issue 13), built in memory."""

from __future__ import annotations

import io
import zipfile
import zlib

from flows.reportgen.pdfcraft import build_pdf

CHUNK = 16 * 1024 * 1024


def _deflated_zeros(expanded_mb: int) -> bytes:
    """A zlib stream of `expanded_mb` MB of zeros, made without compressing them all:
    after a full flush every 16 MB chunk compresses to the same bytes, so one is repeated."""
    zeros = bytes(CHUNK)
    compressor = zlib.compressobj(9)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    steady = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    chunks = expanded_mb * 1024 * 1024 // CHUNK
    checksum = ((chunks * CHUNK) % 65521) << 16 | 1  # Adler-32 of n zero bytes: a = 1, b = n
    final_empty_block = b"\x03\x00"
    return first + steady * (chunks - 1) + final_empty_block + checksum.to_bytes(4, "big")


def flate_bomb_pdf(expanded_mb: int = 1024) -> bytes:
    """A one-page PDF whose content stream inflates ~1000-fold (1 GB from ~1 MB)."""
    stream = _deflated_zeros(expanded_mb)
    pdf = build_pdf(b"")
    head, tail = pdf.split(b"<< /Length 0 >>\nstream\n\nendstream", 1)
    body = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"
    # Rebuild with correct offsets: only the startxref value moves.
    fixed = head + body + tail
    xref_at = fixed.rindex(b"xref\n")
    return fixed[:fixed.rindex(b"startxref\n")] + b"startxref\n%d\n%%%%EOF\n" % xref_at


def many_text_operators_pdf(operators: int = 3_000_000) -> bytes:
    """Millions of one-character `Tj` operators: each becomes an object in the reader."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    return build_pdf(b"BT /F1 1 Tf 10 10 Td\n" + b"(a) Tj\n" * operators + b"ET", font=font, compress=True)


def huge_xml_docx(xml_mb: int = 63) -> bytes:
    """A DOCX whose document.xml is tens of MB of tiny paragraphs (a ~200 KB file)."""
    paragraph = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    count = xml_mb * 1024 * 1024 // len(paragraph)
    xml = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w='
           b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           + paragraph * count + b"</w:body></w:document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns='
                         '"http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def huge_html(chars: int = 45_000_000) -> bytes:
    row = b"<tr><td>1</td><td>2</td></tr>"
    return b"<html><body><table>" + row * (chars // len(row)) + b"</table></body></html>"
