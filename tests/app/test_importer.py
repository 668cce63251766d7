"""Importing leads from other lists into a tracker file (issue 15, part 1): the
sources' dialects (names, delimiters, encodings, XLSX), the rows appended and the
tables grown, duplicates on a second import, a bad row among good ones, every other
part of the tracker byte-identical, the refresh after, and hostile sources."""

from __future__ import annotations

import os
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from tests.support.hostile_zip import with_rows, with_sheet
from tests.support.trackers import SAMPLE, handmade_tracker, row_values, small_tracker
from tests.support.xlsx_parts import members
from workbook_tools import contract as C
from workbook_tools.adapters.file import refresh_file
from workbook_tools.app import importer, sources
from workbook_tools.app.importer import import_leads
from workbook_tools.app.sources import read_grid, record_lines, sniff_delimiter
from workbook_tools.core.imports import BadMap
from workbook_tools.errors import ProblemsError, WorkbookError

TODAY = date(2024, 7, 1)
#: One job search written by hand in several dialects: (company, position, date, stage, contact, email).
LEADS = [("Globex", "Data Analyst", "2024-06-12", "Phone screen", "Ann Lee", "ann@globex.example"),
         ("Initech", "Analyst", "2024-06-14", "Applied", "", ""),
         ("Société Générale", "Quant", "2024-06-17", "Rejected", "Luc Moreau", "")]
WANTED = [("Globex", "Data Analyst", date(2024, 6, 12), C.PHONE_SCREEN, None, "Ann Lee"),
          ("Initech", "Analyst", date(2024, 6, 14), C.APPLICATION, None, None),
          ("Société Générale", "Quant", date(2024, 6, 17), C.APPLICATION, C.NOT_SELECTED, "Luc Moreau")]


def write_text(path: Path, lines: list[list[str]], delimiter: str, encoding: str, bom: bytes = b"") -> Path:
    text = "\r\n".join(delimiter.join(cells) for cells in lines) + "\r\n"
    path.write_bytes(bom + text.encode(encoding))
    return path


def huntr_like(folder: Path) -> Path:
    """A board export: comma-separated UTF-8, stage names, ISO times."""
    rows = [["Company", "Job Title", "Stage", "Date Applied", "Contact Name", "Contact Email", "URL", "Location"]]
    rows += [[c, p, s, f"{d}T09:00:00.000Z", n, e, f"https://jobs.example/{c[:3]}", "Remote"]
             for c, p, d, s, n, e in LEADS]
    return write_text(folder / "huntr.csv", rows, ",", "utf-8")


def teal_like(folder: Path) -> Path:
    """A tracker export saved as UTF-16 LE with its BOM, semicolon-separated, day-first dates."""
    rows = [["Company Name", "Position", "Status", "Application Date", "Hiring Manager", "E-mail", "Salary"]]
    rows += [[c, p, s, f"{d[8:]}/{d[5:7]}/{d[:4]}", n, e, "100k"] for c, p, d, s, n, e in LEADS]
    return write_text(folder / "teal.csv", rows, ";", "utf-16-le", b"\xff\xfe")


def handmade(folder: Path) -> Path:
    """A hand-made list from Excel on Windows: a title and a blank row first, tab-separated, cp1252."""
    rows = [["My job hunt, summer 2024"], [""], ["Employer", "Role", "Applied On", "Progress", "Recruiter", "Email",
                                                 "Comments"]]
    rows += [[c, p, d, s, n, e, ""] for c, p, d, s, n, e in LEADS]
    return write_text(folder / "mine.txt", rows, "\t", "cp1252")


def linkedin_like(folder: Path) -> Path:
    """LinkedIn-style: UTF-8 with a BOM, two-digit years with a time."""
    rows = [["Application Date", "Contact Email", "Company Name", "Job Title", "Stage", "Contact", "Job Url"]]
    rows += [[f'"{int(d[5:7])}/{int(d[8:])}/{d[2:4]}, 4:05 PM"', e, c, p, s, n, ""] for c, p, d, s, n, e in LEADS]
    return write_text(folder / "linkedin.csv", rows, ",", "utf-8", b"\xef\xbb\xbf")


