"""`workbook-tools import` on real-life input, by an independent tester (issue 15, part 1).

The sources are built in tmp_path the way real tools write them: LinkedIn's "Job
Applications" file, board exports (Huntr, Simplify, Teal), Notion and Airtable CSVs, a
Google Sheets download, Excel's "sep=;" and "Unicode text" CSVs, and XLSX lists typed
by hand (merged title rows, Excel serials, text dates). The trackers are the ones people
end up with: rows typed below the table, a user column, a Total Row, a stray value, no
tables at all, an .xlsm with its VBA. What is written is read back with openpyxl and,
where it is installed, LibreOffice.

A test marked xfail(strict=True) shows a defect found here: its reason says what is wrong.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.hostile_zip import rewrite
from tests.support.trackers import SAMPLE, handmade_tracker, small_tracker, type_cells
from tests.support.xlsx_parts import members
from workbook_tools import contract as C
from workbook_tools.app.importer import ImportReport, import_leads
from workbook_tools.cli import main
from workbook_tools.template.workbook import build_tracker

TODAY = date(2024, 7, 1)
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (soffice) on PATH")


# --- helpers -------------------------------------------------------------------------


def tracker(folder: Path, country: str = "", name: str = "tracker.xlsx") -> Path:
    """The template tracker with seed 000's Acme interview (Jane Roe, 555-0100) on row 2."""
    return small_tracker(folder / name, settings={"Country": country})


def source(folder: Path, name: str, text: str, encoding: str = "utf-8", bom: bytes = b"") -> Path:
    path = folder / name
    path.write_bytes(bom + text.encode(encoding))
    return path


def dry(paths: list[Path], into: Path, maps: tuple[str, ...] = ()) -> ImportReport:
    return import_leads(paths, into, TODAY, maps=maps, dry_run=True)


def planned(report: ImportReport) -> list[tuple[object, ...]]:
    """The Interviews rows an import adds: (company, position, event date, type, status)."""
    return [(a.cells["Company"], a.cells.get("Position"), a.cells["Event Date"], a.cells.get("Type"),
             a.cells.get("Status")) for a in report.added if a.sheet == C.INTERVIEWS]


def people(report: ImportReport) -> list[dict[str, object]]:
    return [dict(a.cells) for a in report.added if a.sheet == C.CONTACTS]


def sheet_rows(path: Path, sheet: str) -> list[dict[str, object]]:
    """A sheet's rows below its header (row 1), by header, as openpyxl reads the file."""
    book = openpyxl.load_workbook(path)
    try:
        ws = book[sheet]
        names = [c.value for c in ws[1]]
        return [{h: v for h, v in zip(names, row) if h is not None and v is not None}
                for row in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in row)]
    finally:
        book.close()


def day_of(value: object) -> object:
    return value.date() if isinstance(value, datetime) else value


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def libreoffice_sheets(path: Path, folder: Path) -> dict[str, list[list[str]]]:
    """Every sheet of ``path`` as LibreOffice reads it (converted headless to UTF-8 CSV,
    one file a sheet): sheet name -> rows of text."""
    out = folder / "lo-out"
    profile = folder / "lo-profile"
    done = subprocess.run([str(SOFFICE), "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to",
                           'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
                           "--outdir", str(out), str(path)], capture_output=True, text=True, timeout=300)
    sheets = {}
    for csv_path in out.glob(f"{path.stem}-*.csv"):
        with csv_path.open(encoding="utf-8", newline="") as fh:
            sheets[csv_path.stem[len(path.stem) + 1:]] = list(csv.reader(fh))
    assert sheets, f"LibreOffice converted nothing: {done.stdout} {done.stderr}"
    return sheets


def with_user_column(path: Path, header: str, formula: str, cached: dict[int, str], last_row: int) -> Path:
    """The template tracker with a user column X in its Interviews table: a calculated
    column (``formula``, as Excel stores it), the table reaching ``last_row``, and the
    formula in each row of ``cached`` with that cached value."""
    items = members(path)
    escaped = formula.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    table = items["xl/tables/table1.xml"].decode()
    table = table.replace('ref="A1:W2"', f'ref="A1:X{last_row}"').replace('<tableColumns count="23">',
                                                                        '<tableColumns count="24">')
    table = table.replace("</tableColumns>", f'<tableColumn id="24" name="{header}"><calculatedColumnFormula>'
                                             f"{escaped}</calculatedColumnFormula></tableColumn></tableColumns>")
    items["xl/tables/table1.xml"] = table.encode()
    sheet = items["xl/worksheets/sheet1.xml"].decode().replace('<dimension ref="A1:W2"/>',
                                                                f'<dimension ref="A1:X{last_row}"/>')
    sheet = re.sub(r'(<row r="1"[^>]*>.*?)</row>',
                   lambda m: m.group(1) + f'<c r="X1" t="inlineStr"><is><t>{header}</t></is></c></row>',
                   sheet, count=1, flags=re.S)
    for row, value in cached.items():
        cell = f'<c r="X{row}"><f>{escaped}</f><v>{value}</v></c>'
        found = re.search(rf'<row r="{row}"[^>]*>.*?</row>', sheet, flags=re.S)
        if found:
            sheet = sheet[:found.end() - 6] + cell + sheet[found.end() - 6:]
        else:
            sheet = sheet.replace("</sheetData>", f'<row r="{row}">{cell}</row></sheetData>')
    items["xl/worksheets/sheet1.xml"] = sheet.encode()
    return rewrite(path, items)


