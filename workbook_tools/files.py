"""Files the package writes: one atomic write, the permissions it gives, and the check
that neither Excel nor LibreOffice has the file open. Every file the product replaces
or creates (a refreshed tracker, a calendar, a report) goes through `write_atomically`,
so every one has the same guarantee: a crash, a full disk or an error leaves the old
file exactly as it was."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, NamedTuple

from workbook_tools.errors import WorkbookError


class TemporaryFileError(OSError):
    """No temporary file can be made beside the target (a missing or read-only folder)."""


class FileIdentity(NamedTuple):
    """What tells one version of a file from another: a save in Excel or LibreOffice
    makes a new file (another inode) or rewrites it (another size or time)."""

    device: int
    inode: int
    size: int
    modified_ns: int


def identity_of(status: os.stat_result) -> FileIdentity:
    """The `FileIdentity` in a stat result (of a path or of an open file)."""
    return FileIdentity(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def file_identity(path: str | os.PathLike[str]) -> FileIdentity | None:
    """The identity of the file at ``path`` (through a symlink), None when there is none."""
    try:
        return identity_of(os.stat(path))
    except OSError:
        return None


def check_still_the_file_read(path: str | os.PathLike[str], read: FileIdentity,
                              now: FileIdentity | None = None) -> None:
    """Raise `WorkbookError` when the file at ``path`` (or the open file whose identity
    is ``now``) is no longer the one whose identity was ``read``: someone saved it while
    we worked, and writing our result would lose their save."""
    current = now if now is not None else file_identity(path)
    if current != read:
        raise WorkbookError(path, "changed while refreshing", "run refresh again")


def in_write_window(temporary: Path) -> None:
    """Called once the temporary file is complete, just before it replaces the target.
    It does nothing: fault tests patch it to stop or change the world at that moment."""


def write_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], object], *,
                     like: str | os.PathLike[str] | None = None,
                     before_replace: Callable[[], object] | None = None) -> None:
    """Write ``path`` through a temporary file beside it: ``write`` fills the open
    temporary file, which is flushed, fsynced, given the old file's mode, owner and group
    (`file_mode`) and renamed over ``path``; then the folder is fsynced, so the rename
    survives a power cut. A symlink is written through (the file it points at is
    replaced). ``before_replace`` runs just before the rename and may refuse by raising.

    A file that is not ours to replace is refused first (`check_replaceable`), and stale
    temporary files of ours beside it are swept (`sweep_stale_temporaries`). On any
    error the temporary file is removed, ``path`` is untouched, and the error is raised
    (`TemporaryFileError` when the temporary file cannot even be made)."""
    target = resolved_target(path)
    check_replaceable(target)
    folder = target.parent
    sweep_stale_temporaries(target)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix="." + sibling_name(target) + ".", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise TemporaryFileError(exc.errno, exc.strerror, str(folder)) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, file_mode(target, like))
        keep_owner(tmp, target)
        in_write_window(tmp)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(folder)


def resolved_target(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` replaces: the file a symlink points at (so the link
    stays a link), else ``path`` itself; never with an empty folder part."""
    target = Path(os.fspath(path))
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    return target if str(target.parent) else Path(".") / target


def check_replaceable(target: Path) -> None:
    """Raise `WorkbookError` when the file at ``target`` is not ours to replace: not a
    plain file, read-only (no write permission, or none for anyone), hard-linked (a
    replace would leave the other names holding the old file), or in a folder we may not
    write to. A missing file only needs a writable folder."""
    folder = target.parent
    try:
        status = os.stat(target)
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise WorkbookError(target, f"cannot be examined ({exc.strerror or exc})",
                            "check the file's permissions and the folder's") from None
    if status is not None:
        if not stat.S_ISREG(status.st_mode):
            raise WorkbookError(target, "is not a regular file; not replaced", "write to a file name")
        if status.st_nlink > 1:
            raise WorkbookError(target, f"has {status.st_nlink} hard links; replacing it would leave the other "
                                        "names holding the old file, so it was not changed",
                                "write to another name, or make it a file of its own (copy it, delete the "
                                "original, rename the copy) and run the command again")
        if not os.access(target, os.W_OK) or not status.st_mode & 0o222:
            raise WorkbookError(target, "is read-only; not replaced",
                                "make it writable (clear Read-only in its properties, or chmod u+w) or write "
                                "to another name")
    if folder.is_dir() and not _writable_folder(folder):
        raise WorkbookError(target, f"cannot be written: the folder {folder} is read-only",
                            "write to another folder, or get permission to write to this one")


def _writable_folder(folder: Path) -> bool:
    try:
        mode = os.stat(folder).st_mode
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK) and bool(mode & 0o222)