def piped_utf16_be(folder: Path) -> Path:
    """Bar-separated UTF-16 BE with its BOM; a date column with the weak name "Applied"."""
    rows = [["Organisation", "Role", "Applied", "Stage", "Contact", "Email"]] + [list(lead) for lead in LEADS]
    return write_text(folder / "piped.csv", rows, "|", "utf-16-be", b"\xfe\xff")


def workbook(folder: Path) -> Path:
    """An XLSX whose first sheet is not the list, and whose list starts on row 3 with real dates."""
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active["A1"] = "Exported from my old tracker"
    sheet = book.create_sheet("Jobs")
    sheet.append([])
    sheet.append(["Leads"])
    sheet.append(["Company", "Role", "Date Applied", "Status", "Recruiter", "Recruiter Email"])
    for c, p, d, s, n, e in LEADS:
        sheet.append([c, p, datetime.fromisoformat(d), s, n or None, e or None])
    path = folder / "old.xlsx"
    book.save(path)
    return path


DIALECTS = [
    (huntr_like, "CSV, UTF-8, comma-separated", 1, False),
    (teal_like, "CSV, UTF-16 LE, semicolon-separated", 1, True),
    (handmade, "CSV, Windows-1252, tab-separated", 3, False),
    (linkedin_like, "CSV, UTF-8 with BOM, comma-separated", 1, False),
    (piped_utf16_be, "CSV, UTF-16 BE, bar-separated", 1, False),
    (workbook, "sheet 'Jobs'", 3, False),
]


def tracker(folder: Path, country: str = "") -> Path:
    return small_tracker(folder / "tracker.xlsx", settings={"Country": country})


def leads_of(path: Path) -> list[tuple]:
    """The Interviews rows of a tracker file: (company, position, event date, type, status, contact)."""
    book = openpyxl.load_workbook(path)
    try:
        sheet = book[C.INTERVIEWS]
        names = [c.value for c in sheet[1]]
        out = []
        for row in sheet.iter_rows(min_row=2, values_only=True):
            cells = dict(zip(names, row))
            event = cells["Event Date"]
            out.append((cells["Company"], cells["Position"], event.date() if isinstance(event, datetime) else event,
                        cells["Type"], cells["Status"], cells["Contact"]))
        return out
    finally:
        book.close()


@pytest.mark.parametrize(("make", "how", "header_line", "dayfirst"), DIALECTS)
def test_each_dialect_is_read_and_mapped(tmp_path, make, how, header_line, dayfirst):
    path = tracker(tmp_path, "GB" if dayfirst else "US")
    report = import_leads([make(tmp_path)], path, TODAY, dry_run=True)
    (result,) = report.sources
    assert (result.how, result.plan.mapping.header_line, result.error) == (how, header_line, "")
    got = [(a.cells["Company"], a.cells.get("Position"), a.cells["Event Date"], a.cells.get("Type"),
            a.cells.get("Status"), a.cells.get("Contact")) for a in report.added if a.sheet == C.INTERVIEWS]
    assert got == WANTED
    assert [a.cells for a in report.added if a.sheet == C.CONTACTS] == [
        {"Name": "Ann Lee", "Company": "Globex", "Email": "ann@globex.example"},
        {"Name": "Luc Moreau", "Company": "Société Générale"}]


def test_the_mapping_report_of_a_board_export(tmp_path):
    (result,) = import_leads([huntr_like(tmp_path)], tracker(tmp_path), TODAY, dry_run=True).sources
    mapping = result.plan.mapping
    assert [(m.name, m.target) for m in mapping.mapped] == [
        ("Company", "Company"), ("Job Title", "Position"), ("Stage", "Status"), ("Date Applied", "Event Date"),
        ("Contact Name", "Contact"), ("Contact Email", "Email"), ("URL", "Link")]
    assert [(i.name, i.why) for i in mapping.ignored] == [
        ("Location", "not a name the import knows (--map \"Location=Position\" would read it as the Position, "
                     "for one)")]


