"""Problems and errors: what the package reports instead of tracebacks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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


#: The libraries that an optional extra of pyproject.toml installs, by the extra that brings
#: each (pyproject.toml, [project.optional-dependencies]; numpy comes with pandas).
EXTRAS = {"pandas": "pandas", "numpy": "pandas"}


class MissingExtraError(ModuleNotFoundError):
    """A command needs a library that this install leaves out (one of `EXTRAS`). ``str(err)``
    says what needs it and the pip command that adds it; ``name`` is the missing module.

    Not a `WorkbookToolsError`: nothing about a file is wrong, and no command goes on
    without it (the CLI says it and exits as for a usage error)."""

    def __init__(self, needed_by: str, module: str) -> None:
        self.needed_by = needed_by
        self.fix = f'install it with: pip install "workbook-tools[{EXTRAS[module]}]"'
        super().__init__(f"{needed_by} needs {module}, which this install leaves out. Fix: {self.fix}", name=module)


def missing_extra(exc: BaseException) -> str | None:
    """The library of `EXTRAS` whose absence made an import fail: a ModuleNotFoundError
    naming it (or one of its modules), as such or as the cause of another ImportError
    (pandas raises its own when numpy is missing); None when the failure is another."""
    seen: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and not any(cause is s for s in seen):
        name = cause.name if isinstance(cause, ModuleNotFoundError) else None
        if name and name.partition(".")[0] in EXTRAS:
            return name.partition(".")[0]
        seen.append(cause)
        cause = cause.__cause__ or cause.__context__
    return None


@contextmanager
def needs_extra(needed_by: str) -> Iterator[None]:
    """Around the import of an optional library: its absence (`missing_extra`) raised as
    `MissingExtraError` for ``needed_by`` ("the report"); any other error as it was.

        with needs_extra("the report"):
            import pandas
    """
    try:
        yield
    except ImportError as exc:
        module = missing_extra(exc)
        if module is None:
            raise
        raise MissingExtraError(needed_by, module) from exc


def require_extra(module: str, needed_by: str) -> None:
    """`MissingExtraError` now when ``module`` (one of `EXTRAS`) is not installed: found
    without importing it, so that a command over many files says so before reading them."""
    import importlib.util

    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise MissingExtraError(needed_by, module)
