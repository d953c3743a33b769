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
A4_RATIO = 11.69 / 8.27
LONG_IMAGE = 1.3  # an image more than 1.3 pages high is cut into page-high strips


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


def page_strips(image: np.ndarray) -> Iterator[np.ndarray]:
    """A "long image" (a whole report stacked into one picture) cut into page-high strips,
    each cut at the lightest pixel row near the page height, so that the text detector's
    memory stays that of one page and a cut rarely crosses a line of text."""
    height, width = image.shape
    page = int(width * A4_RATIO)
    top = 0
    while height - top > page * LONG_IMAGE:
        window = image[top + int(page * 0.8): top + int(page * 1.1)]
        cut = top + int(page * 0.8) + int(np.argmax(window.mean(axis=1)))
        yield image[top:cut]
        top = cut
    yield image[top:]


def image_pages(data: bytes, max_pages: int) -> Iterator[np.ndarray]:
    Image.MAX_IMAGE_PIXELS = MAX_PAGE_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1)
        if frames > max_pages:
            raise TooManyPages(f"{frames} frames is over the {max_pages}-page OCR limit")
        for frame in ImageSequence.Iterator(image):
            yield from page_strips(np.array(_legible(frame.convert("L"))))
    except (OSError, Image.DecompressionBombError, ValueError) as error:
        raise BadImage(f"unreadable image ({type(error).__name__}: {str(error)[:120]})") from None