def keep_owner(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the owner and group of the file it will replace, where that is
    permitted (a user may only give their file a group they are in; root may do all)."""
    try:
        old = os.stat(target)
        new = os.stat(tmp)
    except OSError:
        return
    if (old.st_uid, old.st_gid) == (new.st_uid, new.st_gid) or not hasattr(os, "chown"):
        return
    for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
        try:
            os.chown(tmp, uid, gid)
            return
        except OSError:
            continue


#: How old a temporary file of ours must be before a later run removes it (ours): a write
#: takes seconds, so one this old was left by a process that was killed or lost its power.
STALE_TEMPORARY_SECONDS = 10 * 60
#: ours: the longest file name (in UTF-8 bytes) that our temporary and lock files beside a
#: file repeat whole; with the longest of our additions (21 bytes) it stays within the
#: 255 bytes file systems allow in a name.
SIBLING_NAME_BYTES = 200


def sibling_name(target: Path) -> str:
    """The file's name as our temporary and lock files beside it carry it: the name, or
    for a very long one its start and a hash of the whole (so that those files can be
    made at all)."""
    name = target.name
    encoded = name.encode("utf-8", "surrogateescape")
    if len(encoded) <= SIBLING_NAME_BYTES:
        return name
    digest = hashlib.sha1(encoded).hexdigest()[:12]
    head = encoded[:SIBLING_NAME_BYTES - 13].decode("utf-8", "ignore")
    return f"{head}~{digest}"
#: The random part `tempfile.mkstemp` puts in a name (the standard library's own alphabet).
_MKSTEMP_PART = "[a-z0-9_]{8}"


def sweep_stale_temporaries(target: Path, now: float | None = None) -> list[Path]:
    """Remove our temporary files beside ``target`` (".NAME.xxxxxxxx.tmp", the names
    `write_atomically` makes) older than `STALE_TEMPORARY_SECONDS`; the ones removed.
    Files that only look alike (another name, a symlink, a folder) are left alone."""
    folder = target.parent if str(target.parent) else Path(".")
    pattern = re.compile(re.escape("." + sibling_name(target) + ".") + _MKSTEMP_PART + re.escape(".tmp"))
    limit = (time.time() if now is None else now) - STALE_TEMPORARY_SECONDS
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


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


#: The lock file a refresh keeps beside the file it replaces (ours), holding its process id.
REFRESH_LOCK = ".{name}.workbook-tools.lock"
#: How long a second refresh of the same file waits for the first to finish (ours).
LOCK_WAIT_SECONDS = 3.0
#: A lock file with no readable process id this old is left from a crash (ours): a live
#: refresh writes its id right after creating the file.
UNREADABLE_LOCK_SECONDS = 10.0


@contextmanager
def refresh_lock(target: str | os.PathLike[str], wait: float | None = None) -> Iterator[Path | None]:
    """Hold the lock file beside ``target`` while the block runs, and remove it after,
    errors included. A lock held by a live process is waited for up to ``wait`` seconds
    (`LOCK_WAIT_SECONDS`), then `WorkbookError` says another refresh is running; a lock
    whose process is gone is taken over. Where no lock file can be made (a read-only
    folder, which the write will refuse anyway) the block runs without one (None)."""
    target = Path(os.fspath(target))
    lock = target.parent / REFRESH_LOCK.format(name=sibling_name(target))
    deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait is None else wait)
    while True:
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            break
        except FileExistsError:
            holder = _lock_holder(lock)
            if holder is None:
                continue  # stale (or just released): taken over, try again
            if time.monotonic() >= deadline:
                raise WorkbookError(target, f"another refresh is running (process {holder}, lock file {lock.name})",
                                    "wait for it to finish and run the command again; if no refresh is running, "
                                    "delete the lock file") from None
            time.sleep(0.05)
        except OSError:
            yield None
            return
    mine = str(os.getpid()).encode()
    try:
        os.write(fd, mine)
    finally:
        os.close(fd)
    try:
        yield lock
    finally:
        _release(lock, mine)


def _lock_holder(lock: Path) -> int | None:
    """The live process holding ``lock``, or None after removing a stale lock (its
    process is gone, or it never got a process id) or when it has just gone away."""
    try:
        text = lock.read_bytes()
        age = time.time() - lock.stat().st_mtime
    except FileNotFoundError:
        return None
    except OSError:
        return -1  # unreadable: someone else's; wait for it
    pid = int(text) if text.strip().isdigit() else None
    if pid is None and age < UNREADABLE_LOCK_SECONDS:
        return -1  # being written by a refresh that has just started
    if pid is not None and pid != os.getpid() and _alive(pid, age):
        return pid
    _release(lock, text)
    return None


def _alive(pid: int, age: float) -> bool:
    """Whether process ``pid`` exists (POSIX signal 0; a process of another user counts).
    Windows has no harmless signal (``os.kill`` ends the process there), so a lock counts
    as live until it is as old as a stale temporary file."""
    if os.name != "posix":
        return age < STALE_TEMPORARY_SECONDS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, OverflowError, ValueError):
        return False
    return True


def _release(lock: Path, content: bytes) -> None:
    """Remove ``lock`` if it still holds ``content`` (never a lock another run has since taken)."""
    try:
        if lock.read_bytes() == content:
            lock.unlink()
    except OSError:
        pass


def check_regular_file(path: str | os.PathLike[str]) -> None:
    """`WorkbookError` when ``path`` exists but is not a regular file: opening a named pipe
    would wait forever, and a device or socket is no workbook."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing or unreadable: opening it says so
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise WorkbookError(path, "is not a regular file (a pipe, a device or a socket), so not a workbook",
                            "name a .xlsx or .xlsm tracker file")


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file (through links and other spellings); False when
    either cannot be looked at."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False
