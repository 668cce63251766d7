"""The new and runner commands without click: a fresh tracker, with the runner file
its Refresh button (or the xlwings add-in's "Run main") imports when asked."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from workbook_tools import contract as C
from workbook_tools.errors import WorkbookError
from workbook_tools.files import write_atomically
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
    in the way, the folder is missing or the disk is full; nothing is left behind then
    (each file is built in a private folder and moved into place whole, so a failed
    write never leaves an empty file that blocks the retry)."""
    target = Path(path)
    if target.exists():
        raise WorkbookError(path, "already exists; not overwritten", "choose another name, or move the old file away")
    if not target.parent.exists():
        raise WorkbookError(path, f"the folder {target.parent} does not exist", "create it first")
    with tempfile.TemporaryDirectory(prefix="workbook-tools-new-") as scratch:
        built = Path(scratch) / target.name
        try:
            if target.suffix.lower() == ".xlsm" or runner:
                files = [Path(f) for f in new_tracker_with_runner(built)]
            else:
                build_tracker(built)
                files = [built]
        except WorkbookError as exc:
            raise WorkbookError(target.parent / Path(exc.path).name, exc.message, exc.fix) from None
        except Exception as exc:  # XlsxWriter wraps a full disk in its own FileCreateError
            raise _not_written(target, exc) from None
        try:
            _give_identity(files[0])
        except WorkbookError as exc:  # the disk filled up meanwhile: say it as for the build
            raise _not_written(target, exc.__cause__ or exc) from None
        placed = [target.parent / f.name for f in files]
        _place(files, placed, target)
    return NewTracker(placed[0], placed[1] if len(placed) > 1 else None)


def _give_identity(tracker: Path) -> None:
    """Name the new tracker with an identity of its own, for its calendar's UIDs."""
    from workbook_tools.xlsx.names import constant_formula
    from workbook_tools.xlsx.write import write_names

    write_names(tracker, {C.TRACKER_ID_NAME: constant_formula(uuid.uuid4().hex)})


def _place(files: list[Path], placed: list[Path], target: Path) -> None:
    """Move each built file into place atomically; on a failure, undo the ones placed."""
    done: list[Path] = []
    try:
        for built, final in zip(files, placed):
            if final.exists():
                raise WorkbookError(final, "already exists; not overwritten",
                                    "choose another name, or move the old file away")
            _copy_atomically(built, final)
            done.append(final)
    except BaseException as exc:
        for final in done:
            final.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _not_written(target, exc) from None
        raise


def _copy_atomically(built: Path, final: Path) -> None:
    with open(built, "rb") as source:
        write_atomically(final, lambda fh: shutil.copyfileobj(source, fh))


def _not_written(target: Path, exc: BaseException) -> WorkbookError:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return WorkbookError(target, f"could not be written ({reason}); nothing was left behind",
                         "free some disk space, check that you may write to the folder, and run the command again")
