"""The wheel is the product: installed into a fresh environment (not the editable checkout), it ingests the
sample corpus and answers from it — prompts, vocabulary, the division table, the answer model and the
bundled suites all come from the installed package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False, **kwargs)


def test_the_installed_wheel_ingests_and_answers(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                  "-w", str(wheels), str(ROOT)], cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = wheels.glob("plan_assistant-*.whl")

    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(venv)]).returncode == 0
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # the dependencies come from this environment's site-packages (as a plain path: its .pth files, the
    # editable install among them, are not run); the product itself only from the wheel
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    installed = _run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)])
    assert installed.returncode == 0, installed.stderr[-2000:]

    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "ASSISTANT_DATA_DIR": str(tmp_path / "var"),
           "ASSISTANT_EMBEDDING_BACKEND": "hash"}
    where = _run([str(python), "-c", "import assistant, prompts; print(assistant.__file__, prompts.__file__)"],
                 cwd=tmp_path, env=env)
    assert str(site) in where.stdout and str(ROOT) not in where.stdout, where.stdout + where.stderr

    cli = [str(python), "-m", "assistant.cli"]
    corpus = sorted((ROOT / "data" / "corpus").glob("001_*.txt"))
    ingested = _run([*cli, "ingest", *map(str, corpus)], cwd=tmp_path, env=env)
    assert ingested.returncode == 0, ingested.stdout[-1000:] + ingested.stderr[-2000:]
    asked = _run([*cli, "ask", "2021年城镇新增就业目标是多少？", "--json"], cwd=tmp_path, env=env)
    assert asked.returncode == 0, asked.stderr[-2000:]
    answer = json.loads(asked.stdout)
    assert "4.9万人" in answer["answer"] and answer["citations"] and not answer["abstained"]
    suites = _run([str(python), "-c", "from eval.suite import load_suite; print(len(load_suite('dev').items))"],
                  cwd=tmp_path, env=env)
    assert suites.stdout.strip() == "45", suites.stderr[-1000:]