def test_an_import_appends_rows_grows_both_tables_and_refreshes(tmp_path):
    path = tracker(tmp_path)
    report = import_leads([huntr_like(tmp_path)], path, TODAY)
    assert report.written and report.refresh is not None and report.refresh_error == ""
    assert [(a.sheet, a.row) for a in report.added] == [
        (C.INTERVIEWS, 3), (C.INTERVIEWS, 4), (C.INTERVIEWS, 5), (C.CONTACTS, 3), (C.CONTACTS, 4)]
    assert leads_of(path)[0] == ("Acme", "Analyst", date(2013, 9, 27), None, None, "Jane Roe")  # the row it had
    assert leads_of(path)[1:] == WANTED
    book = openpyxl.load_workbook(path)
    assert book[C.INTERVIEWS].tables["tblInterviews"].ref == "A1:W5"
    assert book[C.CONTACTS].tables["tblContacts"].ref == "A1:I4"
    assert [r[0].value for r in book[C.CONTACTS].iter_rows(min_row=2)] == ["Jane Roe", "Ann Lee", "Luc Moreau"]
    assert book[C.INTERVIEWS]["E3"].number_format != "General"  # a date, shown as one
    assert row_values(path, 4)["Notes"] == "URL: https://jobs.example/Ini"
    for row in (3, 4):  # the refresh planned the new open rows
        assert isinstance(row_values(path, row)["Next Call"], datetime)
    assert row_values(path, 5)["Flag"] == C.FLAG_CLOSED


def test_a_second_import_adds_nothing_and_leaves_the_file_alone(tmp_path):
    path = tracker(tmp_path, "GB")  # the Teal-like file writes its dates day first
    source = teal_like(tmp_path)
    import_leads([source], path, TODAY)
    before = path.read_bytes()
    report = import_leads([source, huntr_like(tmp_path)], path, TODAY)
    assert [r.plan.duplicates for r in report.sources] == [3, 3]
    assert report.added == [] and not report.written and report.refresh is None
    assert path.read_bytes() == before


def test_a_bad_row_among_good_ones(tmp_path):
    source = tmp_path / "list.csv"
    source.write_text("Company,Date Applied\nAcme,2024-06-01\n,2024-06-02\nGlobex,someday\nInitech,2024-06-03\n",
                      encoding="utf-8")
    path = tracker(tmp_path)
    report = import_leads([source], path, TODAY)
    (result,) = report.sources
    assert [(b.line, b.problem) for b in result.plan.bad] == [
        (3, "no company (column 'Company' is blank)"), (4, "Date Applied: 'someday' is not a date")]
    assert report.failed and report.written
    assert [lead[:3] for lead in leads_of(path)[1:]] == [("Acme", None, date(2024, 6, 1)),
                                                        ("Initech", None, date(2024, 6, 3))]


def test_sources_are_deduplicated_against_each_other(tmp_path):
    report = import_leads([huntr_like(tmp_path), workbook(tmp_path)], tracker(tmp_path), TODAY, dry_run=True)
    assert [r.plan.duplicates for r in report.sources] == [0, 3]
    assert len([a for a in report.added if a.sheet == C.CONTACTS]) == 2


def test_the_map_option_reaches_the_sources(tmp_path):
    source = tmp_path / "de.csv"
    source.write_text("Firma;Stelle;Beworben am\nAcme;Analyst;12.06.2024\n", encoding="utf-8")
    report = import_leads([source], tracker(tmp_path), TODAY, dry_run=True,
                          maps=["Firma=Company", "Stelle=Position", "Beworben am=Event Date"])
    assert [dict(a.cells) for a in report.added] == [
        {"Company": "Acme", "Position": "Analyst", "Event Date": date(2024, 6, 12)}]


def tracker_kinds(folder: Path) -> list[Path]:
    sample = folder / "sample.xlsx"
    shutil.copyfile(SAMPLE, sample)
    return [small_tracker(folder / "small.xlsx"), sample, handmade_tracker(folder / "handmade.xlsx")]


