"""The file adapter on real workbooks: golden cells, byte identity, idempotence, the
table growing, and what is refused."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from tests.golden.regenerate import GOLDEN, golden_rows
from tests.support.trackers import FRI, handmade_tracker, small_tracker
from tests.support.xlsx_parts import defined_names, members, without_name
from workbook_tools import contract as C
from workbook_tools import write_cells
from workbook_tools.adapters.file import refresh_file
from workbook_tools.errors import ProblemsError, WorkbookError
from workbook_tools.template.sample import SAMPLE_TODAY


def owned_cells(path: Path) -> list[tuple[int, str, dict[str, object]]]:
    """(row, company, owned cells by header) for every Interviews row, read with openpyxl."""
    wb = openpyxl.load_workbook(path)
    ws = wb[C.INTERVIEWS]
    headers = [c.value for c in ws[1]]
    out = []
    for row in ws.iter_rows(min_row=2):
        values = dict(zip(headers, (c.value for c in row)))
        if not values.get("Company"):
            continue
        cells = {h: values.get(h) for h in C.OWNED_COLUMNS}
        cells = {h: v.date() if isinstance(v, datetime) else v for h, v in cells.items()}
        out.append((row[0].row, values["Company"], cells))
    return out


def all_cells(path: Path, sheet: str) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def test_refresh_of_the_sample_matches_the_golden_cells(sample_copy):
    report = refresh_file(sample_copy, SAMPLE_TODAY)
    assert report.written and not report.problems
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert golden_rows(owned_cells(sample_copy)) == expected, "run: python tests/golden/regenerate.py"


def test_refresh_changes_only_the_interviews_sheet_and_only_owned_cells(sample_copy, tmp_path):
    before = members(sample_copy)
    cells_before = all_cells(sample_copy, C.INTERVIEWS)
    refresh_file(sample_copy, SAMPLE_TODAY)
    after = members(sample_copy)
    assert list(before) == list(after)
    changed = [name for name in before if before[name] != after[name]]
    # The template's date columns already have a date style; the workbook part gains the
    # tracker's identity (its file's name), the sheet's relationships its links, and nothing else.
    assert sorted(changed) == ["xl/workbook.xml", "xl/worksheets/_rels/sheet1.xml.rels", "xl/worksheets/sheet1.xml"]
    assert defined_names(after["xl/workbook.xml"])[C.TRACKER_ID_NAME] == '"tracker.xlsx"'
    assert without_name(after["xl/workbook.xml"], C.TRACKER_ID_NAME) == without_name(before["xl/workbook.xml"], "")
    cells_after = all_cells(sample_copy, C.INTERVIEWS)
    owned_letters = {openpyxl.utils.get_column_letter(C.INTERVIEW_HEADERS.index(h) + 1) for h in C.OWNED_COLUMNS}
    for ref in set(cells_before) | set(cells_after):
        if ref.rstrip("0123456789") not in owned_letters or ref.endswith("1") and ref[1:] == "1":
            assert cells_before.get(ref) == cells_after.get(ref), ref


def test_a_second_refresh_changes_nothing(sample_copy):
    refresh_file(sample_copy, SAMPLE_TODAY)
    first = sample_copy.read_bytes()
    report = refresh_file(sample_copy, SAMPLE_TODAY)
    assert report.changed == 0 and report.changes == [] and not report.written
    assert sample_copy.read_bytes() == first


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_handmade_tracker_keeps_chart_image_comments_names_and_macros(tmp_path, suffix, vba_bin):
    path = handmade_tracker(tmp_path / f"mine{suffix}", vba=vba_bin if suffix == ".xlsm" else None)
    before = members(path)
    assert any(n.startswith("xl/charts/") for n in before) and any(n.startswith("xl/media/") for n in before)
    report = refresh_file(path, date(2013, 10, 3))
    assert report.written
    after = members(path)
    assert list(before) == list(after)
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= {"xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml"}
    assert "xl/worksheets/sheet1.xml" in changed
    assert without_name(after["xl/workbook.xml"], C.TRACKER_ID_NAME) == without_name(before["xl/workbook.xml"], "")
    if suffix == ".xlsm":
        assert after["xl/vbaProject.bin"] == vba_bin.read_bytes()
    wb = openpyxl.load_workbook(path)
    ws = wb[C.INTERVIEWS]
    headers = [c.value for c in ws[1]]
    row2 = dict(zip(headers, (c.value for c in ws[2])))
    assert row2["Next Call"].date() == date(2013, 10, 7) and row2["Flag"] == C.UPCOMING
    assert row2["My Rating"] == 4 and ws.cell(2, headers.index("Notes") + 1).value.startswith("=")
    assert ws.cell(2, 1).comment.text.startswith("Met their CTO")


def test_rows_typed_below_the_table_are_processed_and_the_table_grows(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    write_cells(path, C.INTERVIEWS, {"A3": "Globex", "E3": date(2013, 9, 30)})
    report = refresh_file(path, date(2013, 9, 30))
    assert not report.problems
    wb = openpyxl.load_workbook(path)
    ws = wb[C.INTERVIEWS]
    table = ws.tables[C.TABLE_NAMES[C.INTERVIEWS]]
    assert table.ref.endswith("3")
    next_call = ws.cell(3, C.INTERVIEW_HEADERS.index("Next Call") + 1).value
    assert next_call.date() == date(2013, 10, 3)


def test_output_leaves_the_source_untouched(sample_copy, tmp_path):
    source = sample_copy.read_bytes()
    out = tmp_path / "out.xlsx"
    refresh_file(sample_copy, SAMPLE_TODAY, output=out)
    assert sample_copy.read_bytes() == source and out.exists()
    assert golden_rows(owned_cells(out)) == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_dry_run_writes_nothing(sample_copy):
    source = sample_copy.read_bytes()
    report = refresh_file(sample_copy, SAMPLE_TODAY, dry_run=True)
    assert report.changes and not report.written and sample_copy.read_bytes() == source
    assert len(report.changes) == report.changed


def test_generated_text_is_never_a_formula(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "=1+1", "Position": "@SUM(A1)", "Contact": "+Jane", "Event Date": FRI}])
    refresh_file(path, date(2013, 9, 30))
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    ws = openpyxl.load_workbook(path)[C.INTERVIEWS]
    script = ws.cell(2, C.INTERVIEW_HEADERS.index("Call Script") + 1)
    assert script.data_type == "s" and "=1+1" in script.value


def test_lock_file_is_refused(sample_copy):
    (sample_copy.parent / "~$tracker.xlsx").write_bytes(b"owner")
    source = sample_copy.read_bytes()
    with pytest.raises(WorkbookError) as err:
        refresh_file(sample_copy, SAMPLE_TODAY)
    assert "open in Excel" in str(err.value) and "Refresh button" in str(err.value)
    assert sample_copy.read_bytes() == source


def test_missing_sheet_and_column_refused_before_writing(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    del wb[C.CONTACTS]
    wb[C.INTERVIEWS]["E1"] = "When"
    wb.save(path)
    source = path.read_bytes()
    with pytest.raises(ProblemsError) as err:
        refresh_file(path, FRI)
    assert [(p.sheet, p.cell, p.message) for p in err.value.problems] == [
        (C.INTERVIEWS, "1:1", "the required column 'Event Date' is missing"),
        (C.CONTACTS, "", "the sheet 'Contacts' is missing"),
    ]
    assert path.read_bytes() == source


def test_a_refresh_reads_the_package_without_lxml(sample_copy):
    """lxml (5.8 MB and its start-up) is needed only to write back an edited part; a
    refresh of a tracker made from the template edits none but the sheet once the
    tracker has its identity (the first refresh of one without adds it to the workbook part)."""
    import subprocess
    import sys
    from datetime import timedelta

    refresh_file(sample_copy, SAMPLE_TODAY - timedelta(days=1))
    code = ("import sys; from workbook_tools.adapters.file import refresh_file; "
            "from workbook_tools.template.sample import SAMPLE_TODAY; "
            "r = refresh_file(sys.argv[1], SAMPLE_TODAY); print(r.written, 'lxml' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(sample_copy)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


def test_changed_rows_counts_and_refuses_a_plan_out_of_step():
    from workbook_tools.adapters.file import RefreshReport, changed_rows
    from workbook_tools.core.grid import tracker_data
    from workbook_tools.core.model import RowResult

    sheet = tracker_data([{"Company": "Acme", "Flag": C.UPCOMING}, {"Company": "Globex"}]).interviews
    report = RefreshReport(Path("t.xlsx"), Path("t.xlsx"))
    out = list(changed_rows(sheet, [RowResult(2, flag=C.UPCOMING), RowResult(3, flag=C.OVERDUE, calls_made=1)],
                            report, list_changes=True))
    flag, made = sheet.columns["Flag"], sheet.columns["Calls Made"]
    assert out == [(3, sorted([(ord(made) - 64, 1, f"{made}3", f"{made}3"), (ord(flag) - 64, C.OVERDUE, f"{flag}3",
                                                                             f"{flag}3")]))]
    assert (report.changed, report.rows, report.flags) == (2, 2, {C.UPCOMING: 1, C.OVERDUE: 1})
    assert [c.cell for c in report.changes] == sorted([f"{made}3", f"{flag}3"], key=lambda r: ord(r[0]))
    with pytest.raises(ValueError, match="out of step"):
        list(changed_rows(sheet, [RowResult(3)], RefreshReport(Path("t.xlsx"), Path("t.xlsx"))))
