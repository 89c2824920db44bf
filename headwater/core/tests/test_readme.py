"""The README's "what a fresh machine needs" is one line to copy and paste, and it names every
Debian package that CI installs on a machine that lacks it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def fresh_machine_section() -> str:
    text = (ROOT / "README.md").read_text()
    start = text.index("## What a fresh machine needs")
    return text[start : text.index("\n## ", start + 1)]


def test_a_fresh_machine_needs_one_copy_paste_apt_get_line():
    commands = re.findall(r"^```sh\n(.*?)\n```", fresh_machine_section(), re.M | re.S)

    assert len(commands) == 1
    assert "\n" not in commands[0]
    assert re.search(r"sudo apt-get install -y( [a-z0-9.+-]+)+$", commands[0])


def test_the_line_installs_every_package_ci_installs():
    [command] = re.findall(r"^```sh\n(.*?)\n```", fresh_machine_section(), re.M | re.S)
    line = set(command.split("install -y", 1)[1].split())
    ci = {
        package
        for group in re.findall(r"missing\+=\(([^)]*)\)", (ROOT / ".ci" / "run").read_text())
        for package in group.split()
    }

    assert ci
    assert ci - line == set()
