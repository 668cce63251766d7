"""What every command that reads a tracker does first: read it, plan it, and turn what
goes wrong into a result instead of an exception. One copy, for check, agenda, the
calendar and the report (the refresh reads through its adapter, `refresh_file`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

from workbook_tools.adapters.file import read_tracker
from workbook_tools.core.engine import compute
from workbook_tools.core.model import Result, TrackerData
from workbook_tools.errors import ProblemsError, WorkbookToolsError


class Planned(NamedTuple):
    """A tracker read and planned: its rows as read and the engine's result (whose
    ``problems`` are the rows' problems; the other rows are planned)."""

    path: str
    data: TrackerData
    result: Result


class Failed(NamedTuple):
    """A tracker that could not be read as a whole, and why."""

    path: str
    error: WorkbookToolsError

    @property
    def lines(self) -> list[str]:
        """The messages for stderr, each naming the file (and the sheet and cell)."""
        if isinstance(self.error, ProblemsError):
            return [f"{self.path}: {p}" for p in self.error.problems]
        return [str(self.error)]

    @property
    def summary(self) -> str:
        """The reason on one line, without the file's name where it names cells."""
        if isinstance(self.error, ProblemsError):
            return "; ".join(str(p) for p in self.error.problems)
        return str(self.error)


def plan_file(path: str | Path, today: date) -> Planned | Failed:
    """Read and plan the tracker at ``path`` as of ``today`` (not its Interviews table:
    only a refresh grows it)."""
    try:
        data = read_tracker(path, table=False)
    except WorkbookToolsError as err:
        return Failed(str(path), err)
    return Planned(str(path), data, compute(data, today))
