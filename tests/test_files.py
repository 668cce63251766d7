"""The one atomic write: the old file kept on any error, permissions, and the files by which
Excel and LibreOffice say they have a workbook open."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from workbook_tools.errors import WorkbookError
from workbook_tools.files import (
    STALE_TEMPORARY_SECONDS,
    TemporaryFileError,
    check_not_open,
    check_replaceable,
    check_still_the_file_read,
    file_identity,
    file_mode,
    refresh_lock,
    sweep_stale_temporaries,
    write_atomically,
)


def test_files_written_through_a_temporary_file_get_normal_permissions(tmp_path):
    old = os.umask(0o027)
    try:
        assert file_mode(tmp_path / "new.ics") == 0o640
    finally:
        os.umask(old)
    (tmp_path / "old.ics").write_bytes(b"")
    (tmp_path / "old.ics").chmod(0o640)
    assert file_mode(tmp_path / "old.ics") == 0o640
    (tmp_path / "source.xlsx").write_bytes(b"")
    (tmp_path / "source.xlsx").chmod(0o604)
    assert file_mode(tmp_path / "copy.xlsx", like=tmp_path / "source.xlsx") == 0o604


def test_a_write_replaces_the_file_whole_and_keeps_its_mode(tmp_path):
    target = tmp_path / "out.ics"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_atomically(target, lambda fh: fh.write(b"new"))
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ics"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "out.ics"
    target.write_bytes(b"old")

    def half(fh):
        fh.write(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_atomically(target, half)
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.ics"]


def test_a_missing_folder_is_a_temporary_file_error(tmp_path):
    with pytest.raises(TemporaryFileError) as err:
        write_atomically(tmp_path / "nope" / "out.ics", lambda fh: fh.write(b"x"))
    assert err.value.filename == str(tmp_path / "nope")


@pytest.mark.parametrize("owner", ["~$tracker.xlsx", "~$acker.xlsx"])
def test_excel_owner_file_means_open(tmp_path, owner):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(b"")
    check_not_open(path)
    (tmp_path / owner).write_bytes(b"")
    with pytest.raises(WorkbookError, match=f"is open in Excel \\(owner file {owner.replace('$', '[$]')}\\)"):
        check_not_open(path)


LONG = "Follow-up tracker for every interview " * 5 + ".xlsx"  # 195 characters


@pytest.mark.parametrize("name, lock, message", [
    ("tracker.xlsx", "~$tracker.xlsx", "is open in Excel (owner file ~$tracker.xlsx)"),
    ("tracker.xlsx", "~$acker.xlsx", "is open in Excel (owner file ~$acker.xlsx)"),
    ("tracker.xlsx", ".~lock.tracker.xlsx#", "is open in LibreOffice (lock file .~lock.tracker.xlsx#)"),
    ("tracker.xlsm", ".~lock.tracker.xlsm#", "is open in LibreOffice (lock file .~lock.tracker.xlsm#)"),
    ("my job hunt 2026.xlsx", ".~lock.my job hunt 2026.xlsx#",
     "is open in LibreOffice (lock file .~lock.my job hunt 2026.xlsx#)"),
    ("my job hunt 2026.xlsx", "~$my job hunt 2026.xlsx", "is open in Excel (owner file ~$my job hunt 2026.xlsx)"),
    (LONG, f".~lock.{LONG}#", f"is open in LibreOffice (lock file .~lock.{LONG}#)"),
    (LONG, "~$" + LONG[2:], f"is open in Excel (owner file ~${LONG[2:]})"),
])
def test_an_office_lock_file_means_open(tmp_path, name, lock, message):
    path = tmp_path / name
    path.write_bytes(b"")
    (tmp_path / lock).write_bytes(b"")
    with pytest.raises(WorkbookError) as err:
        check_not_open(path)
    assert err.value.message == message
    fix = "close it in LibreOffice first, then run the command again" if "LibreOffice" in message else (
        "close it in Excel first, or use the Refresh button inside the workbook")
    assert str(err.value) == f"{path}: {message}. Fix: {fix}"


@pytest.mark.parametrize("name, others", [
    ("tracker.xlsx", []),
    ("tracker.xlsx", [".~lock.other.xlsx#", "~$other.xlsx", ".~lock.tracker.xlsx", "~lock.tracker.xlsx#"]),
    ("my job hunt 2026.xlsx", [".~lock.my job hunt 2025.xlsx#"]),
    (LONG, []),
    # So long a name that neither lock file could exist: still no error.
    ("t" * 250 + ".xlsx", []),
])
def test_without_its_lock_file_a_workbook_is_not_open(tmp_path, name, others):
    path = tmp_path / name
    path.write_bytes(b"")
    for other in others:
        (tmp_path / other).write_bytes(b"")
    check_not_open(path)


@pytest.mark.parametrize("path", ["../../etc/tracker.xlsx", "no\x00where.xlsx", "", "missing/folder/t.xlsx"])
def test_any_path_text_is_answered_without_an_error(path):
    check_not_open(path)


def test_a_refusal_just_before_the_replace_leaves_the_old_file(tmp_path):
    target = tmp_path / "out.ics"
    target.write_bytes(b"old")

    def refuse():
        raise WorkbookError(target, "changed while refreshing", "run refresh again")

    with pytest.raises(WorkbookError, match="changed while refreshing"):
        write_atomically(target, lambda fh: fh.write(b"new"), before_replace=refuse)
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.ics"]


def test_a_write_to_a_symlink_replaces_the_file_it_points_at(tmp_path):
    real = tmp_path / "real.ics"
    real.write_bytes(b"old")
    (tmp_path / "link.ics").symlink_to(real)
    write_atomically(tmp_path / "link.ics", lambda fh: fh.write(b"new"))
    assert (tmp_path / "link.ics").is_symlink() and real.read_bytes() == b"new"


def test_the_identity_of_a_file_changes_when_it_is_saved_again(tmp_path):
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"one")
    first = file_identity(target)
    assert first is not None and file_identity(target) == first
    check_still_the_file_read(target, first)
    (tmp_path / "saved.xlsx").write_bytes(b"two")
    os.replace(tmp_path / "saved.xlsx", target)
    with pytest.raises(WorkbookError) as err:
        check_still_the_file_read(target, first)
    assert str(err.value) == f"{target}: changed while refreshing. Fix: run refresh again"
    assert file_identity(tmp_path / "missing.xlsx") is None


@pytest.mark.parametrize("setup, message", [
    (lambda p: p.mkdir(), "is not a regular file; not replaced"),
    (lambda p: (p.write_bytes(b"x"), p.chmod(0o444)), "is read-only; not replaced"),
    (lambda p: (p.write_bytes(b"x"), os.link(p, p.with_name("other"))), "has 2 hard links"),
])
def test_files_that_are_not_ours_to_replace_are_refused(tmp_path, setup, message):
    target = tmp_path / "out.ics"
    setup(target)
    with pytest.raises(WorkbookError) as err:
        check_replaceable(target)
    assert str(err.value).startswith(f"{target}: {message}")


def test_a_new_file_in_a_writable_folder_may_be_written(tmp_path):
    check_replaceable(tmp_path / "new.ics")


def test_only_our_stale_temporary_files_are_swept(tmp_path):
    target = tmp_path / "t.xlsx"
    names = [".t.xlsx.abcd_123.tmp", ".t.xlsx.abcd1234.tmp", ".t.xlsx.ABCD1234.tmp", ".t.xlsx.abc.tmp",
             ".t.xlsxx.abcd1234.tmp", "t.xlsx.abcd1234.tmp"]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / ".t.xlsx.dir_1234.tmp").mkdir()
    removed = sweep_stale_temporaries(target, now=time.time() + STALE_TEMPORARY_SECONDS + 1)
    assert sorted(p.name for p in removed) == [".t.xlsx.abcd1234.tmp", ".t.xlsx.abcd_123.tmp"]
    assert sweep_stale_temporaries(target) == []  # the rest are fresh, or not ours


def test_the_lock_is_held_then_removed_even_after_an_error(tmp_path):
    target = tmp_path / "t.xlsx"
    lock = tmp_path / ".t.xlsx.workbook-tools.lock"
    with pytest.raises(RuntimeError):
        with refresh_lock(target) as held:
            assert held == lock and lock.read_text() == str(os.getpid())
            raise RuntimeError("boom")
    assert not lock.exists()


@pytest.mark.parametrize("content", ["999999999", "", "not a pid"])
def test_a_stale_lock_is_taken_over(tmp_path, content):
    lock = tmp_path / ".t.xlsx.workbook-tools.lock"
    lock.write_text(content)
    old = time.time() - 3600
    os.utime(lock, (old, old))
    with refresh_lock(tmp_path / "t.xlsx", wait=0):
        assert lock.read_text() == str(os.getpid())
    assert not lock.exists()


def test_a_lock_of_a_live_process_is_waited_for_then_refused(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = tmp_path / ".t.xlsx.workbook-tools.lock"
        lock.write_text(str(holder.pid))
        with pytest.raises(WorkbookError) as err:
            with refresh_lock(tmp_path / "t.xlsx", wait=0.1):
                pass
        assert "another refresh is running" in str(err.value) and lock.read_text() == str(holder.pid)
    finally:
        holder.kill()
        holder.wait()


def test_owner_and_group_are_given_to_the_replacement(tmp_path):
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"old")
    # root may give the file to anyone; a user only to a group they are in
    owner, group = (12345, 23456) if os.getuid() == 0 else (os.getuid(), (os.getgroups() or [os.getgid()])[-1])
    os.chown(target, owner, group)
    write_atomically(target, lambda fh: fh.write(b"new"))
    assert target.read_bytes() == b"new" and (target.stat().st_uid, target.stat().st_gid) == (owner, group)


@pytest.mark.parametrize("length", [200, 201, 240, 250])
def test_a_very_long_file_name_can_still_be_replaced_and_locked(tmp_path, length):
    from workbook_tools.files import SIBLING_NAME_BYTES, refresh_lock, sibling_name, sweep_stale_temporaries

    target = tmp_path / ("\u00e9" * (length // 2) + "t" * (length % 2) + ".xlsx")  # two bytes a letter
    target.write_bytes(b"old")
    stem = sibling_name(target)
    assert len(stem.encode()) <= SIBLING_NAME_BYTES and (stem == target.name) == (len(target.name.encode()) <= 200)
    with refresh_lock(target):
        write_atomically(target, lambda fh: fh.write(b"new"))
    assert target.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    stale = tmp_path / f".{stem}.abcdefgh.tmp"
    stale.write_bytes(b"")
    os.utime(stale, (0, 0))
    assert sweep_stale_temporaries(target) == [stale]
