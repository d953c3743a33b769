"""Ruling lines of a scanned page: straighten the page, find the table borders, erase them.

Scans come turned by a degree or so; a border that drifts by ten pixels across a table
would split one row border into several, so the page is first turned back by the angle
of its long horizontal lines. Borders are then the long thin runs of dark pixels that
survive a morphological opening with a long horizontal (or vertical) kernel. The text
recogniser gets the page with those borders painted white: digits that touch a border
are otherwise missed by the text detector.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from parsers.extract.pdf_rulings import Segment

MIN_LINE_SHARE = 0.025  # a border is at least this share of the page width long
MIN_LINE_PX = 40  # and never shorter: longer than any stroke of a character
MAX_SKEW_DEG = 5.0
BLOCK = 25  # adaptive threshold neighbourhood, pixels


@dataclass
class RuledPage:
    """A straightened page, its borders (pixel coordinates, y down) and the page without them."""

    image: np.ndarray  # straightened grayscale
    clean: np.ndarray  # straightened, borders painted white
    horizontal: list[tuple[int, int, int, int]]  # x0, y, x1, y (pixels)
    vertical: list[tuple[int, int, int, int]]  # x, y0, x, y1


def ink(gray: np.ndarray) -> np.ndarray:
    """Dark pixels as 255, robust to uneven scan brightness."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                 BLOCK, 15)


def _line_mask(binary: np.ndarray, horizontal: bool) -> np.ndarray:
    height, width = binary.shape
    length = max(MIN_LINE_PX, int(width * MIN_LINE_SHARE))  # page width: rows can be short
    shape = (length, 1) if horizontal else (1, length)
    bridge = (3, 1) if horizontal else (1, 3)  # close gaps left by JPEG and noise
    closed = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, bridge))
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape))


def skew_angle(gray: np.ndarray) -> float:
    """Degrees to turn the page (counter-clockwise) so its long horizontal lines are level."""
    binary = ink(gray)
    width = gray.shape[1]
    # Short kernel: a line turned by 1° still leaves runs this long on each pixel row.
    mask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (30, 1)))
    mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    angles, weights = [], []
    for label in range(1, count):
        x, y, w, h, _area = stats[label]
        if w < width * 0.25:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == label)
        slope = np.polyfit(xs, ys, 1)[0]
        angles.append(np.degrees(np.arctan(slope)))
        weights.append(w)
    if not angles:
        return 0.0
    angle = float(np.average(angles, weights=weights))
    return angle if abs(angle) <= MAX_SKEW_DEG else 0.0


def straighten(gray: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 0.05:
        return gray
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _runs(mask: np.ndarray, horizontal: bool) -> list[tuple[int, int, int, int]]:
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    lines = []
    for label in range(1, count):
        x, y, w, h, _area = stats[label]
        if horizontal:
            lines.append((int(x), int(y + h // 2), int(x + w - 1), int(y + h // 2)))
        else:
            lines.append((int(x + w // 2), int(y), int(x + w // 2), int(y + h - 1)))
    return lines


def ruled_page(gray: np.ndarray) -> RuledPage:
    image = straighten(gray, skew_angle(gray))
    binary = ink(image)
    horizontal = _line_mask(binary, horizontal=True)
    vertical = _line_mask(binary, horizontal=False)
    borders = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))
    clean = image.copy()
    clean[borders > 0] = 255
    return RuledPage(image, clean, _runs(horizontal, True), _runs(vertical, False))


def segments(page: RuledPage, scale: float) -> list[Segment]:
    """Borders as `Segment`s in the PDF convention (points, y growing upwards)."""
    height = page.image.shape[0]
    out = []
    for x0, y0, x1, y1 in page.horizontal + page.vertical:
        out.append(Segment(x0 * scale, (height - max(y0, y1)) * scale,
                           x1 * scale, (height - min(y0, y1)) * scale))
    return out
