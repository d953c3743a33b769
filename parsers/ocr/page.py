"""One scanned page → text boxes as glyphs plus its ruling lines, ready for the table rebuild.

Detection finds most text; a table cell with ink but no detected text (a lone digit
beside a border) is read again on its own crop. Coordinates are turned into the PDF
convention (points, y upwards) so the page goes through the same table rebuild as a
PDF's text layer (parsers.extract.pdf_rulings / pdf_pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from parsers.extract.pdf_rulings import Glyph, Segment, find_tables
from parsers.ocr.engine import TextBox, read_boxes, read_crops
from parsers.ocr.lines import ink, ruled_page, segments

PAGE_WIDTH_PT = 595.0  # pages are scaled to A4 width in points, whatever their dpi
MIN_INK = 12  # dark pixels left in a cell with no text box: something was missed
INSET = 3  # pixels kept off a cell's borders when looking for missed ink
PAD = 4
MIN_BLOB = 6  # pixels: smaller blobs are scanner noise
MIN_CROP_CONFIDENCE = 0.5
LOOKALIKE_DIGITS = {"O": "0", "o": "0", "D": "0", "Q": "0", "U": "0", "u": "0", "I": "1", "l": "1",
                    "|": "1", "i": "1", "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "b": "6",
                    "G": "6", "g": "9", "q": "9"}
DIGIT_LOOKALIKES = frozenset("0123456789.,") | frozenset(LOOKALIKE_DIGITS)
MAX_DIGITS = 8
WORD = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


@dataclass
class PageReading:
    boxes: list[TextBox]
    segments: list[Segment]
    scale: float  # points per pixel
    height: int  # pixels

    def glyph(self, box: TextBox, text: str) -> Glyph:
        s, h = self.scale, self.height
        return Glyph(text, box.x0 * s, (h - box.y1) * s, box.x1 * s, (h - box.y0) * s)


def read_page(gray: np.ndarray) -> PageReading:
    ruled = ruled_page(gray)
    scale = PAGE_WIDTH_PT / gray.shape[1]
    borders = segments(ruled, scale)
    boxes = read_boxes(ruled.clean)
    boxes += _missed_cells(ruled.clean, boxes, borders, scale)
    return PageReading([_as_digits(box) for box in boxes], borders, scale, gray.shape[0])


def _as_digits(box: TextBox) -> TextBox:
    """Letters that a blurred digit is read as (`II` for 11, `O` for 0), in a box that holds
    nothing else, become digits; the confidence is halved, since the reading is a guess."""
    text = box.text.replace(" ", "")
    if len(text) > MAX_DIGITS or not set(text) <= DIGIT_LOOKALIKES or text.isdigit():
        return box
    if not any(char in LOOKALIKE_DIGITS for char in text):
        return box
    digits = "".join(LOOKALIKE_DIGITS.get(char, char) for char in text)
    return TextBox(digits, box.confidence / 2, box.x0, box.y0, box.x1, box.y1)


def _missed_cells(clean: np.ndarray, boxes: list[TextBox], borders: list[Segment],
                  scale: float) -> list[TextBox]:
    """Table cells where ink is left once every detected box is blanked out."""
    height = clean.shape[0]
    binary = ink(clean)
    for box in boxes:
        binary[int(box.y0):int(box.y1) + 1, int(box.x0):int(box.x1) + 1] = 0
    centres = [((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2) for box in boxes]
    crops, places = [], []
    for table in find_tables(borders):
        xs = [x / scale for x in table.xs]
        ys = [height - y / scale for y in table.ys]  # top to bottom, pixels
        for top, bottom in zip(ys, ys[1:]):
            for left, right in zip(xs, xs[1:]):
                if any(left <= x <= right and top <= y <= bottom for x, y in centres):
                    continue
                found = _ink_box(binary, int(left) + INSET, int(top) + INSET,
                                 int(right) - INSET, int(bottom) - INSET)
                if found is not None:
                    x0, y0, x1, y1 = found
                    crops.append(clean[max(0, y0 - PAD):y1 + PAD, max(0, x0 - PAD):x1 + PAD])
                    places.append(found)
    found_boxes = []
    for (text, confidence), (x0, y0, x1, y1) in zip(read_crops(crops), places):
        # Border remnants and specks read as quotes or dots: keep only real text.
        if confidence >= MIN_CROP_CONFIDENCE and WORD.search(text):
            found_boxes.append(TextBox(text, confidence, x0, y0, x1, y1))
    return found_boxes


def _ink_box(binary: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> tuple[int, int, int, int] | None:
    """The box around the ink blobs of a cell: specks and border remnants (blobs touching
    the cell's edge) left out, so the crop holds the text and not the cell's corners."""
    if x1 <= x0 or y1 <= y0:
        return None
    region = binary[y0:y1, x0:x1]
    if int(np.count_nonzero(region)) < MIN_INK:
        return None
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(region)
    height, width = region.shape
    kept = [stats[label] for label in range(1, count)
            if stats[label][4] >= MIN_BLOB and stats[label][0] > 0 and stats[label][1] > 0
            and stats[label][0] + stats[label][2] < width and stats[label][1] + stats[label][3] < height]
    if sum(int(blob[4]) for blob in kept) < MIN_INK:
        return None
    left = min(int(blob[0]) for blob in kept)
    top = min(int(blob[1]) for blob in kept)
    right = max(int(blob[0] + blob[2]) for blob in kept)
    bottom = max(int(blob[1] + blob[3]) for blob in kept)
    return x0 + left, y0 + top, x0 + right, y0 + bottom
