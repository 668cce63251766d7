"""The commands on one tracker: new, runner, refresh, check and agenda."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from workbook_tools import contract as C
from workbook_tools.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    MAX_DAYS,
    days_ahead,
    err,
    printable,
    report_error,
    report_problems,
    say,
    today_from,
    today_option,
    tracker_files,
    unreadable,
    width,
)
from workbook_tools.core.values import count
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.files import same_file

if TYPE_CHECKING:  # not imported on start-up
    from workbook_tools.adapters.file import RefreshReport
    from workbook_tools.app.plan import Planned
    from workbook_tools.outputs.agenda import AgendaItem


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
        report_error(exc)
        sys.exit(EXIT_PROBLEMS)
    if made.runner is None:
        say(f"{path}: new tracker written. Open it in Excel, add your interviews, then run "
                   f"`workbook-tools refresh {path}`.")
    elif made.macro:
        say(f"{path}: new tracker written, with {made.runner.name} beside it for its Refresh button "
                   "(keep the two together). Open it in Excel, enable macros, add your interviews, "
                   "then click Refresh.")
    else:
        say(f"{path}: new tracker written, with {made.runner.name} beside it for the xlwings add-in "
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
        report_error(exc)
        sys.exit(EXIT_PROBLEMS)
    button = "its Refresh button" if path.lower().endswith(".xlsm") else "xlwings > Run main"
    say(f"{written}: written beside {Path(path).name} for {button} (keep the two together, and rename "
               "both together).")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@today_option
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the refreshed tracker here instead of in place (one PATH only).")
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
def refresh(paths: tuple[str, ...], today: datetime | None, output: str | None, dry_run: bool) -> None:
    """Fill in the computed columns of each tracker (or every tracker in a folder)."""
    from workbook_tools.app.batch import map_paths
    from workbook_tools.app.refresh import refresh_one

    if output and len(paths) == 1 and same_file(paths[0], output):
        err(f"{output}: is the tracker itself. Fix: leave out --output to refresh it in place, or name another file")
        sys.exit(EXIT_PROBLEMS)
    files, failed = tracker_files(paths, output)
    if output and len(files) + failed != 1:
        raise click.UsageError("--output needs exactly one tracker")
    failed |= not files
    names = [str(p) for p in files]
    done_all = map_paths(refresh_one, names, today_from(today), output, dry_run, label="Refreshing",
                         on_error=_not_refreshed)
    for path, done in zip(names, done_all):
        if isinstance(done, str):  # the file as a whole could not be refreshed
            for line in done.split("\n"):  # the problems, then "not refreshed"
                err(line)
            failed = True
            continue
        report_problems(path, done.problems)
        failed |= bool(done.problems)
        for line in _refresh_lines(path, done, dry_run):
            say(line, one_line=True)
    sys.exit(EXIT_PROBLEMS if failed else EXIT_OK)


def _not_refreshed(path: str, exc: OSError) -> str:
    """The message for a tracker that could not be opened midway (it is left as it was)."""
    return f"{path}: cannot be read ({exc.strerror or exc}). Fix: check the file's permissions; it is unchanged"


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

    why = unreadable(Path(path)) if Path(path).exists() else None
    if why is not None:
        err(why)
        sys.exit(EXIT_PROBLEMS)
    try:
        planned = plan_file(path, day)
    except OSError as exc:  # a file that stops being readable after the check above
        err(f"{path}: cannot be read ({exc.strerror or exc}). Fix: check the file's permissions")
        sys.exit(EXIT_PROBLEMS)
    if isinstance(planned, Failed):
        for line in planned.lines:
            err(line)
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
    say(f"{path}: no problems ({count(sum(1 for r in planned.result.rows if r.flag), 'row')})", one_line=True)


@click.command()
@click.argument("path", type=click.Path())
@today_option
@click.option("--days", type=click.IntRange(min=0, max=MAX_DAYS), default=0, show_default=True,
              help=f"Also list calls due in the next N days (at most {MAX_DAYS}).")
def agenda(path: str, today: datetime | None, days: int) -> None:
    """Print the calls and emails due, overdue first, with window, contact and script.
    The agenda fits the terminal; when the output is not a terminal, COLUMNS (else 80)."""
    import os

    from workbook_tools.outputs.agenda import agenda_items, piped_width, render_agenda

    day = today_from(today)
    planned = _planned_or_exit(path, day)
    report_problems(path, planned.result.problems)
    items = [_printable_item(it) for it in agenda_items(planned.data, planned.result, day, days_ahead(day, days))]
    links = _terminal_has_links()
    text = render_agenda(items, day, width=width(piped_width(os.environ.get("COLUMNS"))), links=links)
    if links:
        _say_with_links(text)
    else:
        say(text, nl=False)
    sys.exit(EXIT_PROBLEMS if planned.result.problems else EXIT_OK)


def _terminal_has_links() -> bool:
    """Whether the agenda's phones and addresses are drawn as hyperlinks: on a terminal
    (not a dumb one); piped output stays plain text."""
    import os

    return sys.stdout.isatty() and os.environ.get("TERM", "") != "dumb"


def _say_with_links(text: str) -> None:
    """Print the agenda with its hyperlink sequences as they are and every other piece of
    it escaped as `say` escapes it (`printable`): no cell's text can end a link or start one."""
    from workbook_tools.outputs.agenda import LINK_SEQUENCE

    pieces = LINK_SEQUENCE.split(text)  # text, sequence, text, ...
    click.echo("".join(piece if i % 2 else printable(piece) for i, piece in enumerate(pieces)), nl=False)


def _printable_item(item: AgendaItem) -> AgendaItem:
    """The item with its texts' control characters escaped before the agenda is laid out
    (escaping after would change the width of what rich measured)."""
    texts: dict[str, Any] = {name: printable(value) for name, value in item._asdict().items() if isinstance(value, str)}
    return item._replace(**texts)
