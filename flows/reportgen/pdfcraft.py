"""Hand-built PDFs for the parser's failure cases: no text layer, unmapped glyphs, slow pages."""

from __future__ import annotations

import zlib


def build_pdf(content: bytes, *, font: bytes | None = None, compress: bool = False) -> bytes:
    """A one-page PDF whose page draws `content`, with an optional font dict as /F1."""
    stream_dict = b"<< /Length %d >>" % len(content)
    if compress:
        content = zlib.compress(content, 9)
        stream_dict = b"<< /Length %d /Filter /FlateDecode >>" % len(content)
    resources = b"<< /Font << /F1 5 0 R >> >>" if font else b"<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources
        + b" /Contents 4 0 R >>",
        stream_dict + b"\nstream\n" + content + b"\nendstream",
    ]
    if font:
        objects.append(font)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def scanned_pdf() -> bytes:
    """Only drawing, no text: what a scanned report looks like to a text extractor."""
    return build_pdf(b"q 0.5 g 50 50 495 742 re f Q 72 720 m 520 720 l S")


def unmapped_glyphs_pdf(count: int = 200) -> bytes:
    """Text in a font whose glyph names map to no Unicode: pdfminer gives (cid:N)."""
    names = b" ".join(b"/g%d" % i for i in range(1, 33))
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding"
            b" /Differences [1 " + names + b"] >> >>")
    codes = bytes(1 + i % 32 for i in range(count)).hex().encode()
    return build_pdf(b"BT /F1 10 Tf 40 800 Td <" + codes + b"> Tj ET", font=font)


def slow_pdf(operations: int = 3_000_000) -> bytes:
    """A page of millions of tiny path operations: small file, long interpretation."""
    return build_pdf(b"0 0 m 1 1 l\n" * operations + b"S", compress=True)
