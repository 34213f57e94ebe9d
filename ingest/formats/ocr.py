"""OCR of page images with RapidOCR (PP-OCRv4 Chinese models shipped inside its wheel; no downloads)."""

from __future__ import annotations

import functools
import itertools
import logging
from dataclasses import dataclass
from typing import Any

from ingest.formats.common import LoadError

log = logging.getLogger(__name__)
_SAME_LINE = 0.5  # boxes overlapping by half the smaller height sit on one line
_COLUMN_GAP = 2.0  # a gap wider than this many line heights separates table cells


@dataclass
class _Box:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return max(1.0, self.bottom - self.top)


@functools.cache
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise LoadError(f"OCR unavailable: rapidocr-onnxruntime is not installed ({exc.name})") from None
    return RapidOCR()


def ocr_lines(image: Any) -> list[str]:
    """Text lines of an image (PIL), top to bottom; cells far apart on one line are tab-separated."""
    import numpy as np

    # no angle classifier: it turns single upright lines upside down now and then (a line lost
    # whole), and scanned pages have their lines upright
    result, _ = _engine()(np.asarray(image.convert("RGB")), use_cls=False)
    boxes = []
    for points, text, _score in result or []:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        if text.strip():
            boxes.append(_Box(text.strip(), min(xs), min(ys), max(xs), max(ys)))
    return [_join(line) for line in _group_lines(boxes)]


def _group_lines(boxes: list[_Box]) -> list[list[_Box]]:
    """Boxes that overlap vertically form a line; lines in reading order."""
    lines: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        line = lines[-1] if lines else None
        if line is not None:
            top = min(b.top for b in line)
            bottom = max(b.bottom for b in line)
            overlap = min(bottom, box.bottom) - max(top, box.top)
            if overlap >= _SAME_LINE * min(bottom - top, box.height):
                line.append(box)
                continue
        lines.append([box])
    return [sorted(line, key=lambda b: b.left) for line in lines]


def _join(line: list[_Box]) -> str:
    out = line[0].text
    for prev, box in itertools.pairwise(line):
        gap = box.left - prev.right
        if gap > _COLUMN_GAP * min(prev.height, box.height):
            out += "\t"
        elif out[-1:].isascii() and out[-1:].isalnum() and box.text[:1].isascii() and box.text[:1].isalnum():
            out += " "
        out += box.text
    return out
