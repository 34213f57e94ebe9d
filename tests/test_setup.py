"""scripts/system-packages.sh: the apt branch runs whenever a package is missing, as root and through sudo.

apt-get, sudo, id, fc-list and dpkg-query are stand-ins on PATH that record how they were called, so both
code paths run here on every test run (a fresh machine as root once failed on an empty $SUDO).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "system-packages.sh"

FAKES = {
    # apt-get records its arguments and whether DEBIAN_FRONTEND reached it
    "apt-get": 'echo "apt-get $* DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-unset}" >> "$CALLS"',
    "sudo": 'echo "sudo $*" >> "$CALLS"; exec "$@"',
    "id": 'if [ "${1:-}" = "-u" ]; then echo "$FAKE_UID"; else /usr/bin/id "$@"; fi',
    "fc-list": 'if [ -n "${FAKE_FONTS:-}" ]; then echo "/usr/share/fonts/wqy-microhei.ttc: WenQuanYi Micro Hei"; fi',
    "dpkg-query": "exit 1",
}


@pytest.fixture
def machine(tmp_path: Path):
    """Run the script on a simulated machine; returns (exit code, output, recorded calls)."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    for name, body in FAKES.items():
        path = fake_bin / name
        path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        path.chmod(0o755)
    tools = tmp_path / "tools"  # the real commands the script needs, and nothing else (no real sudo)
    tools.mkdir()
    for name in ("bash", "date", "dirname", "mkdir", "tail", "grep", "env", "cat"):
        real = next(Path(d) / name for d in ("/usr/bin", "/bin") if (Path(d) / name).exists())
        (tools / name).symlink_to(real)
    calls = tmp_path / "calls.txt"

    def run(*, uid: int, browser: bool = False, fonts: bool = False, sudo: bool = True,
            extra: str = "") -> tuple[int, str, list[str]]:
        calls.write_text("", encoding="utf-8")
        if not sudo:
            (fake_bin / "sudo").unlink(missing_ok=True)
        present = "/bin/sh"  # an executable that exists
        env = {
            "PATH": f"{fake_bin}:{tools}",
            "CALLS": str(calls),
            "FAKE_UID": str(uid),
            "CHROMIUM": present if browser else str(tmp_path / "no-chromium"),
            "CHROMEDRIVER": present if browser else str(tmp_path / "no-chromedriver"),
            "SETUP_LOG": str(tmp_path / "apt.log"),
            "SETUP_EXTRA_PACKAGES": extra,
            "HOME": str(tmp_path),
        }
        if fonts:
            env["FAKE_FONTS"] = "1"
        done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60,
                              check=False)
        return done.returncode, done.stdout + done.stderr, calls.read_text(encoding="utf-8").splitlines()

    return run


def test_as_root_apt_runs_directly_with_its_environment(machine) -> None:
    code, output, calls = machine(uid=0)

    assert code == 0, output
    assert not any(c.startswith("sudo") for c in calls)
    assert calls == [
        "apt-get update -qq DEBIAN_FRONTEND=noninteractive",
        ("apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-wqy-microhei "
         "DEBIAN_FRONTEND=noninteractive"),
    ]
    assert "已安装：chromium chromium-driver fonts-wqy-microhei" in output


def test_as_a_user_apt_runs_through_sudo(machine) -> None:
    code, output, calls = machine(uid=1000, browser=True)

    assert code == 0, output
    assert calls == [
        "sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
        "apt-get update -qq DEBIAN_FRONTEND=noninteractive",
        "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-wqy-microhei",
        "apt-get install -y -qq --no-install-recommends fonts-wqy-microhei DEBIAN_FRONTEND=noninteractive",
    ]


def test_a_named_missing_package_exercises_the_branch_on_a_complete_machine(machine) -> None:
    code, _, calls = machine(uid=0, browser=True, fonts=True, extra="fonts-wqy-zenhei")
    assert code == 0 and calls[-1].startswith("apt-get install -y -qq --no-install-recommends fonts-wqy-zenhei")


def test_nothing_is_installed_when_everything_is_present(machine) -> None:
    code, output, calls = machine(uid=1000, browser=True, fonts=True)
    assert code == 0 and calls == [] and "系统软件包已齐全" in output


def test_without_root_or_sudo_it_says_what_to_install(machine) -> None:
    code, output, calls = machine(uid=1000, sudo=False)
    assert code == 1 and calls == []
    assert "需要 root 权限或 sudo 才能安装：chromium chromium-driver fonts-wqy-microhei" in output
