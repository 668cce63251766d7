"""The commands over many trackers: calendar and report.

Like the other commands, each parses its options, calls one library function, and
turns problems into messages on stderr (each naming its file) and an exit code:
0 done, 1 a tracker could not be read or has problems (the others are still done),
2 usage.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from workbook_tools.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    err,
    today_from,
    today_option,
    tracker_files,
    width,
    workers_option,
)
from workbook_tools.core.values import count
from workbook_tools.errors import WorkbookToolsError


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The .ics file to write.")
@today_option
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Only calls due within N days (default: every planned call).")
@workers_option
def calendar(paths: tuple[str, ...], output: str, today: datetime | None, days: int | None,
             workers: int | None) -> None:
    """Export the next call of every open row, and the emails due, as an iCalendar file
    (trackers, or folders of them)."""
    if Path(output).suffix.lower() != ".ics":
        raise click.UsageError(f"{output}: the calendar is an iCalendar file; name it .ics")
    from workbook_tools.app.calendar import export_calendar

    files = tracker_files(paths, output)
    try:
        export = export_calendar(files, output, today_from(today), days, workers=workers)
    except (OSError, WorkbookToolsError) as exc:
        err(f"{output}: cannot write the calendar: {exc}" if isinstance(exc, OSError) else str(exc))
        sys.exit(EXIT_PROBLEMS)
    for f in export.files:
        for line in f.problems:
            err(line)
    click.echo(f"{output}: {count(export.calls, 'call')} and {count(export.emails, 'email')}"
               + (f" from {count(len(files), 'tracker')}" if len(files) > 1 else ""))
    sys.exit(EXIT_PROBLEMS if export.failed or not files else EXIT_OK)


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

    files = tracker_files(paths, output)
    rep = make_report(files, today_from(today), workers=workers)
    for s in rep.summaries:
        for line in s.messages:
            err(line)
    click.echo(render_report(rep, width=width()), nl=False)
    if output:
        try:
            write_report(rep, output)
        except OSError as exc:
            err(f"{output}: cannot write the report: {exc.strerror or exc}. Fix: close it in Excel, "
                 "or check that the folder exists")
            sys.exit(EXIT_PROBLEMS)
        click.echo(f"{output}: report written")
    sys.exit(EXIT_OK if rep.ok and files else EXIT_PROBLEMS)