def with_total_row(path: Path) -> Path:
    """The template tracker whose Interviews table has Excel's Total Row on row 3."""
    items = members(path)
    items["xl/tables/table1.xml"] = items["xl/tables/table1.xml"].replace(
        b'ref="A1:W2" totalsRowShown="0"', b'ref="A1:W3" totalsRowCount="1"').replace(
        b'<tableColumn id="1" name="Company"/>', b'<tableColumn id="1" name="Company" totalsRowLabel="Total"/>')
    items["xl/worksheets/sheet1.xml"] = items["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b'<row r="3"><c r="A3" t="inlineStr"><is><t>Total</t></is></c></row></sheetData>')
    return rewrite(path, items)


# --- real exports, read and mapped ------------------------------------------------------

LINKEDIN = ("Application Date,Contact Email,Contact Phone Number,Company Name,Job Title,Job Url,Resume Name,"
            "Question And Answers\n"
            '"6/14/24, 9:05 AM",,,Acme,Data Analyst,https://www.linkedin.com/jobs/view/1,cv.pdf,\n'
            '"6/20/24, 4:05 PM",ann@globex.example,+1 312 555 0100,Globex,QA Lead,https://www.linkedin.com/jobs/view/2,'
            'cv.pdf,"Q: Years of SQL? A: 5"\n')
SIMPLIFY = ("Company,Job Title,Status,Date Applied,Location,Job Link,Notes\n"
            "Acme,Data Analyst,Applied,2024-06-14T09:00:00.000Z,Remote,https://a.example/1,\n"
            "Globex,QA Lead,Interviewing,2024-06-20T16:05:00.000Z,NYC,https://g.example/2,\"Panel\nthen take-home\"\n"
            "Hooli,PM,Saved,,Remote,https://h.example/3,\n")
NOTION = ("Company,Position,Status,Date Applied,URL,Tags\n"
          'Acme,Data Analyst,📤 Applied,"June 14, 2024",https://a.example/1,"remote, senior"\n'
          'Globex,QA Lead,Interviewing,"June 20, 2024 4:05 PM",,\n')
AIRTABLE = ("Organization,Role,Stage,Applied Date,Recruiter,Recruiter Email,Created\n"
            "Acme,Data Analyst,Applied,6/14/2024 9:05am,,,6/14/2024 9:05am\n"
            "Globex,QA Lead,Phone Screen,6/20/2024 4:05pm,Ann Lee,ann@globex.example,6/20/2024 4:05pm\n")
GOOGLE_UK = ("Employer,Role,Applied On,Progress,Contact,Phone\n"
             "Acme,Data Analyst,14/06/2024,Applied,,\n"
             "Globex,QA Lead,20/06/2024,Onsite,Ann Lee,+44 20 7946 0000\n")
EXCEL_SEP = ("sep=;\nCompany;Poste;Date Applied;Stage;Comments;\n"
             "Acme;Data Analyst;14.06.2024;Applied;Büro in Zürich;\n"
             'Globex;QA Lead;20.06.2024;Interviewing;"Panel; three people\nthen a take-home";\n')
ACME = ("Acme", "Data Analyst", date(2024, 6, 14), C.APPLICATION, None)
GLOBEX_INTERVIEW = ("Globex", "QA Lead", date(2024, 6, 20), C.INTERVIEW, None)

REAL_EXPORTS = [
    ("linkedin.csv", LINKEDIN, "utf-8", b"\xef\xbb\xbf", "US", [ACME, ("Globex", "QA Lead", date(2024, 6, 20),
                                                                     C.APPLICATION, None)]),
    ("simplify.csv", SIMPLIFY, "utf-8", b"", "", [ACME, GLOBEX_INTERVIEW]),
    ("notion.csv", NOTION, "utf-8", b"\xef\xbb\xbf", "", [ACME, GLOBEX_INTERVIEW]),
    ("airtable.csv", AIRTABLE, "utf-8", b"", "US", [ACME, ("Globex", "QA Lead", date(2024, 6, 20), C.PHONE_SCREEN,
                                                          None)]),
    ("google.csv", GOOGLE_UK, "utf-8", b"", "GB", [ACME, GLOBEX_INTERVIEW]),
    ("excel.csv", EXCEL_SEP.replace("Poste", "Position"), "cp1252", b"", "DE",
     [ACME, GLOBEX_INTERVIEW]),
    ("unicode.txt", SIMPLIFY.replace(",", "\t").replace("\n", "\r\n"), "utf-16-le", b"\xff\xfe", "",
     [ACME, GLOBEX_INTERVIEW]),
]


@pytest.mark.parametrize(("name", "text", "encoding", "bom", "country", "wanted"), REAL_EXPORTS)
def test_real_exports_come_in_with_their_dates_and_stages(tmp_path, name, text, encoding, bom, country, wanted):
    report = dry([source(tmp_path, name, text, encoding, bom)], tracker(tmp_path, country))
    (result,) = report.sources
    assert result.error == "" and result.plan is not None and result.plan.bad == ()
    assert planned(report) == wanted


def test_a_linkedin_export_keeps_the_link_and_the_contact_details(tmp_path):
    report = dry([source(tmp_path, "linkedin.csv", LINKEDIN, bom=b"\xef\xbb\xbf")], tracker(tmp_path, "US"))
    (result,) = report.sources
    assert [(i.name, i.why.split(" (")[0]) for i in result.plan.mapping.ignored] == [
        ("Resume Name", "not a name the import knows"), ("Question And Answers", "not a name the import knows")]
    first, second = (a.cells for a in report.added if a.sheet == C.INTERVIEWS)
    assert first["Notes"] == "Job Url: https://www.linkedin.com/jobs/view/1"
    # no Contact name: the person's details are kept in Notes rather than lost
    assert "ann@globex.example" in second["Notes"] and "+1 312 555 0100" in second["Notes"]


def test_a_board_export_leaves_saved_jobs_out_and_keeps_multi_line_notes(tmp_path):
    report = dry([source(tmp_path, "simplify.csv", SIMPLIFY)], tracker(tmp_path))
    (result,) = report.sources
    assert result.plan.not_applied == 1
    notes = [a.cells.get("Notes") for a in report.added if a.sheet == C.INTERVIEWS]
    assert notes == ["Job Link: https://a.example/1", "Panel\nthen take-home\nJob Link: https://g.example/2"]


def test_excel_sep_line_trailing_empty_column_and_semicolons_inside_quotes(tmp_path):
    report = dry([source(tmp_path, "excel.csv", EXCEL_SEP, "cp1252")],
                 tracker(tmp_path, "DE"), maps=("Poste=Position",))
    (result,) = report.sources
    assert (result.how, result.plan.mapping.header_line) == ("CSV, Windows-1252, semicolon-separated", 2)
    notes = [a.cells.get("Notes") for a in report.added if a.sheet == C.INTERVIEWS]
    assert notes == ["Büro in Zürich", "Panel; three people\nthen a take-home"]


def test_duplicate_header_names_read_the_first_and_say_so(tmp_path):
    text = "Company,Position,Date Applied,Notes,Notes\nAcme,Dev,2024-06-12,first,second\n"
    report = dry([source(tmp_path, "dup.csv", text)], tracker(tmp_path))
    (result,) = report.sources
    assert [(i.column, i.why) for i in result.plan.mapping.ignored] == [(4, "Notes is read from column 'Notes'")]
    assert report.added[0].cells["Notes"] == "first"


def test_a_header_with_line_breaks_and_odd_spacing_is_still_known(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["  Company ", "Job\nTitle", "Date\nApplied", "STAGE", "Contact  Name"])
    book.active.append(["Acme", "Dev", datetime(2024, 6, 12), "applied", "Ann Lee"])
    book.save(tmp_path / "wrapped.xlsx")
    report = dry([tmp_path / "wrapped.xlsx"], tracker(tmp_path))
    assert planned(report) == [("Acme", "Dev", date(2024, 6, 12), C.APPLICATION, None)]
    assert people(report) == [{"Name": "Ann Lee", "Company": "Acme"}]


def handmade_xlsx(path: Path) -> Path:
    """A list typed in Excel: a merged title, a blank row, a chart sheet first, dates as
    real dates, as Excel serials in General cells and as text, numbers where text was meant."""
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Applications"
    ws.append(["My job search, summer 2024"])
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["Company", "Position", "Date Applied", "Phone", "Contact", "Decision By"])
    ws.append(["Acme", "Dev", 45455, 442079460000, "Bob Ray", 45500])
    ws.append(["Globex", "QA", "12/06/2024", 5550100, "Ann Lee", "20 July 2024"])
    ws.append(["Initech", "PM", datetime(2024, 6, 12, 15, 30), "+44 20 7946 0000", "Cy Doe", None])
    ws.append(["Hooli", 2024, date(2024, 6, 12), None, None, None])
    chart_sheet = book.create_chartsheet("Chart", 0)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=3, max_row=7))
    chart_sheet.add_chart(chart)
    book.save(path)
    return path


