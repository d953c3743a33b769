"""Version of the table-mapping parser; bump whenever its output can change."""

PARSER_VERSION: str = "core-1.2"  # 1.1: townships and street offices are government_own; 1.2: OCR of scans
