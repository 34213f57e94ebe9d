"""Imports point one way: ui -> assistant <- ingest; nothing in assistant/ or ingest/ imports gradio."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_packages_do_not_import_gradio_or_ui() -> None:
    # the CLI is the composition root: it may start the UI (lazily), but never imports gradio itself
    offenders = [
        f"{p.relative_to(ROOT)} imports {bad}"
        for pkg in ("assistant", "ingest")
        for p in (ROOT / pkg).rglob("*.py")
        for bad in _imports(p) & ({"gradio", "gradio_client"} | ({"ui"} if p.name != "cli.py" else set()))
    ]
    assert offenders == []


def test_ingest_does_not_import_eval() -> None:
    offenders = [str(p) for p in (ROOT / "ingest").rglob("*.py") if "eval" in _imports(p)]
    assert offenders == []


def test_importing_modules_does_no_work(tmp_path: Path, monkeypatch) -> None:
    """Importing the core creates no files and loads no model (work happens on first use)."""
    import importlib

    monkeypatch.chdir(tmp_path)
    for module in ("assistant.config", "assistant.store", "assistant.embed", "assistant.retrieve",
                   "assistant.answer", "assistant.extractive", "ingest.pipeline", "assistant.cli"):
        importlib.import_module(module)
    assert list(tmp_path.iterdir()) == []