def test_a_handmade_xlsx_with_a_merged_title_serials_text_dates_and_numbers(tmp_path):
    report = dry([handmade_xlsx(tmp_path / "mine.xlsx")], tracker(tmp_path, "GB"))
    (result,) = report.sources
    assert (result.how, result.plan.mapping.header_line, result.plan.bad) == ("sheet 'Applications'", 3, ())
    june12 = date(2024, 6, 12)
    assert planned(report) == [("Acme", "Dev", june12, C.APPLICATION, None), ("Globex", "QA", june12, C.APPLICATION,
                                                                              None),
                               ("Initech", "PM", june12, C.APPLICATION, None),
                               ("Hooli", "2024", june12, C.APPLICATION, None)]
    decisions = [a.cells.get("Decision By") for a in report.added if a.sheet == C.INTERVIEWS]
    assert decisions == [date(2024, 7, 27), date(2024, 7, 20), None, None]
    assert [p.get("Phone") for p in people(report)] == ["442079460000", "5550100", "+44 20 7946 0000"]


DATE_TEXTS = [
    ("2024-06-12T23:30:00-07:00", False), ("2024-06-12 10:00", True), ("12-Jun-24", True),
    ("Wed, 12 Jun 2024", True), ("Wednesday, June 12, 2024", False), ("2024/06/12", False),
    ("Jun 12, 2024, 4:05 PM", False), ("12th June 2024", True), ("20240612", False),
    ("2024-06-12T10:00:00.000+0000", True), (" 2024-06-12 ", False),
]


