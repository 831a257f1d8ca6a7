"""Exports: the draft plan as documents (DOCX, PDF, Markdown) and data (XLSX, CSV, JSON)."""