@pytest.mark.parametrize("kind", [0, 1, 2])
def test_every_other_part_of_the_tracker_is_byte_identical(tmp_path, monkeypatch, kind):
    path = tracker_kinds(tmp_path)[kind]
    refreshed = []
    monkeypatch.setattr(importer, "refresh_file", lambda p, today: refreshed.append(p))  # the write alone
    before = members(path)
    report = import_leads([huntr_like(tmp_path)], path, TODAY)
    after = members(path)
    assert report.written and refreshed == [path]
    assert list(after) == list(before)  # the same parts, in the same order
    changed = {name for name in before if before[name] != after[name]}
    with zipfile.ZipFile(path) as zf:
        sheets = {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml"}
        tables = {n for n in zf.namelist() if n.startswith("xl/tables/")}
    if kind == 2:  # no tables, and no date format on Event Date: the sheets and the date style they need
        assert changed == sheets | {"xl/styles.xml"}
    else:
        assert sheets <= changed <= sheets | tables


def test_a_dry_run_writes_nothing(tmp_path):
    path = tracker(tmp_path)
    before = path.read_bytes()
    report = import_leads([huntr_like(tmp_path)], path, TODAY, dry_run=True)
    assert len(report.added) == 5 and not report.written and report.refresh is None
    assert path.read_bytes() == before


def test_the_tracker_changed_while_importing_is_not_replaced(tmp_path, monkeypatch):
    path = tracker(tmp_path)
    real = importer.read_grid

    def read_and_save_elsewhere(source, score=None):
        grid = real(source, score)
        refresh_file(path, TODAY)  # someone else saves the tracker meanwhile
        return grid

    monkeypatch.setattr(importer, "read_grid", read_and_save_elsewhere)
    saved = None
    with pytest.raises(WorkbookError) as raised:
        saved = path.read_bytes()
        import_leads([huntr_like(tmp_path)], path, TODAY)
    assert str(raised.value) == f"{path}: changed while importing. Fix: run the import again"
    assert saved is not None and len(leads_of(path)) == 1


def test_a_tracker_open_in_excel_read_only_or_not_a_tracker_is_refused(tmp_path):
    path = tracker(tmp_path)
    source = huntr_like(tmp_path)
    owner = tmp_path / f"~${path.name}"
    owner.write_bytes(b"")
    with pytest.raises(WorkbookError, match="is open in Excel"):
        import_leads([source], path, TODAY)
    owner.unlink()
    os.chmod(path, 0o444)
    try:
        with pytest.raises(WorkbookError, match="is read-only; not replaced"):
            import_leads([source], path, TODAY)
    finally:
        os.chmod(path, 0o644)
    other = workbook(tmp_path)
    with pytest.raises(ProblemsError) as raised:
        import_leads([source], other, TODAY)
    assert "the sheet 'Interviews' is missing" in str(raised.value)


def test_a_source_that_is_the_tracker_itself(tmp_path):
    path = tracker(tmp_path)
    (result,) = import_leads([path], path, TODAY, dry_run=True).sources
    assert result.error == (f"{path}: is the tracker itself. Fix: name the list to import, and the tracker after "
                            "--into")


def test_a_source_longer_than_the_limit_is_cut_and_said(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "LIMITS", sources.LIMITS._replace(rows=sources.LIMITS.rows._replace(value=3)))
    report = import_leads([huntr_like(tmp_path)], tracker(tmp_path), TODAY, dry_run=True)
    assert report.sources[0].capped and report.failed
    assert len([a for a in report.added if a.sheet == C.INTERVIEWS]) == 2  # the header and two rows were read


# --- hostile sources --------------------------------------------------------------


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as fh:
        fh.truncate(size)
    return path


def zip_bomb(folder: Path) -> Path:
    path = workbook(folder)
    return with_sheet(path, lambda data: data.replace(b"</sheetData>", b" " * (16 << 20) + b"</sheetData>"),
                      part="xl/worksheets/sheet2.xml")


def far_cell(folder: Path) -> Path:
    return with_rows(workbook(folder), b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
                     part="xl/worksheets/sheet2.xml")


HOSTILE = [
    ("binary.csv", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
     "{p}: is not a CSV or Excel file: it holds binary data. Fix: name the CSV or XLSX file your tracker exported"),
    ("huge.csv", lambda p: sparse(p, 2 * 2**30),
     "{p}: is bigger than 32 MB, more than a list of leads ever is; nothing was imported from it. Fix: export only "
     "the rows you want to import, or split the file"),
    ("wide.csv", lambda p: p.write_text("Company,Date\n" + "," * 10_000_000 + "\n"),
     "{p}: line 2 has 10,000,001 columns, more than the 256 a list of leads may have; nothing was read. Fix: export "
     "only the columns you want to import"),
    ("empty.csv", lambda p: p.write_bytes(b"\n\n"),
     "{p}: is empty. Fix: name the file your tracker exported, with its header row"),
    ("old.xls", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512),
     "{p}: is an old .xls workbook or a password-protected one. Fix: open it in Excel, remove any password, and "
     "save it as .xlsx or as CSV"),
    ("text.xlsx", lambda p: p.write_text("Company,Date\n"),
     "{p}: is not an Excel workbook (it is not a zip file). Fix: save it again from Excel as .xlsx, or export it "
     "as CSV"),
    ("missing.csv", lambda p: None, "{p}: does not exist. Fix: check the file name and folder"),
    ("folder.csv", lambda p: p.mkdir(), "{p}: is a folder, not a list. Fix: name a CSV, XLSX or XLSM file"),
]


