"""The live path (`workbook_tools.excel`) on a real xlwings Book.

There is no Excel on Linux, so the Book is xlwings' remote engine (``xw.Book(json=...)``)
fed a payload shaped as xlwings' VBA client (``addin/Remote.bas``) sends it. The actions
the refresh emits are applied by `apply_actions`, a small model of that client and of
how Excel takes a value typed into a cell, and the result is compared with what the
command line writes into the same workbook.

The remote engine lives in ``xlwings.pro`` (PolyForm Noncommercial): the tests enable
it with ``XLWINGS_LICENSE_KEY=noncommercial``, set in ``tests/conftest.py`` before any
test imports xlwings, a test-only set-up; the product's code never imports ``xlwings.pro``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

xw = pytest.importorskip("xlwings")

import openpyxl  # noqa: E402

from tests.golden.regenerate import GOLDEN  # noqa: E402
from tests.support.trackers import FRI, SAMPLE, small_tracker  # noqa: E402
from tests.support.vba_client import (  # noqa: E402
    Formula,
    apply_actions,
    column_letters,
    excel_input,
    vba_client_functions,
    vba_payload,
)
from workbook_tools import contract as C  # noqa: E402
from workbook_tools import write_cells  # noqa: E402
from workbook_tools.adapters import excel  # noqa: E402
from workbook_tools.adapters.file import (  # noqa: E402
    read_tracker,
    refresh_file,  # noqa: E402
)
from workbook_tools.errors import ProblemsError  # noqa: E402
from workbook_tools.template.sample import SAMPLE_TODAY  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def remote_engine():
    """xlwings' remote engine, registered at import when the licence variable was set
    first; registered here when another module imported xlwings before."""
    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.main.Engine(impl=_xlremote.engine))
    yield


def live_refresh(path: Path, today: date) -> tuple[dict, list[dict], list]:
    """Refresh the workbook at ``path`` through xlwings' remote engine: the payload, the
    actions emitted, and the problems returned."""
    payload = vba_payload(path)
    book = xw.Book(json=json.loads(json.dumps(payload)))  # as it comes over the wire
    problems = excel.refresh(book, today)
    actions = book.json()["actions"]
    return payload, json.loads(json.dumps(actions)), problems


def sheet_cells(path: Path, sheet: str) -> dict[str, object]:
    """Every non-empty cell of a sheet, as values (dates as dates)."""
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    out = {}
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if v is None:
                continue
            out[c.coordinate] = v.date() if isinstance(v, datetime) and v.time() == time(0) else v
    return out


def live_vs_cli(path: Path, today: date, tmp_path: Path):
    """The Interviews cells after the live refresh (the workbook's cells with the actions
    applied) and after `workbook-tools refresh` on a copy; and the actions."""
    before = sheet_cells(path, C.INTERVIEWS)
    payload, actions, _ = live_refresh(path, today)
    written, _ = apply_actions(payload, actions)
    live = dict(before)
    for ref, value in written.get(C.INTERVIEWS, {}).items():
        if value is None:
            live.pop(ref, None)
        else:
            live[ref] = value
    cli_copy = tmp_path / ("cli" + path.suffix)
    shutil.copyfile(path, cli_copy)
    refresh_file(cli_copy, today)
    return live, sheet_cells(cli_copy, C.INTERVIEWS), actions, written


def owned_refs(path: Path) -> set[str]:
    """The column letters of the owned columns on Interviews."""
    data = read_tracker(path)
    return {data.interviews.columns[h] for h in C.OWNED_COLUMNS}


# --- Tests --------------------------------------------------------------------------------

def test_the_live_refresh_writes_the_cells_the_cli_writes_on_the_golden_sample(tmp_path):
    live, cli, actions, written = live_vs_cli(SAMPLE, SAMPLE_TODAY, tmp_path)
    assert live == cli
    assert not any(isinstance(v, Formula) for v in live.values())
    # and the golden file agrees, dates compared as dates
    header = {v: re.sub(r"\d+", "", k) for k, v in live.items() if k.endswith("1") and k[:-1].isalpha()}
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for row in golden:
        for h in C.OWNED_COLUMNS:
            expected = row[h]
            if h in C.OWNED_DATE_COLUMNS and expected:
                expected = date.fromisoformat(expected)
            assert live.get(f"{header[h]}{row['row']}") == expected, (row["row"], h)
    # only owned cells are written, only on Interviews
    owned = owned_refs(SAMPLE)
    assert set(written) == {C.INTERVIEWS}
    assert {re.sub(r"\d+", "", ref) for ref in written[C.INTERVIEWS]} <= owned


def test_a_book_with_an_identity_keeps_it_and_plans_the_calendar_the_cli_plans(tmp_path):
    """The identity is read from the book's names, as the file path reads it from the
    workbook part: the same record (the calendar's marks) and nothing added."""
    tracker = tmp_path / "tracker.xlsx"
    shutil.copyfile(SAMPLE, tracker)
    refresh_file(tracker, SAMPLE_TODAY - timedelta(days=3))  # gives it its identity and records
    live, cli, actions, _ = live_vs_cli(tracker, SAMPLE_TODAY, tmp_path)
    assert live == cli
    # The cells: no name, and no link (the remote engine cannot list the sheet's links: see test_excel_links.py).
    assert {a["func"] for a in actions} == {"setValues"}


class _Names:
    def __init__(self, names=(), fail=False):
        self.names, self.fail = list(names), fail

    def __iter__(self):
        if self.fail:
            raise RuntimeError("this engine lists no names")
        return iter(self.names)


class _Name:
    def __init__(self, name, refers_to):
        self.name, self.refers_to = name, refers_to


class _Book:
    def __init__(self, names):
        self.names = names


@pytest.mark.parametrize("names, identity", [
    (_Names(), excel.BookIdentity(False, "")),
    (_Names([_Name("Other", '="x"'), _Name(C.TRACKER_ID_NAME.upper(), '="abc"')]), excel.BookIdentity(True, "abc")),
    (_Names([_Name(C.TRACKER_ID_NAME, "=Interviews!$A$1")]), excel.BookIdentity(True, "")),
    (_Names([_Name(C.TRACKER_ID_NAME, None)]), excel.BookIdentity(True, "")),  # an older client sends no value
    (_Names(fail=True), excel.BookIdentity(True, "")),  # nothing can be read: nothing is added either
])
def test_book_identity(names, identity):
    assert excel.book_identity(_Book(names)) == identity


def test_every_action_is_one_the_vba_client_implements(tmp_path):
    known = vba_client_functions()
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Event Date": FRI},
        {"Company": "Globex", "Event Date": "not a date"},  # a row problem: an alert too
    ])
    for source in (SAMPLE, path):
        _, actions, _ = live_refresh(source, SAMPLE_TODAY)
        assert actions and {a["func"] for a in actions} <= known


