"""workbook-tools: a job-search follow-up tracker that lives in an Excel workbook.

    >>> from workbook_tools import write_cells, WorkbookToolsError
    >>> write_cells("tracker.xlsx", "Interviews", {"P2": "Call Tuesday"})

The engine (`workbook_tools.engine.compute`) is pure; `refresh_file` is the file
adapter. Heavy modules are imported on first use.
"""

from __future__ import annotations

from typing import Any

from workbook_tools.errors import Problem, ProblemsError, UnsafeWriteError, WorkbookError, WorkbookToolsError

__all__ = [
    "Problem",
    "ProblemsError",
    "UnsafeWriteError",
    "WorkbookError",
    "WorkbookToolsError",
    "compute",
    "read_tracker",
    "refresh_file",
    "write_cells",
]

_LAZY = {
    "write_cells": ("xlsx.write", "write_cells"),
    "read_tracker": ("adapters.file", "read_tracker"),
    "refresh_file": ("adapters.file", "refresh_file"),
    "compute": ("core.engine", "compute"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(f".{module}", __name__), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
