"""The commands on one tracker: new, runner, refresh, check and agenda."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbook_tools import contract as C
from workbook_tools.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    err,
    report_problems,
    today_from,
    today_option,
    tracker_files,
    width,
)
from workbook_tools.core.values import count
from workbook_tools.errors import WorkbookToolsError

if TYPE_CHECKING:  # not imported on start-up
    from workbook_tools.adapters.file import RefreshReport
    from workbook_tools.app.plan import Planned


def _workbook_name(path: str) -> None:
    if not path.lower().endswith(C.WORKBOOK_SUFFIXES):
        raise click.UsageError(f"{path}: a tracker must be named .xlsx or .xlsm")


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--runner", is_flag=True,
              help="Also write the Python file beside it that the xlwings add-in's \"Run main\" imports "
                   "(an .xlsm always gets it).")
def new(path: str, runner: bool) -> None:
    """Write a fresh tracker to PATH (.xlsx, or .xlsm with a Refresh button). Refuses to
    overwrite a file."""
    from workbook_tools.app.new import new_tracker

    _workbook_name(path)
    try:
        made = new_tracker(path, runner)
    except WorkbookToolsError as exc:
        err(str(exc))
        sys.exit(EXIT_PROBLEMS)
    if made.runner is None:
        click.echo(f"{path}: new tracker written. Open it in Excel, add your interviews, then run "
                   f"`workbook-tools refresh {path}`.")
    elif made.macro:
        click.echo(f"{path}: new tracker written, with {made.runner.name} beside it for its Refresh button "
                   "(keep the two together). Open it in Excel, enable macros, add your interviews, "
                   "then click Refresh.")
    else:
        click.echo(f"{path}: new tracker written, with {made.runner.name} beside it for the xlwings add-in "
                   "(keep the two together). Open it in Excel, add your interviews, then click "
                   "xlwings > Run main.")


@click.command("runner")
@click.argument("path", type=click.Path(dir_okay=False))
def runner_command(path: str) -> None:
    """Write, beside the existing tracker PATH, the Python file that the xlwings add-in's
    "Run main" (or an .xlsm's Refresh button) imports. Refuses to overwrite a file."""
    from workbook_tools.app.new import write_runner

    _workbook_name(path)
    try:
        written = write_runner(path)
    except WorkbookToolsError as exc:
        err(str(exc))
        sys.exit(EXIT_PROBLEMS)
    button = "its Refresh button" if path.lower().endswith(".xlsm") else "xlwings > Run main"
    click.echo(f"{written}: written beside {Path(path).name} for {button} (keep the two together, and rename "
               "both together).")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@today_option
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the refreshed tracker here instead of in place (one PATH only).")
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
def refresh(paths: tuple[str, ...], today: datetime | None, output: str | None, dry_run: bool) -> None:
    """Fill in the computed columns of each tracker (or every tracker in a folder)."""
    from workbook_tools.app.refresh import refresh_many

    files = tracker_files(paths, output)
    if output and len(files) != 1:
        raise click.UsageError("--output needs exactly one tracker")
    failed = not files
    for path, done in refresh_many(files, today_from(today), output, dry_run):
        if isinstance(done, str):  # the file as a whole could not be refreshed
            err(done)
            failed = True
            continue
        report_problems(path, done.problems)
        failed |= bool(done.problems)
        for line in _refresh_lines(path, done, dry_run):
            click.echo(line)
    sys.exit(EXIT_PROBLEMS if failed else EXIT_OK)


def _refresh_lines(path: str, report: RefreshReport, dry_run: bool) -> list[str]:
    if dry_run:
        return [f"{path}: would change {count(report.changed, 'cell')} (dry run, nothing written)"] + [
            f"  Interviews!{c.cell}: {_short(c.old)} -> {_short(c.new)}" for c in report.changes]
    summary = ", ".join(f"{report.flags[flag]} {flag.lower()}" for flag in C.FLAGS if report.flags.get(flag))
    where = f" -> {report.output}" if str(report.output) != path else ""
    changed = f"{count(report.changed, 'cell')} changed" if report.changed else "nothing changed"
    return [f"{path}{where}: {count(report.rows, 'row')}, {changed}" + (f" ({summary})" if summary else "")]


def _short(value: object, limit: int = 60) -> str:
    text = "(blank)" if value in (None, "") else str(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _planned_or_exit(path: str, day: date) -> Planned:
    """The tracker read and planned; exit 1, its messages on stderr, when it cannot be read."""
    from workbook_tools.app.plan import Failed, plan_file

    planned = plan_file(path, day)
    if isinstance(planned, Failed):
        err("\n".join(planned.lines))
        sys.exit(EXIT_PROBLEMS)
    return planned


@click.command()
@click.argument("path", type=click.Path())
@today_option
def check(path: str, today: datetime | None) -> None:
    """Validate a tracker without writing; list every problem by sheet and cell."""
    planned = _planned_or_exit(path, today_from(today))
    problems = planned.result.problems
    if problems:
        report_problems(path, problems)
        err(f"{path}: {count(len(problems), 'problem')}")
        sys.exit(EXIT_PROBLEMS)
    click.echo(f"{path}: no problems ({count(sum(1 for r in planned.result.rows if r.flag), 'row')})")


@click.command()
@click.argument("path", type=click.Path())
@today_option
@click.option("--days", type=click.IntRange(min=0), default=0, show_default=True,
              help="Also list calls due in the next N days.")
def agenda(path: str, today: datetime | None, days: int) -> None:
    """Print the calls and emails due, overdue first, with window, contact and script.
    The agenda fits the terminal; when the output is not a terminal, COLUMNS (else 80)."""
    import os

    from workbook_tools.outputs.agenda import agenda_items, piped_width, render_agenda

    day = today_from(today)
    planned = _planned_or_exit(path, day)
    report_problems(path, planned.result.problems)
    items = agenda_items(planned.data, planned.result, day, days)
    click.echo(render_agenda(items, day, width=width(piped_width(os.environ.get("COLUMNS")))), nl=False)
    sys.exit(EXIT_PROBLEMS if planned.result.problems else EXIT_OK)
