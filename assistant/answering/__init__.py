"""Answering: question frame, candidates, scoring, assembly, citations and the LLM chain."""