@pytest.mark.parametrize(("text", "dayfirst"), DATE_TEXTS)
def test_dates_as_exports_write_them(tmp_path, text, dayfirst):
    body = f'Company,Date Applied\nAcme,"{text}"\n'
    report = dry([source(tmp_path, "d.csv", body)], tracker(tmp_path, "GB" if dayfirst else "US"))
    assert [row[2] for row in planned(report)] == [date(2024, 6, 12)]


# --- what lands in the tracker ----------------------------------------------------------

HOSTILE_TEXT = ('Company,Position,Date Applied,Notes,Phone,Contact,Email\n'
                '"=HYPERLINK(""http://evil.example"",""x"")",Dev,2024-06-12,"=1+1",+44 20 7946 0000,@Bob,'
                '-2+3@x.example\n'
                '"+cmd|\' /C calc\'!A0",QA,2024-06-13,\'quoted,=SUM(A1:A2),Ann\n')


def test_formula_looking_text_lands_as_text_everywhere(tmp_path):
    path = tracker(tmp_path)
    report = import_leads([source(tmp_path, "evil.csv", HOSTILE_TEXT)], path, TODAY)
    assert report.written and report.refresh is not None and report.refresh_error == ""
    book = openpyxl.load_workbook(path)
    try:
        for sheet in (C.INTERVIEWS, C.CONTACTS):
            for row in book[sheet].iter_rows(min_row=2):
                for cell in row:
                    assert cell.data_type != "f", f"{sheet}!{cell.coordinate} became a formula: {cell.value!r}"
        rows = sheet_rows(path, C.INTERVIEWS)
    finally:
        book.close()
    assert [(r["Company"], r.get("Notes")) for r in rows[1:]] == [
        ('=HYPERLINK("http://evil.example","x")', "=1+1"), ("+cmd|' /C calc'!A0", "'quoted")]
    contacts = sheet_rows(path, C.CONTACTS)
    assert [(c["Name"], c.get("Phone"), c.get("Email")) for c in contacts[1:]] == [
        ("@Bob", "+44 20 7946 0000", "-2+3@x.example"), ("Ann", "=SUM(A1:A2)", None)]


@needs_soffice
def test_libreoffice_reads_the_imported_rows_as_written(tmp_path):
    path = tracker(tmp_path)
    text = HOSTILE_TEXT + 'Société Générale,Quant,2024-06-14,"two\nlines",,Zoë Ng,\n'
    import_leads([source(tmp_path, "evil.csv", text)], path, TODAY)
    sheets = libreoffice_sheets(path, tmp_path)
    interviews = sheets[C.INTERVIEWS]
    assert [row[:2] for row in interviews[2:5]] == [['=HYPERLINK("http://evil.example","x")', "Dev"],
                                                    ["+cmd|' /C calc'!A0", "QA"], ["Société Générale", "Quant"]]
    assert interviews[4][interviews[0].index("Notes")] == "two\nlines"
    assert [row[0] for row in sheets[C.CONTACTS][1:5]] == ["Jane Roe", "@Bob", "Ann", "Zoë Ng"]


