"""The live path's links (`adapters.excel.prepare_links`): it asks Excel for the links the
file path writes (the call's on Next Call, the email's on Flag, none on a blank cell),
after the values, and then writes the linked cells' values again, so that a Next Call
date stays a date and a Flag stays exactly its text (never a formula); on desktop Excel
it leaves the user's links alone and deletes its own stale ones. An engine that cannot
list the sheet's links (the remote one) gets none at all.

The remote engine is xlwings' own (see test_excel.py); its addHyperlink actions are
applied by the model of the VBA client in tests/support/vba_client.py. To see what the
links asked for do to the cells (Hyperlinks.Add with TextToDisplay, as desktop Excel
runs it too), the tests marked `listing` let it stand for an engine that lists links
(`excel.live_links` answering that the sheet has none yet)."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

xw = pytest.importorskip("xlwings")

from tests.support.trackers import FRI, SAMPLE, small_tracker  # noqa: E402
from tests.support.vba_client import (  # noqa: E402
    AddedLink,
    Formula,
    applied_links,
    apply_actions,
    vba_client_functions,
    vba_payload,
)
from workbook_tools import contract as C  # noqa: E402
from workbook_tools import write_cells  # noqa: E402
from workbook_tools.adapters import excel  # noqa: E402
from workbook_tools.adapters.file import read_tracker, refresh_file  # noqa: E402
from workbook_tools.core.engine import compute  # noqa: E402
from workbook_tools.template.sample import SAMPLE_TODAY  # noqa: E402

MON = date(2013, 9, 30)
CONTACTS = [{"Name": "Jane Roe", "Company": "Acme", "Phone": "+1 617 555 0100", "Email": "jane@example.com"}]


@pytest.fixture(scope="module", autouse=True)
def remote_engine():
    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.main.Engine(impl=_xlremote.engine))
    yield


@pytest.fixture
def listing(monkeypatch):
    """The engine taken for one that lists the sheet's links (none there yet)."""
    monkeypatch.setattr(excel, "live_links", lambda sheet: [])


def live(path: Path, today: date) -> tuple[dict, list[dict]]:
    """The payload of the workbook at ``path`` and the actions of a live refresh of it."""
    payload = vba_payload(path)
    book = xw.Book(json=json.loads(json.dumps(payload)))
    excel.refresh(book, today)
    return payload, json.loads(json.dumps(book.json()["actions"]))


def _value(value: object) -> object:
    """A cell's value as openpyxl reads it, a day's midnight as the date."""
    return value.date() if isinstance(value, datetime) and value.time() == time(0) else value


def file_links(path: Path) -> dict[str, AddedLink]:
    """The links the command line writes, as openpyxl reads them back, shown with the
    value their cell holds (a Next Call date, a Flag's text)."""
    ws = openpyxl.load_workbook(path)[C.INTERVIEWS]
    return {c.coordinate: (c.hyperlink.target, c.hyperlink.tooltip, _value(c.value))
            for row in ws.iter_rows() for c in row if c.hyperlink is not None}


def cells(path: Path) -> dict[str, object]:
    """Every non-empty cell of Interviews (dates as dates)."""
    ws = openpyxl.load_workbook(path)[C.INTERVIEWS]
    return {c.coordinate: _value(c.value) for row in ws.iter_rows() for c in row if c.value is not None}


def live_and_cli(path: Path, today: date, tmp_path: Path):
    """The live refresh's cells and links, the command line's cells and links, the actions."""
    payload, actions = live(path, today)
    written, _ = apply_actions(payload, actions)
    after = cells(path)
    for ref, value in written.get(C.INTERVIEWS, {}).items():
        if value is None:
            after.pop(ref, None)
        else:
            after[ref] = value
    links = {ref: (lk.address, lk.screen_tip, after.get(ref))
             for ref, lk in applied_links(payload, actions).get(C.INTERVIEWS, {}).items()}
    copy = tmp_path / ("cli" + path.suffix)
    shutil.copyfile(path, copy)
    refresh_file(copy, today)
    return after, links, cells(copy), file_links(copy), actions


def test_the_live_path_asks_for_the_links_the_file_path_writes_on_the_sample(tmp_path, listing):
    live_cells, live_links, cli_cells, cli_links, actions = live_and_cli(SAMPLE, SAMPLE_TODAY, tmp_path)
    assert live_cells == cli_cells
    assert live_links == cli_links and cli_links
    assert {a["func"] for a in actions} <= vba_client_functions()


def _column(data, header: str) -> int:
    """The 0-based column of an Interviews header, as the actions count columns."""
    return openpyxl.utils.column_index_from_string(data.interviews.columns[header]) - 1


def _column_values(action: dict, column: int) -> list[object]:
    """What a setValues action writes in one of its columns, top to bottom."""
    return [row[column - action["start_column"]] for row in action["values"]]


