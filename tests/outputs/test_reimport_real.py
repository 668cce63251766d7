"""An independent tester's look at the calendar's memory of the earlier export
(`outputs.reimport`): the same file exported to again and again over a lived-in tracker
(rows deleted, an event date and a company corrected, exports without a refresh, --days
changed), several trackers with one failing or left out, and an .ics in the way that is
hand-edited, foreign, or re-exported by a calendar program (no X- properties).

Each export goes through the command line and is imported into `ImportingCalendar`, a
calendar that checks what RFC 5545 asks of a re-import as it goes. The tests marked
``xfail(strict=True)`` are the defects found (see the tester's report): each passes
while the defect is there and fails once it is fixed, so its marker can go."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from click.testing import CliRunner

from tests.support.trackers import SAMPLE, interview_headers, row_values, type_cells
from workbook_tools import contract as C
from workbook_tools import write_cells
from workbook_tools.cli import main

TODAY = date(2026, 11, 23)  # the sample's day
SEQUENCE_MAX = 2**31 - 1


def invoke(*args: str) -> tuple[int, str]:
    """The command line in process; a traceback fails the test (catch_exceptions off)."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, env={"COLUMNS": "200"})
    return result.exit_code, result.output


def export(trackers: list[Path], ics: Path, today: date = TODAY, days: int | None = None) -> int:
    args = ["calendar", *map(str, trackers), "-o", str(ics), "--today", today.isoformat()]
    code, _ = invoke(*args, *(["--days", str(days)] if days is not None else []))
    return code


def refresh(tracker: Path, today: date = TODAY) -> None:
    code, output = invoke("refresh", str(tracker), "--today", today.isoformat())
    assert code == 0, output


def events(ics: Path) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}


def status(event: icalendar.Event) -> str:
    return str(event["status"])


def sequence(event: icalendar.Event) -> int:
    return int(event.get("sequence", 0))


def without_stamps(data: bytes) -> bytes:
    return re.sub(rb"DTSTAMP:[0-9TZ]+\r\n", b"", data)