@pytest.mark.parametrize("copies", [1, 30])
def test_value_writes_are_at_most_one_per_owned_column_whatever_the_rows(tmp_path, copies):
    interviews = [{"Company": f"Firm {i}", "Position": "Analyst", "Event Date": FRI} for i in range(10 * copies)]
    path = small_tracker(tmp_path / "t.xlsx", interviews=interviews)
    _, actions, _ = live_refresh(path, date(2013, 10, 1))
    writes = [a for a in actions if a["func"] == "setValues"]
    assert 1 <= len(writes) <= len(C.OWNED_COLUMNS)
    assert len(writes) == 1  # the template's owned columns are adjacent: one block


def test_owned_columns_apart_are_written_a_block_each_and_still_match_the_cli(tmp_path):
    path = apart_tracker(tmp_path)
    live, cli, actions, _ = live_vs_cli(path, SAMPLE_TODAY, tmp_path)
    assert live == cli
    writes = [a for a in actions if a["func"] == "setValues"]  # no links on this engine: the blocks alone
    assert len(writes) == 2


def test_generated_text_stays_text_whatever_it_starts_with(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "=1+1", "Position": "@SUM(A1)", "Contact": "+Jane", "Event Date": FRI},
        {"Company": "-Dash Ltd", "Position": "2026-01-02", "Event Date": FRI},
    ])
    data = read_tracker(path)
    scripts = data.scripts
    row = next(r for r, rec in scripts.rows if rec.get("Script") == "Email: thank you")
    write_cells(path, C.SCRIPTS, {f"{scripts.columns['Text']}{row}": "{Company}"})
    live, cli, actions, _ = live_vs_cli(path, date(2013, 9, 28), tmp_path)  # the thank-you is due, not late
    assert live == cli
    email = f"{read_tracker(path).interviews.columns['Email Script']}"
    assert live[f"{email}2"] == "=1+1" and live[f"{email}3"] == "-Dash Ltd"
    assert not any(isinstance(v, Formula) for v in live.values())
    # every string sent carries Excel's text mark, except the dates (xlwings sends ISO dates)
    sent = [v for a in actions if a["func"] == "setValues" for r in a["values"] for v in r if isinstance(v, str) and v]
    dates = [v for v in sent if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)]
    assert dates and all(v.startswith("'") for v in sent if v not in dates)


