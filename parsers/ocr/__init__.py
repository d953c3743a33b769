"""Read scanned reports (image-only PDFs, JPG/PNG/TIFF images) offline on CPU.

raster: pages to grayscale images; lines: straighten, find and erase ruling lines;
engine: RapidOCR text boxes; page: boxes and borders of one page; document: pages to
the ExtractedDocument a text PDF would give (same table rebuild and mapping); trust:
cell states and the one-digit repair; worker: the child process with time and memory
limits; read: the entry point used by parsers.api.
"""