def sample(folder: Path, name: str = "tracker.xlsx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(SAMPLE, target)
    return target


def clear_row(path: Path, row: int) -> None:
    """The row's contents deleted, as a user deletes a lead (Delete on the selected row)."""
    type_cells(path, row, {h: None for h in interview_headers(path)})


def summaries(found: dict[str, icalendar.Event], state: str) -> list[str]:
    return sorted(str(e["summary"]) for e in found.values() if status(e) == state)


class ImportingCalendar:
    """A calendar that imports each export: a UID's SEQUENCE never goes down and rises when
    what it shows changes, a cancelled UID is never brought back, and an event it holds
    as confirmed never vanishes from an export of its tracker without a cancellation."""

    def __init__(self) -> None:
        self.held: dict[str, tuple[int, str, bytes]] = {}

    def import_(self, found: dict[str, icalendar.Event], label: str, ignore: set[str] = frozenset()) -> None:
        for uid, event in found.items():
            seq, state = sequence(event), status(event)
            shown = without_stamps(event.to_ical())
            assert 0 <= seq <= SEQUENCE_MAX, label
            if uid in self.held:
                old_seq, old_state, old_shown = self.held[uid]
                assert seq >= old_seq, f"{label}: SEQUENCE of {event['summary']} went down"
                assert not (old_state == "CANCELLED" and state != "CANCELLED"), f"{label}: {uid} came back"
                if shown != old_shown and old_state == "CONFIRMED":
                    assert seq > old_seq, f"{label}: {event['summary']} changed, SEQUENCE stayed {seq}"
            self.held[uid] = (seq, state, shown)
        for uid, (_, state, shown) in self.held.items():
            if state == "CONFIRMED" and uid not in ignore:
                assert uid in found, f"{label}: {shown[:200]!r} vanished without a cancellation"


# --- one tracker, lived in, exported to the same file ----------------------------------------


def test_a_lived_in_tracker_exported_to_one_file_keeps_every_calendar_right(tmp_path: Path) -> None:
    tracker, ics = sample(tmp_path), tmp_path / "plan.ics"
    calendar = ImportingCalendar()
    first_row = row_values(tracker, 2)

    def step(label: str, day: date, *, refreshed: bool = True, days: int | None = None) -> dict[str, Any]:
        if refreshed:
            refresh(tracker, day)
        assert export([tracker], ics, day, days) == 0, label
        data = ics.read_bytes()
        assert export([tracker], ics, day, days) == 0  # the same day again: the same file but for DTSTAMP
        assert without_stamps(ics.read_bytes()) == without_stamps(data), label
        found = events(ics)
        calendar.import_(found, label)
        return found

    step("first export", TODAY)
    clear_row(tracker, 3)
    step("a row deleted, not refreshed", TODAY, refreshed=False)
    type_cells(tracker, 2, {"Event Date": first_row["Event Date"] - timedelta(days=1)})
    step("an event date corrected", TODAY)
    type_cells(tracker, 4, {"Company": "Renamed Company Ltd"})
    step("a company renamed, exported twice without a refresh", TODAY, refreshed=False)
    step("then refreshed", TODAY)
    step("a week ahead only", TODAY + timedelta(days=1), days=7)
    step("two days ahead only", TODAY + timedelta(days=1), days=2)
    found = step("everything again", TODAY + timedelta(days=2))
    assert "Call Dana Whitfield (Harbor Point Analytics, Senior Data Analyst)" in summaries(found, "CONFIRMED")


def test_a_call_moved_past_days_keeps_its_uid_and_moves_in_the_file(tmp_path: Path) -> None:
    tracker, ics = sample(tmp_path), tmp_path / "plan.ics"
    assert export([tracker], ics, days=60) == 0
    wide = events(ics)
    assert export([tracker], ics, days=0) == 0
    narrow = events(ics)
    assert set(narrow) == set(wide)  # nothing dropped, nothing cancelled
    assert all(status(e) == "CONFIRMED" and sequence(e) == sequence(wide[uid]) for uid, e in narrow.items())
    fresh = tmp_path / "fresh.ics"
    assert export([tracker], fresh, days=0) == 0
    assert set(events(fresh)) < set(wide)  # a first export with --days 0 leaves later calls out


@pytest.mark.parametrize("endings", ["LF", "CRLF", "BOM"])
def test_an_earlier_export_saved_again_by_a_text_editor_is_still_remembered(tmp_path: Path, endings: str) -> None:
    tracker, ics = sample(tmp_path), tmp_path / "plan.ics"
    assert export([tracker], ics) == 0
    before = events(ics)
    data = ics.read_bytes()
    data = {"LF": data.replace(b"\r\n", b"\n"), "CRLF": data, "BOM": b"\xef\xbb\xbf" + data}[endings]
    ics.write_bytes(data)
    clear_row(tracker, 2)
    assert export([tracker], ics) == 0
    after = events(ics)
    gone = [uid for uid in before if status(after[uid]) == "CANCELLED"]
    assert len(gone) == 2  # the row's call and its thank-you
    assert all(sequence(after[uid]) == sequence(before[uid]) + 1 for uid in gone)


def test_an_export_re_exported_by_a_calendar_program_gives_no_memory_and_no_crash(tmp_path: Path) -> None:
    """Google and Outlook keep UID and SEQUENCE but drop our X- properties: the export
    goes on as a first one (the UIDs are the same), and cancels nothing from memory."""
    tracker, ics = sample(tmp_path), tmp_path / "plan.ics"
    assert export([tracker], ics) == 0
    first = events(ics)
    ics.write_bytes(re.sub(rb"X-WORKBOOK-TOOLS-[A-Z]+:[^\r\n]*\r\n", b"", ics.read_bytes()))
    clear_row(tracker, 2)
    assert export([tracker], ics) == 0
    again = events(ics)
    assert set(again) < set(first) and summaries(again, "CANCELLED") == []


# --- several trackers -------------------------------------------------------------------------


def test_a_tracker_that_fails_has_nothing_cancelled_and_the_others_go_on(tmp_path: Path) -> None:
    a, b, ics = sample(tmp_path, "alice.xlsx"), sample(tmp_path, "bob.xlsx"), tmp_path / "plan.ics"
    assert export([a, b], ics) == 0
    both = events(ics)
    alice = {str(e["x-workbook-tools-tracker"]) for e in both.values() if "alice.xlsx" in str(e["description"])}
    assert len(alice) == 1 and len(both) == 26
    good = a.read_bytes()
    a.write_bytes(b"PK\x03\x04 damaged")
    clear_row(b, 2)
    assert export([a, b], ics) == 1
    after = events(ics)
    cancelled = [e for e in after.values() if status(e) == "CANCELLED"]
    assert sorted(str(e["summary"]).split(" ")[0] for e in cancelled) == ["Call", "Email"]  # bob's deleted row
    assert all("Dana Whitfield" in str(e["summary"]) and str(e["x-workbook-tools-tracker"]) not in alice
               for e in cancelled)
    a.write_bytes(good)
    assert export([a, b], ics) == 0
    back = events(ics)
    assert {u for u, e in back.items() if status(e) == "CONFIRMED" and str(e["x-workbook-tools-tracker"]) in alice} \
        == {u for u, e in both.items() if str(e["x-workbook-tools-tracker"]) in alice}


def test_a_tracker_left_out_of_the_list_has_nothing_cancelled(tmp_path: Path) -> None:
    a, b, ics = sample(tmp_path, "alice.xlsx"), sample(tmp_path, "bob.xlsx"), tmp_path / "plan.ics"
    assert export([a, b], ics) == 0
    both = events(ics)
    assert export([b], ics) == 0
    after = events(ics)
    # Nothing cancelled; alice's events are carried over as they were.
    assert summaries(after, "CANCELLED") == [] and len(after) == 26
    assert {uid: e.to_ical() for uid, e in after.items() if "alice.xlsx" in str(e["description"])} == {
        uid: e.to_ical() for uid, e in both.items() if "alice.xlsx" in str(e["description"])}


@pytest.mark.parametrize("away", ["damaged", "left out"])
def test_a_row_deleted_while_its_tracker_was_away_is_cancelled_when_it_is_back(tmp_path: Path, away: str) -> None:
    a, b, ics = sample(tmp_path, "alice.xlsx"), sample(tmp_path, "bob.xlsx"), tmp_path / "plan.ics"
    assert export([a, b], ics) == 0
    calendar = ImportingCalendar()
    calendar.import_(events(ics), "both")
    alice = {uid for uid, e in events(ics).items() if "alice.xlsx" in str(e["description"])}
    assert len(alice) == 13
    good = a.read_bytes()
    if away == "damaged":
        a.write_bytes(b"PK\x03\x04 damaged")
        export([a, b], ics)
    else:
        export([b], ics)
    calendar.import_(events(ics), "alice away", ignore=alice)  # an import never deletes what it lacks
    a.write_bytes(good)
    clear_row(a, 2)
    assert export([a, b], ics) == 0
    calendar.import_(events(ics), "alice back, one row deleted")


@pytest.mark.parametrize("change", ["first fails", "first left out", "a third added first"])
def test_trackers_of_one_identity_keep_their_own_uids_whatever_else_is_exported(tmp_path: Path, change: str) -> None:
    """Older trackers all called tracker.xlsx (a coach's clients/alice/, clients/bob/) get
    the same identity, the file name, at their first refresh."""
    alice, bob = sample(tmp_path / "alice"), sample(tmp_path / "bob")
    type_cells(bob, 2, {"Company": "Bob's Own Company"})  # so that bob's events read differently
    write_cells(bob, C.SETTINGS, {"B2": "Bob Client"})  # his name, in every script
    ics = tmp_path / "clients.ics"
    assert export([alice, bob], ics) == 0
    first = events(ics)
    bob_before = {uid: str(e["description"]) for uid, e in first.items() if "Bob Client" in str(e["description"])}
    assert len(bob_before) == 13 and len(first) == 26
    if change == "first fails":
        alice.write_bytes(b"garbage")
        export([alice, bob], ics)
    elif change == "first left out":
        export([bob], ics)
    else:
        export([sample(tmp_path / "aaron"), alice, bob], ics)
    found = events(ics)
    assert {uid: str(found[uid]["description"]) for uid in bob_before if uid in found} == bob_before
    assert all(status(found[uid]) == "CONFIRMED" for uid in bob_before)


@pytest.mark.parametrize("undo", ["company corrected back", "deleted row pasted back"])
def test_a_uid_cancelled_from_memory_never_comes_back(tmp_path: Path, undo: str) -> None:
    tracker, ics = sample(tmp_path), tmp_path / "plan.ics"
    calendar = ImportingCalendar()
    row = row_values(tracker, 2)
    assert export([tracker], ics) == 0
    calendar.import_(events(ics), "first")
    if undo == "company corrected back":
        type_cells(tracker, 2, {"Company": "Harbor Point Analytix"})
    else:
        clear_row(tracker, 2)
    refresh(tracker)
    assert export([tracker], ics) == 0
    calendar.import_(events(ics), "changed")
    type_cells(tracker, 2, {h: v for h, v in row.items() if h is not None})
    refresh(tracker)
    assert export([tracker], ics) == 0
    calendar.import_(events(ics), "undone")
    assert "Call Dana Whitfield (Harbor Point Analytics, Senior Data Analyst)" in summaries(events(ics), "CONFIRMED")


# --- what is in the way -----------------------------------------------------------------------

GOOGLE_EXPORT = (b"BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n"
                 b"X-WR-CALNAME:sam@example.com\r\nBEGIN:VEVENT\r\nDTSTART:20261201T150000Z\r\n"
                 b"DTEND:20261201T160000Z\r\nUID:abc123@google.com\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\n"
                 b"END:VCALENDAR\r\n")


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04", b"BEGIN:VCARD\r\nEND:VCARD\r\n", b"\x00" * 100,
                                     "Überraschung".encode("utf-16")])
