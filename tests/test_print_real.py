"""An independent tester's look at printouts of real trackers: long Notes and Talking
Points typed by the user, long scripts of the user's own, many rows, printed through
LibreOffice (`render.render_sheet`) and read back word by word with pdftotext -bbox;
and the row heights refresh owns (only those of the rows it fills, and the same bytes
when nothing changed)."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from tests.support.pdf import has_carlito, overlapping, pdf_pages
from tests.support.trackers import SAMPLE, small_tracker
from workbook_tools import contract as C
from workbook_tools import write_cells
from workbook_tools.adapters.file import refresh_file
from workbook_tools.cli import main
from workbook_tools.render import missing_tools, render_sheet

TODAY = date(2026, 3, 5)
MARK = re.compile(r"zq[a-z]+\d+")  # the words each long text of the user's ends with
ZONES = ("America/Chicago", "Asia/Kolkata", "Australia/Sydney", "Europe/London", "America/St_Johns")


needs_printing = pytest.mark.skipif(
    bool(missing_tools(png=False)) or shutil.which("pdftotext") is None or not has_carlito(),
    reason="needs LibreOffice (soffice), pdftotext (poppler-utils) and the Carlito font (fonts-crosextra-carlito): "
           "the row heights are estimated for Calibri's metrics")


def lived_in_tracker(path: Path, rows: int = 30) -> Path:
    """Many leads with long text of the user's own, each ending with a marker word."""
    note = ("Met the hiring manager at the spring fair; she asked about the migration, the on-call rota and "
            "whether I would move. Send the portfolio link and Dana's reference. ") * 5
    skill = "cut the nightly batch from six hours to forty minutes by rewriting the joins; "
    interviews = [{
        "Company": f"Company {i} International Holdings", "Position": "Senior Data Platform Engineer",
        "Contact": f"Person {i % len(ZONES)}", "Event Date": TODAY - timedelta(days=3 + i % 9),
        "Talking Point": skill * (1 + i % 3) + f"zqtalk{i}",
        "Notes": note + f"zqnote{i}" if i % 3 == 0 else ("Short note" if i % 3 == 1 else None),
        "Thank-You Sent": None if i % 2 else TODAY - timedelta(days=3), "Call When": ("next week", None)[i % 2],
    } for i in range(rows)]
    contacts = [{"Name": f"Person {k}", "Company": "Various", "Phone": f"555-01{k:02d}", "Time Zone": zone,
                 "Where We Met": "the regional data engineering meetup in the old library building " * 2 + f"zqmet{k}",
                 "Notes": "Prefers email to calls in the morning; " * 8 + f"zqcontact{k}"}
                for k, zone in enumerate(ZONES)]
    calls = [{"Date": TODAY - timedelta(days=1), "Company": f"Company {i} International Holdings",
              "Outcome": C.LEFT_VOICEMAIL, "Notes": "Mailbox full; try around lunch and mention the portfolio. " * 3
              + f"zqcall{i}"} for i in range(0, rows, 4)]
    return small_tracker(path, interviews=interviews, contacts=contacts, calls=calls,
                         settings={"Country": "US", "Time Zone": "America/New_York"})


