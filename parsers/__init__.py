"""Turn report documents (HTML, PDF, DOCX, DOC, WPS, text) into schema records."""
