"""The commands on an install without pandas and numpy (issue 16, "the button"): pandas is
the `pandas` extra, used by `report` and `import` only. Each command runs as
``workbook-tools`` in a child Python where neither can be imported, as when they are not
installed (`tests.support.lean`), and again in one where they can: the other commands give
the same output and the same files; `report` and `import` stop with the problem and the fix
on stderr, exit 2 (as for a usage error), no traceback, and write nothing."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

import openpyxl
import pytest

from tests.support.lean import LEAN, cli, python
from tests.support.trackers import SAMPLE, small_tracker
from workbook_tools import contract as C
from workbook_tools.errors import MissingExtraError, missing_extra, needs_extra
from workbook_tools.template.sample import SAMPLE_TODAY

TODAY = SAMPLE_TODAY.isoformat()
NEXT_DAY = (SAMPLE_TODAY + timedelta(days=1)).isoformat()
FIX = 'Fix: install it with: pip install "workbook-tools[pandas]"'
NO_PANDAS_REPORT = f"the report needs pandas, which this install leaves out. {FIX}\n"
NO_PANDAS_IMPORT = f"the import needs pandas, which this install leaves out. {FIX}\n"
LEADS_CSV = "Company,Role,Date Applied,Stage,Recruiter\nGlobex,Dev,2024-06-12,Phone screen,Ann Lee\n"


class Run(NamedTuple):
    """A command's exit code, stdout, stderr, and every file of its folder afterwards and
    before (as `comparable` makes them)."""

    code: int
    out: str
    err: str
    files: dict[str, object]
    before: dict[str, object]


#: What differs from one run to the next by design: the time a calendar is made (RFC 5545's
#: DTSTAMP) and the random identity of a new tracker (`contract.TRACKER_ID_NAME`).
_DTSTAMP = re.compile(rb"^DTSTAMP:\d{8}T\d{6}Z\r$", re.M)
_TRACKER_ID = re.compile(rb'(name="' + C.TRACKER_ID_NAME.encode() + rb'">)"[0-9a-f]{32}"')


def comparable(path: Path) -> object:
    """A file's bytes; a calendar's with its DTSTAMPs blanked; a workbook's parts (name,
    zip date, compression, bytes) with a new tracker's identity blanked."""
    data = path.read_bytes()
    if path.suffix == ".ics":
        return _DTSTAMP.sub(b"DTSTAMP:-\r", data)
    if path.suffix in (".xlsx", ".xlsm"):
        with zipfile.ZipFile(path) as book:
            return [(i.filename, i.date_time, i.compress_type, _TRACKER_ID.sub(rb'\1"-"', book.read(i)))
                    for i in book.infolist()]
    return data


