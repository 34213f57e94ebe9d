"""Where a passage of the cleaned copy is in the user's own file: lines, pages, paragraphs, rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from assistant.models import LoadedText, Location
from ingest.clean import CleanText

Locate = Callable[[int, int, int, int | None], Location]


def locator(loaded: LoadedText, clean: CleanText) -> Locate:
    """A function from a passage of the cleaned lines (first and last line, 0-based; the start offset in
    the first and end offset in the last, None for its end) to its Location in the file."""
    member = loaded.properties.get("member")

    def locate(first: int, last: int, start_char: int = 0, end_char: int | None = None) -> Location:
        end_char = len(clean.lines[last]) if end_char is None else end_char
        start = clean.loaded_line(first, start_char)
        end = clean.loaded_line(last, max(0, end_char - 1))
        if loaded.origins is not None:
            where = Location.spanning(loaded.origins[start : end + 1])
        elif loaded.page_of_line:
            pages = loaded.page_of_line[start : end + 1]
            where = Location(page_start=min(pages), page_end=max(pages))
        elif loaded.kind in ("txt", "md"):
            where = Location(line_start=start + 1, line_end=end + 1)  # loaded line n is the file's line n+1
        else:
            where = Location()  # an HTML page has no lines or pages a reader can go to
        return replace(where, member=member) if member else where

    return locate
