"""The README stays in step with the code: its commands exist and its demo runs."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from workbook_tools import contract as C
from workbook_tools.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def block_after(marker: str) -> str:
    m = re.search(re.escape(marker) + r"\s*```sh\n(.+?)\n```", README, re.S)
    assert m, f"README.md has no ```sh block after {marker}"
    return m.group(1)


def test_the_two_setup_commands_are_there():
    demo = block_after("<!-- ci:demo -->")
    assert "sample_data/tracker.xlsx" in demo and "--output out/" in demo and "agenda" in demo
    assert "pytest" in block_after("<!-- ci:test -->")
    assert "<!-- ci:test -->" in (ROOT / ".ci" / "run").read_text()


def test_every_command_is_documented_with_an_example():
    for name in main.commands:
        assert f"workbook-tools {name}" in README, name


def test_every_sheet_and_outcome_is_documented():
    text = " ".join(README.split())
    for sheet in C.SHEET_ORDER:
        assert f"**{sheet}**" in text, sheet
    for outcome in C.OUTCOMES:
        assert f"`{outcome}`" in text, outcome
    for header in C.OWNED_COLUMNS:
        assert f"`{header}`" in text, header


def test_the_demo_runs(tmp_path, monkeypatch):
    """The demo's refresh and agenda, run the way the README runs them (in-process)."""
    demo = block_after("<!-- ci:demo -->")
    monkeypatch.chdir(ROOT)
    out = tmp_path / "tracker.xlsx"
    for part in demo.split("&&"):
        part = part.strip()
        if part.startswith(".venv/bin/workbook-tools"):
            args = part.split()[1:]
            args = [str(out) if a == "out/tracker.xlsx" else a for a in args]
            result = CliRunner().invoke(main, args, catch_exceptions=False)
            assert result.exit_code == 0, result.stderr
    assert out.exists()


def test_how_it_is_built_lists_every_module_where_it_is():
    """The tree in "How it is built" names each folder of the package with exactly its
    modules, and the modules at the top."""
    block = re.search(r"## How it is built\s*```text\n(.+?)\n```", README, re.S)
    assert block, "README.md's How it is built has no ```text tree"
    package = ROOT / "workbook_tools"
    listed: dict[str, set[str]] = {"": set()}
    folders: list[str] = []
    for line in block.group(1).splitlines()[1:]:
        depth = (len(line) - len(line.lstrip())) // 2
        words = line.split()
        if words[0].endswith("/"):
            folders = folders[:depth - 1] + [words[0].rstrip("/")]
            names = {w for w in words[1:] if re.fullmatch(r"\w+", w)}
            listed["/".join(folders)] = names
        else:
            listed[""] |= {w.removesuffix(".py") for w in words if w.endswith(".py")}
    for folder, names in listed.items():
        modules = {p.stem for p in (package / folder).glob("*.py")}
        assert names == (modules - {"__init__"} if folder else modules), folder or "workbook_tools/"
    subpackages = {str(p.parent.relative_to(package)) for p in package.rglob("__init__.py") if p.parent != package}
    assert subpackages == set(listed) - {""}
