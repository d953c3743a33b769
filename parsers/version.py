"""Version of the table-mapping parser; bump whenever its output can change."""

PARSER_VERSION: str = "core-1.2"  # 1.2: labels placed by position, messy heads, legacy by year and labels, flattened rows, page-break headers
