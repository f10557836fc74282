"""Ingestion: parsers turn sources into records; the writer stores the new ones."""