def test_links_come_after_the_values_and_the_linked_cells_are_written_again(tmp_path, listing):
    _, actions = live(SAMPLE, SAMPLE_TODAY)
    funcs = [a["func"] for a in actions]
    first, last = funcs.index("addHyperlink"), len(funcs) - 1 - funcs[::-1].index("addHyperlink")
    assert funcs[0] == "setValues" and funcs[last + 1] == funcs[last + 2] == "setValues"
    assert set(funcs[first:last + 1]) == {"addHyperlink"}
    data = read_tracker(SAMPLE)
    next_call, flag = _column(data, "Next Call"), _column(data, "Flag")
    linked = {(a["start_row"], a["start_column"]) for a in actions[first:last + 1]}
    assert {column for _, column in linked} == {next_call, flag}  # no link on a script
    values = actions[0]  # every owned column over the planned rows: the two linked ones among them
    again = actions[last + 1:last + 3]  # Next Call, then Flag (not side by side: one write each)
    assert [(a["start_column"], a["column_count"]) for a in again] == [(next_call, 1), (flag, 1)]
    for write, column in zip(again, (next_call, flag)):
        assert (write["start_row"], write["row_count"]) == (values["start_row"], values["row_count"])
        assert _column_values(write, column) == _column_values(values, column)  # the same values again
        rows = range(write["start_row"], write["start_row"] + write["row_count"])
        assert {(r, c) for r, c in linked if c == column} <= {(r, column) for r in rows}


def test_in_the_live_path_a_linked_date_stays_a_date_and_the_flag_literal_text(tmp_path, listing):
    """add_hyperlink sets the cell's text (none for a date); the values written after it
    give the Next Call cell its date again, and the Flag its text with Excel's text mark."""
    payload, actions = live(SAMPLE, SAMPLE_TODAY)
    data = read_tracker(SAMPLE)
    linked = applied_links(payload, actions)[C.INTERVIEWS]
    next_call, flag = data.interviews.columns["Next Call"], data.interviews.columns["Flag"]
    dates = [ref for ref in linked if ref.rstrip("0123456789") == next_call]
    flags = [ref for ref in linked if ref.rstrip("0123456789") == flag]
    assert dates and flags and len(dates) + len(flags) == len(linked)
    last = max(i for i, a in enumerate(actions) if a["func"] == "addHyperlink")
    shown, _ = apply_actions(payload, actions[:last + 1])  # the links added, not yet written over
    assert all(not isinstance(shown[C.INTERVIEWS][ref], date) for ref in dates)
    assert all(linked[ref].text_to_display == "" for ref in dates)
    assert all(linked[ref].text_to_display.startswith(excel.TEXT_PREFIX) for ref in flags)
    written, _ = apply_actions(payload, actions)
    final = written[C.INTERVIEWS]
    result = {r.row: r for r in compute(data, SAMPLE_TODAY).rows}
    for ref in dates:
        assert type(final[ref]) is date and final[ref] == result[int(ref[len(next_call):])].next_call
    for ref in flags:
        assert final[ref] in C.FLAGS and type(final[ref]) is str  # literal text, never a Formula
    raw = {a["start_column"]: a for a in actions[last + 1:] if a["func"] == "setValues"}
    assert all(str(v).startswith(excel.TEXT_PREFIX) for v in _column_values(raw[_column(data, "Flag")],
                                                                           _column(data, "Flag")) if v)
    assert not any(str(v).startswith(excel.TEXT_PREFIX) for v in _column_values(raw[_column(data, "Next Call")],
                                                                                _column(data, "Next Call")))


def test_a_blank_next_call_gets_no_link_in_the_live_path_either(tmp_path, listing):
    """A closed row's last call (Not selected) has no Next Call date: only the Flag is linked."""
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI, "Status": C.NOT_SELECTED}],
        contacts=CONTACTS)
    live_cells, live_links, cli_cells, cli_links, actions = live_and_cli(path, MON, tmp_path)
    columns = read_tracker(path).interviews.columns
    assert live_cells == cli_cells and live_links == cli_links
    assert list(live_links) == [f"{columns['Flag']}2"] and live_links[f"{columns['Flag']}2"][0].startswith("mailto:")
    assert f"{columns['Next Call']}2" not in live_cells
    assert compute(read_tracker(path), MON).rows[0].call_link is not None  # the row has a call link: no cell for it


