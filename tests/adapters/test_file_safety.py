"""A refresh never replaces what is not ours: a file saved during the refresh, a second
refresh at once, an output that is not a tracker, a read-only or hard-linked file; and a
kill inside the write window leaves the tracker exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.support.trackers import small_tracker
from workbook_tools import files
from workbook_tools.adapters import file as adapter
from workbook_tools.adapters.file import refresh_file
from workbook_tools.errors import WorkbookError

TODAY = date(2013, 9, 30)
ROOT = Path(__file__).resolve().parents[2]


def _saved_by_someone_else(path: Path) -> None:
    """What Excel does on save: a new file renamed over the old one."""
    other = path.with_name("other.xlsx")
    small_tracker(other, interviews=[{"Company": "Saved in Excel", "Event Date": date(2013, 9, 20)}])
    os.replace(other, path)


def test_a_save_between_the_read_and_the_write_is_refused(tmp_path, monkeypatch):
    path = small_tracker(tmp_path / "t.xlsx")
    real_plan = adapter.plan_tracker

    def plan_then_save(*args, **kwargs):
        result = real_plan(*args, **kwargs)
        _saved_by_someone_else(path)
        return result

    monkeypatch.setattr(adapter, "plan_tracker", plan_then_save)
    with pytest.raises(WorkbookError) as err:
        refresh_file(path, TODAY)
    saved = path.read_bytes()
    assert str(err.value) == f"{path}: changed while refreshing. Fix: run refresh again"
    assert path.read_bytes() == saved and sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


def test_a_save_inside_the_write_window_is_refused_and_kept(tmp_path, monkeypatch):
    path = small_tracker(tmp_path / "t.xlsx")
    saved: list[bytes] = []

    def save_now(temporary):
        _saved_by_someone_else(path)
        saved.append(path.read_bytes())

    monkeypatch.setattr(files, "in_write_window", save_now)
    with pytest.raises(WorkbookError) as err:
        refresh_file(path, TODAY)
    assert str(err.value) == f"{path}: changed while refreshing. Fix: run refresh again"
    assert path.read_bytes() == saved[0]  # their save survives whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


def test_without_a_save_the_refresh_writes(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    before = path.read_bytes()
    assert refresh_file(path, TODAY).written and path.read_bytes() != before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]  # the lock is gone


def _live_process() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_a_second_refresh_waits_then_says_another_is_running(tmp_path, monkeypatch):
    path = small_tracker(tmp_path / "t.xlsx")
    before = path.read_bytes()
    holder = _live_process()
    try:
        lock = tmp_path / ".t.xlsx.workbook-tools.lock"
        lock.write_text(str(holder.pid))
        monkeypatch.setattr(files, "LOCK_WAIT_SECONDS", 0.2)
        with pytest.raises(WorkbookError) as err:
            refresh_file(path, TODAY)
    finally:
        holder.kill()
        holder.wait()
    assert str(err.value) == (f"{path}: another refresh is running (process {holder.pid}, lock file "
                              ".t.xlsx.workbook-tools.lock). Fix: wait for it to finish and run the command "
                              "again; if no refresh is running, delete the lock file")
    assert path.read_bytes() == before and lock.read_text() == str(holder.pid)


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (tmp_path / ".t.xlsx.workbook-tools.lock").write_text(str(gone.pid))
    assert refresh_file(path, TODAY).written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


def test_the_lock_is_removed_after_an_error(tmp_path, monkeypatch):
    path = small_tracker(tmp_path / "t.xlsx")

    def fail(*args, **kwargs):
        raise WorkbookError(path, "boom", "none")

    monkeypatch.setattr(adapter, "plan_tracker", fail)
    with pytest.raises(WorkbookError):
        refresh_file(path, TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


def _text_file(path: Path) -> None:
    path.write_bytes(b"my notes, not a workbook")


def _some_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")


def _tracker_without_interviews(path: Path) -> None:
    small_tracker(path)
    _rename_sheet(path)


@pytest.mark.parametrize("make", [_text_file, _some_zip, _tracker_without_interviews],
                         ids=["not a workbook", "a zip", "no Interviews sheet"])
def test_an_output_that_is_not_a_tracker_is_refused(tmp_path, make):
    path = small_tracker(tmp_path / "t.xlsx")
    notes = tmp_path / "notes.xlsx"
    make(notes)
    before = notes.read_bytes()
    with pytest.raises(WorkbookError) as err:
        refresh_file(path, TODAY, output=notes)
    assert str(err.value) == (f"{notes}: exists and is not a tracker (no Interviews sheet with the Company and "
                              "Event Date headers); not overwritten. Fix: choose another name for --output, "
                              "or move that file away first")
    assert notes.read_bytes() == before


def _rename_sheet(path: Path) -> None:
    """The tracker at ``path`` with its Interviews sheet renamed, rewritten in place."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b'name="Interviews"', b'name="Notes"')
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_an_output_that_is_a_tracker_is_replaced(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    old = small_tracker(tmp_path / "old.xlsx")
    assert refresh_file(path, TODAY, output=old).written


def test_an_output_that_is_the_tracker_itself_says_so(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    (tmp_path / "sub").mkdir()
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as err:
        refresh_file(path, TODAY, output=tmp_path / "sub" / ".." / "t.xlsx")
    assert str(err.value) == (f"{tmp_path}/sub/../t.xlsx: is the tracker being refreshed itself (--output names the "
                              "same file). Fix: leave out --output to refresh the tracker in place, or name "
                              "another file")
    assert path.read_bytes() == before


def test_a_read_only_tracker_is_refused(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as err:
        refresh_file(path, TODAY)
    assert str(err.value) == (f"{path}: is read-only; not replaced. Fix: make it writable (clear Read-only in its "
                              "properties, or chmod u+w) or write to another name")
    assert path.read_bytes() == before and (path.stat().st_mode & 0o777) == 0o444


def test_a_tracker_in_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = small_tracker(folder / "t.xlsx")
    folder.chmod(0o555)
    try:
        with pytest.raises(WorkbookError) as err:
            refresh_file(path, TODAY)
    finally:
        folder.chmod(0o755)
    assert str(err.value) == (f"{path}: cannot be written: the folder {folder} is read-only. Fix: write to "
                              "another folder, or get permission to write to this one")


def test_a_hard_linked_tracker_is_refused_never_unlinked(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    os.link(path, tmp_path / "copy.xlsx")
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as err:
        refresh_file(path, TODAY)
    assert str(err.value).startswith(f"{path}: has 2 hard links; replacing it would leave the other names holding "
                                     "the old file, so it was not changed. Fix: ")
    assert path.read_bytes() == before and os.path.samefile(path, tmp_path / "copy.xlsx")


def test_a_symlinked_tracker_is_written_through(tmp_path):
    real = small_tracker(tmp_path / "real.xlsx")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    before = real.read_bytes()
    assert refresh_file(link, TODAY).written
    assert link.is_symlink() and real.read_bytes() != before


def test_mode_owner_and_group_are_kept(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    path.chmod(0o640)
    # root may give the file to anyone; a user only to a group they are in
    owner, group = (12345, 23456) if os.getuid() == 0 else (os.getuid(), (os.getgroups() or [os.getgid()])[-1])
    os.chown(path, owner, group)
    assert refresh_file(path, TODAY).written
    status = path.stat()
    assert (status.st_mode & 0o777, status.st_uid, status.st_gid) == (0o640, owner, group)


def test_stale_temporary_files_are_swept_and_fresh_ones_kept(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    stale, fresh = tmp_path / ".t.xlsx.abcd1234.tmp", tmp_path / ".t.xlsx.zzzz9999.tmp"
    other = tmp_path / ".t.xlsx.bak.abcd1234.tmp"  # another file's temporary: not ours to sweep
    for f in (stale, fresh, other):
        f.write_bytes(b"half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    refresh_file(path, TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".t.xlsx.bak.abcd1234.tmp", ".t.xlsx.zzzz9999.tmp",
                                                          "t.xlsx"]


KILL_IN_WRITE_WINDOW = """
import os, signal, sys
from datetime import date
import workbook_tools.files as files
files.in_write_window = lambda temporary: os.kill(os.getpid(), signal.SIGKILL)
from workbook_tools.adapters.file import refresh_file
refresh_file(sys.argv[1], date(2013, 9, 30))
"""


def test_a_kill_inside_the_write_window_leaves_the_tracker_exactly_as_it_was(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    before = path.read_bytes()
    run = subprocess.run([sys.executable, "-c", KILL_IN_WRITE_WINDOW, str(path)], cwd=ROOT, check=False)
    assert run.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    temporaries = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(temporaries) == 1 and (tmp_path / ".t.xlsx.workbook-tools.lock").exists()
    old = time.time() - 3600
    os.utime(temporaries[0], (old, old))
    assert refresh_file(path, TODAY).written  # the dead process's lock is taken over
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]
