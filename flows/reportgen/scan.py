"""Scanned-looking renders of a spec: grayscale JPEG pages, image-only PDFs, JPG attachments.

A scan is the LibreOffice PDF rasterised (pdftoppm), turned by a small angle, blurred,
sprinkled with noise and saved as JPEG at 100–150 dpi, as office scanners do. The
distortion is seeded by the spec, so a scan is reproducible; results are cached on
disk beside the other LibreOffice renders (see convert.py).
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from flows.reportgen.convert import cache_dir, render_pdf
from flows.reportgen.spec import ReportSpec

SCAN_FORMAT = "1"  # bump when the scan distortion changes
RASTER_DPI = 300  # rendered sharp, then shrunk to the scan's resolution
RASTER_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class ScanStyle:
    """How rough a scan is. `angle` in degrees (positive turns counter-clockwise)."""

    dpi: int = 120
    angle: float = 0.6
    blur: float = 0.5  # Gaussian radius in pixels at the scan's resolution
    noise: float = 8.0  # standard deviation of the gray-level noise
    quality: int = 75  # JPEG quality

    def key(self) -> str:
        return f"{self.dpi}-{self.angle:.3f}-{self.blur:.2f}-{self.noise:.1f}-{self.quality}"


def style_for(seed: int) -> ScanStyle:
    """A seeded style within the fixtures' range: 100–150 dpi, ±1°, light blur and noise."""
    rng = random.Random(f"scan-{seed}")
    return ScanStyle(dpi=rng.choice((100, 120, 150)), angle=round(rng.uniform(-1.0, 1.0), 2),
                     blur=round(rng.uniform(0.3, 0.7), 2), noise=round(rng.uniform(4.0, 10.0), 1))


def scan_pages(spec: ReportSpec, style: ScanStyle) -> list[bytes]:
    """Every page of the report as a grayscale JPEG scan."""
    return _cached(render_pdf(spec), style, "pages", lambda pdf: _scan_pdf_pages(pdf, style))


def scanned_pdf(spec: ReportSpec, style: ScanStyle) -> bytes:
    """An image-only PDF: one JPEG per page, no text layer."""
    return images_to_pdf(scan_pages(spec, style), style.dpi)


def scanned_jpg(spec: ReportSpec, style: ScanStyle) -> bytes:
    """All pages stacked into one tall JPEG, as sites post a report as one long image."""
    pages = [Image.open(io.BytesIO(page)) for page in scan_pages(spec, style)]
    tall = Image.new("L", (max(p.width for p in pages), sum(p.height for p in pages)), 255)
    top = 0
    for page in pages:
        tall.paste(page, (0, top))
        top += page.height
    return _jpeg(tall, style.quality)


def images_to_pdf(jpegs: list[bytes], dpi: int) -> bytes:
    images = [Image.open(io.BytesIO(jpeg)) for jpeg in jpegs]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def blank_scan(dpi: int = 120, seed: int = 0) -> bytes:
    """An unreadable scan: an empty gray page with scanner noise."""
    rng = np.random.default_rng(seed)
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    pixels = np.clip(rng.normal(235, 12, (height, width)), 0, 255).astype(np.uint8)
    return _jpeg(Image.fromarray(pixels, "L"), 70)


def distort(page: Image.Image, style: ScanStyle, seed: int) -> Image.Image:
    """Shrink to the scan's dpi, turn, blur and add noise."""
    scale = style.dpi / RASTER_DPI
    page = page.convert("L").resize((round(page.width * scale), round(page.height * scale)),
                                    Image.Resampling.LANCZOS)
    page = page.rotate(style.angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(style.blur))
    rng = np.random.default_rng(seed)
    pixels = np.asarray(page, dtype=np.float32) + rng.normal(0.0, style.noise, (page.height, page.width))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")


def _scan_pdf_pages(pdf: bytes, style: ScanStyle) -> list[bytes]:
    with tempfile.TemporaryDirectory(prefix="nianbao-scan-") as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(RASTER_DPI), "-gray", "-png", str(source),
                        str(Path(folder) / "page")], check=True, timeout=RASTER_TIMEOUT_S)
        paths = sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        return [_jpeg(distort(Image.open(path), style, number), style.quality)
                for number, path in enumerate(paths)]


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _cached(pdf: bytes, style: ScanStyle, name: str, make) -> list[bytes]:
    digest = hashlib.sha256(f"{SCAN_FORMAT}-{style.key()}-{name}".encode() + pdf).hexdigest()
    folder = cache_dir() / f"scan-{digest}"
    if folder.is_dir():
        return [path.read_bytes() for path in sorted(folder.glob("*.jpg"))]
    pages = make(pdf)
    partial = folder.with_suffix(f".{os.getpid()}.part")
    partial.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(pages):
        (partial / f"{number:03d}.jpg").write_bytes(page)
    try:
        partial.replace(folder)  # atomic, so parallel test workers never read half a scan
    except OSError:  # another worker finished first
        shutil.rmtree(partial, ignore_errors=True)
    return pages
