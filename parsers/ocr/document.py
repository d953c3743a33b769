"""Page readings → the `ExtractedDocument` a text PDF would give, plus where each value came from.

The pages go through the PDF table rebuild (`content_from_pages`), so the mapping to
the schema is the one every other format uses. To know which recognised box each
field came from, the same pages are assembled a second time with every numeric box
replaced by a tracer number (`9` + its box id); the tracer document is mapped the
same way, and a field's tracer text names its boxes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import re
from dataclasses import dataclass

from parsers.extract.pdf_pages import content_from_pages
from parsers.model import ExtractedDocument
from parsers.numbers import is_number_text

if TYPE_CHECKING:
    from parsers.ocr.page import PageReading

TRACER = re.compile(r"9(\d{6})")


@dataclass
class ScannedDocument:
    document: ExtractedDocument
    tracer: ExtractedDocument
    confidence: dict[int, float]  # box id → recognition confidence
    texts: dict[int, str]  # box id → recognised text


def tracer_text(box_id: int) -> str:
    return f"9{box_id:06d}"


def box_ids(tracer: str | None) -> list[int]:
    """The box ids printed in a tracer cell ("9000012", or several when a cell held more)."""
    if not tracer:
        return []
    compact = re.sub(r"\s", "", tracer)
    ids = [int(match) for match in TRACER.findall(compact)]
    return ids if "".join(tracer_text(i) for i in ids) == compact else []


def assemble(pages: list[PageReading], source_format: str) -> ScannedDocument:
    real_pages, tracer_pages = [], []
    confidence: dict[int, float] = {}
    texts: dict[int, str] = {}
    for page in pages:
        real, traced = [], []
        for box in page.boxes:
            real.append(page.glyph(box, box.text))
            if is_number_text(box.text):
                box_id = len(confidence)
                confidence[box_id], texts[box_id] = box.confidence, box.text
                traced.append(page.glyph(box, tracer_text(box_id)))
            else:
                traced.append(page.glyph(box, box.text))
        real_pages.append((real, page.segments))
        tracer_pages.append((traced, page.segments))
    return ScannedDocument(_extracted(real_pages, source_format), _extracted(tracer_pages, source_format),
                           confidence, texts)


def _extracted(pages, source_format: str) -> ExtractedDocument:
    content = content_from_pages(pages)
    return ExtractedDocument(
        text="\n".join(content.lines),
        tables=content.tables,
        title=content.title,
        source_format=source_format,
        extraction_style="other",
        page_count=content.page_count,
    )
