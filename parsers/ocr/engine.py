"""The text recogniser: RapidOCR (PP-OCRv4 detection and recognition on ONNX Runtime).

`rapidocr-onnxruntime` 1.4 ships its models inside the wheel, so nothing is downloaded
at run time (the newer `rapidocr` 3.x fetches models on first use). One engine per
process, on one thread: a nightly run shares its cores with other work.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

# Recognition pads every crop to at least this width (pixels at height 48). The
# package's default, 320, makes a one-digit cell cost as much as a long line; table
# cells are short, and long lines still get their own width.
REC_MIN_WIDTH = 48
REC_BATCH = 16
# RapidOCR shrinks larger images to this side (default 2000): a tall "long image" of a
# whole report would shrink its text below legibility. Page size is bounded in raster.py.
MAX_SIDE = 30000


@dataclass(frozen=True)
class TextBox:
    """One recognised line of text in pixel coordinates (y down)."""

    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float


@cache
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, use_cls=False,
                    rec_img_shape=[3, 48, REC_MIN_WIDTH], rec_batch_num=REC_BATCH,
                    max_side_len=MAX_SIDE)


def read_boxes(image: np.ndarray) -> list[TextBox]:
    """Detect and recognise every text line of a grayscale page."""
    result, _elapsed = _engine()(_bgr(image))
    boxes = []
    for points, text, confidence in result or []:
        xs = [point[0] for point in points]
        ys = [point[1] for point in points]
        if text.strip():
            boxes.append(TextBox(text.strip(), float(confidence), min(xs), min(ys), max(xs), max(ys)))
    return boxes


def read_crops(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Recognise crops that each hold one line of text (no detection step), in one batch."""
    if not crops:
        return []
    results, _elapsed = _engine().text_rec([_bgr(crop) for crop in crops], False)
    return [(str(text).strip(), float(confidence)) for text, confidence, *_ in results]


def _bgr(image: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.stack([image] * 3, axis=-1))