@pytest.mark.parametrize(("name", "make", "message"), HOSTILE)
def test_hostile_sources_are_refused_with_a_message(tmp_path, name, make, message):
    path = tmp_path / name
    make(path)
    with pytest.raises(WorkbookError) as raised:
        read_grid(path)
    assert str(raised.value) == message.format(p=path)


def test_a_zip_bomb_and_a_far_cell_are_refused_before_they_are_read(tmp_path):
    bomb = zip_bomb(tmp_path)
    with pytest.raises(WorkbookError, match="inflates .* times \\(a zip bomb"):
        read_grid(bomb)
    (tmp_path / "far").mkdir()
    far = far_cell(tmp_path / "far")
    assert read_grid(far).how == "sheet 'Read me'"  # the first sheet alone is read when nothing scores them
    with pytest.raises(ProblemsError) as raised:
        read_grid(far, score=len)
    assert "XFD1048576: holds a value far outside the table" in str(raised.value)


def test_a_megabyte_cell_is_read_and_cut_to_a_cell(tmp_path):
    source = tmp_path / "long.csv"
    source.write_text('Company,Date,Notes\nAcme,2024-06-12,"' + "n" * 2**20 + '"\n', encoding="utf-8")
    report = import_leads([source], tracker(tmp_path), TODAY, dry_run=True)
    (added, *_) = report.added
    assert len(added.cells["Notes"]) == C.MAX_CELL_TEXT
    assert [n.message for n in report.sources[0].plan.notices] == [
        "the Notes are longer than a cell holds: cut to 32,767 characters"]


# --- delimiters on whole records, the file's own lines, several sheets, the tracker's own columns ------

NOTES = '"Q: tell me about yourself; went well\nQ: why us; their blog\nNext: wait; call Friday"'


@pytest.mark.parametrize(("text", "delimiter"), [
    (f"Company,Position,Date,Notes\nAcme,Dev,2024-06-12,{NOTES}\nGlobex,QA,2024-06-13,{NOTES}\n", ","),
    ('Company;Notes\nAcme;"a, b, c"\nGlobex;"d, e"\n', ";"),
    ('Company\tNotes\n"Acme, Inc"\t"x; y"\n', "\t"),
    ("sep=|\nCompany|Date\nAcme|2024-06-12\n", "|"),
    ("sep=;\nCompany,Date\n", ";"),  # Excel's own line says so
    ("Company|Date\nAcme|2024-06-12\n", "|"),
    ("Company\nAcme\n", ","),  # nothing splits: a comma
    ('Company,Notes\nAcme,"' + "n" * 200_000 + '"\n', ","),  # a value longer than the csv module's own limit
    ('Company,Notes\nAcme,"never closed\n', ","),
])
def test_the_delimiter_is_told_from_whole_records(text, delimiter):
    assert sniff_delimiter(text) == delimiter


@pytest.mark.parametrize(("text", "lines"), [
    ("a,b\nc,d\n", [1, 2]),
    ('a,b\nc,"two\nlines"\ne,f\n', [1, 2, 4]),
    ('a,b\r\n\r\nc,"x\r\ny\r\nz"\r\ne,f', [1, 2, 3, 6]),
    ('a,b\nc,5" screen\ne,f\n', [1, 2, 3]),  # a quote mark inside a value opens nothing
    ('a,b\nc,"open\ne,f\n', [1, 2]),
])
def test_record_lines_count_the_line_breaks_inside_quotes(text, lines):
    assert record_lines(text, ",", 10) == lines


