"""The calendar command without click: plan every tracker, in parallel processes when
there are many, and write one .ics of all their next calls and emails due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from workbook_tools.app.batch import map_paths
from workbook_tools.app.plan import Failed, plan_file
from workbook_tools.files import write_atomically
from workbook_tools.outputs.calendar import PlanEntry, calendar_bytes, plan_entries


@dataclass
class CalendarFile:
    """One tracker's part of an export (small and picklable, from a worker process)."""

    path: str
    entries: list[PlanEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # lines for stderr
    failed: bool = False  # unreadable, or rows with problems


def calendar_file(path: str, today: date, days: int | None = None) -> CalendarFile:
    """Read and plan one tracker (top level: worker processes run it)."""
    planned = plan_file(path, today)
    if isinstance(planned, Failed):
        return CalendarFile(path, problems=planned.lines, failed=True)
    problems = planned.result.problems
    return CalendarFile(path, plan_entries(planned.data, planned.result, today, Path(path).name, days),
                        [f"{path}: {p}" for p in problems], bool(problems))


@dataclass
class CalendarExport:
    path: Path
    files: list[CalendarFile]

    @property
    def entries(self) -> list[PlanEntry]:
        return [e for f in self.files for e in f.entries]

    @property
    def calls(self) -> int:
        return sum(1 for e in self.entries if e.kind == "Call")

    @property
    def emails(self) -> int:
        return sum(1 for e in self.entries if e.kind == "Email")

    @property
    def failed(self) -> bool:
        return any(f.failed for f in self.files)


def export_calendar(paths: Sequence[str | Path], output: str | Path, today: date, days: int | None = None,
                    workers: int | None = None, stamp: datetime | None = None) -> CalendarExport:
    """Plan every tracker it can (in parallel processes when there are many) and write
    one .ics of all of them to ``output``, atomically; the trackers that cannot be read
    are named in the files' ``problems`` and left out."""
    files = map_paths(calendar_file, sorted(str(p) for p in paths), today, days, workers=workers,
                      label="Planning")
    stamp = stamp or datetime.now(timezone.utc).replace(microsecond=0)
    export = CalendarExport(Path(output), files)
    data = calendar_bytes(export.entries, stamp)
    write_atomically(output, lambda fh: fh.write(data))
    return export