def test_a_file_that_is_not_a_calendar_is_never_replaced(tmp_path: Path, content: bytes) -> None:
    tracker, ics = sample(tmp_path), tmp_path / "plan.ics"
    ics.write_bytes(content)
    code, output = invoke("calendar", str(tracker), "-o", str(ics), "--today", TODAY.isoformat())
    if content:
        assert code == 1 and "Fix: " in output and ics.read_bytes() == content
    else:  # an empty file holds nothing to lose
        assert code in (0, 1) and "Traceback" not in output


@pytest.mark.parametrize("junk", [
    b"BEGIN:VCALENDAR\r\n" + b"X" * 100_000 + b"\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:../../etc@workbook-tools\r\nX-WORKBOOK-TOOLS-TRACKER:\x00\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x@workbook-tools\r\nSEQUENCE:99999999999999\r\nSUMMARY:Call x\r\n"
    b"X-WORKBOOK-TOOLS-TRACKER:abc\r\nX-WORKBOOK-TOOLS-CONTENT:abc\r\nX-WORKBOOK-TOOLS-WHEN:20261124T9999Z\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * 5000 + b"\xff\xfe\r\n",
])
def test_a_damaged_earlier_export_is_replaced_without_a_crash(tmp_path: Path, junk: bytes) -> None:
    tracker, ics = sample(tmp_path), tmp_path / "plan.ics"
    ics.write_bytes(junk)
    assert export([tracker], ics) == 0
    fresh = tmp_path / "fresh.ics"
    assert export([tracker], fresh) == 0
    assert set(events(ics)) == set(events(fresh))


def test_a_calendar_that_is_not_ours_is_never_replaced(tmp_path: Path) -> None:
    tracker, ics = sample(tmp_path), tmp_path / "my-calendar.ics"
    ics.write_bytes(GOOGLE_EXPORT)
    code, output = invoke("calendar", str(tracker), "-o", str(ics), "--today", TODAY.isoformat())
    assert ics.read_bytes() == GOOGLE_EXPORT and code == 1 and "Fix: " in output
