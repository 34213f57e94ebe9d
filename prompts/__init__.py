"""Prompt files (one per prompt, Chinese), shipped as package data and rendered by assistant.prompts."""
