"""Files the package writes: one atomic write, the permissions it gives, and the check
that neither Excel nor LibreOffice has the file open. Every file the product replaces
or creates (a refreshed tracker, a calendar, a report) goes through `write_atomically`,
so every one has the same guarantee: a crash, a full disk or an error leaves the old
file exactly as it was."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from workbook_tools.errors import WorkbookError


class TemporaryFileError(OSError):
    """No temporary file can be made beside the target (a missing or read-only folder)."""


def write_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], object], *,
                     like: str | os.PathLike[str] | None = None) -> None:
    """Write ``path`` through a temporary file beside it: ``write`` fills the open
    temporary file, which is flushed, fsynced, given `file_mode` and renamed over
    ``path``; then the folder is fsynced, so the rename survives a power cut. On any
    error the temporary file is removed, ``path`` is untouched, and the error is raised
    (`TemporaryFileError` when the temporary file cannot even be made)."""
    target = Path(os.fspath(path))
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix="." + target.name + ".", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise TemporaryFileError(exc.errno, exc.strerror, str(folder)) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, file_mode(target, like))
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(folder)


def file_mode(target: Path, like: str | os.PathLike[str] | None = None) -> int:
    """The permissions for a file written through a temporary one (which is private):
    the old file's, else those of ``like`` (the source of a copy), else what the umask
    allows a new file."""
    for candidate in (target, like):
        if candidate is None:
            continue
        try:
            return os.stat(candidate).st_mode & 0o7777
        except OSError:
            continue
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; elsewhere, and where refused, nothing)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def check_not_open(path: str | os.PathLike[str]) -> None:
    """Raise `WorkbookError` when Excel or LibreOffice has ``path`` open.

    Excel writes an owner file ``~$`` + the file name beside it; for long names it drops
    the first two characters of the name, so both spellings are checked. LibreOffice
    writes a lock file ``.~lock.`` + the file name + ``#``. A name the file system
    cannot hold (too long, a NUL) simply does not exist.
    """
    p = Path(path)
    folder = p.parent
    for name in _excel_owner_names(p.name):
        if os.path.exists(folder / name):
            raise WorkbookError(
                p,
                f"is open in Excel (owner file {name})",
                "close it in Excel first, or use the Refresh button inside the workbook",
            )
    lock = LIBREOFFICE_LOCK.format(name=p.name)
    if os.path.exists(folder / lock):
        raise WorkbookError(p, f"is open in LibreOffice (lock file {lock})",
                            "close it in LibreOffice first, then run the command again")


#: LibreOffice's lock file beside a document it has open (the office suites' own naming).
LIBREOFFICE_LOCK = ".~lock.{name}#"


def _excel_owner_names(name: str) -> list[str]:
    """Excel's owner-file names for a file called ``name``: whole, and without its first
    two characters (what Excel writes for long names)."""
    names = ["~$" + name]
    if len(name) > 2:
        names.append("~$" + name[2:])
    return names
