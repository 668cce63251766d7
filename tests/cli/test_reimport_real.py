"""An independent tester's look at the calendar as the programs that import it see it:
a tracker made with `workbook-tools new`, lived in for weeks (interviews added, calls
logged, rows closed and reopened, a thank-you sent then cleared, Call When changed, a
pin typed, rows sorted and copied, a contact renamed), refreshed and exported after
each step through the command line, and each export read by icalendar, vobject and
ical.js as a calendar would import it. Also: where a tracker's identity comes from,
hostile Refresh Record cells, and contacts in many time zones."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import icalendar
import openpyxl
import pytest
import vobject
from click.testing import CliRunner
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from tests.support.ical_readers import icaljs_utc
from tests.support.trackers import FRI, small_tracker
from workbook_tools import contract as C
from workbook_tools import write_cells
from workbook_tools.cli import main

YOUR_ZONE = "America/New_York"
CONTACTS = (  # name, phone, time zone: with and without summer time, south, half-hour offsets
    ("Jane Roe", "555-0100", "America/Chicago"),
    ("Raj Patel", "555-0101", "Asia/Kolkata"),
    ("Kim Lee", "555-0102", "Australia/Sydney"),
    ("Ana Silva", "555-0103", "America/St_Johns"),
)
SEQUENCE_MAX = 2**31 - 1


def invoke(*args: str, code: int | None = 0) -> str:
    """Run the command line in process; a traceback fails the test (catch_exceptions off)."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, env={"COLUMNS": "200"})
    if code is not None:
        assert result.exit_code == code, result.output
    return result.output


def headers(path: Path, sheet: str) -> list[Any]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [c.value for c in next(book[sheet].iter_rows(max_row=1))]
    finally:
        book.close()


def type_cells(path: Path, sheet: str, row: int, cells: dict[str, Any]) -> None:
    """What a user types on one row, by header."""
    names = headers(path, sheet)
    write_cells(path, sheet, {f"{get_column_letter(names.index(h) + 1)}{row}": v for h, v in cells.items()})


def row_values(path: Path, row: int) -> list[Any]:
    book = openpyxl.load_workbook(path)
    try:
        return [c.value for c in book[C.INTERVIEWS][row]][:len(headers(path, C.INTERVIEWS))]
    finally:
        book.close()


def put_row(path: Path, row: int, values: list[Any]) -> None:
    write_cells(path, C.INTERVIEWS, {f"{get_column_letter(i + 1)}{row}": v for i, v in enumerate(values)})


def new_tracker(path: Path) -> Path:
    """A tracker from `workbook-tools new`, with Settings and Contacts filled in."""
    invoke("new", str(path))
    settings = {r[0]: i for i, r in enumerate(openpyxl.load_workbook(path)[C.SETTINGS].iter_rows(values_only=True), 1)}
    write_cells(path, C.SETTINGS, {f"B{settings[k]}": v for k, v in (
        ("Your Name", "Sam Lee"), ("Your Phone", "555-0199"), ("Your Email", "sam@example.com"),
        ("Country", "US"), ("Time Zone", YOUR_ZONE))})
    for row, (name, phone, zone) in enumerate(CONTACTS, start=2):
        type_cells(path, C.CONTACTS, row, {"Name": name, "Phone": phone, "Time Zone": zone})
    return path


# -- reading an export as a calendar does ---------------------------------------------


def events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def timed_utc_icalendar(data: bytes) -> dict[str, datetime]:
    """Each timed event's start in UTC, read with the file's own VTIMEZONE of its TZID."""
    cal = icalendar.Calendar.from_ical(data)
    zones = {str(b["tzid"]): b.to_tz(lookup_tzid=False) for b in cal.walk("VTIMEZONE")}
    return {str(e["uid"]): e.decoded("dtstart").replace(tzinfo=zones[str(e["dtstart"].params["TZID"])])
            .astimezone(timezone.utc) for e in cal.walk("VEVENT") if "TZID" in e["dtstart"].params}


