"""The command line on hostile input (issue 13, part D): numbers out of range, files
that cannot be read in a folder, control characters in a workbook, far stray values.
Each answer is an exit code and a message naming the file, never a traceback."""

from __future__ import annotations

import builtins
import pathlib
from datetime import date

import pytest
from click.testing import CliRunner

from tests.support.trackers import FRI, small_tracker
from workbook_tools.cli import main

TODAY = "2013-09-30"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.parametrize("command", ["agenda", "calendar"])
def test_days_past_ten_years_is_a_usage_error(tmp_path, command):
    path = small_tracker(tmp_path / "t.xlsx")
    extra = ["-o", str(tmp_path / "c.ics")] if command == "calendar" else []
    result = run(command, str(path), "--days", str(10 ** 11), *extra)
    assert result.exit_code == 2
    assert "Invalid value for '--days': 100000000000 is not in the range 0<=x<=3660." in result.output


@pytest.mark.parametrize("command", ["agenda", "calendar"])
def test_days_from_a_today_near_9999_stays_inside_the_calendar(tmp_path, command):
    path = small_tracker(tmp_path / "t.xlsx")
    extra = ["-o", str(tmp_path / "c.ics")] if command == "calendar" else []
    result = run(command, str(path), "--today", "9999-12-30", "--days", "3660", *extra)
    assert result.exit_code == 0, result.output


def test_a_plan_past_9999_is_a_problem_on_its_row_and_the_file_is_still_refreshed(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Late", "Position": "A", "Event Date": date(9999, 12, 30)},
        {"Company": "Acme", "Position": "A", "Event Date": FRI}])
    result = run("refresh", str(path), "--today", TODAY)
    assert result.exit_code == 1
    assert (f"{path}: Interviews!E2: the plan runs past the year 9999. Fix: check the row's dates, its Call When "
            "and the waits of its cadence (Cadences), and the Country's working days") in result.output
    assert f"{path}: 1 row, 12 cells changed (1 upcoming)" in result.output  # both rows written


def _escaped_company(tmp_path):
    return small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Ac\x1b[31mme\x9b", "Position": "Analyst", "Event Date": FRI, "Call When": "\x1b[2J soon"}])


@pytest.mark.parametrize("command", [("agenda",), ("check",), ("refresh", "--dry-run")])
def test_control_characters_from_a_workbook_never_reach_the_terminal(tmp_path, command):
    path = _escaped_company(tmp_path)
    before = path.read_bytes()
    result = run(*command, str(path), "--today", TODAY)
    assert "\x1b" not in result.output and "\x9b" not in result.output
    assert result.exit_code == 1  # the Call When cell is a problem
    if command[0] == "agenda":
        assert "Ac\\x1b[31mme\\x9b" in result.output
    assert path.read_bytes() == before


def test_a_folder_with_unreadable_files_goes_on_with_the_others(tmp_path):
    small_tracker(tmp_path / "a.xlsx")
    small_tracker(tmp_path / "z.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    (tmp_path / "folder.xlsx").mkdir()
    result = run("refresh", str(tmp_path), "--today", TODAY, "--dry-run")
    assert result.exit_code == 1
    assert (f"{tmp_path / 'broken.xlsx'}: is not an Excel workbook (it is not a zip file). Fix: name a .xlsx or "
            ".xlsm tracker") in result.output
    assert f"{tmp_path / 'a.xlsx'}: would change" in result.output
    assert f"{tmp_path / 'z.xlsx'}: would change" in result.output


@pytest.fixture
def locked(tmp_path, monkeypatch):
    """A tracker the user may not read (the tests run as root, who may read anything:
    opening it is made to fail as it does for a user without read permission)."""
    path = small_tracker(tmp_path / "locked.xlsx")
    real_open, real_path_open = builtins.open, pathlib.Path.open

    def refuse(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    def refuse_path(self, *args, **kwargs):
        if str(self) == str(path):
            raise PermissionError(13, "Permission denied", str(self))
        return real_path_open(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(pathlib.Path, "open", refuse_path)
    return path


@pytest.mark.parametrize("command", [("check",), ("agenda",), ("refresh",), ("refresh", "--dry-run"), ("report",)])
def test_a_named_file_without_read_permission_exits_1_with_its_message(locked, command):
    result = run(*command, str(locked), "--today", TODAY)
    assert result.exit_code == 1
    assert f"{locked}: cannot be read (Permission denied). Fix: check the file's permissions" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [("check",), ("agenda",), ("refresh",)])
def test_a_named_folder_called_xlsx_exits_1_with_its_message(tmp_path, command):
    folder = tmp_path / "x.xlsx"
    folder.mkdir()
    result = run(*command, str(folder), "--today", TODAY)
    assert result.exit_code == 1
    assert f"{folder}: is a folder, not a workbook. Fix: name a .xlsx or .xlsm file" in result.output


def test_a_folder_with_a_locked_file_goes_on_with_the_others(locked):
    small_tracker(locked.parent / "other.xlsx")
    result = run("refresh", str(locked.parent), "--today", TODAY)
    assert result.exit_code == 1
    assert f"{locked}: cannot be read (Permission denied)" in result.output
    assert f"{locked.parent / 'other.xlsx'}: 1 row, 9 cells changed" in result.output


def test_a_stray_value_far_below_the_table_is_a_problem_and_the_rest_is_refreshed(tmp_path):
    import openpyxl

    path = small_tracker(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    book["Interviews"]["A60000"] = "oops"
    book.save(path)
    result = run("refresh", str(path), "--today", TODAY)
    assert result.exit_code == 1
    assert (f"{path}: Interviews!A60000: a value 59,997 blank rows below row 2, more than the 1,000 blank rows a "
            "table may have in it. Fix: delete it if it is stray, or move it up to the end of the table"
            ) in result.output
    ws = openpyxl.load_workbook(path)["Interviews"]
    assert ws["A60000"].value == "oops" and ws.max_row == 60000  # left as it was
    headers = [c.value for c in ws[1]]
    assert ws.cell(2, headers.index("Flag") + 1).value  # the real row is planned
    assert ws.cell(60000, headers.index("Flag") + 1).value is None
    assert ws.tables["tblInterviews"].ref.endswith("2")  # the table did not grow to the stray row


@pytest.mark.parametrize("command", ["check", "agenda", "refresh"])
def test_a_named_pipe_is_not_waited_on(tmp_path, command):
    import os

    fifo = tmp_path / "fifo.xlsx"
    os.mkfifo(fifo)
    result = run(command, str(fifo), "--today", TODAY)
    assert result.exit_code == 1
    assert (f"{fifo}: is not a regular file (a pipe, a device or a socket), so not a workbook. "
            "Fix: name a .xlsx or .xlsm tracker file") in result.output


def test_a_newline_in_a_file_name_stays_on_its_line(tmp_path):
    path = small_tracker(tmp_path / "x\ny.xlsx")
    result = run("check", str(path), "--today", TODAY)
    assert result.exit_code == 0
    assert result.output == f"{str(path).replace(chr(10), chr(92) + 'n')}: no problems (1 row)\n"


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u202a"])
def test_bidirectional_overrides_from_a_workbook_are_shown_not_obeyed(tmp_path, control):
    """U+202E and its kin would print the rest of a line reversed: shown as their codes."""
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": f"Acme{control}gnp.exe", "Position": "Analyst", "Event Date": FRI, "Thank-You Sent": FRI}])
    result = run("agenda", str(path), "--today", TODAY, "--days", "7")
    assert control not in result.output
    assert f"Acme\\u{ord(control):04x}gnp.exe" in result.output
