"""Retrieval: hybrid lexical + dense search and document routing."""
