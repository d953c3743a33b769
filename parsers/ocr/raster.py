"""Scanned documents → grayscale page images: PDF pages rendered by PDFium, image files decoded.

Image-only PDFs are rendered at OCR_DPI (chosen by measurement, see README). JPG, PNG,
TIFF (every frame) and the other image types are decoded as they are.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import numpy as np
from PIL import Image, ImageSequence

OCR_DPI = 150
MAX_PAGE_PIXELS = 40_000_000  # one page image; more is a decompression bomb or a poster
MIN_WIDTH = round(8.27 * OCR_DPI)  # an A4 page's width at OCR_DPI, in pixels
MAX_UPSCALE = 2.0


class TooManyPages(Exception):
    pass


class BadImage(Exception):
    pass


def pdf_pages(data: bytes, max_pages: int) -> Iterator[np.ndarray]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise BadImage(f"unreadable PDF ({error})") from None
    try:
        if len(document) > max_pages:
            raise TooManyPages(f"{len(document)} pages is over the {max_pages}-page OCR limit")
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            scale = OCR_DPI / 72
            if width * height * scale * scale > MAX_PAGE_PIXELS:
                scale = (MAX_PAGE_PIXELS / (width * height)) ** 0.5
            bitmap = page.render(scale=scale, grayscale=True)
            yield np.array(bitmap.to_pil().convert("L"))
    finally:
        document.close()


def _legible(image: Image.Image) -> Image.Image:
    """Scale a low-resolution image up to about OCR_DPI across an A4 width: small digits
    scanned at 100 dpi are read far better once enlarged."""
    if image.width >= MIN_WIDTH:
        return image
    factor = min(MAX_UPSCALE, MIN_WIDTH / image.width)
    if image.width * image.height * factor * factor > MAX_PAGE_PIXELS:
        return image
    return image.resize((round(image.width * factor), round(image.height * factor)), Image.Resampling.BICUBIC)


def image_pages(data: bytes, max_pages: int) -> Iterator[np.ndarray]:
    Image.MAX_IMAGE_PIXELS = MAX_PAGE_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1)
        if frames > max_pages:
            raise TooManyPages(f"{frames} frames is over the {max_pages}-page OCR limit")
        for frame in ImageSequence.Iterator(image):
            yield np.array(_legible(frame.convert("L")))
    except (OSError, Image.DecompressionBombError, ValueError) as error:
        raise BadImage(f"unreadable image ({type(error).__name__}: {str(error)[:120]})") from None
