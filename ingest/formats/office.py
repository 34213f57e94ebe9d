"""Word-binary files (.doc, Kingsoft .wps) through LibreOffice headless, then read as .docx."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ingest.formats.common import OLE_MAGIC, ZIP_MAGIC, LoadError, LoadOptions, Parsed, one_line

INSTALL_HINT = "apt-get install libreoffice-writer-nogui, or bash scripts/setup.sh --office"


def soffice_path() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_word_binary(data: bytes, ext: str, options: LoadOptions) -> Parsed:
    """A .doc/.wps file (or one that is really .docx, RTF or HTML) converted to .docx and read."""
    from ingest.formats.docx import read_docx

    if data.startswith(ZIP_MAGIC):  # saved as .docx under an old name
        return read_docx(data)
    return read_docx(convert(data, ext, "docx", timeout_s=options.convert_timeout_s, infilter=_word_filter(data)))


def _word_filter(data: bytes) -> str | None:
    """The import filter for what the bytes are; LibreOffice would read anything else as plain text."""
    if data.startswith(OLE_MAGIC):
        return "MS Word 97"
    if data.lstrip()[:5] == b"{\\rtf":
        return "Rich Text Format"
    if data.lstrip()[:1] == b"<":  # Word 2003 XML, or a web page saved as .doc: LibreOffice detects which
        return None
    raise LoadError("not a Word document (neither Word 97-2003, RTF nor HTML)")


def convert(data: bytes, ext: str, target: str, *, timeout_s: float, infilter: str | None = None) -> bytes:
    """Convert a document with LibreOffice headless in a private profile; LoadError says why not."""
    soffice = soffice_path()
    if soffice is None:
        raise LoadError(f"cannot read {ext}: LibreOffice is not installed ({INSTALL_HINT})")
    with tempfile.TemporaryDirectory(prefix="assistant-convert-") as tmp:
        work = Path(tmp)
        source = work / f"input{ext}"
        source.write_bytes(data)
        # a profile of its own: concurrent conversions (and a user's open LibreOffice) never share one
        cmd = [
            soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--invisible",
            "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to", target, "--outdir", str(work / "out"), str(source),
        ]
        env = {**os.environ, "HOME": str(work)}  # LibreOffice also writes under $HOME
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True, env=env,
        )
        try:
            out, err = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice starts soffice.bin: end the whole group
            proc.communicate()
            raise LoadError(f"LibreOffice did not finish converting this {ext} file within {timeout_s:g} s") from None
        result = work / "out" / f"input.{target}"
        if proc.returncode != 0 or not result.exists():
            raise LoadError(f"LibreOffice cannot open this {ext} file{_why(data, out + err)}")
        return result.read_bytes()


def _why(data: bytes, output: bytes) -> str:
    """The useful part of LibreOffice's output, if any."""
    messages = [
        line for line in output.decode("utf-8", "replace").splitlines()
        if line.strip() and "javaldx" not in line and not line.startswith("convert ")
    ]
    if messages:
        return f": {one_line(messages[-1], 120)}"
    return ""
