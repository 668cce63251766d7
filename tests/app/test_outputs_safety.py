"""The other outputs under faults and hostile names: `new` on a full disk leaves nothing
that blocks the retry, `report -o` on a full disk prints its message and no traceback,
and a tracker named like a formula is written into the report as text."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.trackers import small_tracker
from workbook_tools import files
from workbook_tools.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("name", ["n.xlsx", "n.xlsm"])
def test_new_on_a_full_disk_leaves_nothing_and_the_retry_works(tmp_path, monkeypatch, name):
    target = tmp_path / name
    with monkeypatch.context() as patch:
        patch.setattr(files.os, "fsync", _disk_full)
        result = CliRunner().invoke(main, ["new", str(target)], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output.strip() == (f"{target}: could not be written (No space left on device); nothing was left "
                                     "behind. Fix: free some disk space, check that you may write to the folder, "
                                     "and run the command again")
    assert list(tmp_path.iterdir()) == []
    assert CliRunner().invoke(main, ["new", str(target)], catch_exceptions=False).exit_code == 0
    assert zipfile.is_zipfile(target)


FULL_DISK_REPORT = """
import errno, io, os, sys
import workbook_tools.files as files
class Full(io.FileIO):
    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")
real_fdopen = os.fdopen
files.os = type(os)("os_with_a_full_disk")
files.os.__dict__.update(os.__dict__)
files.os.fdopen = lambda fd, mode: Full(fd, "wb")
sys.argv = ["workbook-tools", "report", sys.argv[1], "-o", sys.argv[2]]
from workbook_tools.cli import main
main()
"""


def test_report_on_a_full_disk_prints_its_message_and_no_traceback(tmp_path):
    tracker = small_tracker(tmp_path / "t.xlsx")
    out = tmp_path / "r.xlsx"
    run = subprocess.run([sys.executable, "-c", FULL_DISK_REPORT, str(tracker), str(out)], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert run.stderr == (f"{out}: cannot write the report (No space left on device). Fix: close it in Excel, "
                          "check that the folder exists and that the disk has room\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


def _cell_xml(path: Path, sheet: str = "xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(sheet).decode()


@pytest.mark.parametrize("name", ["=1+1.xlsx", "+1.xlsx", "@SUM(A1).xlsx", "http_example.com.xlsx", "123.xlsx"])
def test_a_tracker_named_like_a_formula_is_text_in_the_report(tmp_path, monkeypatch, name):
    tracker = small_tracker(tmp_path / name)
    out = tmp_path / "report.xlsx"
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["report", tracker.name, "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    trackers = _cell_xml(out)
    assert "<f>" not in trackers and "<hyperlink" not in trackers
    with zipfile.ZipFile(out) as z:
        assert name in z.read("xl/sharedStrings.xml").decode()


def test_report_onto_a_read_only_file_is_refused(tmp_path):
    tracker = small_tracker(tmp_path / "t.xlsx")
    out = tmp_path / "r.xlsx"
    assert CliRunner().invoke(main, ["report", str(tracker), "-o", str(out)]).exit_code == 0  # an earlier report
    old = out.read_bytes()
    out.chmod(0o444)
    result = CliRunner().invoke(main, ["report", str(tracker), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 1
    assert (f"{out}: is read-only; not replaced. Fix: make it writable (clear Read-only in its "
            "properties, or chmod u+w) or write to another name\n") in result.output
    assert out.read_bytes() == old


def test_new_refuses_an_existing_file_and_leaves_it(tmp_path):
    target = tmp_path / "n.xlsx"
    shutil.copyfile(small_tracker(tmp_path / "t.xlsx"), target)
    before = target.read_bytes()
    result = CliRunner().invoke(main, ["new", str(target)], catch_exceptions=False)
    assert result.exit_code == 1 and "already exists; not overwritten" in result.output
    assert target.read_bytes() == before


@pytest.mark.parametrize("target, message", [
    ("t.xlsx", "is one of the trackers being reported on; not overwritten"),
    ("other.xlsx", "exists and is not a report (no Trackers and Charts sheets); not overwritten"),
])
def test_report_never_replaces_a_tracker(tmp_path, target, message):
    tracker = small_tracker(tmp_path / "t.xlsx")
    small_tracker(tmp_path / "other.xlsx")
    out = tmp_path / target
    before = out.read_bytes()
    result = CliRunner().invoke(main, ["report", str(tracker), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 1 and f"{out}: {message}" in result.output
    assert out.read_bytes() == before


def test_report_replaces_an_earlier_report(tmp_path):
    tracker = small_tracker(tmp_path / "t.xlsx")
    out = tmp_path / "r.xlsx"
    for _ in range(2):
        result = CliRunner().invoke(main, ["report", str(tracker), "-o", str(out)], catch_exceptions=False)
        assert result.exit_code == 0 and f"{out}: report written" in result.output
