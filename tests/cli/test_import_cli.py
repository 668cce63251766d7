"""`workbook-tools import` on the command line (issue 15, part 1): the exact messages,
the exit codes (0 all in, 1 some rows or sources could not come in or nothing could be
done, 2 usage), --dry-run writing nothing, and hostile sources answered with a message."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.trackers import small_tracker
from workbook_tools.cli import main

TODAY = "2024-07-01"
GOOD = "Company,Role,Date Applied,Stage,Recruiter\nGlobex,Dev,2024-06-12,Phone screen,Ann Lee\n"
MIXED = ("My list\nCompany,Role,Date Applied,Stage,Recruiter,Salary\nGlobex,Dev,2024-06-12,Applied,Ann Lee,1\n"
         ",QA,2024-06-13,,,\nInitech,QA,2024-06-13,Foo,,\nAcme,Analyst,2013-09-27,,,\nHooli,PM,2024-06-01,Saved,,\n")


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def files(tmp_path, monkeypatch):
    """A tracker and two lists, named relative to the folder the command runs in."""
    monkeypatch.chdir(tmp_path)
    small_tracker(tmp_path / "t.xlsx")
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    (tmp_path / "mixed.csv").write_text(MIXED, encoding="utf-8")
    return tmp_path


def test_all_rows_in_exit_0_with_the_mapping_the_rows_and_the_refresh(files):
    code, out, err = run("import", "good.csv", "--into", "t.xlsx", "--today", TODAY)
    assert (code, err) == (0, "")
    assert out == (
        "good.csv: CSV, UTF-8, comma-separated, header row on line 1\n"
        "  Company -> Company\n"
        "  Role -> Position\n"
        "  Date Applied -> Event Date\n"
        "  Stage -> Status\n"
        "  Recruiter -> Contact\n"
        "good.csv: 1 new row, 0 duplicates skipped\n"
        "t.xlsx: added 1 row to Interviews and 1 to Contacts\n"
        "  Interviews row 3: Globex | Dev | Phone screen | Wed 12 Jun 2024 | Ann Lee (from good.csv line 2)\n"
        "  Contacts row 3: Ann Lee | Globex (from good.csv line 2)\n"
        "t.xlsx: refreshed, 2 rows, 16 cells changed (2 overdue)\n")
    code, out, err = run("import", "good.csv", "--into", "t.xlsx", "--today", TODAY)
    assert (code, err) == (0, "")
    assert out.endswith("good.csv: 0 new rows, 1 duplicate skipped\nt.xlsx: nothing to add; the tracker is unchanged\n")


def test_bad_rows_on_stderr_the_rest_in_exit_1(files):
    code, out, err = run("import", "mixed.csv", "--into", "t.xlsx", "--today", TODAY, "--map", "Salary=")
    assert code == 1
    assert err == ("mixed.csv: line 4: no company (column 'Company' is blank). Fix: write the company in column "
                   "'Company' on line 4 and import again\n")
    assert out == (
        "mixed.csv: CSV, UTF-8, comma-separated, header row on line 2\n"
        "  Company -> Company\n"
        "  Role -> Position\n"
        "  Date Applied -> Event Date\n"
        "  Stage -> Status\n"
        "  Recruiter -> Contact\n"
        "  Salary: ignored, --map leaves it out\n"
        "  line 5: stage 'Foo' is not one the import knows: the row is left open, and the stage kept in Notes\n"
        "mixed.csv: 2 new rows, 1 duplicate skipped, 1 saved job left out (not applied to yet), 1 bad row\n"
        "t.xlsx: added 2 rows to Interviews and 1 to Contacts\n"
        "  Interviews row 3: Globex | Dev | Application | Wed 12 Jun 2024 | Ann Lee (from mixed.csv line 3)\n"
        "  Interviews row 4: Initech | QA | Application | Thu 13 Jun 2024 (from mixed.csv line 5)\n"
        "  Contacts row 3: Ann Lee | Globex (from mixed.csv line 3)\n"
        "t.xlsx: refreshed, 3 rows, 24 cells changed (3 overdue)\n")


def test_dry_run_prints_what_it_would_add_and_writes_nothing(files):
    before = (files / "t.xlsx").read_bytes()
    code, out, err = run("import", "good.csv", "--into", "t.xlsx", "--today", TODAY, "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines()[-3:] == [
        "t.xlsx: would add 1 row to Interviews and 1 to Contacts (dry run, nothing written)",
        "  Interviews row 3: Globex | Dev | Phone screen | Wed 12 Jun 2024 | Ann Lee (from good.csv line 2)",
        "  Contacts row 3: Ann Lee | Globex (from good.csv line 2)"]
    assert (files / "t.xlsx").read_bytes() == before
    assert sorted(p.name for p in files.iterdir()) == ["good.csv", "mixed.csv", "t.xlsx"]


def test_a_source_that_cannot_be_read_and_one_that_can(files):
    code, out, err = run("import", "nope.csv", "good.csv", "--into", "t.xlsx", "--today", TODAY)
    assert code == 1
    assert err == "nope.csv: does not exist. Fix: check the file name and folder\n"
    assert "t.xlsx: added 1 row to Interviews and 1 to Contacts\n" in out


@pytest.mark.parametrize(("args", "message"), [
    (["nope.csv", "--into", "t.xlsx"],
     "nope.csv: does not exist. Fix: check the file name and folder\n"
     "t.xlsx: nothing to add; the tracker is unchanged\n"),
    (["good.csv", "--into", "missing.xlsx"],
     "missing.xlsx: no such file. Fix: check the path\nmissing.xlsx: nothing imported; the tracker is unchanged\n"),
    (["t.xlsx", "--into", "t.xlsx"],
     "t.xlsx: is the tracker itself. Fix: name the list to import, and the tracker after --into\n"
     "t.xlsx: nothing to add; the tracker is unchanged\n"),
])
def test_nothing_could_be_done_exit_1(files, args, message):
    before = (files / "t.xlsx").read_bytes()
    code, _, err = run("import", *args, "--today", TODAY)
    assert code == 1
    assert err == message
    assert (files / "t.xlsx").read_bytes() == before


def test_a_tracker_that_is_no_tracker_is_left_alone(files):
    other = files / "other.xlsx"
    other.write_bytes(b"PK\x03\x04 not really")
    code, _, err = run("import", "good.csv", "--into", "other.xlsx")
    assert code == 1
    assert err.splitlines()[-1] == "other.xlsx: nothing imported; the tracker is unchanged"


def test_a_tracker_open_in_excel(files):
    (files / "~$t.xlsx").write_bytes(b"")
    code, _, err = run("import", "good.csv", "--into", "t.xlsx")
    assert code == 1
    assert err == ("t.xlsx: is open in Excel (owner file ~$t.xlsx). Fix: close it in Excel first, or use the Refresh "
                   "button inside the workbook\nt.xlsx: nothing imported; the tracker is unchanged\n")


@pytest.mark.parametrize(("args", "message"), [
    (["good.csv", "--into", "t.xlsx", "--map", "Job Title"],
     "Error: --map 'Job Title' is not COLUMN=TARGET: write it like \"Job Title=Position\""),
    (["good.csv", "--into", "t.xlsx", "--map", "Role=Salary"],
     "Error: --map 'Role=Salary': 'Salary' is not a column the import fills"),
    (["good.csv", "--into", "good.csv"], "Error: good.csv: a tracker must be named .xlsx or .xlsm"),
    (["good.csv"], "Error: Missing option '--into'."),
    (["--into", "t.xlsx"], "Error: Missing argument 'SOURCES...'."),
])
def test_usage_errors_exit_2(files, args, message):
    code, _, err = run("import", *args)
    assert code == 2
    assert message in err


def _binary(path: Path) -> None:
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)


def _huge(path: Path) -> None:
    with path.open("wb") as fh:
        fh.truncate(2 * 2**30)


def _wide(path: Path) -> None:
    path.write_text("Company,Date\n" + "," * 10_000_000 + "\n")


def _bomb(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * (64 << 20) + b"</worksheet>")


@pytest.mark.parametrize(("name", "make", "message"), [
    ("bin.csv", _binary,
     "bin.csv: is not a CSV or Excel file: it holds binary data. Fix: name the CSV or XLSX file your tracker exported"),
    ("huge.csv", _huge,
     "huge.csv: is bigger than 32 MB, more than a list of leads ever is; nothing was imported from it. Fix: export "
     "only the rows you want to import, or split the file"),
    ("wide.csv", _wide,
     "wide.csv: line 2 has 10,000,001 columns, more than the 256 a list of leads may have; nothing was read. Fix: "
     "export only the columns you want to import"),
    ("bomb.xlsx", _bomb, "bomb.xlsx: is damaged or hostile: part xl/worksheets/sheet1.xml inflates"),
])
def test_hostile_sources_get_a_message_and_leave_the_tracker_alone(files, name, make, message):
    make(files / name)
    before = (files / "t.xlsx").read_bytes()
    code, out, err = run("import", name, "--into", "t.xlsx", "--today", TODAY)
    assert code == 1 and out == ""
    assert err.startswith(message)
    assert err.endswith("t.xlsx: nothing to add; the tracker is unchanged\n")
    assert (files / "t.xlsx").read_bytes() == before


def test_a_workbook_with_leads_on_two_sheets_and_a_namesake(files):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "2023"
    book.active.append(["Company", "Position", "Date Applied"])
    book.active.append(["Umbrella", "Dev", "2023-05-01"])
    sheet = book.create_sheet("2024")
    sheet.append(["Company", "Position", "Date Applied"])
    sheet.append(["Wayne", "QA", "someday"])
    book.save(files / "years.xlsx")
    (files / "n.csv").write_text("Company,Date Applied,Recruiter,Phone\nGlobex,2024-06-12,Jane Roe,555-0400\n",
                                 encoding="utf-8")
    code, out, err = run("import", "years.xlsx", "n.csv", "--into", "t.xlsx", "--dry-run", "--today", TODAY)
    assert code == 1
    assert out == (
        "years.xlsx: sheet '2023', header row on line 1\n"
        "  Company -> Company\n  Position -> Position\n  Date Applied -> Event Date\n"
        "years.xlsx (sheet '2023'): 1 new row, 0 duplicates skipped\n"
        "years.xlsx: sheet '2024', header row on line 1\n"
        "  Company -> Company\n  Position -> Position\n  Date Applied -> Event Date\n"
        "years.xlsx (sheet '2024'): 0 new rows, 0 duplicates skipped, 1 bad row\n"
        "n.csv: CSV, UTF-8, comma-separated, header row on line 1\n"
        "  Company -> Company\n  Date Applied -> Event Date\n  Recruiter -> Contact\n  Phone -> Phone\n"
        "  line 2: 'Jane Roe' is on Contacts at Acme, and this row is at Globex: it is not linked to that contact, "
        "and its contact details are kept in its Notes. Fix: if they are one person, type the name in the row's "
        "Contact; if two, add this one to Contacts under a name that tells them apart (such as 'Jane Roe (Globex)') "
        "and type that in the row's Contact\n"
        "n.csv: 1 new row, 0 duplicates skipped\n"
        "t.xlsx: would add 2 rows to Interviews (dry run, nothing written)\n"
        "  Interviews row 3: Umbrella | Dev | Application | Mon 1 May 2023 (from years.xlsx (sheet '2023') line 2)\n"
        "  Interviews row 4: Globex | Application | Wed 12 Jun 2024 (from n.csv line 2)\n")
    assert err == ("years.xlsx (sheet '2024'): line 2: Date Applied: 'someday' is not a date. Fix: write the date "
                   "with its year (such as 2013-09-27) in column 'Date Applied' on line 2 and import again\n")