def markers_in_cells(path: Path, sheet: str) -> Counter[str]:
    """How often each marker word stands in the sheet's printed cells (the hidden record aside)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = book[sheet].iter_rows(values_only=True)
        names = next(rows)
        return Counter(m for row in rows for name, value in zip(names, row)
                       if name != C.REFRESH_RECORD and isinstance(value, str) for m in MARK.findall(value))
    finally:
        book.close()


@needs_printing
@pytest.mark.parametrize("sheet", [C.INTERVIEWS, C.CALLS, C.CONTACTS])
def test_long_text_of_the_users_prints_whole_and_never_over_other_text(tmp_path: Path, sheet: str) -> None:
    tracker = lived_in_tracker(tmp_path / "tracker.xlsx")
    refresh_file(tracker, TODAY)
    pages = pdf_pages(render_sheet(tracker, sheet, tmp_path / "out", timeout=180).pdf)
    for number, page in enumerate(pages, start=1):
        assert not overlapping(page.words), f"page {number}: {overlapping(page.words)[:5]}"
        cut = [w.text for w in page.words if w.x0 < 0 or w.y0 < 0 or w.x1 > page.width or w.y1 > page.height]
        assert not cut, f"page {number}: words cut at the page's edge: {cut[:5]}"
    printed = Counter(m for page in pages for w in page.words for m in MARK.findall(w.text))
    expected = markers_in_cells(tracker, sheet)
    assert expected and printed == expected  # every long text shows to its last word


@needs_printing
def test_a_long_script_of_the_users_own_prints_whole(tmp_path: Path) -> None:
    tracker = small_tracker(tmp_path / "tracker.xlsx", interviews=[
        {"Company": "Acme", "Position": "Analyst", "Contact": "Jane", "Event Date": TODAY - timedelta(days=3),
         "Thank-You Sent": TODAY - timedelta(days=3), "Talking Point": "the data migration zqtalk1"}],
        contacts=[{"Name": "Jane", "Phone": "555-0100", "Time Zone": "America/Chicago"}])
    names = [r[0] for r in openpyxl.load_workbook(tracker, read_only=True)[C.SCRIPTS].iter_rows(values_only=True)]
    long_text = "Please say this long sentence of my own to them, slowly. " * 14 + "{Talking Point} zqend1"
    write_cells(tracker, C.SCRIPTS, {f"B{names.index('Call: after an interview') + 1}": long_text})
    refresh_file(tracker, TODAY)
    pages = pdf_pages(render_sheet(tracker, C.INTERVIEWS, tmp_path / "out", timeout=180).pdf)
    assert all(not overlapping(page.words) for page in pages)
    printed = Counter(m for page in pages for w in page.words for m in MARK.findall(w.text))
    assert printed == markers_in_cells(tracker, C.INTERVIEWS) and printed["zqend1"] == 1


def row_heights(path: Path, sheet_part: str) -> dict[int, str | None]:
    data = zipfile.ZipFile(path).read(sheet_part).decode("utf-8")
    return {int(m[1]): (re.search(r'\sht="([\d.]+)"', m[0]) or [None, None])[1]
            for m in re.finditer(r'<row [^>]*?r="(\d+)"[^>]*>', data)}


def sheet_part(path: Path, sheet: str) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return f"xl/worksheets/sheet{book.sheetnames.index(sheet) + 1}.xml"
    finally:
        book.close()


def test_rows_refresh_does_not_fill_keep_the_height_the_user_gave_them(tmp_path: Path) -> None:
    tracker = lived_in_tracker(tmp_path / "tracker.xlsx", rows=4)
    blank = [None] * 23
    values = [c.value for c in openpyxl.load_workbook(tracker)[C.INTERVIEWS][5]][:23]
    write_cells(tracker, C.INTERVIEWS, {f"{get_column_letter(i + 1)}{r}": v for r, vals in ((7, values), (5, blank))
                                        for i, v in enumerate(vals)})  # a spacer row left blank between leads
    book = openpyxl.load_workbook(tracker)
    for row, height in ((5, 33.0), (6, 7.5), (40, 21.0)):
        book[C.INTERVIEWS].row_dimensions[row].height = height
    book[C.CONTACTS].row_dimensions[2].height = 80.0
    book[C.CALLS].row_dimensions[2].height = 44.0
    book.save(tracker)
    refresh_file(tracker, TODAY)
    heights = row_heights(tracker, sheet_part(tracker, C.INTERVIEWS))
    assert (heights[5], heights[6], heights[40]) == ("33", "7.5", "21")
    assert all(heights[r] is not None and float(heights[r]) > 15 for r in (2, 3, 4, 7))  # the rows it filled
    assert row_heights(tracker, sheet_part(tracker, C.CONTACTS))[2] == "80"
    assert row_heights(tracker, sheet_part(tracker, C.CALLS))[2] == "44"


def new_xlsm(path: Path) -> Path:
    result = CliRunner().invoke(main, ["new", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    write_cells(path, C.CONTACTS, {"A2": "Jane Roe", "D2": "555-0100", "F2": "Australia/Sydney"})
    write_cells(path, C.INTERVIEWS, {"A2": "Acme", "C2": "Jane Roe", "E2": TODAY - timedelta(days=2),
                                     "L2": "A long note of mine. " * 30})
    return path


@pytest.mark.parametrize("make", ["lived in", "new .xlsm", "the sample"])
def test_a_second_refresh_the_same_day_leaves_every_byte(tmp_path: Path, make: str) -> None:
    makers: dict[str, Any] = {
        "lived in": lambda: lived_in_tracker(tmp_path / "tracker.xlsx"),
        "new .xlsm": lambda: new_xlsm(tmp_path / "tracker.xlsm"),
        "the sample": lambda: Path(shutil.copyfile(SAMPLE, tmp_path / "tracker.xlsx")),
    }
    tracker = makers[make]()
    refresh_file(tracker, TODAY)
    first = tracker.read_bytes()
    report = refresh_file(tracker, TODAY)
    assert tracker.read_bytes() == first and not report.written
