"""The new and runner commands without click: a fresh tracker, with the runner file
its Refresh button (or the xlwings add-in's "Run main") imports when asked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbook_tools.errors import WorkbookError
from workbook_tools.template.runner import new_tracker_with_runner, write_runner
from workbook_tools.template.workbook import build_tracker

__all__ = ["NewTracker", "new_tracker", "write_runner"]


@dataclass
class NewTracker:
    """What `new_tracker` wrote: the tracker, and its runner when it has one."""

    tracker: Path
    runner: Path | None

    @property
    def macro(self) -> bool:
        return self.tracker.suffix.lower() == ".xlsm"


def new_tracker(path: str | Path, runner: bool = False) -> NewTracker:
    """Write a fresh tracker at ``path`` (.xlsx, or .xlsm with a Refresh button and its
    runner; ``runner`` adds the runner beside an .xlsx). `WorkbookError` when a file is
    in the way or the folder is missing; nothing is written then."""
    target = Path(path)
    if target.exists():
        raise WorkbookError(path, "already exists; not overwritten", "choose another name, or move the old file away")
    if not target.parent.exists():
        raise WorkbookError(path, f"the folder {target.parent} does not exist", "create it first")
    if target.suffix.lower() == ".xlsm" or runner:
        tracker, runner_file = new_tracker_with_runner(target)
        return NewTracker(tracker, runner_file)
    build_tracker(target)
    return NewTracker(target, None)