def test_an_xlsm_tracker_keeps_its_vba_byte_identical(tmp_path):
    path = tmp_path / "tracker.xlsm"
    build_tracker(path, interviews=[{"Company": "Acme", "Position": "Analyst", "Event Date": date(2013, 9, 27)}],
                  settings={"Your Name": "Sam Lee", "Your Phone": "555-0199", "Your Email": "sam@example.com"},
                  macro=True)
    before = members(path)
    assert "xl/vbaProject.bin" in before
    report = import_leads([source(tmp_path, "s.csv", "Company,Role,Date Applied\nGlobex,QA,2024-06-12\n")], path,
                          TODAY)
    assert report.written and report.refresh_error == ""
    after = members(path)
    assert list(after) == list(before)
    for name in ("xl/vbaProject.bin", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
        assert after[name] == before[name], name
    book = openpyxl.load_workbook(path, keep_vba=True)
    try:
        assert [c.value for c in book[C.INTERVIEWS]["A"][:3]] == ["Company", "Acme", "Globex"]
    finally:
        book.close()


def test_rows_typed_below_the_table_stay_and_the_new_rows_follow_them(tmp_path):
    path = tracker(tmp_path)
    type_cells(path, 4, {"Company": "Hooli", "Event Date": date(2024, 6, 1), "Notes": "typed below the table"})
    report = import_leads([source(tmp_path, "s.csv", "Company,Role,Date Applied\nGlobex,QA,2024-06-12\n")], path,
                          TODAY)
    assert [(a.sheet, a.row) for a in report.added] == [(C.INTERVIEWS, 5)]
    book = openpyxl.load_workbook(path)
    try:
        ws = book[C.INTERVIEWS]
        assert [c.value for c in ws["A"][:5]] == ["Company", "Acme", None, "Hooli", "Globex"]
        assert ws["L4"].value == "typed below the table"
        assert ws.tables["tblInterviews"].ref == "A1:W5"
    finally:
        book.close()


def test_a_tracker_without_tables_gets_its_contacts_after_the_last_one(tmp_path):
    path = handmade_tracker(tmp_path / "hand.xlsx")
    text = "Company,Role,Date Applied,Recruiter,Recruiter Email\nInitech,QA,2024-06-12,Ann Lee,ann@i.example\n"
    report = import_leads([source(tmp_path, "s.csv", text)], path, TODAY)
    assert report.written and report.refresh_error == ""
    assert [(a.sheet, a.row) for a in report.added] == [(C.INTERVIEWS, 4), (C.CONTACTS, 2)]
    assert sheet_rows(path, C.CONTACTS) == [{"Name": "Ann Lee", "Company": "Initech", "Email": "ann@i.example"}]
    interviews = sheet_rows(path, C.INTERVIEWS)
    assert [r["Company"] for r in interviews] == ["Acme", "Globex", "Initech"]
    assert interviews[0]["My Rating"] == 4 and interviews[2].get("My Rating") is None


def test_a_table_with_a_total_row_is_refused_whole_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = with_total_row(tracker(tmp_path))
    source(tmp_path, "s.csv", "Company,Role,Date Applied\nGlobex,QA,2024-06-12\n")
    before = path.read_bytes()
    code, out, err = run("import", "s.csv", "--into", "tracker.xlsx", "--today", "2024-07-01")
    assert (code, out) == (1, "")
    assert err == ("tracker.xlsx: table 'tblInterviews' on sheet 'Interviews' has a Total Row, which cannot be moved "
                   "down. Fix: turn off the Total Row (Table Design > Total Row)\n"
                   "tracker.xlsx: nothing imported; the tracker is unchanged\n")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv", "tracker.xlsx"]


def test_a_stray_value_far_below_the_table_stops_the_import_with_the_cell(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tracker(tmp_path)
    type_cells(path, 2000, {"Notes": "x"})
    source(tmp_path, "s.csv", "Company,Role,Date Applied\nGlobex,QA,2024-06-12\n")
    before = path.read_bytes()
    code, out, err = run("import", "s.csv", "--into", "tracker.xlsx", "--today", "2024-07-01")
    assert (code, out) == (1, "")
    assert err.startswith("tracker.xlsx: Interviews!L2000: a value 1,997 blank rows below row 2")
    assert err.endswith("tracker.xlsx: nothing imported; the tracker is unchanged\n")
    assert path.read_bytes() == before


# --- duplicates ------------------------------------------------------------------------------


def test_importing_twice_and_under_other_spellings_adds_nothing(tmp_path):
    path = tracker(tmp_path, "GB")
    first = source(tmp_path, "a.csv", "Company,Role,Date Applied,Recruiter\nGlobex Ltd,QA Lead,12/06/2024,Ann Lee\n")
    import_leads([first], path, TODAY)
    before = path.read_bytes()
    again = source(tmp_path, "b.csv", "Employer,Position,Date,Contact\n"
                                      "ACME Inc.,analyst,27 Sep 2013,JANE ROE\n"
                                      "The Acme Company, Analyst ,2013-09-27T10:00:00Z,jane roe\n"
                                      "GLOBEX,qa lead,2024-06-12,ann lee\n"
                                      '"Globex, Ltd.",QA-Lead,12 June 2024,Ann  Lee\n')
    report = import_leads([again, first], path, TODAY)
    assert [r.plan.duplicates for r in report.sources] == [4, 1]
    assert report.added == [] and not report.written
    assert path.read_bytes() == before


def test_the_same_source_twice_in_one_command_comes_in_once(tmp_path):
    text = "Company,Role,Date Applied,Recruiter,Email\nGlobex,QA,2024-06-12,Ann Lee,ann@g.example\n"
    one = source(tmp_path, "a.csv", text)
    report = dry([one, one], tracker(tmp_path))
    assert [r.plan.duplicates for r in report.sources] == [0, 1]
    assert len(planned(report)) == 1 and len(people(report)) == 1


def test_a_known_contact_written_in_another_case_is_not_added_again(tmp_path):
    text = "Company,Role,Date Applied,Recruiter\nAcme,Manager,2024-06-12,JANE ROE\nGlobex,QA,2024-06-13,jane  roe\n"
    report = dry([source(tmp_path, "a.csv", text)], tracker(tmp_path))
    assert len(planned(report)) == 2 and people(report) == []


def test_a_copy_of_the_tracker_brings_nothing_and_the_tracker_itself_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tracker(tmp_path)
    shutil.copyfile(path, tmp_path / "copy.xlsx")
    os.symlink(path, tmp_path / "link.xlsx")
    before = path.read_bytes()
    code, out, err = run("import", "copy.xlsx", "link.xlsx", "./tracker.xlsx", "--into", "tracker.xlsx",
                         "--today", "2024-07-01")
    assert code == 1
    assert err == "".join(f"{name}: is the tracker itself. Fix: name the list to import, and the tracker after --into\n"
                          for name in ("link.xlsx", "tracker.xlsx"))
    assert "copy.xlsx: 0 new rows, 1 duplicate skipped\n" in out
    assert out.endswith("tracker.xlsx: nothing to add; the tracker is unchanged\n")
    assert path.read_bytes() == before


def test_an_old_tracker_imported_into_a_new_one_keeps_types_and_statuses(tmp_path):
    old = tmp_path / "old.xlsx"
    shutil.copyfile(SAMPLE, old)
    new = small_tracker(tmp_path / "new.xlsx", interviews=[], contacts=[])
    report = import_leads([old], new, TODAY)
    (result,) = report.sources
    assert result.how == "sheet 'Interviews'" and result.plan.bad == ()
    assert all(i.why == "refresh computes this column in the tracker" for i in result.plan.mapping.ignored)
    old_rows = [r for r in sheet_rows(old, C.INTERVIEWS) if r.get("Company")]
    new_rows = sheet_rows(new, C.INTERVIEWS)
    keys = ("Company", "Position", "Type", "Status", "Contact", "Talking Point", "Cadence")
    assert [tuple(r.get(k) for k in keys) + (day_of(r["Event Date"]),) for r in new_rows] == [
        tuple(r.get(k) for k in keys) + (day_of(r["Event Date"]),) for r in old_rows]
    assert import_leads([old], new, TODAY).sources[0].plan.duplicates == len(old_rows)


# --- dry runs, exit codes and messages -------------------------------------------------------


def test_a_dry_run_with_a_bad_row_writes_nothing_and_exits_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tracker(tmp_path)
    source(tmp_path, "s.csv", "Company,Role,Date Applied\nGlobex,QA,2024-06-12\nInitech,PM,next week-ish\n")
    before = path.read_bytes()
    code, out, err = run("import", "s.csv", "--into", "tracker.xlsx", "--dry-run", "--today", "2024-07-01")
    assert code == 1
    assert err == ("s.csv: line 3: Date Applied: 'next week-ish' is not a date. Fix: write the date with its year "
                   "(such as 2013-09-27) in column 'Date Applied' on line 3 and import again\n")
    assert "tracker.xlsx: would add 1 row to Interviews (dry run, nothing written)\n" in out
    assert "refreshed" not in out
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv", "tracker.xlsx"]


def test_the_refresh_after_an_import_plans_the_new_rows_and_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tracker(tmp_path)
    source(tmp_path, "s.csv", "Company,Role,Date Applied,Stage\nGlobex,QA,2024-06-26,Applied\n"
                              "Initech,PM,2024-06-03,Rejected\n")
    code, out, err = run("import", "s.csv", "--into", "tracker.xlsx", "--today", "2024-07-01")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1].startswith("tracker.xlsx: refreshed, 3 rows, ")
    rows = sheet_rows(path, C.INTERVIEWS)
    assert [(r["Company"], r["Flag"]) for r in rows] == [("Acme", C.OVERDUE), ("Globex", C.DUE_TODAY),
                                                         ("Initech", C.FLAG_CLOSED)]
    # seed 002: a call three business days after the application (Wed 26 Jun -> Mon 1 Jul)
    assert day_of(rows[1]["Next Call"]) == date(2024, 7, 1)
    assert (rows[1]["Type"], rows[2]["Type"], rows[2]["Status"]) == (C.APPLICATION, C.APPLICATION, C.NOT_SELECTED)


# --- hostile sources --------------------------------------------------------------------------


def test_control_characters_past_the_binary_check_still_give_a_file_others_open(tmp_path):
    path = tracker(tmp_path)
    text = ("Company,Position,Date Applied,Notes,Contact\n" + "Acme,Dev,2024-06-12," + "x" * 9000 + ",\n"
            + "Globex,Q\x00A,2024-06-13,a\x01b\x0bc\x1bd _x0041_,Ann\x07 Lee\n")
    report = import_leads([source(tmp_path, "ctl.csv", text)], path, TODAY)
    assert report.written and report.refresh_error == ""
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
    assert [r["Company"] for r in sheet_rows(path, C.INTERVIEWS)] == ["Acme", "Acme", "Globex"]
    if SOFFICE is not None:
        interviews = libreoffice_sheets(path, tmp_path)[C.INTERVIEWS]
        assert [row[0] for row in interviews[1:4]] == ["Acme", "Acme", "Globex"]


def test_a_huge_header_cell_and_two_hundred_empty_columns(tmp_path):
    text = "Company,Position,Date Applied," + "H" * 100_000 + "," * 200 + "\nAcme,Dev,2024-06-12,z\n"
    report = dry([source(tmp_path, "wide.csv", text)], tracker(tmp_path))
    (result,) = report.sources
    assert result.error == "" and planned(report) == [("Acme", "Dev", date(2024, 6, 12), C.APPLICATION, None)]
    assert [len(i.name) for i in result.plan.mapping.ignored] == [80]


def test_thousands_of_rows_with_multi_line_notes_all_come_in(tmp_path):
    lines = ["Company,Job Title,Date Applied,Stage,Contact,Email,Notes"]
    lines += [f'Company {i},Role {i},2024-{1 + i % 6:02d}-{1 + i % 28:02d},Applied,Person {i},p{i}@x.example,'
              f'"note {i}\nline two, with a comma"' for i in range(3000)]
    report = dry([source(tmp_path, "big.csv", "\n".join(lines) + "\n")], tracker(tmp_path))
    (result,) = report.sources
    assert not result.capped and result.plan.bad == ()
    assert len(planned(report)) == 3000 and len(people(report)) == 3000


# --- defects found -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "country", "wanted"), [
    ('Application Date,Company Name,Job Title\n"6/12/24, 4:05 PM",Acme,Dev\n"6/20/24, 9:05 AM",Globex,QA\n', "GB",
     [date(2024, 6, 12), date(2024, 6, 20)]),
    ("Company,Role,Date Applied\nAcme,Dev,12/06/2024\nGlobex,QA,25/06/2024\n", "",
     [date(2024, 6, 12), date(2024, 6, 25)]),
])
def test_dates_are_read_in_the_order_their_own_column_proves(tmp_path, text, country, wanted):
    report = dry([source(tmp_path, "s.csv", text)], tracker(tmp_path, country))
    assert [row[2] for row in planned(report)] == wanted


