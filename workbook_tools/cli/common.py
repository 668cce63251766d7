"""What the commands share: exit codes, the options every dated command takes, the
trackers named or found in folders, and messages on stderr."""

from __future__ import annotations

import shutil
import sys
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple, NoReturn

import click

from workbook_tools import contract as C
from workbook_tools.errors import MissingExtraError, Problem, ProblemsError, WorkbookToolsError
from workbook_tools.files import check_regular_file

#: Exit codes; 2 (usage) is click's own, and also ours for an install that leaves out what a
#: command needs (`errors.MissingExtraError`): a problem with how it was run, not with a file.
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

today_option = click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help="Plan as if today were this date (YYYY-MM-DD); default: the local date.")
#: The most days ahead `--days` looks ("ours": ten years and a few days).
MAX_DAYS = 3660
workers_option = click.option(
    "--workers", type=click.IntRange(min=1), default=None,
    help="Processes to read trackers with (default: the cores available).")


def today_from(value: datetime | None) -> date:
    return value.date() if value else date.today()


def days_ahead(day: date, days: int) -> int:
    """``days``, or fewer when ``day`` is so near 31 Dec 9999 that no date lies that far on."""
    return min(days, (date.max - day).days)


#: C0 and C1 control characters and DEL, but newline and tab, each shown as a backslash and its code
#: in hex: a cell can hold an escape sequence that would recolour or clear the terminal.
_CONTROL = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(code) not in "\n\t"}
#: Unicode's bidirectional embeddings, overrides and isolates (UAX #9), shown as a backslash-u
#: code too: a name holding U+202E would print the rest of the line reversed, and so hide what
#: the line says. (The invisible marks, U+200E and U+200F, are left: right-to-left names use them.)
_CONTROL.update({code: f"\\u{code:04x}" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_ONE_LINE = {**_CONTROL, ord("\n"): "\\n"}


def printable(text: object, one_line: bool = False) -> str:
    """``text`` safe to print: every control character but newline and tab escaped (ESC as
    backslash-x1b); with ``one_line``, newlines too (a message naming a file whose name
    holds one stays one line)."""
    return str(text).translate(_ONE_LINE if one_line else _CONTROL)


def say(text: str, nl: bool = True, one_line: bool = False) -> None:
    """Print on stdout, control characters escaped (`printable`)."""
    click.echo(printable(text, one_line), nl=nl)


def err(text: str) -> None:
    """Print a one-line message on stderr, control characters and newlines escaped."""
    click.echo(printable(text, one_line=True), err=True)


def report_error(exc: WorkbookToolsError) -> None:
    """A library error on stderr: one line per problem of a `ProblemsError`, else its message."""
    if isinstance(exc, ProblemsError):
        report_problems(exc.path, exc.problems)
    else:
        err(str(exc))


def stop_for_extra(exc: MissingExtraError, *then: str) -> NoReturn:
    """A library the command needs is not installed: its message (what needs it, and the pip
    command) and each line of ``then`` on stderr, then exit `EXIT_USAGE`; no traceback."""
    err(str(exc))
    for line in then:
        err(line)
    sys.exit(EXIT_USAGE)


def report_problems(path: object, problems: list[Problem]) -> None:
    """Each problem on stderr, naming the file: ``file: Sheet!Cell: what. Fix: how``."""
    for p in problems:
        err(f"{path}: {p}")


def width(default: int = 120) -> int:
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else default


class TrackerFiles(NamedTuple):
    """The trackers to work on, and whether some path named could not be used (said on stderr)."""

    files: list[Path]
    failed: bool


def unreadable(path: Path) -> str | None:
    """Why the file at ``path`` cannot be read, as a message naming it and the fix; None when
    it can be opened (whether it is a workbook is the reader's to say)."""
    if path.is_dir():
        return f"{path}: is a folder, not a workbook. Fix: name a .xlsx or .xlsm file"
    try:
        check_regular_file(path)
    except WorkbookToolsError as exc:
        return str(exc)
    try:
        with path.open("rb") as fh:
            fh.read(1)
    except FileNotFoundError:
        return f"{path}: does not exist. Fix: check the file name and folder"
    except OSError as exc:
        return f"{path}: cannot be read ({exc.strerror or exc}). Fix: check the file's permissions"
    return None


def tracker_files(paths: tuple[str, ...], output: str | None = None) -> TrackerFiles:
    """The trackers named or found in folders, each once, without the command's own
    output. An empty folder, and a file that cannot be opened, is named on stderr and
    left out (the others are still worked on)."""
    from workbook_tools.app.batch import expand_paths

    files: dict[Path, Path] = {}
    failed = False
    for raw in paths:
        found = expand_paths([raw], skip=[output] if output else [])
        if not found and Path(raw).is_dir():
            failed = True
            if raw.lower().endswith(C.WORKBOOK_SUFFIXES):
                err(f"{raw}: is a folder, not a workbook. Fix: name a .xlsx or .xlsm file")
            else:
                err(f"{raw}: no trackers (.xlsx, .xlsm) in this folder. Fix: name a tracker, or a folder "
                    "that holds some")
        for f in found:
            why = unreadable(f) if f.exists() or f.is_symlink() else None
            if why is not None:
                err(why)
                failed = True
            else:
                files.setdefault(f.resolve(), f)
    return TrackerFiles(list(files.values()), failed)