def test_a_script_that_starts_like_a_formula_stays_text_and_its_email_keeps_its_link(tmp_path, listing):
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI}], contacts=CONTACTS)
    scripts = read_tracker(path).scripts
    row = next(r for r, rec in scripts.rows if rec.get("Script") == "Email: thank you, late")
    write_cells(path, C.SCRIPTS, {f"{scripts.columns['Text']}{row}": "=HYPERLINK(\"http://x\") {Company}"})
    live_cells, live_links, cli_cells, cli_links, actions = live_and_cli(path, date(2013, 10, 1), tmp_path)
    assert live_cells == cli_cells and live_links == cli_links
    columns = read_tracker(path).interviews.columns
    email = f"{columns['Email Script']}2"
    assert live_cells[email] == '=HYPERLINK("http://x") Acme' and not isinstance(live_cells[email], Formula)
    mail = live_links[f"{columns['Flag']}2"]
    assert mail[0].startswith("mailto:jane@example.com?body=%3DHYPERLINK%28%22http%3A%2F%2Fx%22%29%20Acme")
    assert mail[2] == C.UPCOMING and not isinstance(mail[2], Formula)
    assert email not in live_links and email not in cli_links  # the script itself carries no link
    shown = {a["args"][0][:4]: a["args"][1] for a in actions if a["func"] == "addHyperlink"}
    assert shown == {"tel:": "", "mail": excel.TEXT_PREFIX + C.UPCOMING}  # the flag is text even while it shows


@pytest.mark.parametrize("value, shown", [
    ("Hello", "'Hello"),
    ("=1+1", "'=1+1"),
    ("x" * 1000, "'" + "x" * 254),
    (None, ""),
    (42, ""),
    (date(2013, 10, 2), ""),  # a Next Call date: no text to show; its date is written after the link
    (C.UPCOMING, "'Upcoming"),
])
def test_display_text(value, shown):
    assert excel.display_text(value) == shown
    assert len(shown) <= excel.DISPLAY_LIMIT


# --- Desktop Excel: a sheet that lists its links ---------------------------------------------

class FakeLink:
    def __init__(self, row: int, column: int, address: str, tip: str = "") -> None:
        self.Range = type("Cell", (), {"Row": row, "Column": column})()
        self.Address, self.ScreenTip = address, tip


class FakeRange:
    def __init__(self, sheet: FakeSheet, cell: tuple[int, int]) -> None:
        self.sheet, self.cell = sheet, cell
        self.api = type("Api", (), {"Hyperlinks": type("Links", (), {"Delete": self._delete})()})()

    def add_hyperlink(self, address: str, text_to_display: str, screen_tip: str) -> None:
        if self.sheet.refuse:
            raise RuntimeError("Excel says no")
        self.sheet.calls.append(("add", self.cell, address, screen_tip))

    def _delete(self) -> None:
        self.sheet.calls.append(("delete", self.cell))


class FakeSheet:
    """A desktop sheet: its api lists the links; its ranges record what is asked of them."""

    def __init__(self, links: list[FakeLink], refuse: bool = False) -> None:
        self.api = type("SheetApi", (), {"Hyperlinks": links})()
        self.calls: list[tuple] = []
        self.refuse = refuse

    def range(self, cell: tuple[int, int]) -> FakeRange:
        return FakeRange(self, cell)


def _planned(tmp_path: Path):
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI},
        {"Company": "Globex", "Position": "Lead", "Contact": "Jane Roe", "Event Date": FRI, "Thank-You Sent": FRI},
    ], contacts=CONTACTS)
    data = read_tracker(path)
    return data, compute(data, MON)


def test_desktop_adds_only_what_is_missing_and_deletes_its_stale_links(tmp_path):
    data, result = _planned(tmp_path)
    cols = {h: openpyxl.utils.column_index_from_string(data.interviews.columns[h])
            for h in ("Next Call", "Flag", "Call Script", "Company")}
    call = result.rows[0].call_link
    old_call, old_mail = "Call Jane Roe on +1 999 555 0100", "Email Jane Roe: opens your mail app with the " \
                                                              "Email Script ready to send"
    sheet = FakeSheet([
        FakeLink(2, cols["Next Call"], call.url, call.tooltip),  # as wanted: left alone
        FakeLink(2, cols["Flag"], "https://mail.example/compose"),  # the user's: left alone
        FakeLink(3, cols["Next Call"], "tel:+1-999-555-0100", old_call),  # ours, out of date: replaced
        FakeLink(3, cols["Flag"], "mailto:old@example.com", old_mail),  # ours, no longer wanted: deleted
        FakeLink(4, cols["Next Call"], "TEL:+1-999-555-0100", old_call),  # ours on a row with nothing planned
        FakeLink(2, cols["Company"], "tel:+1-617-555-0100", old_call),  # another column: not ours
        FakeLink(3, cols["Call Script"], "tel:+1-617-555-0100", old_call),  # a script: no longer a linked column
        FakeLink(1, cols["Next Call"], "mailto:header@example.com", old_mail),  # the header: not ours
    ])
    links = excel.prepare_links(sheet, data, result)
    for write in links.writes:
        write.run()
    assert links.added == 1
    assert sheet.calls == [("add", (3, cols["Next Call"]), result.rows[1].call_link.url,
                            result.rows[1].call_link.tooltip),
                           ("delete", (3, cols["Flag"])), ("delete", (4, cols["Next Call"]))]


