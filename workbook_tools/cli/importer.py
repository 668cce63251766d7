"""The import command: leads from other lists appended to a tracker."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

import click

from workbook_tools import contract as C
from workbook_tools.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    err,
    report_error,
    report_problems,
    say,
    stop_for_extra,
    today_from,
    today_option,
)
from workbook_tools.core.values import count, day_text
from workbook_tools.errors import MissingExtraError, WorkbookToolsError

if TYPE_CHECKING:  # not imported on start-up
    from workbook_tools.app.importer import AddedRow, ImportReport, SourceResult

#: The cells a listed row shows, in order (the rest are in the tracker).
SHOWN_INTERVIEW = ("Company", "Position", "Type", "Status", "Event Date", "Contact")
SHOWN_CONTACT = ("Name", "Company", "Email", "Phone")
#: The longest a shown cell is (ours: a listed row stays about one line).
SHOWN_CHARS = 40


@click.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@click.option("--into", "tracker", required=True, type=click.Path(dir_okay=False),
              help="The tracker (.xlsx or .xlsm) the leads are added to.")
@click.option("--map", "maps", multiple=True, metavar='"COLUMN=TARGET"',
              help='Read a source column as a tracker column, such as --map "Job Title=Position"; '
                   '"COLUMN=" leaves it out. May be given more than once.')
@click.option("--dry-run", is_flag=True, help="Print what would be added; write nothing, refresh nothing.")
@today_option
def import_command(sources: tuple[str, ...], tracker: str, maps: tuple[str, ...], dry_run: bool,
                   today: datetime | None) -> None:
    """Add the leads of each SOURCE (a CSV, XLSX or XLSM list, such as a tracker site's
    export) to the tracker: columns and stages mapped by name, rows already in the
    tracker skipped; then refresh it."""
    from workbook_tools.app.importer import import_leads
    from workbook_tools.core.imports import BadMap

    if not tracker.lower().endswith(C.WORKBOOK_SUFFIXES):
        raise click.UsageError(f"{tracker}: a tracker must be named .xlsx or .xlsm")
    try:
        report = import_leads(sources, tracker, today_from(today), maps=maps, dry_run=dry_run)
    except BadMap as exc:
        raise click.UsageError(str(exc)) from None
    except MissingExtraError as exc:  # the sources are read with pandas, before anything is written
        stop_for_extra(exc, f"{tracker}: nothing imported; the tracker is unchanged")
    except WorkbookToolsError as exc:
        report_error(exc)
        err(f"{tracker}: nothing imported; the tracker is unchanged")
        sys.exit(EXIT_PROBLEMS)
    except OSError as exc:  # a file that stops being readable midway
        err(f"{tracker}: cannot be read ({exc.strerror or exc}). Fix: check the file's permissions; it is unchanged")
        sys.exit(EXIT_PROBLEMS)
    for result in report.sources:
        _source_lines(result)
    failed = _added_lines(report) or report.failed
    sys.exit(EXIT_PROBLEMS if failed else EXIT_OK)


def _source_lines(result: SourceResult) -> None:
    """One source: its mapping report and counts on stdout, its bad rows on stderr."""
    plan = result.plan
    if plan is None:
        err(result.error)
        return
    mapping, path = plan.mapping, result.label
    say(f"{result.path}: {result.how}, header row on line {mapping.header_line}", one_line=True)
    for m in mapping.mapped:
        say(f"  {m.name} -> {m.target}" + (" (--map)" if m.how == "--map" else ""), one_line=True)
    for i in mapping.ignored:
        say(f"  {i.name}: ignored, {i.why}", one_line=True)
    for key in mapping.unused_maps:
        say(f"  --map {key!r}: no column of that name here", one_line=True)
    for notice in plan.notices:
        say(f"  line {notice.line}: {notice.message}", one_line=True)
    counts = [count(len(plan.rows), "new row"), count(plan.duplicates, "duplicate") + " skipped"]
    if plan.not_applied:
        counts.append(count(plan.not_applied, "saved job") + " left out (not applied to yet)")
    if plan.bad:
        counts.append(count(len(plan.bad), "bad row"))
    say(f"{path}: " + ", ".join(counts), one_line=True)
    for bad in plan.bad:
        err(f"{path}: line {bad.line}: {bad.problem}. Fix: {bad.fix}")
    if result.capped:
        from workbook_tools.app.sources import LIMITS

        err(f"{path}: only its first {LIMITS.rows.value:,} rows were read; the rest were not imported. "
            "Fix: split the file and import each part")


def _added_lines(report: ImportReport) -> bool:
    """The rows added (or that a dry run would add), the refresh's outcome; whether
    something went wrong that the sources' lines do not say."""
    tracker = report.tracker
    interviews = [a for a in report.added if a.sheet == C.INTERVIEWS]
    contacts = [a for a in report.added if a.sheet == C.CONTACTS]
    if not interviews:
        anything = any(s.plan is not None for s in report.sources)
        (say if anything else err)(f"{tracker}: nothing to add; the tracker is unchanged")
        return not anything
    verb = "would add" if report.dry_run else "added"
    where = f"{count(len(interviews), 'row')} to Interviews" + (f" and {len(contacts)} to Contacts" if contacts else "")
    say(f"{tracker}: {verb} {where}" + (" (dry run, nothing written)" if report.dry_run else ""), one_line=True)
    for added in report.added:
        say("  " + _row_text(added), one_line=True)
    for missing in report.missing_columns:
        sheet, _, header = missing.partition("!")
        err(f"{tracker}: {sheet} has no {header!r} column, so the imported values for it were left out. "
            f"Fix: add a column headed {header!r} to {sheet} and type them in")
    if report.dry_run:
        return bool(report.missing_columns)
    return _refresh_lines(report) or bool(report.missing_columns)


def _row_text(added: AddedRow) -> str:
    shown = SHOWN_INTERVIEW if added.sheet == C.INTERVIEWS else SHOWN_CONTACT
    cells = " | ".join(_short(added.cells[h]) for h in shown if h in added.cells)
    return f"{added.sheet} row {added.row}: {cells} (from {added.source} line {added.line})"


def _short(value: object) -> str:
    text = day_text(value) if isinstance(value, date) else str(value).replace("\n", " ")
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "\u2026"


def _refresh_lines(report: ImportReport) -> bool:
    """The refresh after the import: its problems on stderr, its counts on stdout."""
    tracker = report.tracker
    if report.refresh is None:
        err(report.refresh_error or f"{tracker}: not refreshed")
        err(f"{tracker}: the rows were imported, but not refreshed. Fix: run `workbook-tools refresh {tracker}`")
        return True
    done = report.refresh
    report_problems(tracker, done.problems)
    flags: Mapping[str, int] = done.flags
    summary = ", ".join(f"{flags[flag]} {flag.lower()}" for flag in C.FLAGS if flags.get(flag))
    changed = f"{count(done.changed, 'cell')} changed" if done.changed else "nothing changed"
    say(f"{tracker}: refreshed, {count(done.rows, 'row')}, {changed}" + (f" ({summary})" if summary else ""),
        one_line=True)
    return bool(done.problems)
