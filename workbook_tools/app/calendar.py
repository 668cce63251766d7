"""The calendar command without click: plan every tracker, in parallel processes when
there are many, and write one .ics of all their next calls and emails due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from workbook_tools.app.batch import map_paths
from workbook_tools.app.plan import Failed, plan_file
from workbook_tools.errors import WorkbookError
from workbook_tools.files import write_atomically
from workbook_tools.outputs.calendar import PlanEntry, calendar_bytes, plan_entries, source_code, tracker_code
from workbook_tools.outputs.reimport import MAX_PREVIOUS_BYTES, assign_uids, foreign_uids, previous_events, reconcile


@dataclass
class CalendarFile:
    """One tracker's part of an export (small and picklable, from a worker process)."""

    path: str
    entries: list[PlanEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # lines for stderr
    failed: bool = False  # unreadable, or rows with problems
    source: str | None = None  # `calendar.source_code` of the file read; None: it could not be
    tracker: str = ""  # `calendar.tracker_code` of the tracker read


def calendar_file(path: str, today: date, days: int | None = None) -> CalendarFile:
    """Read and plan one tracker (top level: worker processes run it)."""
    planned = plan_file(path, today)
    if isinstance(planned, Failed):
        return CalendarFile(path, problems=planned.lines, failed=True)
    problems = planned.result.problems
    name = Path(path).name
    return CalendarFile(path, plan_entries(planned.data, planned.result, today, name, days, source_code(path)),
                        [f"{path}: {p}" for p in problems], bool(problems), source_code(path),
                        tracker_code(planned.data.tracker_id or name))


@dataclass
class CalendarExport:
    """What an export wrote: the trackers' parts and the entries of the file."""

    path: Path
    files: list[CalendarFile]
    entries: list[PlanEntry] = field(default_factory=list)

    @property
    def calls(self) -> int:
        return sum(1 for e in self.entries if e.kind == "Call" and not e.cancelled)

    @property
    def emails(self) -> int:
        return sum(1 for e in self.entries if e.kind == "Email" and not e.cancelled)

    @property
    def cancelled(self) -> int:
        """Events once planned and no longer (the trackers' records and the earlier export say)."""
        return sum(1 for e in self.entries if e.cancelled)

    @property
    def failed(self) -> bool:
        return any(f.failed for f in self.files)


#: RFC 5545 3.4: an iCalendar stream starts with this line (a byte-order mark and blank
#: lines before it are tolerated here, as readers do).
CALENDAR_START = b"BEGIN:VCALENDAR"


def check_calendar_target(path: str | Path) -> bytes:
    """The earlier export at ``path`` (b"" when there is none), or `WorkbookError` unless
    the file is an iCalendar file of ours (no event but ours in it). A calendar of the
    user's (their own events), a workbook or any other file is never replaced."""
    target = Path(path)
    if not target.exists():
        return b""
    try:
        with open(target, "rb") as fh:
            data = fh.read(MAX_PREVIOUS_BYTES + 1)
    except OSError as exc:
        raise WorkbookError(target, f"cannot be read to check what it is ({exc.strerror or exc}); not overwritten",
                            "name another file with -o") from None
    another = "name another file with -o, or move that file away first"
    if not data.removeprefix(b"\xef\xbb\xbf").lstrip().upper().startswith(CALENDAR_START):
        raise WorkbookError(target, "exists and is not a calendar file (it does not start with BEGIN:VCALENDAR); "
                            "not overwritten", another)
    if len(data) > MAX_PREVIOUS_BYTES:
        raise WorkbookError(target, f"is a calendar file over {MAX_PREVIOUS_BYTES // 2**20} MB, too large to be an "
                            "earlier export of ours; not overwritten", another)
    foreign = foreign_uids(data)
    if foreign:
        raise WorkbookError(target, f"is a calendar with events that are not ours (UID {foreign[0]}); not "
                            "overwritten", "export to a file of its own, e.g. followups.ics, and import that")
    return data


def export_calendar(paths: Sequence[str | Path], output: str | Path, today: date, days: int | None = None,
                    workers: int | None = None, stamp: datetime | None = None) -> CalendarExport:
    """Plan every tracker it can (in parallel processes when there are many) and write
    one .ics of all of them to ``output``, atomically; the trackers that cannot be read
    are named in the files' ``problems`` and left out."""
    earlier = check_calendar_target(output)
    files = map_paths(calendar_file, sorted(str(p) for p in paths), today, days, workers=workers,
                      label="Planning")
    stamp = stamp or datetime.now(timezone.utc).replace(microsecond=0)
    # The earlier export to this file knows what a calendar already holds (`outputs.reimport`).
    previous = previous_events(earlier)
    read = {f.source: f.tracker for f in files if f.source is not None}
    entries, carried = reconcile(assign_uids([e for f in files for e in f.entries], previous), previous, read, today)
    export = CalendarExport(Path(output), files, entries)
    data = calendar_bytes(entries, stamp, carried)
    write_atomically(output, lambda fh: fh.write(data))
    return export