def timed_utc_vobject(data: bytes) -> dict[str, datetime]:
    """The same with vobject, each zone being vobject's reading of the file's block."""
    tzids = {uid: str(e["dtstart"].params["TZID"]) for uid, e in events(data).items() if "TZID" in e["dtstart"].params}
    cal = vobject.readOne(data.decode("utf-8"))
    zones = {block.tzid.value: block.tzinfo for block in cal.vtimezone_list}
    assert all(type(z).__module__.startswith("dateutil") for z in zones.values())
    return {e.uid.value: e.dtstart.value.replace(tzinfo=zones[tzids[e.uid.value]]).astimezone(timezone.utc)
            for e in cal.vevent_list if e.uid.value in tzids}


def without_stamps(data: bytes) -> bytes:
    return re.sub(rb"DTSTAMP:[0-9TZ]+\r\n", b"", data)


def event_day(event: icalendar.Event, today: date) -> date:
    """The day the agenda lists it on: a call on the day its start is in your own zone."""
    start = event.decoded("dtstart")
    if isinstance(start, datetime):
        return start.astimezone(ZoneInfo(YOUR_ZONE)).date()
    return start


def body(event: icalendar.Event) -> tuple[Any, ...]:
    """What a calendar shows of an event, leaving out the line naming the file and row it
    comes from (see the tester's report: that line changes without SEQUENCE rising)."""
    description = re.sub(r"\n\nFrom [^\n]*, Interviews row \d+$", "", str(event["description"]))
    return event.decoded("dtstart"), str(event["summary"]), description, str(event["status"])


class Calendar:
    """A calendar that imports every export: what RFC 5545 asks of a re-import is checked
    as it goes (same UID, SEQUENCE never lower and higher on change, cancel not revived)."""

    def __init__(self) -> None:
        self.held: dict[str, tuple[int, tuple[Any, ...]]] = {}

    def import_(self, found: dict[str, icalendar.Event], label: str) -> None:
        for uid, event in found.items():
            sequence = int(event.get("sequence", 0))
            assert 0 <= sequence <= SEQUENCE_MAX
            if uid in self.held:
                old_sequence, old = self.held[uid]
                assert sequence >= old_sequence, f"{label}: SEQUENCE of {event['summary']} went down"
                revived = old[3] == "CANCELLED" and str(event["status"]) != "CANCELLED"
                assert not revived, f"{label}: a cancelled UID came back"
                if body(event) != old and old[3] == "CONFIRMED":
                    assert sequence > old_sequence, f"{label}: {event['summary']} changed, SEQUENCE stayed {sequence}"
            self.held[uid] = (sequence, body(event))
        for uid, (_, old) in self.held.items():
            if old[3] == "CONFIRMED":
                assert uid in found, f"{label}: {old[1]} vanished without a cancellation"


class Step(NamedTuple):
    """One step of the tracker's life: what the user types (sheet, row, cells), rows
    swapped, whether they click Refresh before exporting, and the day."""

    label: str
    day: date
    typed: tuple[tuple[str, int, dict[str, Any]], ...] = ()
    swap: tuple[int, int] | None = None
    copy: tuple[int, int] | None = None
    refresh: bool = True


