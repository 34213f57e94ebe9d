"""File format readers, one module per family; `ingest.load` picks the reader by extension."""
