"""The follow-ups the agenda and the calendar share, and the marks a row's record keeps
for the calendar (UID generation, SEQUENCE, cancellation)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from workbook_tools import contract as C
from workbook_tools.core.events import (
    CALL,
    CANCELLED,
    EMAIL,
    MAX_NUMBER,
    EventMark,
    FollowUp,
    PlannedRow,
    next_marks,
    read_mark,
    read_marks,
    row_follow_ups,
)
from workbook_tools.core.hand_edits import RECORDED, content_code, record_marks
from workbook_tools.core.model import RowResult

TODAY = date(2013, 10, 2)
CHICAGO = ZoneInfo("America/Chicago")


def call(due: date | None = TODAY, script: str = "Hello", start: datetime | None = None) -> FollowUp:
    return FollowUp(CALL, 2, due, C.DUE_TODAY, "Acme", "Analyst", "Jane Roe", "555-0100", "", "8:05", "Call",
                    "why", script, start)


def email(script: str = "Dear Jane") -> FollowUp:
    return call(None, script)._replace(kind=EMAIL)


@pytest.mark.parametrize("text, mark", [
    ("C0.0.AB12.20131002", EventMark(CALL, 0, 0, "AB12", "20131002")),
    ("E3.14.ZZZZ.20131002T1305Z", EventMark(EMAIL, 3, 14, "ZZZZ", "20131002T1305Z")),
    ("C1.2.X.20131002", EventMark(CALL, 1, 2, CANCELLED, "20131002")),
    ("E0.5.AB12.F20131002", EventMark(EMAIL, 0, 5, "AB12", "F20131002")),
    (f"C{MAX_NUMBER}.{MAX_NUMBER}.AB12.20131002", EventMark(CALL, MAX_NUMBER, MAX_NUMBER, "AB12", "20131002")),
])
def test_a_mark_reads_back(text, mark):
    assert read_mark(text) == mark and mark.text() == text


@pytest.mark.parametrize("text", [
    "", "C", "X0.0.AB12.20131002", "c0.0.AB12.20131002", "C0.0.AB12", "C0.0.AB12.20131002.1",
    "C-1.0.AB12.20131002", "C0.x.AB12.20131002", f"C{MAX_NUMBER + 1}.0.AB12.20131002",
    "C0.0.AB1.20131002", "C0.0.AB\u00e912.20131002", "C0.0.AB12.20131302", "C0.0.AB12.2013100",
    "C0.0.AB12.20131002T2460Z", "C0.0.AB12.20131002T1305", "C0.0.AB12.20131002T13:05Z",
    "C0.0.AB12.20131002\x00", "C0.0.AB12.F20131002T1305Z", "C0.0.AB12.FF20131002",
    "C0.0." + "A" * 100 + ".20131002", "C\u0661.0.AB12.20131002",
])
def test_anything_else_is_not_a_mark(text):
    assert read_mark(text) is None


def test_the_last_mark_of_a_kind_wins_and_junk_is_skipped():
    marks = read_marks(["junk", "C0.0.AB12.20131002", "E0.0.CD34.20131002", "C0.1.EF56.20131003"])
    assert marks == {CALL: EventMark(CALL, 0, 1, "EF56", "20131003"), EMAIL: EventMark(EMAIL, 0, 0, "CD34", "20131002")}


CODE = content_code


@pytest.mark.parametrize("old, items, want", [
    # A first plan: generation 0, sequence 0.
    ({}, [call()], [(CALL, 0, 0, False)]),
    # Unchanged: the same sequence; moved or reworded: one more.
    ({CALL: EventMark(CALL, 0, 4, CODE(call().content(TODAY)), "20131002")}, [call()], [(CALL, 0, 4, False)]),
    ({CALL: EventMark(CALL, 0, 4, "AAAA", "20131002")}, [call()], [(CALL, 0, 5, False)]),
    ({CALL: EventMark(CALL, 0, 4, CODE(call().content(TODAY)), "20131002")}, [call(script="Hi")],
     [(CALL, 0, 5, False)]),
    # Gone: cancelled, one more; still gone: as it was.
    ({CALL: EventMark(CALL, 0, 4, "AAAA", "20131002")}, [], [(CALL, 0, 5, True)]),
    ({CALL: EventMark(CALL, 0, 5, CANCELLED, "20131002")}, [], [(CALL, 0, 5, True)]),
    # Planned again after a cancellation: a new event (generation 1), from sequence 0.
    ({CALL: EventMark(CALL, 2, 5, CANCELLED, "20131002")}, [call()], [(CALL, 3, 0, False)]),
    # The kinds are apart: the email goes, the call stays.
    ({CALL: EventMark(CALL, 0, 1, CODE(call().content(TODAY)), "20131002"),
      EMAIL: EventMark(EMAIL, 0, 0, "BBBB", "20131002")}, [call()], [(CALL, 0, 1, False), (EMAIL, 0, 1, True)]),
    # The numbers stop at SEQUENCE's largest.
    ({CALL: EventMark(CALL, 0, MAX_NUMBER, "AAAA", "20131002")}, [call()], [(CALL, 0, MAX_NUMBER, False)]),
])
def test_next_marks(old, items, want):
    marks = next_marks(old, items, TODAY, CODE)
    assert [(m.kind, m.generation, m.sequence, m.cancelled) for m in marks] == want


def test_an_overdue_call_floats_on_today_and_its_mark_stays_as_it_is():
    start = datetime(2013, 10, 2, 8, 5, tzinfo=CHICAGO)
    item = call(due=date(2013, 10, 2), start=start)
    assert item.start_on(date(2013, 10, 4)) == datetime(2013, 10, 4, 8, 5, tzinfo=CHICAGO)
    assert item.day(date(2013, 10, 4)) == date(2013, 10, 4) and item.day(date(2013, 9, 30)) == date(2013, 10, 2)
    assert not item.floating(date(2013, 10, 2)) and item.floating(date(2013, 10, 3))
    assert item.when_text(date(2013, 10, 2)) == "20131002T1305Z" and item.when_text(date(2013, 10, 4)) == "F20131004"
    # Its content does not change with the day it floats on: the record need not either...
    assert item.content(date(2013, 10, 3)) == item.content(date(2013, 10, 9))
    (mark,) = next_marks({}, [item], date(2013, 10, 3), CODE)
    assert next_marks({CALL: mark}, [item], date(2013, 10, 9), CODE) == [mark]
    # ...while its SEQUENCE rises a day at a time, so that calendars move it.
    assert [mark.effective_sequence(date(2013, 10, d)) for d in (3, 4, 9)] == [0, 1, 6]
    # Changed, or cancelled, it goes one above the sequence its event had that day.
    (changed,) = next_marks({CALL: mark}, [item._replace(script="Hi")], date(2013, 10, 9), CODE)
    assert (changed.sequence, changed.when, changed.effective_sequence(date(2013, 10, 9))) == (7, "F20131009", 7)
    (gone,) = next_marks({CALL: mark}, [], date(2013, 10, 9), CODE)
    assert (gone.cancelled, gone.sequence, gone.when) == (True, 7, "F20131009")
    assert gone.effective_sequence(date(2013, 12, 1)) == 7  # a cancelled event moves no more
    # A call still ahead does not change with the day.
    ahead = call(due=date(2013, 10, 9))
    assert ahead.content(date(2013, 10, 3)) == ahead.content(date(2013, 10, 4))
    (mark,) = next_marks({}, [ahead], date(2013, 10, 3), CODE)
    assert mark.effective_sequence(date(2013, 10, 8)) == 0
    # The day it becomes overdue, it starts to float: one change, then none.
    (late,) = next_marks({CALL: mark}, [ahead], date(2013, 10, 10), CODE)
    assert late.sequence == 1 and late.floats
    assert next_marks({CALL: late}, [ahead], date(2013, 10, 11), CODE) == [late]


def planned(**cells) -> PlannedRow:
    return PlannedRow(RowResult(2, **cells), {"Company": "Acme", "Position": "Analyst"}, "Jane Roe",
                      {"Phone": "555-0100", "Email": "jane@example.com"})


@pytest.mark.parametrize("cells, want", [
    ({"flag": C.UPCOMING, "next_call": date(2013, 10, 7), "call_script": "Hi"}, [(CALL, date(2013, 10, 7))]),
    ({"flag": C.UPCOMING, "next_call": date(2013, 10, 7), "call_script": "Hi", "your_day": date(2013, 10, 6)},
     [(CALL, date(2013, 10, 6))]),
    ({"flag": C.UPCOMING, "next_call": date(2013, 10, 7), "call_script": "Hi", "email_script": "Dear"},
     [(EMAIL, None), (CALL, date(2013, 10, 7))]),
    # A closed row's last call (thanks for an offer, asking for feedback) is due now.
    ({"flag": C.FLAG_CLOSED, "call_script": "Thank you"}, [(CALL, None)]),
    ({"flag": C.FLAG_CLOSED}, []),
    ({"flag": C.WAITING, "next_call": date(2013, 10, 7), "call_script": "Hi"}, []),
    # Text the user typed over Next Call (kept): the call is due now, to be checked.
    ({"flag": C.UPCOMING, "next_call": "ask Bob", "call_script": "Hi"}, [(CALL, None)]),
    ({"flag": C.UPCOMING, "next_call": datetime(2013, 10, 7, 9, 30), "call_script": "Hi"},
     [(CALL, date(2013, 10, 7))]),
    ({"flag": C.UPCOMING, "next_call": date(2013, 10, 7), "call_script": 12345}, [(CALL, date(2013, 10, 7))]),
])
def test_a_rows_follow_ups(cells, want):
    items = row_follow_ups(planned(**cells))
    assert [(i.kind, i.due) for i in items] == want
    assert all(isinstance(i.script, str) and isinstance(i.action, str) for i in items)


def test_an_aware_start_only_for_a_call_with_a_day():
    start = datetime(2013, 10, 7, 8, 5, tzinfo=timezone.utc)
    (item,) = row_follow_ups(planned(flag=C.UPCOMING, next_call=date(2013, 10, 7), call_script="Hi",
                                     call_start=start))
    assert item.start == start
    (naive,) = row_follow_ups(planned(flag=C.UPCOMING, next_call=date(2013, 10, 7), call_script="Hi",
                                      call_start=start.replace(tzinfo=None)))
    assert naive.start is None and naive.start_on(TODAY) is None


CODES = " ".join(["0000"] * len(RECORDED))


@pytest.mark.parametrize("record, want", [
    (f"2 {CODES} C0.0.AB12.20131002 E0.1.CD34.20131002", ["C0.0.AB12.20131002", "E0.1.CD34.20131002"]),
    (f"2 {CODES}", []),
    (f"1 {CODES} C0.0.AB12.20131002", []),  # a version-1 record had no marks
    (None, []), (12, []), ("", []), ("2", []), ("2 " + "C0.0.AB12.20131002 " * 2000, []),
])
def test_record_marks(record, want):
    assert record_marks(record) == want
