"""What the commands share: exit codes, the options every dated command takes, the
trackers named or found in folders, and messages on stderr."""

from __future__ import annotations

import shutil
import sys
from datetime import date, datetime
from pathlib import Path

import click

from workbook_tools.errors import Problem

#: Exit codes; 2 (usage) is click's own.
EXIT_OK, EXIT_PROBLEMS = 0, 1

today_option = click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help="Plan as if today were this date (YYYY-MM-DD); default: the local date.")
workers_option = click.option(
    "--workers", type=click.IntRange(min=1), default=None,
    help="Processes to read trackers with (default: the cores available).")


def today_from(value: datetime | None) -> date:
    return value.date() if value else date.today()


def err(text: str) -> None:
    click.echo(text, err=True)


def report_problems(path: object, problems: list[Problem]) -> None:
    """Each problem on stderr, naming the file: ``file: Sheet!Cell: what. Fix: how``."""
    for p in problems:
        err(f"{path}: {p}")


def width(default: int = 120) -> int:
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else default


def tracker_files(paths: tuple[str, ...], output: str | None = None) -> list[Path]:
    """The trackers named or found in folders, each once, without the command's own
    output; an empty folder is named on stderr."""
    from workbook_tools.app.batch import expand_paths

    files: dict[Path, Path] = {}
    for raw in paths:
        found = expand_paths([raw], skip=[output] if output else [])
        if not found and Path(raw).is_dir():
            err(f"{raw}: no trackers (.xlsx, .xlsm) in this folder")
        for f in found:
            files.setdefault(f.resolve(), f)
    return list(files.values())
