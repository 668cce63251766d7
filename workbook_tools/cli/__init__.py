"""The `workbook-tools` command: each command parses its options, calls one library
function, and turns the library's errors into a message on stderr and an exit code.

Exit codes: 0 done, 1 problems in the data or the file, 2 usage.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbook_tools import contract as C
from workbook_tools.cli.batch import calendar, report
from workbook_tools.cli.common import EXIT_OK, EXIT_PROBLEMS, today_option, tracker_files
from workbook_tools.cli.common import count as _count
from workbook_tools.cli.common import err as _err
from workbook_tools.cli.common import today_from as _today
from workbook_tools.cli.common import width as _width
from workbook_tools.errors import Problem, ProblemsError, WorkbookToolsError
from workbook_tools.core.model import Result, TrackerData

if TYPE_CHECKING:
    from workbook_tools.adapters.file import RefreshReport

def _report_problems(path: object, problems: list[Problem]) -> None:
    for p in problems:
        _err(f"{path}: {p}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="workbook-tools")
def main() -> None:
    """A job-search follow-up tracker in an Excel workbook: when to call next, what to
    say, and what is overdue."""


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--runner", is_flag=True,
              help="Also write the Python file beside it that the xlwings add-in's \"Run main\" imports "
                   "(an .xlsm always gets it).")
def new(path: str, runner: bool) -> None:
    """Write a fresh tracker to PATH (.xlsx, or .xlsm with a Refresh button). Refuses to
    overwrite a file."""
    from workbook_tools.template.workbook import build_tracker

    target = Path(path)
    if target.suffix.lower() not in C.WORKBOOK_SUFFIXES:
        raise click.UsageError(f"{path}: a tracker must be named .xlsx or .xlsm")
    if target.exists():
        _err(f"{path}: already exists; not overwritten. Fix: choose another name, or move the old file away")
        sys.exit(EXIT_PROBLEMS)
    if not target.parent.exists():
        _err(f"{path}: the folder {target.parent} does not exist. Fix: create it first")
        sys.exit(EXIT_PROBLEMS)
    macro = target.suffix.lower() == ".xlsm"
    if macro or runner:
        from workbook_tools.template.macro import new_tracker_with_runner

        try:
            files = new_tracker_with_runner(target)
        except WorkbookToolsError as exc:
            _err(str(exc))
            sys.exit(EXIT_PROBLEMS)
        if macro:
            click.echo(f"{path}: new tracker written, with {files[1].name} beside it for its Refresh button "
                       "(keep the two together). Open it in Excel, enable macros, add your interviews, "
                       "then click Refresh.")
        else:
            click.echo(f"{path}: new tracker written, with {files[1].name} beside it for the xlwings add-in "
                       "(keep the two together). Open it in Excel, add your interviews, then click "
                       "xlwings > Run main.")
        return
    build_tracker(target)
    click.echo(f"{path}: new tracker written. Open it in Excel, add your interviews, then run "
               f"`workbook-tools refresh {path}`.")


@main.command("runner")
@click.argument("path", type=click.Path(dir_okay=False))
def runner_command(path: str) -> None:
    """Write, beside the existing tracker PATH, the Python file that the xlwings add-in's
    "Run main" (or an .xlsm's Refresh button) imports. Refuses to overwrite a file."""
    from workbook_tools.template.macro import write_runner

    workbook = Path(path)
    if workbook.suffix.lower() not in C.WORKBOOK_SUFFIXES:
        raise click.UsageError(f"{path}: a tracker must be named .xlsx or .xlsm")
    try:
        written = write_runner(workbook)
    except WorkbookToolsError as exc:
        _err(str(exc))
        sys.exit(EXIT_PROBLEMS)
    button = "its Refresh button" if workbook.suffix.lower() == ".xlsm" else "xlwings > Run main"
    click.echo(f"{written}: written beside {workbook.name} for {button} (keep the two together, and rename "
               "both together).")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@today_option
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the refreshed tracker here instead of in place (one PATH only).")
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
def refresh(paths: tuple[str, ...], today: datetime | None, output: str | None, dry_run: bool) -> None:
    """Fill in the computed columns of each tracker (or every tracker in a folder)."""
    from workbook_tools.app.batch import refresh_many

    files = tracker_files(paths, output)
    if output and len(files) != 1:
        raise click.UsageError("--output needs exactly one tracker")
    failed = not files
    for path, done in refresh_many(files, _today(today), output, dry_run):
        if isinstance(done, str):  # the file as a whole could not be refreshed
            _err(done)
            failed = True
            continue
        _report_problems(path, done.problems)
        failed |= bool(done.problems)
        for line in _refresh_lines(path, done, dry_run):
            click.echo(line)
    sys.exit(EXIT_PROBLEMS if failed else EXIT_OK)


def _refresh_lines(path: str, report: RefreshReport, dry_run: bool) -> list[str]:
    if dry_run:
        return [f"{path}: would change {_count(report.changed, 'cell')} (dry run, nothing written)"] + [
            f"  Interviews!{c.cell}: {_short(c.old)} -> {_short(c.new)}" for c in report.changes]
    summary = ", ".join(f"{report.flags[k]} {k.lower()}" for k in (C.OVERDUE, C.DUE_TODAY, C.UPCOMING, C.WAITING,
                                                                   C.CLOSED) if report.flags.get(k))
    where = f" -> {report.output}" if str(report.output) != path else ""
    changed = f"{_count(report.changed, 'cell')} changed" if report.changed else "nothing changed"
    return [f"{path}{where}: {_count(report.rows, 'row')}, {changed}" + (f" ({summary})" if summary else "")]


def _short(value: object, limit: int = 60) -> str:
    text = "(blank)" if value in (None, "") else str(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _try_load(path: str | Path, today: date) -> tuple[TrackerData, Result] | None:
    """Read and compute one tracker; None, with its problems on stderr, when the file
    as a whole cannot be read."""
    from workbook_tools.core.engine import compute
    from workbook_tools.adapters.file import read_tracker

    try:
        data = read_tracker(path)
    except ProblemsError as err:
        _report_problems(path, err.problems)
        return None
    except WorkbookToolsError as err:
        _err(str(err))
        return None
    return data, compute(data, today)


def _load(path: str, today: date) -> tuple[TrackerData, Result]:
    """Read and compute, or exit 1 with the file's problems."""
    loaded = _try_load(path, today)
    if loaded is None:
        sys.exit(EXIT_PROBLEMS)
    return loaded


@main.command()
@click.argument("path", type=click.Path())
@today_option
def check(path: str, today: datetime | None) -> None:
    """Validate a tracker without writing; list every problem by sheet and cell."""
    _, result = _load(path, _today(today))
    if result.problems:
        _report_problems(path, result.problems)
        _err(f"{path}: {len(result.problems)} problem{'s' if len(result.problems) != 1 else ''}")
        sys.exit(EXIT_PROBLEMS)
    click.echo(f"{path}: no problems ({_count(sum(1 for r in result.rows if r.flag), 'row')})")


@main.command()
@click.argument("path", type=click.Path())
@today_option
@click.option("--days", type=click.IntRange(min=0), default=0, show_default=True,
              help="Also list calls due in the next N days.")
def agenda(path: str, today: datetime | None, days: int) -> None:
    """Print the calls and emails due, overdue first, with window, contact and script."""
    from workbook_tools.outputs.agenda import agenda_items, render_agenda

    day = _today(today)
    data, result = _load(path, day)
    _report_problems(path, result.problems)
    click.echo(render_agenda(agenda_items(data, result, day, days), day, width=_width(140)), nl=False)
    sys.exit(EXIT_PROBLEMS if result.problems else EXIT_OK)


main.add_command(calendar)
main.add_command(report)
