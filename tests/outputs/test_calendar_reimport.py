"""A calendar imported again after every refresh: the same UIDs whatever the file is
called, SEQUENCE rising when an event moves, the event once more as cancelled when it
is no longer planned, and the agenda listing what the calendar holds."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import openpyxl
import pytest

from tests.support.ical_readers import icalendar_utc, icaljs_utc, vobject_utc
from tests.support.trackers import FRI, SAMPLE, small_tracker
from workbook_tools import contract as C
from workbook_tools import write_cells
from workbook_tools.adapters.file import read_tracker, refresh_file
from workbook_tools.app.calendar import export_calendar
from workbook_tools.app.new import new_tracker
from workbook_tools.app.plan import plan_file
from workbook_tools.outputs.agenda import agenda_items
from workbook_tools.outputs.calendar import CANCELLED_KEPT_DAYS
from workbook_tools.outputs.reimport import PreviousEvent, previous_events
from workbook_tools.template.sample import SAMPLE_TODAY

CONTACTS = [{"Name": "Jane Roe", "Phone": "555-0100", "Time Zone": "America/Chicago"}]
STAMP = datetime(2013, 9, 30, 12, 0, tzinfo=timezone.utc)


def one_lead(path: Path, **cells) -> Path:
    interview = {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI,
                 "Thank-You Sent": FRI, **cells}
    return small_tracker(path, interviews=[interview], contacts=CONTACTS,
                         settings={"Country": "US", "Time Zone": "America/New_York"})


def exported(paths: list[Path], today: date, out: Path) -> list[icalendar.Event]:
    export_calendar(paths, out, today, stamp=STAMP)
    return list(icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT"))


def by_summary(events: list[icalendar.Event]) -> dict[str, icalendar.Event]:
    return {str(e["summary"]): e for e in events}


def set_input(path: Path, header: str, value: object, row: int = 2) -> None:
    headers = [c.value for c in next(openpyxl.load_workbook(path, read_only=True)[C.INTERVIEWS].iter_rows(max_row=1))]
    write_cells(path, C.INTERVIEWS, {f"{openpyxl.utils.get_column_letter(headers.index(header) + 1)}{row}": value})


def log_call(path: Path, day: date, outcome: str, row: int = 2) -> None:
    write_cells(path, C.CALLS, {f"A{row}": day, f"C{row}": "Acme", f"E{row}": outcome})


def test_sequence_rises_when_the_call_moves_and_only_then(tmp_path):
    tracker = one_lead(tmp_path / "t.xlsx")
    ics = tmp_path / "plan.ics"
    refresh_file(tracker, date(2013, 9, 30))
    (first,) = exported([tracker], date(2013, 9, 30), ics)
    assert first["sequence"] == 0 and first["status"] == "CONFIRMED"
    # The call is made: the next one is a week later, the same event moved.
    log_call(tracker, date(2013, 10, 2), C.LEFT_VOICEMAIL)
    (before_refresh,) = exported([tracker], date(2013, 10, 2), ics)
    refresh_file(tracker, date(2013, 10, 2))
    (moved,) = exported([tracker], date(2013, 10, 2), ics)
    assert moved["uid"] == first["uid"] and moved["sequence"] == 1
    assert moved.decoded("dtstart") > first.decoded("dtstart")
    # The export is the same before the refresh and after it: the numbers come from the workbook.
    assert before_refresh.to_ical() == moved.to_ical()
    # Nothing changes: neither does SEQUENCE, however often it is exported or refreshed.
    refresh_file(tracker, date(2013, 10, 3))
    (again,) = exported([tracker], date(2013, 10, 3), ics)
    assert again["sequence"] == 1 and again.decoded("dtstart") == moved.decoded("dtstart")


def test_an_overdue_call_moves_to_today_with_a_higher_sequence(tmp_path):
    tracker = one_lead(tmp_path / "t.xlsx")
    refresh_file(tracker, date(2013, 10, 2))
    (due,) = exported([tracker], date(2013, 10, 2), tmp_path / "a.ics")
    refresh_file(tracker, date(2013, 10, 3))
    (late,) = exported([tracker], date(2013, 10, 3), tmp_path / "b.ics")
    assert late["uid"] == due["uid"] and late["sequence"] == due["sequence"] + 1
    assert late.decoded("dtstart") - due.decoded("dtstart") == timedelta(days=1)


def test_a_closed_lead_sends_its_call_once_more_as_cancelled(tmp_path):
    tracker = one_lead(tmp_path / "t.xlsx")
    refresh_file(tracker, date(2013, 9, 30))
    (planned,) = exported([tracker], date(2013, 9, 30), tmp_path / "a.ics")
    set_input(tracker, "Status", "Withdrawn")
    refresh_file(tracker, date(2013, 10, 1))
    result = export_calendar([tracker], tmp_path / "b.ics", date(2013, 10, 1), stamp=STAMP)
    (gone,) = icalendar.Calendar.from_ical((tmp_path / "b.ics").read_bytes()).walk("VEVENT")
    assert (result.calls, result.emails, result.cancelled) == (0, 0, 1)
    assert gone["uid"] == planned["uid"] and gone["status"] == "CANCELLED"
    assert gone["sequence"] == planned["sequence"] + 1
    assert gone.decoded("dtstart") == planned.decoded("dtstart")  # the same moment, in UTC
    assert not list(gone.walk("VALARM"))  # a cancelled event reminds nobody
    # Told again while it matters, then left alone: it is history in the calendar by then.
    last = planned.decoded("dtstart").date()
    assert exported([tracker], last + timedelta(days=CANCELLED_KEPT_DAYS), tmp_path / "c.ics")
    assert exported([tracker], last + timedelta(days=CANCELLED_KEPT_DAYS + 1), tmp_path / "d.ics") == []


def test_an_email_sent_is_cancelled_and_a_new_one_is_a_new_event(tmp_path):
    tracker = one_lead(tmp_path / "t.xlsx", **{"Thank-You Sent": None})
    refresh_file(tracker, date(2013, 9, 30))
    email = by_summary(exported([tracker], date(2013, 9, 30), tmp_path / "a.ics"))["Email Jane Roe (Acme, Analyst)"]
    set_input(tracker, "Thank-You Sent", date(2013, 9, 30))
    refresh_file(tracker, date(2013, 9, 30))
    sent = by_summary(exported([tracker], date(2013, 9, 30), tmp_path / "b.ics"))["Email Jane Roe (Acme, Analyst)"]
    assert sent["uid"] == email["uid"] and sent["status"] == "CANCELLED" and sent["sequence"] == 1
    # Cleared again: due again, as a new event (a calendar may never bring back a cancelled UID).
    set_input(tracker, "Thank-You Sent", None)
    refresh_file(tracker, date(2013, 9, 30))
    due = by_summary(exported([tracker], date(2013, 9, 30), tmp_path / "c.ics"))["Email Jane Roe (Acme, Analyst)"]
    assert due["uid"] != email["uid"] and due["status"] == "CONFIRMED" and due["sequence"] == 0


def uids(events: list[icalendar.Event]) -> set[str]:
    return {str(e["uid"]) for e in events}


def test_uids_survive_a_rename_a_copy_and_refresh_output(tmp_path):
    made = new_tracker(tmp_path / "mine.xlsx").tracker
    write_cells(made, C.INTERVIEWS, {"A2": "Acme", "B2": "Analyst", "E2": FRI, "J2": FRI})
    refresh_file(made, date(2013, 9, 30))
    first = uids(exported([made], date(2013, 9, 30), tmp_path / "a.ics"))
    assert len(first) == 1
    renamed = made.rename(tmp_path / "job search 2013.xlsx")
    assert uids(exported([renamed], date(2013, 9, 30), tmp_path / "b.ics")) == first
    copy = tmp_path / "backup" / "copy.xlsx"
    copy.parent.mkdir()
    shutil.copyfile(renamed, copy)
    assert uids(exported([copy], date(2013, 9, 30), tmp_path / "c.ics")) == first
    out = tmp_path / "refreshed.xlsx"
    refresh_file(renamed, date(2013, 10, 1), output=out)
    assert uids(exported([out], date(2013, 10, 1), tmp_path / "d.ics")) == first


def test_each_new_tracker_has_an_identity_of_its_own(tmp_path):
    ids = {read_tracker(new_tracker(tmp_path / name).tracker).tracker_id for name in ("a.xlsx", "b.xlsx")}
    assert len(ids) == 2 and all(len(i) == 32 for i in ids)


def test_an_older_tracker_keeps_its_uids_when_refresh_gives_it_an_identity(tmp_path):
    tracker = tmp_path / "tracker.xlsx"
    shutil.copyfile(SAMPLE, tracker)
    assert read_tracker(tracker).tracker_id == ""  # made before trackers had one
    before = uids(exported([tracker], SAMPLE_TODAY, tmp_path / "a.ics"))
    refresh_file(tracker, SAMPLE_TODAY)
    assert read_tracker(tracker).tracker_id == "tracker.xlsx"
    renamed = tracker.rename(tmp_path / "renamed.xlsx")
    assert uids(exported([renamed], SAMPLE_TODAY, tmp_path / "b.ics")) == before


@pytest.mark.parametrize("formula, identity", [
    ('"a ""quoted"" one"', 'a "quoted" one'),
    ("Interviews!$A$1", ""),  # not a text: the file's name serves, as without one
    ('"unterminated', ""),
    ("1+2", ""),
])
def test_an_identity_that_is_not_text_is_not_used(tmp_path, formula, identity):
    tracker = one_lead(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(tracker)
    wb.defined_names[C.TRACKER_ID_NAME] = openpyxl.workbook.defined_name.DefinedName(C.TRACKER_ID_NAME,
                                                                                     attr_text=formula)
    wb.save(tracker)
    assert read_tracker(tracker).tracker_id == identity
    refresh_file(tracker, date(2013, 9, 30))  # an existing name is never replaced nor added twice
    names = openpyxl.load_workbook(tracker).defined_names
    assert names[C.TRACKER_ID_NAME].attr_text == formula


def agenda_keys(path: Path, today: date, days: int) -> set[tuple[str, int]]:
    planned = plan_file(path, today)
    return {(i.kind, i.row) for i in agenda_items(planned.data, planned.result, today, days)}


@pytest.mark.parametrize("today", [SAMPLE_TODAY - timedelta(days=10), SAMPLE_TODAY, SAMPLE_TODAY + timedelta(days=5)])
def test_the_agenda_lists_what_the_calendar_holds_for_each_day(tmp_path, today):
    tracker = tmp_path / "tracker.xlsx"
    shutil.copyfile(SAMPLE, tracker)
    refresh_file(tracker, today)
    planned = plan_file(tracker, today)
    rows = {int(r.row): r for r in planned.result.rows}
    events = exported([tracker], today, tmp_path / "plan.ics")
    on_day: dict[date, set[tuple[str, int]]] = {}
    for ev in events:
        if ev["status"] == "CANCELLED":
            continue
        kind, row = str(ev["summary"]).split()[0], int(str(ev["description"]).rsplit("row ", 1)[1])
        start = ev.decoded("dtstart")
        day = start.date() if isinstance(start, datetime) else start
        if isinstance(start, datetime) and rows[row].your_day is not None and day != today:
            day = rows[row].your_day  # the agenda lists a call on the day it starts in your own time
        on_day.setdefault(day, set()).add((kind, row))
    assert on_day.get(today, set()) == agenda_keys(tracker, today, 0)
    for ahead in range(1, 15):
        expected = agenda_keys(tracker, today, ahead) - agenda_keys(tracker, today, ahead - 1)
        assert on_day.get(today + timedelta(days=ahead), set()) == expected, ahead


@pytest.mark.parametrize("today, season", [(date(2026, 7, 6), "summer"), (date(2026, 12, 7), "winter")])
def test_a_second_and_third_reader_put_the_calls_at_the_same_instant(tmp_path, today, season, icaljs_folder):
    """The VTIMEZONE is written as yearly rules: vobject and ical.js, which read the zone
    from the file alone, agree with icalendar and zoneinfo in summer and in winter."""
    contacts = [{"Name": "Jane Roe", "Phone": "555-0100", "Time Zone": "America/Denver"}]
    interviews = [{"Company": f"Acme {n}", "Contact": "Jane Roe", "Event Date": today - timedelta(days=n),
                   "Thank-You Sent": today} for n in range(1, 6)]
    tracker = small_tracker(tmp_path / "t.xlsx", interviews=interviews, contacts=contacts,
                            settings={"Country": "US", "Time Zone": "America/Denver"})
    ics = tmp_path / "plan.ics"
    events = exported([tracker], today, ics)
    timed = {str(e["uid"]): e.decoded("dtstart") for e in events if isinstance(e.decoded("dtstart"), datetime)}
    assert len(timed) == 5
    expected = {uid: start.astimezone(timezone.utc) for uid, start in timed.items()}  # zoneinfo's instants
    offsets = {start.utcoffset() for start in timed.values()}
    assert offsets == ({timedelta(hours=-6)} if season == "summer" else {timedelta(hours=-7)})
    data = ics.read_bytes()
    assert icalendar_utc(data) == expected
    assert vobject_utc(data) == expected
    assert icaljs_utc(data, icaljs_folder) == expected


# --- The earlier export's memory (`outputs.reimport`) -----------------------------------

def status_by_uid(events: list[icalendar.Event]) -> dict[str, tuple[str, int]]:
    return {str(e["uid"]): (str(e["status"]), int(e["sequence"])) for e in events}


def test_a_deleted_row_is_cancelled_from_the_earlier_export(tmp_path):
    tracker = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Event Date": FRI, "Thank-You Sent": FRI},
        {"Company": "Globex", "Event Date": FRI, "Thank-You Sent": FRI}])
    ics = tmp_path / "plan.ics"
    refresh_file(tracker, date(2013, 9, 30))
    first = status_by_uid(exported([tracker], date(2013, 9, 30), ics))
    write_cells(tracker, C.INTERVIEWS, {"A3": None, "E3": None, "J3": None})  # Globex's row emptied
    refresh_file(tracker, date(2013, 9, 30))
    second = by_summary(exported([tracker], date(2013, 9, 30), ics))
    assert second["Call Globex"]["status"] == "CANCELLED" and second["Call Globex"]["sequence"] == 1
    assert str(second["Call Globex"]["uid"]) in first
    assert second["Call Acme"]["status"] == "CONFIRMED"
    # Exported again: the same file but for DTSTAMP (the cancellation is kept, not raised again).
    before = ics.read_text()
    exported([tracker], date(2013, 9, 30), ics)
    assert ics.read_text() == before  # the stamp is fixed here


def test_a_corrected_event_date_cancels_the_old_event(tmp_path):
    tracker = one_lead(tmp_path / "t.xlsx")
    ics = tmp_path / "plan.ics"
    refresh_file(tracker, date(2013, 9, 30))
    (old,) = exported([tracker], date(2013, 9, 30), ics)
    set_input(tracker, "Event Date", date(2013, 9, 26))
    refresh_file(tracker, date(2013, 9, 30))
    events = status_by_uid(exported([tracker], date(2013, 9, 30), ics))
    assert events.pop(str(old["uid"])) == ("CANCELLED", 1)
    # The row's new event: a new UID (the row's record counts its change, which does no harm).
    assert list(events.values()) == [("CONFIRMED", 1)]


def test_changes_exported_without_a_refresh_still_raise_the_sequence(tmp_path):
    tracker = one_lead(tmp_path / "t.xlsx")
    ics = tmp_path / "plan.ics"
    refresh_file(tracker, date(2013, 9, 30))
    sequences = [int(exported([tracker], date(2013, 9, 30), ics)[0]["sequence"])]
    for when in ("next week", "after the holidays", "in 3 weeks"):
        set_input(tracker, "Call When", when)
        sequences.append(int(exported([tracker], date(2013, 9, 30), ics)[0]["sequence"]))
    assert sequences == [0, 1, 2, 3]


def test_a_call_moved_past_days_is_moved_in_the_file_not_left_behind(tmp_path):
    tracker = one_lead(tmp_path / "t.xlsx")
    ics = tmp_path / "plan.ics"
    refresh_file(tracker, date(2013, 9, 30))
    export_calendar([tracker], ics, date(2013, 9, 30), days=7, stamp=STAMP)
    (soon,) = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    set_input(tracker, "Call When", date(2013, 10, 30))
    refresh_file(tracker, date(2013, 9, 30))
    export_calendar([tracker], ics, date(2013, 9, 30), days=7, stamp=STAMP)
    (moved,) = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert moved["uid"] == soon["uid"] and moved["sequence"] == soon["sequence"] + 1
    assert moved.decoded("dtstart").date() == date(2013, 10, 30)
    # A new file with the same horizon has no such call: nothing there to move.
    assert export_calendar([tracker], tmp_path / "new.ics", date(2013, 9, 30), days=7, stamp=STAMP).calls == 0


def test_a_tracker_that_cannot_be_read_this_time_loses_no_event(tmp_path):
    good, other = one_lead(tmp_path / "a.xlsx"), one_lead(tmp_path / "b.xlsx", Company="Globex")
    ics = tmp_path / "plan.ics"
    for t in (good, other):
        refresh_file(t, date(2013, 9, 30))
    exported([good, other], date(2013, 9, 30), ics)
    saved = other.read_bytes()
    other.write_bytes(b"not a workbook any more")
    result = export_calendar([good, other], ics, date(2013, 9, 30), stamp=STAMP)
    assert result.failed and result.cancelled == 0 and result.calls == 1
    other.write_bytes(saved)  # readable again: its call is back, as it was
    events = status_by_uid(exported([good, other], date(2013, 9, 30), ics))
    assert sorted(events.values()) == [("CONFIRMED", 0), ("CONFIRMED", 0)]


@pytest.mark.parametrize("earlier", [
    b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x@workbook-tools\r\nSUMMARY:Call Bob\r\nEND:VEVENT\r\n",
    b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\nUID:" + b"a" * 10_000 + b"@workbook-tools\r\n" * 3,
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1@workbook-tools\r\nSEQUENCE:99999999999999\r\n"
    b"SUMMARY:Call x\r\nX-WORKBOOK-TOOLS-TRACKER:t\r\nX-WORKBOOK-TOOLS-CONTENT:c\r\n"
    b"X-WORKBOOK-TOOLS-WHEN:20139999\r\nEND:VEVENT\r\n",
    b"BEGIN:VCALENDAR\r\n\xff\xfe\x00garbage\r\n\r\n END:VEVENT\r\n",
])
def test_an_earlier_file_that_says_nothing_usable_gives_no_memory(tmp_path, earlier):
    tracker = one_lead(tmp_path / "t.xlsx")
    refresh_file(tracker, date(2013, 9, 30))
    ics = tmp_path / "plan.ics"
    ics.write_bytes(earlier)
    result = export_calendar([tracker], ics, date(2013, 9, 30), stamp=STAMP)
    assert (result.calls, result.cancelled) == (1, 0)
    fresh = tmp_path / "fresh.ics"
    export_calendar([tracker], fresh, date(2013, 9, 30), stamp=STAMP)
    assert ics.read_bytes() == fresh.read_bytes()


def test_the_earlier_export_is_read_as_written():
    text = ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:abc@workbook-tools\r\nSEQUENCE:4\r\nSTATUS:CONFIRMED\r\n"
            "SUMMARY:Call Jane Roe (Acme\\, Analyst)\\; and a very long sum\r\n mary folded\r\n"
            "X-WORKBOOK-TOOLS-TRACKER:0123456789abcdef\r\nX-WORKBOOK-TOOLS-CONTENT:fedcba9876543210\r\n"
            "X-WORKBOOK-TOOLS-WHEN:20131002T1305Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    (event,) = previous_events(text.encode()).values()
    assert event._replace(raw="") == PreviousEvent(
        "abc@workbook-tools", "Call", "Call Jane Roe (Acme, Analyst); and a very long summary folded",
        "0123456789abcdef", 4, False, "fedcba9876543210", "20131002T1305Z", "", "", "")
    assert event.raw.startswith("BEGIN:VEVENT\r\nUID:abc@workbook-tools\r\n") and event.raw.endswith("END:VEVENT\r\n")


def test_a_call_pinned_to_the_last_day_excel_has_is_an_event_that_day(tmp_path):
    tracker = small_tracker(tmp_path / "t.xlsx", interviews=[{"Company": "Acme", "Event Date": FRI,
                                                               "Thank-You Sent": FRI}], settings={"Time Zone": ""})
    refresh_file(tracker, date(2013, 9, 30))
    set_input(tracker, C.NEXT_CALL, date(9999, 12, 31))  # "never", as people type it
    refresh_file(tracker, date(2013, 10, 1))
    (event,) = exported([tracker], date(2013, 10, 1), tmp_path / "plan.ics")
    assert event.decoded("dtstart") == date(9999, 12, 31) and event.decoded("duration") == timedelta(days=1)


def test_a_follow_up_planned_again_keeps_its_new_uid_export_after_export(tmp_path):
    tracker = one_lead(tmp_path / "t.xlsx")
    ics = tmp_path / "plan.ics"
    refresh_file(tracker, date(2013, 9, 30))
    (first,) = exported([tracker], date(2013, 9, 30), ics)
    set_input(tracker, "Company", "Acme Corp")  # a correction: the old UID is cancelled...
    refresh_file(tracker, date(2013, 9, 30))
    exported([tracker], date(2013, 9, 30), ics)
    set_input(tracker, "Company", "Acme")  # ...and undone: the old UID would come back
    refresh_file(tracker, date(2013, 9, 30))
    runs = [status_by_uid(exported([tracker], date(2013, 9, 30), ics)) for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    assert runs[0][str(first["uid"])] == ("CANCELLED", 1)  # never confirmed again
    live = [uid for uid, (status, _) in runs[0].items() if status == "CONFIRMED"]
    assert len(live) == 1 and live[0] != str(first["uid"])
