"""Briefings: topic frame, gathering, selection and rendering."""
