"""The command line: exit codes and the exact messages, for good and bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.trackers import FRI, SAMPLE, small_tracker
from workbook_tools import contract as C
from workbook_tools.cli import main


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_new_writes_a_tracker_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "mine.xlsx"
    code, out, err = invoke("new", str(path))
    assert code == 0 and path.exists() and "new tracker written" in out
    assert openpyxl.load_workbook(path).sheetnames[:7] == list(C.SHEET_ORDER)
    code, out, err = invoke("new", str(path))
    assert code == 1
    assert err == f"{path}: already exists; not overwritten. Fix: choose another name, or move the old file away\n"


def test_new_needs_a_workbook_name(tmp_path):
    code, _, err = invoke("new", str(tmp_path / "mine.csv"))
    assert code == 2 and "must be named .xlsx or .xlsm" in err


def test_refresh_check_and_agenda_on_the_sample(tmp_path):
    path = tmp_path / "tracker.xlsx"
    shutil.copyfile(SAMPLE, path)
    code, out, err = invoke("refresh", str(path), "--today", "2026-11-23")
    assert (code, err) == (0, "")
    assert out == f"{path}: 17 rows, 138 cells changed (1 overdue, 2 due today, 7 upcoming, 2 waiting, 5 closed)\n"
    code, out, err = invoke("refresh", str(path), "--today", "2026-11-23")
    assert code == 0 and "nothing changed" in out
    assert invoke("check", str(path), "--today", "2026-11-23") == (0, f"{path}: no problems (17 rows)\n", "")
    code, out, err = invoke("agenda", str(path), "--today", "2026-11-23")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert "Due as of Mon 23 Nov 2026" in lines[0]
    assert out.index("overdue 3d") < out.index("today")  # overdue first
    assert "(312) 555-0187" in out and "#1 Call Marcus Bell" in out
    code, week, _ = invoke("agenda", str(path), "--today", "2026-11-23", "--days", "7")
    assert code == 0 and week.count("\n#") > out.count("\n#")


def test_dry_run_prints_changes_and_writes_nothing(tmp_path):
    path = tmp_path / "tracker.xlsx"
    shutil.copyfile(SAMPLE, path)
    code, out, _ = invoke("refresh", str(path), "--today", "2026-11-23", "--dry-run")
    assert code == 0 and path.read_bytes() == SAMPLE.read_bytes()
    assert out.splitlines()[0] == f"{path}: would change 138 cells (dry run, nothing written)"
    assert "  Interviews!V3: (blank) -> Overdue" in out.splitlines()


def test_not_a_zip(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("just text")
    code, out, err = invoke("refresh", str(path))
    assert code == 1 and out == ""
    assert err == (f"{path}: is not an Excel workbook (it is not a zip file). "
                   "Fix: name a .xlsx or .xlsm tracker, e.g. one made by `workbook-tools new`\n")


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    code, _, err = invoke("check", str(path))
    assert code == 1
    assert err == (f"{path}: is a zip file but not an Excel workbook (no xl/workbook.xml). "
                   "Fix: save it from Excel or LibreOffice as an Excel workbook (.xlsx)\n")


def test_missing_file(tmp_path):
    code, _, err = invoke("agenda", str(tmp_path / "nope.xlsx"))
    assert code == 1 and err == f"{tmp_path / 'nope.xlsx'}: no such file. Fix: check the path\n"


def test_missing_sheet(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    del wb[C.CALLS]
    wb.save(path)
    before = path.read_bytes()
    code, _, err = invoke("refresh", str(path), "--today", "2013-09-30")
    assert code == 1 and path.read_bytes() == before
    assert err == (f"{path}: Calls: the sheet 'Calls' is missing. Fix: add a sheet named Calls with the headers "
                   "Date, Time, Company, Position, Outcome, New Date, Notes (a new tracker from "
                   "`workbook-tools new` has it)\n"
                   f"{path}: not refreshed; the file is unchanged\n")


def test_missing_required_column(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    wb[C.INTERVIEWS]["A1"] = "Employer"
    wb.save(path)
    code, _, err = invoke("check", str(path))
    assert code == 1
    assert err == (f"{path}: Interviews!1:1: the required column 'Company' is missing. "
                   "Fix: add a column headed 'Company' to the header row\n")


def test_unreadable_date_and_unknown_company(tmp_path):
    path = small_tracker(
        tmp_path / "t.xlsx",
        interviews=[{"Company": "Acme", "Event Date": FRI}, {"Company": "Globex", "Event Date": "the 3rd-ish"}],
        calls=[{"Date": date(2013, 10, 2), "Company": "Initech", "Outcome": C.NO_ANSWER}],
    )
    code, out, err = invoke("refresh", str(path), "--today", "2013-09-30")
    assert code == 1
    assert err.splitlines() == [
        f"{path}: Interviews!E3: Event Date 'the 3rd-ish' is not a date. "
        "Fix: type a date such as 2026-11-23, or pick one from the date picker",
        f"{path}: Calls!C2: no row on Interviews for company 'Initech'. "
        "Fix: spell the company as on Interviews, or add its row there",
    ]
    ws = openpyxl.load_workbook(path)[C.INTERVIEWS]
    next_call = C.INTERVIEW_HEADERS.index("Next Call") + 1
    assert ws.cell(2, next_call).value.date() == date(2013, 10, 2)  # the good row is still refreshed
    assert ws.cell(3, next_call).value is None
    assert "fix Interviews!E3" in ws.cell(3, C.INTERVIEW_HEADERS.index("Next Action") + 1).value


def test_lock_file_refused(tmp_path):
    path = tmp_path / "tracker.xlsx"
    shutil.copyfile(SAMPLE, path)
    (tmp_path / "~$tracker.xlsx").write_bytes(b"x")
    code, _, err = invoke("refresh", str(path))
    assert code == 1 and path.read_bytes() == SAMPLE.read_bytes()
    assert "is open in Excel" in err and "close it in Excel first, or use the Refresh button" in err


def test_several_files_do_each_it_can(tmp_path):
    good = tmp_path / "a.xlsx"
    shutil.copyfile(SAMPLE, good)
    bad = tmp_path / "b.xlsx"
    bad.write_text("nope")
    code, out, err = invoke("refresh", str(tmp_path), "--today", "2026-11-23")
    assert code == 1 and f"{good}: 17 rows" in out and f"{bad}: is not an Excel workbook" in err


@pytest.mark.parametrize("args", [
    ["refresh"],
    ["refresh", "x.xlsx", "--today", "23/11/2026"],
    ["agenda", "x.xlsx", "--days", "-1"],
    ["frobnicate"],
    ["report", "x.xlsx", "-o", "summary.csv"],
    ["calendar", "x.xlsx", "-o", "plan.txt"],
])
def test_usage_errors_exit_2(args):
    code, _, err = invoke(*args)
    assert code == 2 and "Usage:" in err


def test_output_needs_one_tracker(tmp_path):
    code, _, err = invoke("refresh", "a.xlsx", "b.xlsx", "-o", str(tmp_path / "o.xlsx"))
    assert code == 2 and "--output needs exactly one tracker" in err


def test_python_dash_m_runs_without_a_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "workbook_tools", "check", str(tmp_path / "missing.xlsx")],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "no such file" in proc.stderr


def test_output_keeps_the_workbook_type(tmp_path):
    code, _, err = invoke("refresh", str(SAMPLE), "-o", str(tmp_path / "o.xlsm"))
    assert code == 1 and not (tmp_path / "o.xlsm").exists()
    assert err == (f"{tmp_path / 'o.xlsm'}: the output must keep the tracker's type (.xlsx). Fix: give the "
                   "output the extension .xlsx: Excel refuses a workbook whose name does not match its "
                   "content (macros or none)\n")


def test_new_xlsm_writes_the_workbook_and_its_runner(tmp_path):
    path = tmp_path / "tracker.xlsm"
    code, out, err = invoke("new", str(path))
    assert code == 0 and err == "" and path.exists() and (tmp_path / "tracker.py").exists()
    assert "tracker.py beside it" in out
    bad = tmp_path / "my tracker.xlsm"
    code, out, err = invoke("new", str(bad))
    assert code == 1 and not bad.exists() and str(bad) in err and "Fix:" in err


def test_new_with_runner_writes_a_plain_xlsx_and_the_runner_for_run_main(tmp_path):
    path = tmp_path / "tracker.xlsx"
    code, out, err = invoke("new", str(path), "--runner")
    assert (code, err) == (0, "") and path.exists() and (tmp_path / "tracker.py").exists()
    assert out == (f"{path}: new tracker written, with tracker.py beside it for the xlwings add-in (keep the "
                   "two together). Open it in Excel, add your interviews, then click xlwings > Run main.\n")
    assert "'tracker.xlsx'" in (tmp_path / "tracker.py").read_text(encoding="utf-8")
    code, out, err = invoke("new", str(tmp_path / "other.xlsm"), "--runner")  # an .xlsm has it anyway
    assert code == 0 and "for its Refresh button" in out and (tmp_path / "other.py").exists()


def test_new_with_runner_refuses_a_bad_name_or_a_runner_in_the_way_and_writes_nothing(tmp_path):
    bad = tmp_path / "my tracker.xlsx"
    code, out, err = invoke("new", str(bad), "--runner")
    assert code == 1 and out == "" and list(tmp_path.iterdir()) == []
    assert err.startswith(f"{bad}: the add-in's \"Run main\" runs `import my tracker`")
    assert err.endswith("Fix: name it my_tracker.xlsx, for example\n")
    (tmp_path / "tracker.py").write_text("# mine\n")
    code, _, err = invoke("new", str(tmp_path / "tracker.xlsx"), "--runner")
    assert code == 1 and not (tmp_path / "tracker.xlsx").exists()
    assert err == (f"{tmp_path / 'tracker.py'}: already exists; not overwritten. "
                   "Fix: choose another name, or move the old file away\n")


def test_runner_writes_only_the_runner_beside_an_existing_tracker(tmp_path):
    path = small_tracker(tmp_path / "tracker.xlsx")
    before = path.read_bytes()
    code, out, err = invoke("runner", str(path))
    assert (code, err) == (0, "") and path.read_bytes() == before
    runner = tmp_path / "tracker.py"
    assert out == (f"{runner}: written beside tracker.xlsx for xlwings > Run main (keep the two together, "
                   "and rename both together).\n")
    assert "from workbook_tools.excel import main" in runner.read_text(encoding="utf-8")
    code, out, err = invoke("runner", str(path))
    assert code == 1 and out == ""
    assert err == (f"{runner}: already exists; not overwritten. "
                   "Fix: move it away, or check it holds `from workbook_tools.excel import main`\n")


def test_runner_refuses_a_missing_workbook_and_a_name_the_add_in_cannot_import(tmp_path):
    missing = tmp_path / "tracker.xlsx"
    code, _, err = invoke("runner", str(missing))
    assert code == 1 and err == (f"{missing}: no such file. Fix: check the path, or make the tracker and its "
                                 "runner with `workbook-tools new tracker.xlsx --runner`\n")
    for name, fix in (("json.xlsx", "choose another name, such as json_tracker.xlsx"),
                      ("pythoncom.xlsm", "choose another name, such as pythoncom_tracker.xlsm"),
                      ("tracker (1).xlsx", "name it tracker__1_.xlsx, for example")):
        path = small_tracker(tmp_path / name)
        code, out, err = invoke("runner", str(path))
        assert code == 1 and out == "" and err.startswith(f"{path}: ") and err.endswith(f"Fix: {fix}\n")
    assert not list(tmp_path.glob("*.py"))
    code, _, err = invoke("runner", str(tmp_path / "notes.csv"))
    assert code == 2 and "must be named .xlsx or .xlsm" in err and "Usage:" in err
    code, _, err = invoke("runner")
    assert code == 2 and "Usage:" in err