def test_the_model_catches_text_written_without_the_mark():
    assert isinstance(excel_input("=1+1"), Formula) and isinstance(excel_input("+Jane"), Formula)
    assert excel_input("2026-01-02") == date(2026, 1, 2) and excel_input("12") == 12.0
    assert excel_input("'=1+1") == "=1+1" and excel_input("'2026-01-02") == "2026-01-02"


def test_rows_typed_below_the_table_grow_it_as_the_cli_does(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    write_cells(path, C.INTERVIEWS, {"A5": "Initech", "E5": FRI})
    live, cli, actions, _ = live_vs_cli(path, date(2013, 9, 30), tmp_path)
    assert live == cli
    resize = [a for a in actions if a["func"] == "resizeTable"]
    assert len(resize) == 1 and resize[0]["args"][1].replace("$", "") == "A1:W5"


def test_row_problems_are_shown_in_a_message_box_with_the_cli_wording(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Event Date": FRI},
        {"Company": "Globex", "Event Date": "someday"},
    ])
    payload, actions, problems = live_refresh(path, date(2013, 9, 30))
    cli = refresh_file(shutil.copyfile(path, tmp_path / "cli.xlsx"), date(2013, 9, 30))
    assert problems == cli.problems and problems
    _, alerts = apply_actions(payload, actions)
    assert len(alerts) == 1 and alerts[0]["mode"] == "critical"
    for p in cli.problems:
        assert str(p) in alerts[0]["prompt"]
    assert "E3" in alerts[0]["prompt"] and C.INTERVIEWS in alerts[0]["prompt"]
    assert actions[-1]["func"] == "alert"  # after the writes of the rows it could plan