def folder_files(folder: Path) -> dict[str, object]:
    return {p.relative_to(folder).as_posix(): comparable(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def run(folder: Path, args: list[str], absent: tuple[str, ...]) -> Run:
    before = folder_files(folder)
    done = cli(args, folder, absent=absent)
    return Run(done.returncode, done.stdout, done.stderr, folder_files(folder), before)


def both(tmp_path: Path, args: list[str], setup: Callable[[Path], object] | None = None) -> tuple[Run, Run]:
    """``workbook-tools ARGS`` without pandas and numpy, then with them, each in the same
    folder made afresh (the calendar's events name the tracker's full path) by ``setup``:
    by default a copy of the sample as tracker.xlsx."""
    folder = tmp_path / "work"
    runs = []
    for absent in (LEAN, ()):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        if setup is None:
            shutil.copyfile(SAMPLE, folder / "tracker.xlsx")
        else:
            setup(folder)
        runs.append(run(folder, args, absent))
    return runs[0], runs[1]


def test_the_child_python_has_no_pandas_nor_numpy_and_the_other_one_has_both(tmp_path):
    code = """
        import importlib.util, sys
        for name in ("pandas", "numpy", "pandas.errors"):
            try:
                __import__(name)
                print(name, "imported")
            except ModuleNotFoundError as exc:
                print(name, exc.name, exc, importlib.util.find_spec(name.partition(".")[0]))
        print(sorted(m for m in sys.modules if m.partition(".")[0] in ("pandas", "numpy"))[:1])
    """
    lean = python(code, tmp_path, absent=LEAN)
    assert (lean.returncode, lean.stderr) == (0, "")
    assert lean.stdout.splitlines() == ["pandas pandas No module named 'pandas' None",
                                        "numpy numpy No module named 'numpy' None",
                                        "pandas.errors pandas No module named 'pandas' None", "[]"]
    full = python(code, tmp_path, absent=())
    assert (full.returncode, full.stderr) == (0, "")
    assert full.stdout.splitlines() == ["pandas imported", "numpy imported", "pandas.errors imported", "['numpy']"]


#: The commands that need no pandas, each as it is typed in the folder holding tracker.xlsx
#: (the sample), with the files there afterwards and a part of what it prints.
WITHOUT_PANDAS = {
    "refresh --output": (["refresh", "tracker.xlsx", "--today", TODAY, "--output", "out.xlsx"],
                         ["out.xlsx", "tracker.xlsx"], "out.xlsx: 17 rows"),
    "refresh in place, a day on": (["refresh", "tracker.xlsx", "--today", NEXT_DAY], ["tracker.xlsx"],
                                   "cells changed"),
    "check": (["check", "tracker.xlsx", "--today", TODAY], ["tracker.xlsx"], "17 rows"),
    "agenda": (["agenda", "tracker.xlsx", "--today", TODAY], ["tracker.xlsx"], "Due as of"),
    "agenda --days": (["agenda", "tracker.xlsx", "--today", TODAY, "--days", "30"], ["tracker.xlsx"], "#1 Call"),
    "calendar": (["calendar", "tracker.xlsx", "--today", TODAY, "-o", "calls.ics"], ["calls.ics", "tracker.xlsx"],
                 "calls.ics: "),
    "new": (["new", "fresh.xlsx"], ["fresh.xlsx", "tracker.xlsx"], "new tracker written"),
    "new --runner": (["new", "fresh.xlsx", "--runner"], ["fresh.py", "fresh.xlsx", "tracker.xlsx"], "Run main"),
    "new .xlsm": (["new", "fresh.xlsm"], ["fresh.py", "fresh.xlsm", "tracker.xlsx"], "click Refresh"),
}


@pytest.mark.parametrize("args, files, says", WITHOUT_PANDAS.values(), ids=WITHOUT_PANDAS.keys())
def test_the_other_commands_give_the_same_output_and_files_without_pandas(tmp_path, args, files, says):
    lean, full = both(tmp_path, args)
    assert (full.code, full.err) == (0, "")
    assert says in full.out and sorted(full.files) == files
    assert lean == full


def test_check_of_a_tracker_with_problems_says_the_same_without_pandas(tmp_path):
    lean, full = both(tmp_path, ["check", "t.xlsx", "--today", TODAY], lambda folder: small_tracker(
        folder / "t.xlsx", interviews=[{"Company": "Acme", "Event Date": "someday"}]))
    assert full.code == 1 and "t.xlsx: Interviews!" in full.err
    assert lean == full


@pytest.mark.parametrize("output", [[], ["-o", "report.xlsx"]], ids=["terminal", "workbook"])
def test_report_without_pandas_says_so_and_the_fix_exit_2_and_writes_nothing(tmp_path, output):
    lean, full = both(tmp_path, ["report", "tracker.xlsx", "--today", TODAY, *output])
    assert lean.code == 2
    assert (lean.out, lean.err) == ("", NO_PANDAS_REPORT)
    assert list(lean.files) == ["tracker.xlsx"]
    assert full.code == 0 and "Trackers" in full.out and full.err == ""
    assert list(full.files) == sorted(["tracker.xlsx", *output[1:]])


def test_report_without_pandas_says_so_before_reading_any_tracker(tmp_path):
    """A careers office's folder of trackers is not read (and its damaged files not
    reported) only to be told at the end that the report cannot be made."""
    shutil.copyfile(SAMPLE, tmp_path / "a.xlsx")
    (tmp_path / "b.xlsx").write_bytes(b"not a workbook")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    done = cli(["report", str(tmp_path), "--today", TODAY], tmp_path, absent=("pandas", "numpy"))
    assert (done.returncode, done.stdout, done.stderr) == (2, "", NO_PANDAS_REPORT)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_report_with_pandas_but_without_numpy_names_numpy(tmp_path):
    shutil.copyfile(SAMPLE, tmp_path / "tracker.xlsx")
    done = run(tmp_path, ["report", "tracker.xlsx", "--today", TODAY], ("numpy",))
    assert (done.code, done.out) == (2, "")
    assert done.err == f"the report needs numpy, which this install leaves out. {FIX}\n"


def _leads(folder: Path) -> None:
    """A tracker, t.xlsx, and one lead to import into it, as leads.csv and as leads.xlsx."""
    small_tracker(folder / "t.xlsx")
    (folder / "leads.csv").write_text(LEADS_CSV, encoding="utf-8")
    book = openpyxl.Workbook()
    for line in LEADS_CSV.splitlines():
        book.active.append(line.split(","))
    book.save(folder / "leads.xlsx")


@pytest.mark.parametrize("source", ["leads.csv", "leads.xlsx"])
@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["import", "dry-run"])
def test_import_without_pandas_says_so_and_the_fix_exit_2_and_changes_nothing(tmp_path, source, dry_run):
    lean, full = both(tmp_path, ["import", source, "--into", "t.xlsx", "--today", "2024-07-01", *dry_run], _leads)
    assert lean.code == 2
    assert (lean.out, lean.err) == ("", NO_PANDAS_IMPORT + "t.xlsx: nothing imported; the tracker is unchanged\n")
    assert lean.files == lean.before
    assert full.code == 0 and full.err == "" and "Globex" in full.out
    assert (full.files == full.before) == bool(dry_run)


# --- The one helper that tells a missing extra from another failed import -------------------

def test_a_missing_pandas_or_numpy_becomes_the_message_with_the_fix():
    with pytest.raises(MissingExtraError) as caught, needs_extra("the report"):
        raise ModuleNotFoundError("No module named 'pandas'", name="pandas")
    assert str(caught.value) == NO_PANDAS_REPORT.rstrip("\n")
    assert caught.value.name == "pandas" and isinstance(caught.value, ImportError)
    with pytest.raises(MissingExtraError) as caught, needs_extra("the import"):
        raise ModuleNotFoundError("No module named 'pandas.errors'", name="pandas.errors")
    assert caught.value.name == "pandas"


def test_pandas_own_error_for_a_missing_numpy_is_told_by_its_cause():
    try:
        try:
            raise ModuleNotFoundError("No module named 'numpy'", name="numpy")
        except ImportError as exc:
            raise ImportError("Unable to import required dependency numpy.") from exc
    except ImportError as exc:
        assert missing_extra(exc) == "numpy"


@pytest.mark.parametrize("error", [
    ModuleNotFoundError("No module named 'lxml'", name="lxml"),
    ModuleNotFoundError("No module named 'pandasx'", name="pandasx"),
    ImportError("cannot import name 'frame' from 'pandas'", name="pandas"),
    ImportError("Missing optional dependency 'python-calamine'."),
], ids=["another package", "a longer name", "a name pandas lacks", "pandas' optional dependency"])
def test_any_other_import_error_goes_through_unchanged(error):
    with pytest.raises(ImportError) as caught, needs_extra("the report"):
        raise error
    assert caught.value is error