@pytest.mark.parametrize("text", ["2024/06/12", "2024.06.12", "2024-6-12", "2024/06/12 10:00"])
def test_year_first_dates_in_a_day_first_country(tmp_path, text):
    report = dry([source(tmp_path, "s.csv", f"Company,Date Applied\nAcme,{text}\n")], tracker(tmp_path, "GB"))
    assert [row[2] for row in planned(report)] == [date(2024, 6, 12)]


def test_a_notion_date_range_is_read_as_its_start(tmp_path):
    text = 'Company,Position,Date Applied\nAcme,Dev,"June 12, 2024 → June 14, 2024"\n'
    report = dry([source(tmp_path, "notion.csv", text)], tracker(tmp_path))
    assert [row[2] for row in planned(report)] == [date(2024, 6, 12)]


def test_semicolons_in_multi_line_notes_do_not_change_the_delimiter(tmp_path):
    notes = ('"Q: tell me about yourself; went well\nQ: why us; mentioned their blog\nQ: salary; said open\n'
             'Next: wait; call Friday"')
    text = f"Company,Position,Date Applied,Notes\nAcme,Dev,2024-06-12,{notes}\nGlobex,QA,2024-06-13,{notes}\n"
    report = dry([source(tmp_path, "s.csv", text)], tracker(tmp_path))
    (result,) = report.sources
    assert result.error == ""
    assert [row[0] for row in planned(report)] == ["Acme", "Globex"]