def test_desktop_deletes_its_link_from_a_next_call_gone_blank(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI, "Status": C.NOT_SELECTED}],
        contacts=CONTACTS)
    data = read_tracker(path)
    result = compute(data, MON)
    res = result.rows[0]
    assert res.next_call is None and res.call_link is not None and res.mail_link is not None
    cols = {h: openpyxl.utils.column_index_from_string(data.interviews.columns[h]) for h in ("Next Call", "Flag")}
    # the link from when the call was due, on what is now a blank Next Call
    sheet = FakeSheet([FakeLink(2, cols["Next Call"], res.call_link.url, res.call_link.tooltip)])
    links = excel.prepare_links(sheet, data, result)
    for write in links.writes:
        write.run()
    assert links.added == 1
    assert sheet.calls == [("add", (2, cols["Flag"]), res.mail_link.url, res.mail_link.tooltip),
                           ("delete", (2, cols["Next Call"]))]


def test_a_link_excel_refuses_is_left_out_without_a_message(tmp_path):
    data, result = _planned(tmp_path)
    sheet = FakeSheet([], refuse=True)
    links = excel.prepare_links(sheet, data, result)
    assert links.added == 3  # row 2: a call and an email; row 3: a call
    for write in links.writes:
        assert write.run() is None  # no exception
    assert sheet.calls == []


def test_an_engine_that_cannot_list_links_gets_none(tmp_path):
    """The remote engine cannot list links: it could not tell the user's from ours, so it is
    asked for no link at all (said in prepare_links' docstring)."""
    data, result = _planned(tmp_path)
    sheet = FakeSheet([])
    sheet.api = {"name": C.INTERVIEWS}  # the remote engine's api: the sheet's JSON
    assert excel.live_links(sheet) is None
    assert excel.prepare_links(sheet, data, result) == excel.LinkWrites([], 0)


def test_the_remote_engine_refreshes_the_cells_and_asks_for_no_link(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI}], contacts=CONTACTS)
    live_cells, live_links, cli_cells, cli_links, actions = live_and_cli(path, MON, tmp_path)
    assert live_cells == cli_cells and cli_links
    assert live_links == {} and "addHyperlink" not in {a["func"] for a in actions}


#: What a ScreenTip of the user's looks like next to ours (`core.links.is_our_link`).
USER_TIP = "Recruiter, direct line"


@pytest.mark.parametrize("address, tip", [
    ("tel:+1-617-555-0142", USER_TIP),  # a tel: link of the user's, with their own tip
    ("tel:+1-617-555-0142", ""),  # without a tip (Ctrl+K leaves it empty)
    ("mailto:hr@example.com", "HR"),
    ("https://jobs.example/4", "Call Jane Roe on +1 617 555 0100"),  # our form, not our scheme
])
def test_desktop_keeps_a_users_link_on_a_linked_cell_and_adds_none_there(tmp_path, address, tip):
    data, result = _planned(tmp_path)
    cols = {h: openpyxl.utils.column_index_from_string(data.interviews.columns[h]) for h in ("Next Call", "Flag")}
    sheet = FakeSheet([FakeLink(2, cols["Next Call"], address, tip), FakeLink(2, cols["Flag"], address, tip)])
    links = excel.prepare_links(sheet, data, result)
    for write in links.writes:
        write.run()
    assert [call[:2] for call in sheet.calls] == [("add", (3, cols["Next Call"]))]  # row 3 only: no delete


@pytest.mark.parametrize("address, inside", [
    ("$O$1:$W$2", True),  # the cells the range link covers (Next Call and Flag of row 2) get none of ours
    ("$A$2:$AZ$2", True),
    ("$O$1", False),  # one cell, none of ours
])
def test_desktop_leaves_the_cells_inside_a_users_range_link(tmp_path, address, inside):
    data, result = _planned(tmp_path)
    cols = {h: openpyxl.utils.column_index_from_string(data.interviews.columns[h]) for h in ("Next Call", "Flag")}
    assert all(15 <= c <= 23 for c in cols.values()), cols  # O..W
    top_left = openpyxl.utils.cell.coordinate_to_tuple(address.replace("$", "").split(":")[0])
    link = FakeLink(*top_left, "https://board.example/")
    link.Range.Address = address
    sheet = FakeSheet([link])
    links = excel.prepare_links(sheet, data, result)
    added = {w.address for w in links.writes}
    row2 = {f"{data.interviews.columns[h]}2" for h in ("Next Call", "Flag")}
    assert bool(row2 & added) is not inside and (row2 <= added) is not inside
    assert f"{data.interviews.columns['Next Call']}3" in added  # below the range: linked
