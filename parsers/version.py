"""Version of the table-mapping parser; bump whenever its output can change."""

PARSER_VERSION: str = "core-1.3"  # 1.2: labels placed by position, messy heads, legacy by year and labels, flattened rows, page-break headers; 1.3: OCR of scans