def test_a_workbook_with_leads_on_two_sheets_says_what_it_left(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tracker(tmp_path)
    book = openpyxl.Workbook()
    book.active.title = "2023"
    book.active.append(["Company", "Position", "Date Applied"])
    book.active.append(["Acme", "Dev", datetime(2023, 5, 1)])
    sheet = book.create_sheet("2024")
    sheet.append(["Company", "Position", "Date Applied"])
    sheet.append(["Globex", "QA", datetime(2024, 5, 1)])
    book.save(tmp_path / "years.xlsx")
    code, out, err = run("import", "years.xlsx", "--into", "tracker.xlsx", "--dry-run", "--today", "2024-07-01")
    assert "Globex" in out or ("'2024'" in out + err and code == 1)


def test_an_interview_date_beside_the_application_date_is_the_event(tmp_path):
    text = ("Company,Position,Stage,Date Applied,Interview Date\nAcme,Dev,Interviewing,2024-06-01,2024-06-20\n"
            "Globex,QA,Applied,2024-06-02,\n")
    report = dry([source(tmp_path, "s.csv", text)], tracker(tmp_path))
    assert [(row[0], row[2]) for row in planned(report)] == [("Acme", date(2024, 6, 20)), ("Globex", date(2024, 6, 2))]


@pytest.mark.parametrize(("name", "company"), [("Jane Roe", "Globex"), ("John Smith", "Hooli")])
def test_a_namesake_at_another_company_keeps_their_details(tmp_path, name, company):
    text = ("Company,Position,Date Applied,Contact,Email,Phone\n"
            "Initech,PM,2024-06-03,John Smith,js@initech.example,555-0300\n"
            f"{company},QA,2024-06-04,{name},x@{company.lower()}.example,555-0400\n")
    report = dry([source(tmp_path, "s.csv", text)], tracker(tmp_path))
    (result,) = report.sources
    kept = [str(v) for a in report.added for v in a.cells.values()] + [n.message for n in result.plan.notices]
    assert any("555-0400" in said for said in kept)


def test_a_row_without_a_position_matches_the_lead_it_repeats(tmp_path):
    report = dry([source(tmp_path, "s.csv", "Company,Position,Date Applied\nACME,,2013-09-27\n")], tracker(tmp_path))
    assert report.sources[0].plan.duplicates == 1 and planned(report) == []


def test_the_tables_calculated_column_reaches_the_new_rows(tmp_path):
    formula = "TODAY()-tblInterviews[[#This Row],[Event Date]]"
    path = with_user_column(tracker(tmp_path), "Days Since", formula, {2: "3900"}, 2)
    report = import_leads([source(tmp_path, "s.csv", "Company,Position,Date Applied\nGlobex,QA,2024-06-12\n")],
                          path, TODAY)
    assert report.written
    book = openpyxl.load_workbook(path)
    try:
        ws = book[C.INTERVIEWS]
        assert ws.tables["tblInterviews"].ref == "A1:X3"
        assert ws["X3"].value == ws["X2"].value == f"={formula}"
    finally:
        book.close()


def test_a_table_sized_ahead_with_a_numbering_column_is_filled_from_the_top(tmp_path):
    formula = "ROW()-1"
    path = with_user_column(tracker(tmp_path), "#", formula, {row: str(row - 1) for row in range(2, 11)}, 10)
    report = import_leads([source(tmp_path, "s.csv", "Company,Position,Date Applied\nGlobex,QA,2024-06-12\n")],
                          path, TODAY)
    assert [(a.sheet, a.row) for a in report.added] == [(C.INTERVIEWS, 3)]


@pytest.mark.parametrize(("header", "value", "sheet", "target", "wanted"), [
    ("Date Applied (MM/DD/YYYY)", "06/12/2024", C.INTERVIEWS, "Event Date", date(2024, 6, 12)),
    ("Company (required)", "Globex", C.INTERVIEWS, "Company", "Globex"),
    ("Job Title / Role", "QA Lead", C.INTERVIEWS, "Position", "QA Lead"),
    ("Status (Applied/Interview/Offer)", "Offer", C.INTERVIEWS, "Status", C.OFFER),
    ("E-mail address", "ann@g.example", C.CONTACTS, "Email", "ann@g.example"),
    ("Recruiter's Email", "ann@g.example", C.CONTACTS, "Email", "ann@g.example"),
])
def test_headers_with_hints_are_still_read(tmp_path, header, value, sheet, target, wanted):
    base = {"Company": "Globex", "Date Applied": "2024-06-12", "Contact": "Ann Lee"}
    replaced = {"Company (required)": "Company", "Date Applied (MM/DD/YYYY)": "Date Applied"}.get(header)
    cells = {k: v for k, v in base.items() if k != replaced}
    cells[header] = value
    text = ",".join(f'"{k}"' for k in cells) + "\n" + ",".join(f'"{v}"' for v in cells.values()) + "\n"
    report = dry([source(tmp_path, "s.csv", text)], tracker(tmp_path, "US"))
    assert [a.cells.get(target) for a in report.added if a.sheet == sheet] == [wanted]


@pytest.mark.parametrize(("stage", "type_", "status"), [
    ("Position filled", None, "closed"), ("Cancelled", None, "closed"), ("Not moving forward", None, "closed"),
    ("Rejected - after interview", None, "closed"), ("I Withdrew", None, "closed"), ("Offer declined", None, "closed"),
    ("2nd interview", C.INTERVIEW, None), ("Final interview", C.INTERVIEW, None),
    ("Onsite Interview", C.INTERVIEW, None),
])
def test_stages_with_extra_words(tmp_path, stage, type_, status):
    report = dry([source(tmp_path, "s.csv", f"Company,Date,Stage\nAcme,2024-06-12,{stage}\n")], tracker(tmp_path))
    ((_, _, _, got_type, got_status),) = planned(report)
    if status == "closed":
        assert got_status in C.CLOSED_STATUSES
    else:
        assert (got_type, got_status) == (type_, status)


def test_an_unclosed_quote_names_the_line_it_opens_on(tmp_path):
    text = 'Company,Position,Date Applied,Notes\nAcme,Dev,2024-06-12,"oops\nGlobex,QA,2024-06-13,fine\n'
    (result,) = dry([source(tmp_path, "s.csv", text)], tracker(tmp_path)).sources
    assert "cannot be read as CSV" in result.error
    assert "line 2" in result.error


def test_a_user_column_of_the_tracker_is_filled_from_the_same_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = handmade_tracker(tmp_path / "hand.xlsx")  # its Interviews has a "My Rating" column
    source(tmp_path, "s.csv", "Company,Position,Date Applied,My Rating\nInitech,QA,2024-06-12,5\n")
    code, out, err = run("import", "s.csv", "--into", "hand.xlsx", "--map", "My Rating=My Rating", "--today",
                         "2024-07-01")
    # Exit 1 comes from the refresh after the import: it reports the hand-made tracker's blank
    # Settings (Your Name, Your Phone, Your Email), problems of the tracker and not of the import.
    assert code == 1 and err and all(line.startswith("hand.xlsx: Settings!") for line in err.splitlines() if line)
    assert "  My Rating -> My Rating (--map)\n" in out and "hand.xlsx: added 1 row to Interviews\n" in out
    assert sheet_rows(path, C.INTERVIEWS)[2].get("My Rating") in (5, "5")