def test_missing_sheet_or_column_is_refused_before_anything_is_written(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    del wb[C.CONTACTS]
    wb[C.INTERVIEWS]["E1"] = "When"
    wb.save(path)
    with pytest.raises(ProblemsError) as err:
        read_tracker(path)
    payload, actions, problems = live_refresh(path, FRI)
    assert problems == err.value.problems
    assert [a["func"] for a in actions] == ["alert"]
    _, alerts = apply_actions(payload, actions)
    assert "Nothing was written" in alerts[0]["prompt"]
    for p in err.value.problems:
        assert str(p) in alerts[0]["prompt"]


# --- Excel refusing a write -----------------------------------------------------------------

COM_ERROR = (-2147352567, "Exception occurred.",
             (0, "Microsoft Excel", "You can't change part of a merged cell.", "xlmain11.chm", 0, -2146827284), None)


def refuse(monkeypatch, func: str, after: int = 0) -> None:
    """Make the remote engine raise, as desktop Excel's COM does, on the write of kind
    ``func`` that comes after ``after`` such writes went through."""
    from xlwings.pro import _xlremote

    real = _xlremote.Book.append_json_action
    seen = []

    def append(self, **kwargs):
        if kwargs.get("func") == func:
            seen.append(func)
            if len(seen) > after:
                raise Exception(*COM_ERROR)
        return real(self, **kwargs)

    monkeypatch.setattr(_xlremote.Book, "append_json_action", append)


def apart_tracker(tmp_path: Path) -> Path:
    """The golden sample with Calls Made moved beside Company: its owned columns are two blocks."""
    path = tmp_path / "apart.xlsx"
    shutil.copyfile(SAMPLE, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[C.INTERVIEWS]
    headers = [c.value for c in ws[1]]
    a, b = headers.index("Position"), headers.index("Calls Made")
    for row in ws.iter_rows():
        row[a].value, row[b].value = row[b].value, row[a].value
    for t in list(ws.tables):
        del ws.tables[t]
    wb.save(path)
    return path


def test_a_write_excel_refuses_is_a_message_box_naming_the_range_and_the_fix(tmp_path, monkeypatch):
    path = apart_tracker(tmp_path)
    _, good, _ = live_refresh(path, SAMPLE_TODAY)
    blocks = [a for a in good if a["func"] == "setValues"]
    refuse(monkeypatch, "setValues", after=1)  # the second block fails
    payload, actions, problems = live_refresh(path, SAMPLE_TODAY)  # returns: no traceback
    assert [a["func"] for a in actions] == ["setValues", "alert"] and actions[0] == blocks[0]
    second = f"{column_letters(blocks[1]['start_column'] + 1)}{blocks[1]['start_row'] + 1}"
    last = f"{column_letters(blocks[1]['start_column'] + blocks[1]['column_count'])}" \
           f"{blocks[1]['start_row'] + blocks[1]['row_count']}"
    first = f"{column_letters(blocks[0]['start_column'] + 1)}{blocks[0]['start_row'] + 1}"
    assert len(problems) == 1 and problems[0].where() == f"{C.INTERVIEWS}!{second}:{last}"
    _, alerts = apply_actions(payload, actions)
    prompt = alerts[0]["prompt"]
    assert alerts[0]["mode"] == "critical" and alerts[0]["title"] == "Refresh: not finished"
    assert f"{C.INTERVIEWS}!{second}:{last}: could not be written (You can't change part of a merged cell). " \
           "Fix: unprotect the sheet" in prompt and prompt.endswith("then click Refresh again")
    assert prompt.startswith(f"Already written: {C.INTERVIEWS}!{first}:")  # honest about the first block
    assert "Traceback" not in prompt


def test_when_the_first_write_is_refused_nothing_is_written(tmp_path, monkeypatch):
    refuse(monkeypatch, "setValues")
    payload, actions, problems = live_refresh(SAMPLE, SAMPLE_TODAY)
    assert [a["func"] for a in actions] == ["alert"]
    _, alerts = apply_actions(payload, actions)
    assert alerts[0]["prompt"].startswith("Nothing was written.\n")
    assert f"{C.INTERVIEWS}!M2:W18: could not be written" in alerts[0]["prompt"] and problems[0].cell == "M2:W18"


def test_a_table_that_cannot_grow_is_a_message_box_too(tmp_path, monkeypatch):
    path = small_tracker(tmp_path / "t.xlsx")
    write_cells(path, C.INTERVIEWS, {"A5": "Initech", "E5": FRI})
    refuse(monkeypatch, "resizeTable")
    payload, actions, problems = live_refresh(path, date(2013, 9, 30))
    assert [a["func"] for a in actions] == ["setValues", "alert"]
    _, alerts = apply_actions(payload, actions)
    assert f"{C.INTERVIEWS}!A1:W5: the table could not be extended to it (" in alerts[0]["prompt"]
    assert "Already written: Interviews!" in alerts[0]["prompt"] and problems[0].fix == excel.WRITE_FIX


def test_the_button_shows_a_refused_write_without_a_traceback(tmp_path, monkeypatch):
    refuse(monkeypatch, "setValues")
    book = xw.Book(json=vba_payload(SAMPLE))
    book.set_mock_caller()
    try:
        excel.main()  # returns
    finally:
        del xw.Book._mock_caller
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]


def test_text_too_long_for_a_cell_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    long = [excel.Block(2, 12, [[None, "'" + "x" * C.MAX_CELL_TEXT]]),
            excel.Block(2, 1, [["'" + "\U0001F600" * 20000]])]
    problems = excel.check_blocks(long)
    assert [p.cell for p in problems] == ["A2"]  # 40,000 UTF-16 units; the first holds exactly the limit
    assert "40,000 characters, more than the 32,767" in problems[0].message
    monkeypatch.setattr(C, "MAX_CELL_TEXT", 20)  # a generated script is longer than that
    payload, actions, problems = live_refresh(SAMPLE, SAMPLE_TODAY)
    assert [a["func"] for a in actions] == ["alert"] and problems
    _, alerts = apply_actions(payload, actions)
    assert alerts[0]["prompt"].startswith("Nothing was written: fix these first.")
    assert str(problems[0]) in alerts[0]["prompt"] and "Fix: shorten the Scripts text" in alerts[0]["prompt"]


@pytest.mark.parametrize("error, text", [
    (Exception(*COM_ERROR), "You can't change part of a merged cell"),
    (RuntimeError("The cell or chart\nyou're trying to change is on a protected sheet."),
     "The cell or chart you're trying to change is on a protected sheet"),
    (OSError(), "OSError"),
])
def test_an_engine_error_is_shown_on_one_line(error, text):
    assert excel.error_text(error) == text


def test_a_long_list_of_problems_is_cut_to_fit_a_message_box():
    from workbook_tools.errors import Problem

    problems = [Problem(C.INTERVIEWS, f"E{i}", "the Event Date is not a date", "type a date") for i in range(2, 80)]
    text = excel.problems_message("Lead.", problems)
    assert len(text) < 1024 and text.splitlines()[2] == str(problems[0])
    assert "more problems" in text.splitlines()[-1]


def test_the_entry_point_runs_end_to_end_through_set_mock_caller(tmp_path):
    payload = vba_payload(SAMPLE)
    book = xw.Book(json=payload)
    book.set_mock_caller()
    try:
        excel.main()
        assert xw.Book.caller().json()["actions"]
    finally:
        del xw.Book._mock_caller
    assert any(a["func"] == "setValues" for a in book.json()["actions"])


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_module_the_button_imports_pulls_in_neither_pandas_nor_openpyxl(tmp_path):
    done = _python("""
        import sys
        import workbook_tools.excel
        print(sorted(m for m in ("pandas", "openpyxl", "xlwings") if m in sys.modules))
    """, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_button_path_runs_without_pandas_or_openpyxl(tmp_path):
    """As RunPython does it: `import <workbook name>; <name>.main()` from the workbook's
    folder, on the caller; here with pandas and openpyxl made unimportable."""
    from workbook_tools.template.runner import write_runner

    workbook = tmp_path / "tracker.xlsx"
    shutil.copyfile(SAMPLE, workbook)
    write_runner(workbook)
    (tmp_path / "payload.json").write_text(json.dumps(vba_payload(SAMPLE)), encoding="utf-8")
    done = _python("""
        import json, sys
        sys.modules["pandas"] = None  # an import of these now fails
        sys.modules["openpyxl"] = None
        import xlwings as xw
        book = xw.Book(json=json.load(open("payload.json", encoding="utf-8")))
        book.set_mock_caller()
        sys.path.insert(0, ".")
        import tracker; tracker.main()
        print(json.dumps(book.json()["actions"]))
    """, tmp_path)
    assert done.returncode == 0, done.stderr
    actions = json.loads(done.stdout)
    # The cells, then the tracker's identity (the book's name: it has none yet); no links on
    # the remote engine, which cannot list the sheet's links.
    runs = [f for i, f in enumerate(a["func"] for a in actions) if i == 0 or actions[i - 1]["func"] != f]
    assert runs == ["setValues", "namesAdd"]
    assert actions[-1]["args"] == [C.TRACKER_ID_NAME, '="tracker.xlsx"']


def test_pins_and_hand_edits_are_kept_the_same_way_by_the_button_and_the_cli(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Position": "Analyst", "Event Date": FRI},
        {"Company": "Globex", "Position": "Lead", "Event Date": FRI},
    ])
    refresh_file(path, date(2013, 9, 30))
    columns = read_tracker(path).interviews.columns
    write_cells(path, C.INTERVIEWS, {f"{columns['Next Call']}2": date(2013, 10, 9),
                                     f"{columns['Call Script']}3": "My own words for Globex"})
    live, cli, _, _ = live_vs_cli(path, date(2013, 10, 1), tmp_path)
    assert live == cli
    assert live[f"{columns['Next Call']}2"] == date(2013, 10, 9)
    assert live[f"{columns['Why']}2"].startswith("Next Call set by hand")
    assert live[f"{columns['Call Script']}3"] == "My own words for Globex"
