"""Plain text and Markdown: encoding detection (BOM, UTF-8, GB18030, then a detector)."""

from __future__ import annotations

import codecs
import re

from assistant.models import Location
from ingest.formats.common import LoadError, Parsed, normalise

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CONTROL = set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_ANY_BREAK = re.compile("(\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029])")


def read_text(data: bytes) -> Parsed:
    """A text or Markdown file, kept line for line as written."""
    raw = _decode(data)
    lines = normalise(raw).split("\n")
    if not _OTHER_BREAKS.search(raw):
        return Parsed(lines=lines)  # line n is the file's line n+1
    # a form feed or U+2028 breaks a line here, but an editor counts only \n, \r\n and \r
    origins, line = [], 1
    for piece in _ANY_BREAK.split(raw)[1::2] + [""]:
        origins.append(Location(line_start=line, line_end=line))
        line += piece in ("\n", "\r\n", "\r")
    return Parsed(lines=lines, origins=origins)


def decode_text(data: bytes, *, html: bool = False) -> str:
    """Decode bytes: BOM, strict UTF-8, (html meta charset), strict GB18030, near-UTF-8, then a detector."""
    return normalise(_decode(data, html=html))


def _decode(data: bytes, *, html: bool = False) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise LoadError(f"cannot decode text (invalid {codec} after its byte-order mark)") from None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    _reject_binary(data)
    codecs_to_try = ["utf-8"]
    if html:
        meta = re.search(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", data[:4096], re.IGNORECASE)
        if meta:
            declared = meta.group(1).decode("ascii").lower()
            codecs_to_try.append("gb18030" if declared in ("gb2312", "gbk", "x-gbk") else declared)
    codecs_to_try.append("gb18030")
    for codec in codecs_to_try:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    # A UTF-8 file with a stray bad byte (a cut-off copy, say) keeps its text, not a detector's guess.
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= len(lenient) // 1000 + 1 and len(lenient) > 20:
        return lenient
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError("cannot decode text (tried UTF-8, GB18030)")
    return str(best)


def _readable_share(text: str) -> float:
    """Share of characters a Chinese document is made of: CJK ideographs and punctuation, full-width forms,
    printable ASCII and line breaks."""
    if not text:
        return 0.0
    ok = sum(
        "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
        or " " <= c <= "~" or c in "\n\r\t\u201c\u201d\u2018\u2019\u2014\u2026\u00b7"
        for c in text
    )
    return ok / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark (some Windows tools): decoded when one byte order reads as
    Chinese or ASCII text almost throughout. Text in UTF-8 or GB18030 read that way gives code points all over
    the table (a GBK byte pair lands among CJK ideographs less than half of the time), so it is not mistaken."""
    if len(data) < 4 or len(data) % 2:
        return None
    if b"\x00" not in data[:8192]:
        try:
            data.decode("utf-8")
            return None  # valid UTF-8 (ASCII included) is UTF-8
        except UnicodeDecodeError:
            pass
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _readable_share(text[:4096]) >= 0.95:
            return text
    return None


def _reject_binary(data: bytes) -> None:
    head = data[:8192]
    if b"\x00" in head or sum(byte in _CONTROL for byte in head) > 0.05 * len(head):
        raise LoadError("binary file, not text")