MON = date(2026, 3, 2)
LIFE: tuple[Step, ...] = (
    Step("three interviews", MON + timedelta(days=2), typed=(
        (C.INTERVIEWS, 2, {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": MON}),
        (C.INTERVIEWS, 3, {"Company": "Globex", "Position": "Developer", "Contact": "Raj Patel",
                           "Event Date": MON + timedelta(days=1), "Thank-You Sent": MON + timedelta(days=1)}),
        (C.INTERVIEWS, 4, {"Company": "Initech", "Position": "QA", "Contact": "Kim Lee", "Type": "Networking",
                           "Event Date": MON + timedelta(days=2), "Thank-You Sent": MON + timedelta(days=2)}))),
    Step("a voicemail", MON + timedelta(days=3), typed=(
        (C.CALLS, 2, {"Date": MON + timedelta(days=3), "Company": "Acme", "Outcome": "Left voicemail"}),)),
    Step("thank-you sent", MON + timedelta(days=4),
         typed=((C.INTERVIEWS, 2, {"Thank-You Sent": MON + timedelta(days=4)}),)),
    Step("thank-you cleared", MON + timedelta(days=7), typed=((C.INTERVIEWS, 2, {"Thank-You Sent": None}),)),
    Step("call when", MON + timedelta(days=7), typed=((C.INTERVIEWS, 3, {"Call When": "next week"}),)),
    Step("a pin", MON + timedelta(days=8), typed=((C.INTERVIEWS, 4, {"Next Call": MON + timedelta(days=18)}),)),
    Step("a fourth lead, not refreshed", MON + timedelta(days=8), refresh=False, typed=(
        (C.INTERVIEWS, 5, {"Company": "Umbrella", "Position": "Lead", "Contact": "Ana Silva",
                           "Event Date": MON + timedelta(days=7), "Thank-You Sent": MON + timedelta(days=7)}),)),
    Step("closed", MON + timedelta(days=9), typed=((C.INTERVIEWS, 3, {"Status": "Not selected"}),)),
    Step("reopened", MON + timedelta(days=10), typed=((C.INTERVIEWS, 3, {"Status": None}),)),
    Step("spoke", MON + timedelta(days=10), typed=(
        (C.CALLS, 3, {"Date": MON + timedelta(days=10), "Company": "Globex", "Outcome": "Spoke, no decision yet"}),)),
    Step("sorted", MON + timedelta(days=11), swap=(2, 4)),
    Step("contact renamed", MON + timedelta(days=11), typed=(
        (C.CONTACTS, 2, {"Name": "Jane Roe-Smith"}), (C.INTERVIEWS, 4, {"Contact": "Jane Roe-Smith"}))),
    Step("row copied", MON + timedelta(days=14), copy=(5, 6)),
    Step("new date given", MON + timedelta(days=14), typed=(
        (C.CALLS, 4, {"Date": MON + timedelta(days=14), "Company": "Umbrella", "Outcome": "Given a new date",
                      "New Date": MON + timedelta(days=24)}),)),
    Step("withdrawn", MON + timedelta(days=15), typed=((C.INTERVIEWS, 2, {"Status": "Withdrawn"}),)),
    Step("weeks pass", MON + timedelta(days=29)),
    Step("same day again", MON + timedelta(days=29)),
)


def live_step(tracker: Path, step: Step) -> None:
    for sheet, row, cells in step.typed:
        type_cells(tracker, sheet, row, cells)
    if step.swap:
        first, second = (row_values(tracker, r) for r in step.swap)
        put_row(tracker, step.swap[0], second)
        put_row(tracker, step.swap[1], first)
    if step.copy:
        put_row(tracker, step.copy[1], row_values(tracker, step.copy[0]))
    if step.refresh:
        invoke("refresh", str(tracker), "--today", step.day.isoformat(), code=None)


def agenda_by_day(tracker: Path, today: date, days: int) -> dict[date, Counter[tuple[str, str]]]:
    """What `workbook-tools agenda --days N` lists for each day ahead, as (kind, contact)."""
    listed: dict[int, Counter[tuple[str, str]]] = {}
    for ahead in range(days + 1):
        output = invoke("agenda", str(tracker), "--today", today.isoformat(), "--days", str(ahead), code=None)
        listed[ahead] = Counter((k, who) for k, who in re.findall(r"^#\d+ (Call|Email) ([^:\n]+):", output, re.M))
    return {today + timedelta(days=n): listed[n] - (listed[n - 1] if n else Counter()) for n in listed}


def calendar_by_day(found: dict[str, icalendar.Event], today: date) -> dict[date, Counter[tuple[str, str]]]:
    days: dict[date, Counter[tuple[str, str]]] = {}
    for event in found.values():
        if str(event["status"]) == "CONFIRMED":
            kind, who = re.match(r"(Call|Email) (.+?)(?: \(.*)?$", str(event["summary"])).groups()
            days.setdefault(event_day(event, today), Counter())[(kind, who)] += 1
    return days


def test_a_tracker_lived_in_for_weeks_imports_cleanly_after_every_step(tmp_path: Path, icaljs_folder: Path) -> None:
    tracker = new_tracker(tmp_path / "tracker.xlsx")
    calendar = Calendar()
    for step in LIFE:
        live_step(tracker, step)
        ics, again = tmp_path / "plan.ics", tmp_path / "again.ics"
        for target in (ics, again):
            invoke("calendar", str(tracker), "-o", str(target), "--today", step.day.isoformat(), code=None)
        data = ics.read_bytes()
        assert without_stamps(data) == without_stamps(again.read_bytes()), step.label
        found = events(data)
        calendar.import_(found, step.label)
        timed = {uid: e.decoded("dtstart").astimezone(timezone.utc) for uid, e in found.items()
                 if isinstance(e.decoded("dtstart"), datetime) and str(e["status"]) == "CONFIRMED"}
        for reader in (timed_utc_icalendar(data), timed_utc_vobject(data), icaljs_utc(data, icaljs_folder)):
            assert {uid: reader[uid] for uid in timed} == timed, step.label
        on_days = calendar_by_day(found, step.day)
        listed = agenda_by_day(tracker, step.day, 12)
        for day, items in listed.items():
            assert on_days.get(day, Counter()) == items, (step.label, day)
    assert any(status == "CANCELLED" for _, (_, (_, _, _, status)) in calendar.held.items())


def test_exporting_before_and_after_a_refresh_on_the_same_day_gives_the_same_file(tmp_path: Path) -> None:
    tracker = new_tracker(tmp_path / "tracker.xlsx")
    live_step(tracker, LIFE[0])
    type_cells(tracker, C.CALLS, 2, {"Date": MON + timedelta(days=3), "Company": "Acme", "Outcome": "No answer"})
    type_cells(tracker, C.INTERVIEWS, 3, {"Status": "Offer"})
    day = (MON + timedelta(days=3)).isoformat()
    invoke("calendar", str(tracker), "-o", str(tmp_path / "before.ics"), "--today", day)
    invoke("refresh", str(tracker), "--today", day)
    invoke("calendar", str(tracker), "-o", str(tmp_path / "after.ics"), "--today", day)
    before, after = (without_stamps((tmp_path / n).read_bytes()) for n in ("before.ics", "after.ics"))
    assert before == after


def test_a_follow_up_planned_again_after_its_cancellation_is_a_new_event(tmp_path: Path) -> None:
    tracker = new_tracker(tmp_path / "tracker.xlsx")
    uids = []
    for step in LIFE[:4]:  # the thank-you: due, sent (cancelled), cleared (due again)
        live_step(tracker, step)
        invoke("calendar", str(tracker), "-o", str(tmp_path / "plan.ics"), "--today", step.day.isoformat())
        uids.append({str(e["summary"]).split()[0] + str(e["status"]): uid
                     for uid, e in events((tmp_path / "plan.ics").read_bytes()).items() if "Jane" in str(e["summary"])})
    assert uids[2]["EmailCANCELLED"] == uids[0]["EmailCONFIRMED"]
    assert uids[3]["EmailCONFIRMED"] != uids[0]["EmailCONFIRMED"]
    assert uids[3]["CallCONFIRMED"] == uids[0]["CallCONFIRMED"]


# -- identity --------------------------------------------------------------------------


def one_lead(path: Path, **cells: Any) -> Path:
    interview = {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI,
                 "Thank-You Sent": FRI, **cells}
    return small_tracker(path, interviews=[interview],
                         contacts=[{"Name": "Jane Roe", "Phone": "555-0100", "Time Zone": "America/Chicago"}],
                         settings={"Country": "US", "Time Zone": YOUR_ZONE})


def uids_of(tmp_path: Path, *trackers: Path, today: str = "2013-09-30") -> list[str]:
    out = tmp_path / "ids.ics"
    invoke("calendar", *map(str, trackers), "-o", str(out), "--today", today, code=None)
    return sorted(events(out.read_bytes()))


@pytest.mark.parametrize("move", ["rename", "copy", "refresh -o"])
def test_a_new_trackers_uids_survive_what_users_do_to_the_file(tmp_path: Path, move: str) -> None:
    tracker = new_tracker(tmp_path / "tracker.xlsx")
    live_step(tracker, LIFE[0])
    before = uids_of(tmp_path, tracker, today="2026-03-04")
    moved = tmp_path / "sub" / "renamed job search.xlsx"
    moved.parent.mkdir()
    if move == "rename":
        tracker.rename(moved)
    elif move == "refresh -o":
        invoke("refresh", str(tracker), "--today", "2026-03-04", "-o", str(moved))
    else:
        shutil.copyfile(tracker, moved)
    assert uids_of(tmp_path, moved, today="2026-03-04") == before


@pytest.mark.parametrize("made_by", ["new", "an older version"])
def test_two_trackers_of_one_file_name_never_share_a_uid(tmp_path: Path, made_by: str) -> None:
    """Two people's trackers, both tracker.xlsx, with the same lead, exported together."""
    trackers = []
    for person in ("alice", "bob"):
        (tmp_path / person).mkdir()
        path = tmp_path / person / "tracker.xlsx"
        if made_by == "new":
            new_tracker(path)
            type_cells(path, C.INTERVIEWS, 2, {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe",
                                               "Event Date": FRI, "Thank-You Sent": FRI})
        else:
            one_lead(path)
        invoke("refresh", str(path), "--today", "2013-09-30")
        trackers.append(path)
    together = uids_of(tmp_path, *trackers)
    assert len(together) == len(set(together)) == 2


def set_identity(path: Path, formula: str | None, sheet: str | None = None) -> None:
    """The name WorkbookTools_TrackerID edited by hand (None: deleted), as in Excel's Name Manager."""
    book = openpyxl.load_workbook(path)
    book.defined_names.pop(C.TRACKER_ID_NAME, None)
    if formula is not None:
        name = DefinedName(C.TRACKER_ID_NAME, attr_text=formula)
        (book[sheet].defined_names if sheet else book.defined_names)[C.TRACKER_ID_NAME] = name
    book.save(path)


@pytest.mark.parametrize(("formula", "sheet"), [
    (None, None), ("Interviews!$A$1", None), ("=1+1", None), ("42", None), ('""', None), ("#REF!", None),
    ('"' + "x" * 300 + '"', None), ('"it""s ""quoted"""', None), ('"a\nb\tc"', None), ('"x_x001B_y"', None),
    ('"UID:evil\r\nEND:VEVENT"', None), ('"local"', C.INTERVIEWS),
])
def test_an_identity_edited_by_hand_never_breaks_the_calendar(tmp_path: Path, formula: str | None,
                                                              sheet: str | None) -> None:
    first, second = one_lead(tmp_path / "first.xlsx"), one_lead(tmp_path / "second.xlsx")
    invoke("refresh", str(first), "--today", "2013-09-30")
    set_identity(first, formula, sheet)
    set_identity(second, formula, sheet)
    for path in (first, second):
        invoke("refresh", str(path), "--today", "2013-09-30")
        invoke("check", str(path), "--today", "2013-09-30")
    out = tmp_path / "both.ics"
    invoke("calendar", str(first), str(second), "-o", str(out), "--today", "2013-09-30")
    found = events(out.read_bytes())
    assert len(found) == 2 and all(uid.endswith("@workbook-tools") and "\n" not in uid for uid in found)


@pytest.mark.parametrize("name", ["it's mine.xlsx", 'q"uo"te.xlsx', "amp&<lt>.xlsx", "é ü 中文.xlsx",
                                  "tab\tname.xlsx", "new\nline.xlsx", '=HYPERLINK("x").xlsx', "L" * 200 + ".xlsx"])
def test_an_older_tracker_with_a_strange_file_name_gets_an_identity_that_holds(tmp_path: Path, name: str) -> None:
    tracker = one_lead(tmp_path / "old.xlsx")
    strange = tracker.rename(tmp_path / name)
    before = uids_of(tmp_path, strange)
    invoke("refresh", str(strange), "--today", "2013-09-30")
    moved = strange.rename(tmp_path / "plain.xlsx")
    assert uids_of(tmp_path, moved) == before


# -- hostile records -------------------------------------------------------------------


@pytest.mark.parametrize("record", [
    None, "", "junk typed here", "x" * 32767, "a\x00b\x1bc", 12345, 3.5, True, date(2013, 1, 1), "=1+1",
    "../../etc/passwd", "2", "2 " + "C0.0.ABCD.20130930 " * 1500, "1 " + "0000 " * 30,
])
def test_a_refresh_record_typed_over_never_crashes_and_the_export_stays_valid(tmp_path: Path, record: Any) -> None:
    tracker = one_lead(tmp_path / "t.xlsx")
    invoke("refresh", str(tracker), "--today", "2013-09-30")
    type_cells(tracker, C.INTERVIEWS, 2, {C.REFRESH_RECORD: record})
    invoke("refresh", str(tracker), "--today", "2013-10-01", code=None)
    invoke("check", str(tracker), "--today", "2013-10-01", code=None)
    invoke("agenda", str(tracker), "--today", "2013-10-01", code=None)
    found = events(Path(_export(tmp_path, tracker, "2013-10-01")).read_bytes())
    assert found and all(0 <= int(e["sequence"]) <= SEQUENCE_MAX for e in found.values())


def _export(tmp_path: Path, tracker: Path, day: str) -> Path:
    out = tmp_path / "plan.ics"
    invoke("calendar", str(tracker), "-o", str(out), "--today", day, code=None)
    return out


def record_of(tracker: Path, row: int = 2) -> str:
    return str(row_values(tracker, row)[headers(tracker, C.INTERVIEWS).index(C.REFRESH_RECORD)])


@pytest.mark.parametrize(("marks", "call_sequence"), [
    ("C7.2147483647.ABCD.20131002T1305Z", SEQUENCE_MAX),  # the largest: stays, never wraps
    ("C7.99999999999.ABCD.20131002T1305Z", 0),  # past SEQUENCE's range: not a mark
    ("C4294967296.1.ABCD.20131002T1305Z", 0),
    ("C1.5.ABCD.20131340T1305Z", 0),  # no such day
    ("C1.5.ABCD.2013100", 0),
    ("C١.٥.ABCD.20131002T1305Z", 0),  # digits of another script
    ("C1.5.ABCD.20131002T1305Z " * 30, 6),  # many marks: one kind, one mark (the last)
    ("C1.5.ABCD.20131002T1305Z " * 40, 0),  # a record over 1,000 characters: not refresh's own
])
def test_marks_with_huge_or_broken_numbers_are_bounded(tmp_path: Path, marks: str, call_sequence: int) -> None:
    tracker = one_lead(tmp_path / "t.xlsx")
    invoke("refresh", str(tracker), "--today", "2013-09-30")
    codes = record_of(tracker).split()[:len(C.OWNED_COLUMNS)]
    type_cells(tracker, C.INTERVIEWS, 2, {C.REFRESH_RECORD: " ".join([*codes, marks.strip()])})
    invoke("refresh", str(tracker), "--today", "2013-10-01")
    (call,) = events(_export(tmp_path, tracker, "2013-10-01").read_bytes()).values()
    assert int(call["sequence"]) == call_sequence


def test_a_record_of_version_1_gets_its_marks_at_the_next_refresh(tmp_path: Path) -> None:
    tracker = one_lead(tmp_path / "t.xlsx")
    invoke("refresh", str(tracker), "--today", "2013-09-30")
    codes = record_of(tracker).split()[1:len(C.OWNED_COLUMNS)]
    type_cells(tracker, C.INTERVIEWS, 2, {C.REFRESH_RECORD: " ".join(["1", *codes])})
    assert "typed over" not in invoke("refresh", str(tracker), "--today", "2013-10-01")
    assert record_of(tracker).startswith("2 ") and re.search(r" C0\.\d+\.\w{4}\.\d{8}T\d{4}Z$", record_of(tracker))


def test_another_rows_record_pasted_keeps_each_event_its_own_uid(tmp_path: Path) -> None:
    tracker = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Contact": "Jane Roe", "Event Date": FRI, "Thank-You Sent": FRI},
        {"Company": "Globex", "Contact": "Jane Roe", "Event Date": FRI, "Thank-You Sent": FRI}],
        contacts=[{"Name": "Jane Roe", "Phone": "555-0100"}])
    invoke("refresh", str(tracker), "--today", "2013-09-30")
    before = sorted(events(_export(tmp_path, tracker, "2013-09-30").read_bytes()))
    type_cells(tracker, C.INTERVIEWS, 2, {C.REFRESH_RECORD: record_of(tracker, 3)})
    invoke("refresh", str(tracker), "--today", "2013-09-30", code=None)
    assert sorted(events(_export(tmp_path, tracker, "2013-09-30").read_bytes())) == before


