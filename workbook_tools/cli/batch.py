"""The commands over many trackers: calendar and report.

Like the other commands, each parses its options, calls one library function, and
turns problems into messages on stderr (each naming its file) and an exit code:
0 done, 1 a tracker could not be read or has problems (the others are still done),
2 usage, or (report) an install without pandas, the `pandas` extra.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from workbook_tools.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    MAX_DAYS,
    days_ahead,
    err,
    report_error,
    say,
    stop_for_extra,
    today_from,
    today_option,
    tracker_files,
    width,
    workers_option,
)
from workbook_tools.core.values import count
from workbook_tools.errors import MissingExtraError, WorkbookToolsError


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The .ics file to write.")
@today_option
@click.option("--days", type=click.IntRange(min=0, max=MAX_DAYS), default=None,
              help=f"Only calls due within N days, at most {MAX_DAYS} (default: every planned call).")
@workers_option
def calendar(paths: tuple[str, ...], output: str, today: datetime | None, days: int | None,
             workers: int | None) -> None:
    """Export the next call of every open row, and the emails due, as an iCalendar file
    (trackers, or folders of them)."""
    if Path(output).suffix.lower() != ".ics":
        raise click.UsageError(f"{output}: the calendar is an iCalendar file; name it .ics")
    from workbook_tools.app.calendar import export_calendar

    files, unread = tracker_files(paths, output)
    day = today_from(today)
    try:
        export = export_calendar(files, output, day, None if days is None else days_ahead(day, days),
                                 workers=workers)
    except (OSError, WorkbookToolsError) as exc:
        err(f"{output}: cannot write the calendar: {exc}" if isinstance(exc, OSError) else str(exc))
        sys.exit(EXIT_PROBLEMS)
    for f in export.files:
        for line in f.problems:
            err(line)
    say(f"{output}: {count(export.calls, 'call')} and {count(export.emails, 'email')}"
        + (f" from {count(len(files), 'tracker')}" if len(files) > 1 else "")
        + (f"; {count(export.cancelled, 'event')} no longer planned, sent as cancelled" if export.cancelled else ""))
    sys.exit(EXIT_PROBLEMS if export.failed or unread or not files else EXIT_OK)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@today_option
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Also write the report as a workbook with charts (.xlsx).")
@workers_option
def report(paths: tuple[str, ...], today: datetime | None, output: str | None, workers: int | None) -> None:
    """Counts per tracker, reach rate by attempt and the funnel, across trackers or
    folders of them."""
    if output and Path(output).suffix.lower() != ".xlsx":
        raise click.UsageError(f"{output}: the report is a workbook; name it .xlsx")
    from workbook_tools.app.report import make_report, write_report
    from workbook_tools.outputs.report import render_report

    files, unread = tracker_files(paths, output)
    try:
        rep = make_report(files, today_from(today), workers=workers)
    except MissingExtraError as exc:  # the tables are pandas'
        stop_for_extra(exc)
    except WorkbookToolsError as exc:  # a file that stops the reader itself
        report_error(exc)
        sys.exit(EXIT_PROBLEMS)
    for s in rep.summaries:
        for line in s.messages:
            err(line)
    say(render_report(rep, width=width()), nl=False)
    if output:
        try:
            write_report(rep, output, [*files, *paths])
        except WorkbookToolsError as exc:
            report_error(exc)
            sys.exit(EXIT_PROBLEMS)
        say(f"{output}: report written", one_line=True)
    sys.exit(EXIT_OK if rep.ok and files and not unread else EXIT_PROBLEMS)
