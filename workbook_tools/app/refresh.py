"""Refreshing many trackers: each in its own process when there are many."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from workbook_tools.adapters.file import RefreshReport, refresh_file
from workbook_tools.app.batch import map_paths
from workbook_tools.errors import ProblemsError, WorkbookToolsError


def refresh_many(paths: Sequence[str | Path], today: date, output: str | Path | None = None,
                 dry_run: bool = False, workers: int | None = None) -> list[tuple[str, RefreshReport | str]]:
    """Refresh every tracker it can, in parallel processes when there are many: for
    each path in the order given, its `RefreshReport`, or the message saying why it
    could not be refreshed (that file is left untouched). ``output`` needs exactly one
    path."""
    if output is not None and len(paths) != 1:
        raise ValueError("output needs exactly one tracker")
    files = [str(p) for p in paths]
    return list(zip(files, map_paths(refresh_one, files, today, output, dry_run, workers=workers,
                                     label="Refreshing")))


def refresh_one(path: str, today: date, output: str | None, dry_run: bool) -> RefreshReport | str:
    """One tracker's refresh, or why it was not done (top level: worker processes run it)."""
    try:
        return refresh_file(path, today, output=output, dry_run=dry_run)
    except ProblemsError as exc:
        return f"{exc}\n{path}: not refreshed; the file is unchanged"
    except WorkbookToolsError as exc:
        return str(exc)
