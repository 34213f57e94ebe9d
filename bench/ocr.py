"""OCR speed and accuracy: a two-page scanned PDF rendered from known Chinese text, read by the PDF loader.

.venv/bin/python bench/ocr.py                     # default: OCR at 150 dpi, pages scanned at 200 dpi
.venv/bin/python bench/ocr.py --dpi 150 200 300   # compare rendering resolutions

The text is real plan prose from the sample corpus, drawn with a CJK font found on the machine
(fonts-wqy-microhei) as a 200 dpi A4 scan would show it. Character error rate = edit distance
between the OCR text and the drawn text / length of the drawn text, whitespace ignored and both
NFKC-normalised (the recogniser writes a half-width "," in Chinese text as "，": no reader's loss);
"raw CER" skips the normalisation. Target: CER <= 2%. Characters/second counts recognised characters over the loader's wall time, engine
start reported separately. On a shared machine the wall time grows with the load; CPU seconds (all
threads) say what the work costs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CER_TARGET = 0.02
SCAN_DPI = 200
A4_MM = (210, 297)


def cjk_font() -> Path:
    """A font with Chinese glyphs, found by fontconfig."""
    out = subprocess.run(["fc-list", ":lang=zh", "file"], check=False, capture_output=True, text=True).stdout
    for line in out.splitlines():
        path = Path(line.split(":")[0].strip())
        if path.suffix.lower() in (".ttf", ".ttc", ".otf") and path.exists():
            return path
    sys.exit("no CJK font found: apt-get install fonts-wqy-microhei")


def known_text(chars: int) -> list[str]:
    """Body paragraphs of the sample corpus (no tables), about `chars` characters."""
    paragraphs, total = [], 0
    for path in sorted((ROOT / "data" / "corpus").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            line = line.strip()
            if len(line) >= 40 and "\t" not in line and total < chars:
                paragraphs.append(line)
                total += len(line)
    return paragraphs


def scanned_pdf(path: Path, paragraphs: list[str], font_path: Path, pages: int) -> list[str]:
    """Draw the paragraphs on A4 pages at 200 dpi (12 pt text), save them as an image-only PDF."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = (round(mm / 25.4 * SCAN_DPI) for mm in A4_MM)
    size = round(12 / 72 * SCAN_DPI)  # 12 pt
    font = ImageFont.truetype(str(font_path), size)
    margin = round(25 / 25.4 * SCAN_DPI)
    per_line = (width - 2 * margin) // size
    lines = [part for p in paragraphs for part in textwrap.wrap(p, per_line)]
    per_page = (height - 2 * margin) // round(size * 1.6)
    lines = lines[: per_page * pages]
    images = []
    for n in range(pages):
        image = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(image)
        for k, line in enumerate(lines[n * per_page : (n + 1) * per_page]):
            draw.text((margin, margin + k * round(size * 1.6)), line, font=font, fill=0)
        images.append(image)
    images[0].save(path, save_all=True, append_images=images[1:], resolution=SCAN_DPI)
    return lines


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two strings."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, nargs="+", default=[150], help="OCR rendering resolutions to try")
    parser.add_argument("--pages", type=int, default=2)
    args = parser.parse_args()

    from ingest.formats.ocr import _engine
    from ingest.load import LoadOptions, load_file

    font = cjk_font()
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        pdf = Path(tmp) / "scan.pdf"
        drawn = scanned_pdf(pdf, known_text(4000), font, args.pages)
        raw_reference = "".join("".join(drawn).split())
        reference = unicodedata.normalize("NFKC", raw_reference)
        started = time.perf_counter()
        _engine()
        engine_s = time.perf_counter() - started
        print(f"font: {font}; {args.pages} pages scanned at {SCAN_DPI} dpi, {len(reference)} characters drawn")
        print(f"cores: {os.cpu_count()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"OCR engine start: {engine_s:.2f} s")
        print(f"{'dpi':>5}{'seconds':>10}{'CPU s':>8}{'s/page':>9}{'chars/s':>9}{'CER':>8}{'raw CER':>9}"
              f"  target CER <= {CER_TARGET:.0%}")
        for dpi in args.dpi:
            started, cpu = time.perf_counter(), time.process_time()
            loaded = load_file(pdf, max_bytes=1 << 30, options=LoadOptions(ocr=True, ocr_dpi=dpi))
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            raw_found = "".join(loaded.text.split())
            found = unicodedata.normalize("NFKC", raw_found)
            cer = edit_distance(found, reference) / len(reference)
            raw_cer = edit_distance(raw_found, raw_reference) / len(raw_reference)
            verdict = "ok" if cer <= CER_TARGET else "MISSED"
            print(
                f"{dpi:>5}{seconds:>10.1f}{cpu:>8.1f}{seconds / args.pages:>9.1f}{len(found) / seconds:>9.1f}"
                f"{cer:>8.2%}{raw_cer:>9.2%}  {verdict}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