def test_lines_in_messages_are_the_files_own(tmp_path):
    source = tmp_path / "s.csv"
    source.write_text('Company,Date Applied,Notes\nAcme,2024-06-12,"one\ntwo\nthree"\nGlobex,someday,\n'
                      'Initech,2024-06-13,"four\nfive"\n,2024-06-14,\n', encoding="utf-8")
    (result,) = import_leads([source], tracker(tmp_path), TODAY, dry_run=True).sources
    assert [b.line for b in result.plan.bad] == [5, 8]
    assert [r.line for r in result.plan.rows] == [2, 6]


@pytest.mark.parametrize(("text", "line"), [
    ('Company,Date,Notes\nAcme,2024-06-12,"oops\nGlobex,2024-06-13,fine\n', 2),
    ('Company,Date,Notes\nAcme,2024-06-12,"a\nb"\nGlobex,2024-06-13,"oops\n', 4),
])
def test_an_unclosed_quote_names_the_line_it_opens_on(tmp_path, text, line):
    source = tmp_path / "s.csv"
    source.write_text(text, encoding="utf-8")
    (result,) = import_leads([source], tracker(tmp_path), TODAY, dry_run=True).sources
    assert result.error == (f"{source}: cannot be read as CSV (a quoted value that opens on line {line} is never "
                            "closed). Fix: open it in a spreadsheet and save it again as CSV")


def years_workbook(folder: Path) -> Path:
    """Leads on a sheet a year, a list of calls with a bare Date, and a sheet of notes."""
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["Ideas for the search"])
    for year, company in ((2023, "Acme"), (2024, "Globex")):
        sheet = book.create_sheet(str(year))
        sheet.append(["Company", "Position", "Date Applied"])
        sheet.append([company, "Dev", datetime(year, 5, 1)])
    calls = book.create_sheet("Calls")
    calls.append(["Date", "Company", "Outcome"])
    calls.append([datetime(2024, 5, 3), "Globex", "Left voicemail"])
    path = folder / "years.xlsx"
    book.save(path)
    return path


def test_every_sheet_that_is_a_list_of_leads_comes_in(tmp_path):
    report = import_leads([years_workbook(tmp_path)], tracker(tmp_path), TODAY, dry_run=True)
    assert [(r.label, r.how, r.error) for r in report.sources] == [
        (f"{tmp_path / 'years.xlsx'} (sheet '2023')", "sheet '2023'", ""),
        (f"{tmp_path / 'years.xlsx'} (sheet '2024')", "sheet '2024'", "")]
    assert [(a.cells["Company"], a.source.endswith(f"(sheet '{a.cells['Event Date'].year}')"))
            for a in report.added] == [("Acme", True), ("Globex", True)]


