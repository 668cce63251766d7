"""Problems and errors: what the package reports instead of tracebacks."""

from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with the input: where it is, what is wrong, how to fix it.

    ``cell`` is an A1 reference ("H7"), a column letter, or "" for the whole sheet.
    """

    sheet: str
    cell: str
    message: str
    fix: str

    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}. Fix: {self.fix}"


class WorkbookToolsError(Exception):
    """Base class of the package's errors. ``str(err)`` is a message for the user."""


class WorkbookError(WorkbookToolsError):
    """The file cannot be read or written as it is (not a workbook, locked, unsafe write)."""

    def __init__(self, path: object, message: str, fix: str = "") -> None:
        self.path = str(path)
        self.message = message
        self.fix = fix
        text = f"{self.path}: {message}"
        if fix:
            text += f". Fix: {fix}"
        super().__init__(text)


class UnsafeWriteError(WorkbookError):
    """A cell cannot be written without losing something (merged range, array formula...)."""


class ProblemsError(WorkbookToolsError):
    """The workbook's contents have problems that stop the whole file (missing sheet...)."""

    def __init__(self, path: object, problems: list[Problem]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(f"{self.path}: {p}" for p in problems))