# -- time zones ------------------------------------------------------------------------


ZONES = ("America/Chicago", "America/Phoenix", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Sydney",
         "Australia/Adelaide", "Australia/Lord_Howe", "America/St_Johns", "Pacific/Chatham", "Europe/London",
         "Europe/Dublin", "America/Santiago", "Africa/Casablanca", "Asia/Tehran", "Pacific/Auckland")


@pytest.mark.parametrize("today", [
    date(2026, 3, 6), date(2026, 3, 27), date(2026, 4, 2), date(2026, 9, 24), date(2026, 10, 22),
    date(2026, 10, 29), date(2026, 7, 6), date(2026, 12, 7),
])
def test_three_readers_agree_with_zoneinfo_around_every_changeover(tmp_path: Path, today: date,
                                                                   icaljs_folder: Path) -> None:
    """Contacts in zones with and without summer time, north and south, offsets of half
    and three quarters of an hour; calls planned 1 to 12 days out cross the changeovers."""
    contacts = [{"Name": f"Person {i}", "Phone": "555-0100", "Time Zone": zone} for i, zone in enumerate(ZONES)]
    interviews = [{"Company": f"Firm {i}-{k}", "Contact": f"Person {i}", "Event Date": today - timedelta(days=k),
                   "Thank-You Sent": today, "Call When": today + timedelta(days=3 * k)}
                  for i in range(len(ZONES)) for k in range(4)]
    tracker = small_tracker(tmp_path / "zones.xlsx", interviews=interviews, contacts=contacts,
                            settings={"Country": "US", "Time Zone": YOUR_ZONE})
    data = _export(tmp_path, tracker, today.isoformat()).read_bytes()
    expected = {uid: e.decoded("dtstart").astimezone(timezone.utc) for uid, e in events(data).items()
                if isinstance(e.decoded("dtstart"), datetime)}
    assert len(expected) == len(interviews)
    assert timed_utc_icalendar(data) == expected
    assert timed_utc_vobject(data) == expected
    assert icaljs_utc(data, icaljs_folder) == expected