def test_sheets_with_the_same_weak_header_come_in_together(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Jan"
    book.active.append(["Company", "Date"])
    book.active.append(["Acme", datetime(2024, 1, 5)])
    book.create_sheet("Feb").append(["Company", "Date"])
    book["Feb"].append(["Globex", datetime(2024, 2, 5)])
    book.save(tmp_path / "months.xlsx")
    report = import_leads([tmp_path / "months.xlsx"], tracker(tmp_path), TODAY, dry_run=True)
    assert [r.sheet for r in report.sources] == ["Jan", "Feb"] and len(report.added) == 2


def test_a_column_of_the_trackers_own_is_filled_from_its_name(tmp_path):
    path = handmade_tracker(tmp_path / "hand.xlsx")  # its Interviews has a "My Rating" column
    source = tmp_path / "s.csv"
    source.write_text("Company,Position,Date Applied,My Rating,Pay\nInitech,QA,2024-06-12,5,100k\n", encoding="utf-8")
    report = import_leads([source], path, TODAY)
    mapping = report.sources[0].plan.mapping
    assert (mapping.target_column("My Rating").how, [i.name for i in mapping.ignored]) == ("same name", ["Pay"])
    assert report.written and row_values(path, 4)["My Rating"] == 5
    with pytest.raises(BadMap, match="'Salary' is not a column the import fills"):
        import_leads([source], path, TODAY, maps=["Pay=Salary"], dry_run=True)


def with_calculated_column(path: Path, formula: str, calc: bytes | None) -> Path:
    """The template tracker with a calculated user column "Days" (X) in its Interviews table,
    the formula on row 2, and the workbook's calcPr replaced by ``calc`` (None: as it is)."""
    from tests.support.hostile_zip import rewrite

    items = members(path)
    table = items["xl/tables/table1.xml"].decode().replace('ref="A1:W2"', 'ref="A1:X2"')
    table = table.replace('<tableColumns count="23">', '<tableColumns count="24">').replace(
        "</tableColumns>", f'<tableColumn id="24" name="Days"><calculatedColumnFormula>{formula}'
                           "</calculatedColumnFormula></tableColumn></tableColumns>")
    items["xl/tables/table1.xml"] = table.encode()
    sheet = items["xl/worksheets/sheet1.xml"].decode().replace('<dimension ref="A1:W2"/>', '<dimension ref="A1:X2"/>')
    head, _, rest = sheet.partition('<row r="2"')
    head = head.replace("</row>", '<c r="X1" t="inlineStr"><is><t>Days</t></is></c></row>', 1)
    row2, _, tail = rest.partition("</row>")
    items["xl/worksheets/sheet1.xml"] = (f'{head}<row r="2"{row2}<c r="X2"><f>{formula}</f><v>1</v></c></row>'
                                         f"{tail}").encode()
    if calc is not None:
        items["xl/workbook.xml"] = items["xl/workbook.xml"].replace(b'<calcPr calcId="124519" fullCalcOnLoad="1"/>',
                                                                    calc)
    return rewrite(path, items)


TEMPLATE_CALC = b'<calcPr calcId="124519" fullCalcOnLoad="1"/>'


@pytest.mark.parametrize(("calc", "was", "wanted"), [
    (None, TEMPLATE_CALC, TEMPLATE_CALC),
    (b'<calcPr calcId="191029"/>', b'<calcPr calcId="191029"/>', b'<calcPr calcId="191029" fullCalcOnLoad="1"/>'),
    (b'<calcPr calcId="191029" fullCalcOnLoad="0"></calcPr>', b'<calcPr calcId="191029" fullCalcOnLoad="0"></calcPr>',
     b'<calcPr calcId="191029" fullCalcOnLoad="1"></calcPr>'),
    (b"", b"</workbook>", b'<calcPr fullCalcOnLoad="1"/></workbook>'),
])
def test_a_tables_calculated_column_reaches_the_new_rows_and_is_calculated_on_opening(tmp_path, monkeypatch, calc,
                                                                                      was, wanted):
    formula = "LEN(tblInterviews[[#This Row],[Company]])&amp;&quot;&lt;&quot;"
    path = with_calculated_column(tracker(tmp_path), formula, calc)
    before = members(path)
    monkeypatch.setattr(importer, "refresh_file", lambda p, today: None)  # the write alone
    assert import_leads([huntr_like(tmp_path)], path, TODAY).written
    assert members(path)["xl/workbook.xml"] == before["xl/workbook.xml"].replace(was, wanted)  # nothing else changed
    book = openpyxl.load_workbook(path)
    try:
        cells = [book[C.INTERVIEWS][f"X{row}"].value for row in range(2, 6)]
        assert cells == ['=LEN(tblInterviews[[#This Row],[Company]])&"<"'] * 4
        assert book[C.INTERVIEWS].tables["tblInterviews"].ref == "A1:X5"
    finally:
        book.close()


def test_rows_left_empty_inside_a_table_are_filled_first(tmp_path):
    from tests.support.hostile_zip import rewrite

    path = tracker(tmp_path)
    items = members(path)
    items["xl/tables/table1.xml"] = items["xl/tables/table1.xml"].replace(b'ref="A1:W2"', b'ref="A1:W4"').replace(
        b'<autoFilter ref="A1:W2"/>', b'<autoFilter ref="A1:W4"/>')
    rewrite(path, items)
    report = import_leads([huntr_like(tmp_path)], path, TODAY)
    assert [(a.sheet, a.row) for a in report.added if a.sheet == C.INTERVIEWS] == [
        (C.INTERVIEWS, 3), (C.INTERVIEWS, 4), (C.INTERVIEWS, 5)]
    book = openpyxl.load_workbook(path)
    try:
        assert book[C.INTERVIEWS].tables["tblInterviews"].ref == "A1:W5"
    finally:
        book.close()
