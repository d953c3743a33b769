"""Version of the table-mapping parser; bump whenever its output can change."""

PARSER_VERSION: str = "core-1.0"
