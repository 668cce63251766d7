"""Learning from the user's own call log: the history counted from the Calls sheet
(`core.reach.call_history`), the order of the call windows it leads to
(`learned_order`), and the Call Window and Why the engine then writes."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from workbook_tools import contract as C
from workbook_tools.core.engine import compute, plan_tracker
from workbook_tools.core.grid import tracker_data
from workbook_tools.core.reach import CallHistory, Tally, learned_order
from workbook_tools.core.rules.windows import CALL_WINDOWS
from workbook_tools.core.windows import SEEDS_ORDER, choose_window

FRI = date(2013, 9, 27)  # seed 000's interview
TODAY = date(2013, 9, 30)
NAMES = ("morning", "lunch", "late-afternoon", "other")


def history(morning=(0, 0), lunch=(0, 0), late=(0, 0), other=(0, 0)) -> CallHistory:
    """A history with these (calls, reached) by window; every call has a Time."""
    tallies = [Tally(*t) for t in (morning, lunch, late, other)]
    return CallHistory(sum(t.calls for t in tallies), dict(zip(NAMES, tallies)))


def learned(n_reached: int, n_calls: int, said: str) -> str:
    return f"your Calls log reaches people most often {said} their time ({n_reached} of {n_calls} calls)"


@pytest.mark.parametrize("hist, first, note", [
    # 11 calls with a Time: below the threshold, whatever they say.
    (history(morning=(4, 1), lunch=(3, 1), late=(4, 4)), None, ""),
    # 12: the best window goes first, with the evidence.
    (history(morning=(4, 1), lunch=(3, 1), late=(5, 4)), "late-afternoon", learned(4, 5, "after 4:30")),
    # A window with 2 calls is not compared, however well it does.
    (history(morning=(5, 1), lunch=(5, 2), late=(2, 2)), "lunch", learned(2, 5, "around lunch")),
    # One window compared alone is no preference.
    (history(morning=(10, 5), lunch=(1, 1), late=(1, 0)), None, ""),
    # A tie at the top: the first of the tied in the seeds' order leads, never a worse one.
    (history(morning=(4, 2), lunch=(6, 3), late=(3, 0)), "morning", learned(2, 4, "between 8:00 and 8:30")),
    (history(morning=(4, 1), lunch=(4, 3), late=(8, 6)), "lunch", learned(3, 4, "around lunch")),
    # Every window alike, or nobody reached: nothing is learned, and Why says nothing.
    (history(morning=(4, 2), lunch=(6, 3), late=(8, 4)), None, ""),
    (history(morning=(4, 0), lunch=(4, 0), late=(4, 0)), None, ""),
    # A tie below the top does not matter; the seeds' first window can win, and Why says so.
    (history(morning=(4, 3), lunch=(4, 1), late=(4, 1)), "morning", learned(3, 4, "between 8:00 and 8:30")),
    # "other" is never chosen, however good: the best of the seeds' windows is.
    (history(morning=(4, 0), lunch=(4, 1), late=(3, 0), other=(10, 10)), "lunch", learned(1, 4, "around lunch")),
    # Calls at other times count towards the 12, not towards a window.
    (history(morning=(3, 0), lunch=(3, 2), other=(6, 6)), "lunch", learned(2, 3, "around lunch")),
])
def test_learned_order(hist, first, note):
    order = learned_order(hist)
    if first is None:
        assert order == SEEDS_ORDER
        return
    rest = tuple(w for w in CALL_WINDOWS if w.name != first)
    assert [w.name for w in order.windows] == [first, *(w.name for w in rest)]
    assert order.learned == note


def test_an_empty_history_keeps_the_seeds_order():
    assert learned_order(CallHistory()) == SEEDS_ORDER


def one_call_history(at, day=date(2025, 11, 26), user_tz="America/New_York", contact_tz="America/New_York",
                     outcome=C.SPOKE) -> CallHistory:
    """The history of a tracker with one row and one call logged at ``at``."""
    contact = {"Name": "Jane Roe", "Phone": "555-0100"}
    if contact_tz:
        contact["Time Zone"] = contact_tz
    data = tracker_data(
        [{"Company": "Acme", "Contact": "Jane Roe", "Event Date": date(2025, 11, 3)}],
        [{"Company": "Acme", "Date": day, "Time": at, "Outcome": outcome}],
        [contact], {"Time Zone": user_tz} if user_tz else {})
    return plan_tracker(data, date(2025, 12, 1)).history


@pytest.mark.parametrize("user_tz, contact_tz, day, at, window, weekday", [
    # Same zone: the clock as logged. Wed 26 Nov 2025.
    ("America/New_York", "America/New_York", date(2025, 11, 26), time(8, 10), "morning", 2),
    ("America/New_York", "America/New_York", date(2025, 11, 26), time(8, 30), "morning", 2),
    ("America/New_York", "America/New_York", date(2025, 11, 26), time(8, 31), "other", 2),
    ("America/New_York", "America/New_York", date(2025, 11, 26), time(12, 59), "lunch", 2),
    ("America/New_York", "America/New_York", date(2025, 11, 26), time(13, 0), "other", 2),
    ("America/New_York", "America/New_York", date(2025, 11, 26), time(16, 30), "late-afternoon", 2),
    ("America/New_York", "America/New_York", date(2025, 11, 26), time(17, 59), "late-afternoon", 2),
    ("America/New_York", "America/New_York", date(2025, 11, 26), time(18, 0), "other", 2),
    # The user in Europe, the contact in New York: 14:10 in Berlin is 8:10 there in
    # November (6 hours apart) ...
    ("Europe/Berlin", "America/New_York", date(2025, 11, 26), time(14, 10), "morning", 2),
    # ... but 9:10 in March, when the US has moved its clocks and Europe not yet (5 hours).
    ("Europe/Berlin", "America/New_York", date(2025, 3, 19), time(14, 10), "other", 2),
    ("Europe/Berlin", "America/New_York", date(2025, 3, 19), time(13, 10), "morning", 2),
    # Tokyo's Tuesday morning is Monday evening in New York.
    ("Asia/Tokyo", "America/New_York", date(2025, 11, 25), time(9, 0), "other", 0),
    ("Asia/Tokyo", "America/New_York", date(2025, 11, 25), time(6, 40), "late-afternoon", 0),
    # An unknown zone, on either side: the same clock.
    ("Europe/Berlin", None, date(2025, 11, 26), time(14, 10), "other", 2),
    (None, "America/New_York", date(2025, 11, 26), time(8, 10), "morning", 2),
    # Text and Excel's fractions of a day are times too.
    ("America/New_York", "America/New_York", date(2025, 11, 26), "4:45 pm", "late-afternoon", 2),
    ("America/New_York", "America/New_York", date(2025, 11, 26), 0.5, "lunch", 2),
])
def test_calls_are_counted_in_the_contacts_window_and_day(user_tz, contact_tz, day, at, window, weekday):
    hist = one_call_history(at, day, user_tz, contact_tz)
    assert hist.timed == 1
    assert {k: t for k, t in hist.by_window.items() if t.calls} == {window: Tally(1, 1)}
    assert {k: t for k, t in hist.by_weekday.items() if t.calls} == {weekday: Tally(1, 1)}
    assert hist.by_attempt == {1: Tally(1, 1)}


@pytest.mark.parametrize("at", [
    None, "", "soon", "x" * 100_000, "\x00", "../../etc/passwd", "99:99", True, False,
    time(0, 0), date(2025, 11, 26), datetime(2025, 11, 26), 0, 1.0, "8:10\x00 and more",
])
def test_calls_without_a_time_count_by_attempt_only(at):
    hist = one_call_history(at, outcome=C.NO_ANSWER)
    assert hist.timed == 0
    assert all(t == Tally(0, 0) for t in (*hist.by_window.values(), *hist.by_weekday.values()))
    assert hist.by_attempt == {1: Tally(1, 0)}


def test_attempts_count_the_nth_call_of_each_row_and_reached_is_every_answered_outcome():
    data = tracker_data(
        [{"Company": "Acme", "Event Date": FRI}, {"Company": "Globex", "Event Date": FRI}],
        [{"Company": "Acme", "Date": date(2013, 10, 1), "Time": time(8, 10), "Outcome": C.LEFT_VOICEMAIL},
         {"Company": "Acme", "Date": date(2013, 10, 2), "Time": time(8, 10), "Outcome": C.ASKED_NOT_TO_CALL},
         {"Company": "Globex", "Date": date(2013, 10, 1), "Time": time(12, 15), "Outcome": C.OUTCOME_NOT_SELECTED}],
        [], {})
    hist = plan_tracker(data, TODAY).history
    assert hist.by_attempt == {1: Tally(2, 1), 2: Tally(1, 1)}
    assert hist.by_window["morning"] == Tally(2, 1) and hist.by_window["lunch"] == Tally(1, 1)


# -- the engine: Call Window and Why once the history says so -------------------------

LATE_TEXT = "16:35\u201317:15 their time, America/New_York (late afternoon)"
MORNING_TEXT = "8:05\u20138:30 their time, America/New_York (early, before the day's meetings)"
NOTE = learned(4, 5, "after 4:30")


def logged(at: time, outcome: str, n: int) -> dict[str, object]:
    return {"Company": "Old Co", "Date": date(2013, 9, 2 + n), "Time": at, "Outcome": outcome}


def old_calls(mornings: int) -> list[dict[str, object]]:
    """A closed row's log, every call with a Time: ``mornings`` calls at 8:10 of which
    one reached them, 1 of 3 at lunch, and 4 of 5 after 4:30."""
    spans = ([time(8, 10)] * mornings + [time(12, 20)] * 3 + [time(16, 40)] * 5)
    reached = {0, mornings, *range(mornings + 3, mornings + 7)}  # 1 morning, 1 lunch, 4 late
    return [logged(at, C.SPOKE if i in reached else C.NO_ANSWER, i) for i, at in enumerate(spans)]


def run(mornings: int, acme_calls=(), contact_tz="America/New_York", user_tz="America/New_York"):
    data = tracker_data(
        [{"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI},
         {"Company": "Old Co", "Event Date": date(2013, 8, 30), "Status": C.CLOSED}],
        [*old_calls(mornings), *({"Company": "Acme", **c} for c in acme_calls)],
        [{"Name": "Jane Roe", "Phone": "555-0100", "Time Zone": contact_tz}],
        {"Your Name": "Sam Lee", "Your Phone": "555-0199", "Time Zone": user_tz})
    result = compute(data, TODAY)
    assert not result.problems
    return result.rows[0]


@pytest.mark.parametrize("mornings, window, note", [
    (3, MORNING_TEXT, False),  # 11 calls with a Time: the seeds' rotation
    (4, LATE_TEXT, True),  # 12: after 4:30 first
])
def test_the_engine_prefers_the_learned_window_above_the_threshold(mornings, window, note):
    row = run(mornings)
    assert row.call_window == window and row.next_call == date(2013, 10, 2)
    assert row.why == "3 business days after the interview on Fri 27 Sep 2013" + (f"; {NOTE}" if note else "")


def test_successive_attempts_still_rotate_and_why_speaks_only_for_the_learned_window():
    first = {"Date": date(2013, 10, 2), "Outcome": C.NO_ANSWER}  # no Time: not in the windows
    second = {"Date": date(2013, 10, 7), "Outcome": C.NO_ANSWER}
    rows = [run(4, calls) for calls in ((), (first,), (first, second))]
    assert [r.call_window for r in rows] == [
        LATE_TEXT, MORNING_TEXT, "12:10\u201312:50 their time, America/New_York (around lunch)"]
    assert [r.why.count("your Calls log") for r in rows] == [1, 0, 0]


def test_a_window_outside_the_users_day_is_not_chosen():
    # In Berlin, Los Angeles' late afternoon is after 1:00 at night and its lunch after
    # 21:00: only its morning falls inside the user's day.
    row = run(4, contact_tz="America/Los_Angeles", user_tz="Europe/Berlin")
    assert row.call_window.startswith("8:05\u20138:30 their time, America/Los_Angeles")
    assert "your Calls log" not in row.why
    assert row.why.endswith("only their morning window falls inside your day (7:00-21:00)")


@pytest.mark.parametrize("windows, expected", [
    (CALL_WINDOWS, "morning"),
    ((CALL_WINDOWS[2], CALL_WINDOWS[0], CALL_WINDOWS[1]), "morning"),  # late first, but it is 1:35 in Berlin
    ((CALL_WINDOWS[1], CALL_WINDOWS[2], CALL_WINDOWS[0]), "morning"),
])
def test_choose_window_keeps_to_the_users_day_whatever_the_order(windows, expected):
    choice = choose_window(date(2025, 11, 26), 0, "America/Los_Angeles", "Europe/Berlin", windows=windows)
    assert choice.window.name == expected


@pytest.mark.parametrize("attempt, expected", [
    (0, "late-afternoon"), (1, "morning"), (2, "lunch"), (3, "late-afternoon"),
])
def test_choose_window_rotates_from_the_first_window_of_the_order(attempt, expected):
    order = (CALL_WINDOWS[2], CALL_WINDOWS[0], CALL_WINDOWS[1])
    assert choose_window(date(2025, 11, 26), attempt, "America/Chicago", "America/Chicago",
                         windows=order).window.name == expected
