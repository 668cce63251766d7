"""The one atomic write: the old file kept on any error, permissions, and the files by which
Excel and LibreOffice say they have a workbook open."""

from __future__ import annotations

import os

import pytest

from workbook_tools.errors import WorkbookError
from workbook_tools.files import TemporaryFileError, check_not_open, file_mode, write_atomically


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
