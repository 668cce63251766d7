"""Small real trackers for the tests, built in a folder the test gives (tmp_path)."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from tests.support.xlsx_parts import tiny_png
from workbook_tools import contract as C
from workbook_tools.a1 import column_letter
from workbook_tools.template.workbook import build_tracker, default_settings

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "tracker.xlsx"
FRI = date(2013, 9, 27)


def sample_copies(folder: Path, n: int) -> list[Path]:
    """``n`` copies of the sample, t0.xlsx ... in ``folder``: enough for a process pool
    (`batch.PARALLEL_FROM`)."""
    paths = [folder / f"t{i}.xlsx" for i in range(n)]
    for p in paths:
        shutil.copyfile(SAMPLE, p)
    return paths


def small_tracker(path: Path, interviews=None, calls=(), contacts=(), settings=None) -> Path:
    """A template tracker with one interview (seed 000's) unless rows are given."""
    if interviews is None:
        interviews = [{"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI}]
        contacts = contacts or [{"Name": "Jane Roe", "Company": "Acme", "Phone": "555-0100"}]
    build_tracker(path, interviews=interviews, calls=calls, contacts=contacts,
                  settings={"Your Name": "Sam Lee", "Your Phone": "555-0199", "Your Email": "sam@example.com",
                            "Country": "", **(settings or {})})
    return path


def handmade_tracker(path: Path, vba: Path | None = None) -> Path:
    """A tracker made with XlsxWriter by hand, not from the template: no Tables, an extra
    user column, a chart and an image on a sheet of the user's, comments, a defined name,
    a formula of the user's, and (for .xlsm) a VBA project."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    datefmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    sheets = {}
    for name in (C.INTERVIEWS, C.CALLS, C.CONTACTS, C.SCRIPTS, C.CADENCES, C.SETTINGS):
        ws = wb.add_worksheet(name)
        headers = list(C.HEADERS[name]) + (["My Rating"] if name == C.INTERVIEWS else [])
        for j, h in enumerate(headers):
            ws.write_string(0, j, h)
        sheets[name] = (ws, headers)
    ws, headers = sheets[C.INTERVIEWS]
    col = headers.index
    for i, (company, event) in enumerate((("Acme", datetime(2013, 9, 27)), ("Globex", datetime(2013, 9, 30))), 1):
        ws.write_string(i, col("Company"), company)
        ws.write_string(i, col("Position"), "Analyst")
        ws.write_datetime(i, col("Event Date"), event, datefmt)
        ws.write_number(i, col("My Rating"), 5 - i)
        rating = column_letter(col("My Rating") + 1)
        ws.write_formula(i, col("Notes"), f'="rated "&{rating}{i + 1}', None, f"rated {5 - i}")
    ws.write_comment(1, col("Company"), "Met their CTO at the fair")
    calls, cheaders = sheets[C.CALLS]
    calls.write_datetime(1, cheaders.index("Date"), datetime(2013, 10, 2), datefmt)
    calls.write_string(1, cheaders.index("Company"), "Acme")
    calls.write_string(1, cheaders.index("Outcome"), C.LEFT_VOICEMAIL)
    settings, _ = sheets[C.SETTINGS]
    for i, (name, value) in enumerate(default_settings(), 1):
        settings.write_string(i, 0, name)
        if value not in ("", None):
            settings.write(i, 1, value if name != C.COUNTRY else "")
    dash = wb.add_worksheet("Dashboard")
    dash.write_column("A1", [3, 5, 2])
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Dashboard!$A$1:$A$3", "name": "Calls"})
    dash.insert_chart("C2", chart)
    image = path.with_suffix(".png")
    image.write_bytes(tiny_png(8, 8))
    dash.insert_image("C20", str(image))
    rating = column_letter(headers.index("My Rating") + 1)
    wb.define_name("MyRatings", f"={C.INTERVIEWS}!${rating}$2:${rating}$3")
    if vba is not None:
        wb.add_vba_project(str(vba))
    wb.close()
    image.unlink()
    return path


def interview_headers(path: Path) -> list[Any]:
    """The Interviews header row of a tracker file, as typed."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [c.value for c in next(book[C.INTERVIEWS].iter_rows(max_row=1))]
    finally:
        book.close()


def type_cells(path: Path, row: int, cells: dict[str, Any]) -> None:
    """Type values into one Interviews row by header, as a user would (the cell writer)."""
    from workbook_tools import write_cells

    names = interview_headers(path)
    write_cells(path, C.INTERVIEWS, {f"{column_letter(names.index(h) + 1)}{row}": v for h, v in cells.items()})


def row_values(path: Path, row: int) -> dict[str, Any]:
    """One Interviews row by header (blank headers left out)."""
    book = openpyxl.load_workbook(path)
    try:
        return {h: c.value for h, c in zip(interview_headers(path), book[C.INTERVIEWS][row]) if h is not None}
    finally:
        book.close()
