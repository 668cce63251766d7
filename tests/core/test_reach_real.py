"""Learning from the user's own call log, tried on input the way people fill it in
(issue 15, part 3): Time typed every which way, calls at the edges of the windows,
contacts across time zones and daylight-saving days, outcomes, the threshold, the
choice among windows, both adapters, and the report's tables, charts and terminal.

Written by an independent tester; a test marked xfail(strict) names a defect found."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest

from tests.support.terminal import table_rows
from tests.support.trackers import FRI, small_tracker
from workbook_tools import contract as C
from workbook_tools.app.report import make_report, write_report
from workbook_tools.core.engine import compute, compute_with_history, plan_tracker
from workbook_tools.core.grid import tracker_data
from workbook_tools.core.reach import CallHistory, Tally, call_history, learned_order
from workbook_tools.core.rules.reach import REACH_THRESHOLD
from workbook_tools.core.rules.windows import CALL_WINDOWS
from workbook_tools.core.windows import SEEDS_ORDER
from workbook_tools.outputs.report import render_report

WINDOWS = ("morning", "lunch", "late-afternoon", "other")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WED = date(2025, 11, 26)  # a Wednesday, no daylight-saving change near it


# -- helpers -----------------------------------------------------------------------------


def one_call(at: object, day: date = WED, user_tz: str | None = "America/New_York",
             contact_tz: str | None = "America/New_York", outcome: str = C.SPOKE):
    """The plan of a tracker with one row and one call logged ``at`` on ``day``."""
    contact: dict[str, object] = {"Name": "Jane Roe", "Phone": "555-0100"}
    if contact_tz:
        contact["Time Zone"] = contact_tz
    data = tracker_data(
        [{"Company": "Acme", "Contact": "Jane Roe", "Event Date": date(2025, 1, 3)}],
        [{"Company": "Acme", "Date": day, "Time": at, "Outcome": outcome}],
        [contact], {"Time Zone": user_tz} if user_tz else {})
    plan = plan_tracker(data, date(2026, 1, 5))
    list(plan.rows)
    return plan


def counted(hist: CallHistory) -> tuple[dict[str, Tally], dict[int, Tally]]:
    """The windows and weekdays of ``hist`` that hold calls."""
    return ({k: t for k, t in hist.by_window.items() if t.calls},
            {k: t for k, t in hist.by_weekday.items() if t.calls})


def history(morning=(0, 0), lunch=(0, 0), late=(0, 0), other=(0, 0)) -> CallHistory:
    tallies = [Tally(*t) for t in (morning, lunch, late, other)]
    return CallHistory(sum(t.calls for t in tallies), dict(zip(WINDOWS, tallies)))


AT = {"morning": time(8, 10), "lunch": time(12, 20), "late-afternoon": time(16, 40), "other": time(10, 15)}


def log(company: str, plan: dict[str, tuple[int, int]], start: date = date(2013, 8, 1)) -> list[dict[str, object]]:
    """Calls at ``company``: for each window, (calls, reached) of them, one a day."""
    rows: list[dict[str, object]] = []
    for name, (calls, reached) in plan.items():
        for i in range(calls):
            rows.append({"Company": company, "Date": date.fromordinal(start.toordinal() + len(rows)),
                         "Time": AT[name], "Outcome": C.SPOKE if i < reached else C.NO_ANSWER})
    return rows


def tracker(old_log: list[dict[str, object]], acme_calls=(), contact_tz="America/New_York",
            user_tz="America/New_York", settings=None, cadence=""):
    """An open row at Acme and a closed row at Old Co whose log is ``old_log``; Jane Roe
    is the contact of both."""
    return tracker_data(
        [{"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI, "Cadence": cadence},
         {"Company": "Old Co", "Contact": "Jane Roe", "Event Date": date(2013, 7, 30), "Status": C.CLOSED}],
        [*old_log, *({"Company": "Acme", **c} for c in acme_calls)],
        [{"Name": "Jane Roe", "Phone": "555-0100", "Time Zone": contact_tz}],
        {"Your Name": "Sam Lee", "Your Phone": "555-0199", "Time Zone": user_tz, **(settings or {})})


TODAY = date(2013, 9, 30)


def first_row(data):
    result = compute(data, TODAY)
    assert not result.problems, [str(p) for p in result.problems]
    return result.rows[0]


# -- Time typed the ways people type it --------------------------------------------------


@pytest.mark.parametrize("at, window", [
    ("4:45 PM", "late-afternoon"),
    ("4:45PM", "late-afternoon"),
    ("4:45 p.m.", "late-afternoon"),
    ("16:45", "late-afternoon"),
    ("16.45", "late-afternoon"),  # the dot of many European keyboards, kept as text
    (" 08:15 ", "morning"),
    ("8:15:30", "morning"),
    ("08:05", "morning"),
    ("8:15 a.m.", "morning"),
    ("8:15\u202fAM", "morning"),  # the narrow space macOS and ICU put before AM
    ("12:15 pm", "lunch"),
    ("12:30 am", "other"),  # half past midnight is a time, just not a window
    ("1:15 PM", "other"),
    (time(16, 45), "late-afternoon"),
    (time(8, 0, 59), "morning"),
    (datetime(2025, 11, 26, 16, 45), "late-afternoon"),  # a date and time typed into Time
    (datetime(2024, 1, 1, 12, 5), "lunch"),  # the date part is not the call's: the Date cell is
    (0.6875, "late-afternoon"),  # Excel's fraction of a day, in a cell formatted as a number
    (0.35416666666666669, "morning"),  # 8:30, as Excel writes it
    (45987.6875, "late-afternoon"),  # a date-and-time serial: the fraction is the time
])
def test_a_time_typed_as_people_type_it_lands_in_its_window(at, window):
    plan = one_call(at)
    assert plan.history.timed == 1
    assert counted(plan.history) == ({window: Tally(1, 1)}, {2: Tally(1, 1)})


@pytest.mark.parametrize("at, window", [
    ("5pm", "late-afternoon"),
    ("5 pm", "late-afternoon"),
    ("5 PM", "late-afternoon"),
    ("8am", "morning"),
    ("8 a.m.", "morning"),
    ("noon", "lunch"),
    ("12 noon", "lunch"),
])
def test_a_time_typed_without_minutes_is_read(at, window):
    plan = one_call(at)
    assert counted(plan.history)[0] == {window: Tally(1, 1)}


@pytest.mark.parametrize("day", [datetime(2025, 11, 26, 16, 45), "2025-11-26 16:45"])
def test_a_time_given_in_the_date_cell_counts_when_time_is_blank(day):
    data = tracker_data([{"Company": "Acme", "Event Date": date(2025, 1, 3)}],
                        [{"Company": "Acme", "Date": day, "Outcome": C.SPOKE}], [], {"Time Zone": "America/New_York"})
    plan = plan_tracker(data, date(2026, 1, 5))
    list(plan.rows)
    assert counted(plan.history)[0] == {"late-afternoon": Tally(1, 1)}


@pytest.mark.parametrize("at", [
    None, "", "soon", "half past four", "x" * 100_000, "\x00\x00", "../../etc/passwd", "25:10", "24:00",
    True, date(2025, 11, 26), float("nan"), float("inf"), -1e308, 10 ** 30, b"16:45", ["16:45"],
])
def test_a_time_that_is_no_time_counts_by_attempt_only_and_never_breaks(at):
    plan = one_call(at, outcome=C.NO_ANSWER)
    assert plan.history.timed == 0
    assert counted(plan.history) == ({}, {})
    assert plan.history.by_attempt == {1: Tally(1, 0)}


@pytest.mark.parametrize("at", ["7:60", "8:75", "12:60", "16:99"])
def test_a_time_with_impossible_minutes_is_not_counted(at):
    plan = one_call(at)
    assert plan.history.timed == 0 and counted(plan.history) == ({}, {})


@pytest.mark.parametrize("at", ["soon", "half past four", date(2025, 11, 26)])
def test_a_time_that_cannot_be_read_is_a_problem_naming_the_cell(at):
    plan = one_call(at)
    assert any(p.sheet == C.CALLS and p.cell == "B2" for p in plan.problems), [str(p) for p in plan.problems]


# -- the edges of the windows, through a real file ---------------------------------------

EDGES = [  # (Time typed, the window it is counted in): seed 003's spans, both ends included
    (time(7, 59), "other"), (time(8, 0), "morning"), (time(8, 30), "morning"), (time(8, 31), "other"),
    (time(11, 59), "other"), (time(12, 0), "lunch"), (time(12, 59), "lunch"), (time(13, 0), "other"),
    (time(16, 29), "other"), (time(16, 30), "late-afternoon"), (time(17, 59), "late-afternoon"),
    (time(18, 0), "other"),
]


def edge_tracker(path: Path) -> Path:
    """A tracker whose calls are logged at the edges of the windows, each reached, on
    Tuesday 1 October 2013, the user and contact in New York."""
    return small_tracker(path, interviews=[{"Company": "Acme", "Event Date": FRI}], calls=[
        {"Company": "Acme", "Date": date(2013, 10, 1), "Time": at, "Outcome": C.SPOKE} for at, _ in EDGES
    ], settings={"Time Zone": "America/New_York"})


def expected_edges() -> list[list[object]]:
    names = [w for _, w in EDGES]
    return [[n, names.count(n)] for n in WINDOWS]


def test_calls_at_the_edges_of_the_windows_count_where_the_seeds_put_them(tmp_path):
    rep = make_report([edge_tracker(tmp_path / "t.xlsx")], date(2013, 10, 10))
    assert rep.windows[["Calls", "Reached"]].values.tolist() == [[n, n] for _, n in expected_edges()]
    assert rep.weekdays["Calls"].tolist() == [0, len(EDGES), 0, 0, 0, 0, 0]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_tracker_saved_again_by_libreoffice_counts_the_same_windows(tmp_path):
    """LibreOffice writes times with 15 digits (8:00 is 0.333333333333333, a hair before
    8:00): the edges must not move."""
    source = edge_tracker(tmp_path / "t.xlsx")
    out = tmp_path / "lo"
    run = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                          "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                         capture_output=True, timeout=300)
    assert run.returncode == 0, run.stderr
    resaved = out / "t.xlsx"
    with zipfile.ZipFile(resaved) as zf:
        sheet = next(zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/sheet2"))
    assert "0.333333333333333<" in sheet  # LibreOffice's own digits, not ours
    before = make_report([source], date(2013, 10, 10)).windows.values.tolist()
    assert make_report([resaved], date(2013, 10, 10)).windows.values.tolist() == before


# -- time zones and daylight-saving days ---------------------------------------------------


@pytest.mark.parametrize("user_tz, contact_tz, day, at, window, weekday", [
    # London to New York, 5 hours apart in November ...
    ("Europe/London", "America/New_York", WED, time(13, 10), "morning", 2),
    ("Europe/London", "America/New_York", WED, time(21, 40), "late-afternoon", 2),
    # ... 4 hours in the weeks when the US has moved its clocks and the UK not yet ...
    ("Europe/London", "America/New_York", date(2025, 3, 19), time(12, 10), "morning", 2),
    # ... and again in the week the UK has moved back and the US not yet.
    ("Europe/London", "America/New_York", date(2025, 10, 29), time(12, 10), "morning", 2),
    ("Europe/London", "America/New_York", date(2025, 10, 29), time(13, 10), "other", 2),
    # On the Sunday the US springs forward, the afternoon in London is summer time there.
    ("Europe/London", "America/New_York", date(2025, 3, 9), time(12, 10), "morning", 6),
    # On the Sunday Europe springs forward: 3:10 in New York is 8:10 in London's summer time.
    ("America/New_York", "Europe/London", date(2025, 3, 30), time(3, 10), "morning", 6),
    # London late on Monday is Tuesday morning in Tokyo.
    ("Europe/London", "Asia/Tokyo", date(2025, 11, 24), time(23, 20), "morning", 1),
    # Just after midnight in London on Tuesday is Monday's late afternoon in Los Angeles.
    ("Europe/London", "America/Los_Angeles", date(2025, 11, 25), time(0, 40), "late-afternoon", 0),
    # Sunday's first minutes in London are Saturday in New York.
    ("Europe/London", "America/New_York", date(2025, 11, 30), time(0, 5), "other", 5),
    # Half- and quarter-hour zones keep their minutes.
    ("Asia/Kolkata", "Europe/London", WED, time(17, 35), "lunch", 2),
    ("Asia/Kolkata", "Europe/London", WED, time(18, 35), "other", 2),
    ("Asia/Kathmandu", "Europe/London", WED, time(13, 50), "morning", 2),
    ("Australia/Adelaide", "Asia/Tokyo", WED, time(9, 40), "morning", 2),  # +10:30 (summer there) and +9
    # A zone the database does not know counts as unknown: the user's clock.
    ("Europe/London", "Pacific", WED, time(8, 10), "morning", 2),
    ("Europe/London", "Mars/Olympus_Mons", WED, time(12, 10), "lunch", 2),
    # The same zone under two names: no shift.
    ("US/Eastern", "America/New_York", WED, time(8, 10), "morning", 2),
])
def test_a_call_is_counted_in_the_contacts_window_and_weekday(user_tz, contact_tz, day, at, window, weekday):
    plan = one_call(at, day, user_tz, contact_tz)
    assert counted(plan.history) == ({window: Tally(1, 1)}, {weekday: Tally(1, 1)})


@pytest.mark.parametrize("user_tz, contact_tz, day, at, window, weekday", [
    # Sun 2 Nov 2025, 7:10 in Tokyo is Sat 1 Nov 18:10 in New York (still summer time:
    # the US falls back at 2:00 that Sunday), not 17:10.
    ("Asia/Tokyo", "America/New_York", date(2025, 11, 2), time(7, 10), "other", 5),
    # Sun 2 Nov 2025, 7:40 in Sydney is Sat 16:40 in New York, after 4:30.
    ("Australia/Sydney", "America/New_York", date(2025, 11, 2), time(7, 40), "late-afternoon", 5),
])
def test_a_call_near_a_daylight_saving_change_uses_the_offset_of_that_moment(user_tz, contact_tz, day, at,
                                                                             window, weekday):
    plan = one_call(at, day, user_tz, contact_tz)
    assert counted(plan.history) == ({window: Tally(1, 1)}, {weekday: Tally(1, 1)})


# -- which calls count, and as reached or not ----------------------------------------------


@pytest.mark.parametrize("outcome, reached", [
    (C.LEFT_VOICEMAIL, False), (C.NO_ANSWER, False),
    (C.SPOKE, True), (C.NEW_DATE, True), (C.NEXT_INTERVIEW, True), (C.OUTCOME_NOT_SELECTED, True),
    (C.OUTCOME_OFFER, True), (C.ASKED_NOT_TO_CALL, True),  # they picked up to say it
    ("no answer", False), ("  LEFT VOICEMAIL ", False), ("asked not to call", True),  # typed, not picked
])
def test_every_outcome_counts_as_the_contract_says(outcome, reached):
    new_date = {"New Date": date(2025, 12, 10)} if outcome in (C.NEW_DATE, C.NEXT_INTERVIEW) else {}
    data = tracker_data([{"Company": "Acme", "Event Date": date(2025, 11, 3)}],
                        [{"Company": "Acme", "Date": WED, "Time": time(8, 10), "Outcome": outcome, **new_date}],
                        [], {"Time Zone": "America/New_York"})
    plan = plan_tracker(data, date(2025, 12, 1))
    list(plan.rows)
    assert not plan.problems, [str(p) for p in plan.problems]
    tally = Tally(1, int(reached))
    assert plan.history.by_window["morning"] == tally and plan.history.by_attempt == {1: tally}


def test_calls_on_closed_rows_count_and_calls_matched_to_no_row_count_nowhere():
    data = tracker_data(
        [{"Company": "Acme", "Event Date": date(2025, 11, 3)},
         {"Company": "Old Co", "Event Date": date(2025, 9, 1), "Status": C.NOT_SELECTED}],
        [{"Company": "Acme", "Date": WED, "Time": time(8, 10), "Outcome": C.SPOKE},
         {"Company": "Old Co", "Date": date(2025, 9, 9), "Time": time(12, 10), "Outcome": C.NO_ANSWER},
         {"Company": "Nobody Inc", "Date": WED, "Time": time(16, 40), "Outcome": C.SPOKE},  # a typo
         {"Company": "Acme", "Date": WED, "Time": time(16, 45), "Outcome": "Voicemail"}],  # no such outcome
        [], {"Time Zone": "America/New_York"})
    result, hist = compute_with_history(data, date(2025, 12, 1))
    assert counted(hist)[0] == {"morning": Tally(1, 1), "lunch": Tally(1, 0)}
    assert hist.timed == 2 and hist.by_attempt == {1: Tally(2, 1)}
    assert sorted(p.cell for p in result.problems) == ["C4", "E5"]  # both left out are named


def test_the_counts_agree_with_each_other_on_the_sample():
    from tests.golden.regenerate import sample_settings
    from workbook_tools.template.sample import CALLS, CONTACTS, INTERVIEWS, SAMPLE_TODAY

    result, hist = compute_with_history(tracker_data(INTERVIEWS, CALLS, CONTACTS, sample_settings()), SAMPLE_TODAY)
    calls = sum(len(lead.calls) for lead in result.leads)
    assert sum(t.calls for t in hist.by_attempt.values()) == calls
    assert sum(t.calls for t in hist.by_window.values()) == hist.timed == sum(t.calls for t in hist.by_weekday.values())
    assert hist.timed == sum(1 for c in CALLS if c.get("Time") is not None)


def test_call_history_takes_leads_in_any_order_and_an_unknown_user_zone():
    plan = one_call(time(8, 10))
    leads = plan.leads
    assert call_history(leads, None) == call_history(list(reversed(leads)), None)
    assert call_history([], "Europe/London") == call_history([], None)


# -- the threshold --------------------------------------------------------------------------

MORNING_TEXT = "8:05\u20138:30 their time, America/New_York (early, before the day's meetings)"
LATE_TEXT = "16:35\u201317:15 their time, America/New_York (late afternoon)"


def late_is_best(extra: int) -> list[dict[str, object]]:
    """Lunch 0 of 3, late afternoon 3 of 3 (after 4:30 wins), and ``extra`` calls at 10:15."""
    return log("Old Co", {"lunch": (3, 0), "late-afternoon": (3, 3), "other": (extra, 0)})


@pytest.mark.parametrize("old_log, learned", [
    (late_is_best(5), False),  # 11 calls with a Time
    (late_is_best(6), True),  # 12: calls at other times count towards the 12
    # 12 logged, but one has no Time: 11.
    ([*late_is_best(5), {"Company": "Old Co", "Date": date(2013, 9, 2), "Outcome": C.NO_ANSWER}], False),
    # 12 logged with a Time, but one names no row on Interviews: 11.
    ([*late_is_best(5), {"Company": "Nobody", "Date": date(2013, 9, 2), "Time": time(9, 0),
                         "Outcome": C.NO_ANSWER}], False),
])
def test_the_threshold_counts_the_calls_with_a_time_of_the_tracker(old_log, learned):
    data = tracker(old_log)
    result, hist = compute_with_history(data, TODAY)
    row = result.rows[0]
    assert row.call_window == (LATE_TEXT if learned else MORNING_TEXT)
    assert ("your Calls log reaches people most often after 4:30 their time (3 of 3 calls)" in row.why) is learned
    assert (hist.timed >= REACH_THRESHOLD.timed_calls) is learned


def cells(result) -> list[dict[str, Any]]:
    return [r.cells() for r in result.rows]


def without_times(calls: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in c.items() if k != "Time"} for c in calls]


@pytest.mark.parametrize("old_log", [
    late_is_best(5),  # below the threshold
    log("Old Co", {"morning": (4, 3), "lunch": (4, 3), "late-afternoon": (4, 3)}),  # every window alike
    log("Old Co", {"morning": (10, 1), "other": (10, 10)}),  # one window compared only
    log("Old Co", {"morning": (2, 0), "lunch": (2, 2), "late-afternoon": (2, 2), "other": (6, 6)}),  # 2 each
])
def test_without_a_preference_every_cell_is_the_seeds_rotation(old_log):
    acme = [{"Date": date(2013, 10, 2), "Outcome": C.NO_ANSWER}]
    for calls in ((), acme):
        with_times = compute(tracker(old_log, calls), TODAY)
        plain = compute(tracker(without_times(old_log), calls), TODAY)
        assert cells(with_times) == cells(plain)


def test_the_sample_plans_as_the_seeds_rotation_with_or_without_its_times():
    from tests.golden.regenerate import sample_settings
    from workbook_tools.template.sample import CALLS, CONTACTS, INTERVIEWS, SAMPLE_TODAY

    timed = compute(tracker_data(INTERVIEWS, CALLS, CONTACTS, sample_settings()), SAMPLE_TODAY)
    plain = compute(tracker_data(INTERVIEWS, without_times(CALLS), CONTACTS, sample_settings()), SAMPLE_TODAY)
    assert cells(timed) == cells(plain)


# -- the choice among windows ---------------------------------------------------------------


@pytest.mark.parametrize("hist, first", [
    # The issue's rule: at least 3 calls make a window comparable; the best rate wins,
    # even 3 of 3 against 16 of 20 (Why shows the counts, so the user can judge).
    (history(morning=(20, 16), lunch=(3, 3)), "lunch"),
    (history(lunch=(20, 16), late=(3, 2)), "lunch"),
    # Rates are compared exactly: 2 of 6 ties with 1 of 3, 667 of 1000 beats 2 of 3.
    (history(morning=(6, 2), lunch=(3, 1), other=(3, 0)), None),
    (history(morning=(3, 2), lunch=(1000, 667)), "lunch"),
    # Nobody ever answered: nothing to prefer.
    (history(morning=(5, 0), lunch=(5, 0), late=(5, 0)), None),
    # A window reached once in twenty still beats one never reached.
    (history(morning=(6, 0), late=(20, 1)), "late-afternoon"),
    # A window with fewer than 3 calls is left out, however good.
    (history(morning=(5, 1), lunch=(5, 2), late=(2, 2), other=(0, 0)), "lunch"),
])
def test_the_best_window_by_the_issues_rule(hist, first):
    order = learned_order(hist)
    if first is None:
        assert order == SEEDS_ORDER
    else:
        assert order.windows[0].name == first and sorted(order.windows) == sorted(CALL_WINDOWS)


def test_a_tie_for_the_best_never_puts_the_worst_window_first():
    order = learned_order(history(morning=(5, 1), lunch=(5, 4), late=(5, 4)))
    assert order.windows[0].name in ("lunch", "late-afternoon")


@pytest.mark.parametrize("other", [(0, 0), (30, 30), (500, 499)])
def test_other_times_are_never_preferred(other):
    order = learned_order(history(morning=(4, 1), lunch=(4, 2), late=(4, 0), other=other))
    assert order.windows[0].name == "lunch" and {w.name for w in order.windows} == set(WINDOWS[:3])


BEST_LATE = log("Old Co", {"morning": (4, 0), "lunch": (4, 1), "late-afternoon": (5, 4)})


@pytest.mark.parametrize("user_tz, hours, late_chosen", [
    # From London: New York's 16:35 is 21:35 there, after the user's day ends (21:00).
    ("Europe/London", None, False),
    ("Europe/London", "7:00-22:00", False),  # 22:15 is still after it
    ("Europe/London", "7:00-23:00", True),  # now it fits
    ("America/New_York", None, True),
])
def test_the_learned_window_is_never_planned_outside_the_users_day(user_tz, hours, late_chosen):
    # The log is in the user's clock: from London, 5 hours after New York's.
    shift = 5 if user_tz == "Europe/London" else 0
    old = [{**c, "Time": time(c["Time"].hour + shift, c["Time"].minute)} for c in BEST_LATE]
    settings = {"Your Hours": hours} if hours else {}
    rows = []
    for n in range(4):  # the next call after 0, 1, 2 and 3 unanswered attempts without a Time
        acme = [{"Date": date(2013, 10, 1 + i), "Outcome": C.NO_ANSWER} for i in range(n)]
        result, hist = compute_with_history(tracker(old, acme, "America/New_York", user_tz, settings, "Weekly"),
                                            TODAY)
        assert counted(hist)[0] == {"morning": Tally(4, 0), "lunch": Tally(4, 1), "late-afternoon": Tally(5, 4)}
        rows.append(result.rows[0])
    late = [r.call_window.startswith("16:35") for r in rows]
    noted = ["your Calls log reaches people most often after 4:30 their time (4 of 5 calls)" in r.why for r in rows]
    if late_chosen:
        assert late == noted == [True, False, False, True]
    else:
        assert not any(late) and not any(noted)
        assert all(r.call_window for r in rows)


# -- both adapters give the same cells -----------------------------------------------------


def learned_file(path: Path, user_tz: str = "America/New_York") -> Path:
    """A tracker file whose log puts after 4:30 first: a closed row's 13 calls, with the
    Time typed in several ways, and an open row at Acme whose next call is due."""
    old = [{**c, "Time": typed} for c, typed in zip(BEST_LATE, (
        time(8, 10), "8:12", "8:15 AM", datetime(2013, 8, 4, 8, 20),  # morning, 0 of 4
        "12:20", "12:25 pm", time(12, 30), "12.35",  # lunch, 1 of 4
        time(16, 40), "4:45 PM", "16:50", "5:05 p.m.", datetime(2013, 8, 13, 17, 30),  # after 4:30, 4 of 5
    ))]
    return small_tracker(path, interviews=[
        {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI},
        {"Company": "Old Co", "Contact": "Jane Roe", "Event Date": date(2013, 7, 30), "Status": C.CLOSED},
    ], contacts=[{"Name": "Jane Roe", "Company": "Acme", "Phone": "555-0100", "Time Zone": "America/New_York"}],
        calls=old, settings={"Time Zone": user_tz})


@pytest.fixture
def remote_engine():
    """xlwings' remote engine (a test-only set-up: tests/conftest.py sets its licence)."""
    xw = pytest.importorskip("xlwings")
    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.main.Engine(impl=_xlremote.engine))
    return xw


def interview_cells(path: Path) -> dict[str, object]:
    ws = openpyxl.load_workbook(path, data_only=True)[C.INTERVIEWS]
    out: dict[str, object] = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None:
                v = c.value
                out[c.coordinate] = v.date() if isinstance(v, datetime) and v.time() == time(0) else v
    return out


def test_the_live_refresh_and_the_file_refresh_write_the_same_learned_cells(tmp_path, remote_engine):
    from tests.support.vba_client import apply_actions, vba_payload
    from workbook_tools.adapters import excel
    from workbook_tools.adapters.file import refresh_file

    path = learned_file(tmp_path / "t.xlsx")
    payload = vba_payload(path)
    book = remote_engine.Book(json=json.loads(json.dumps(payload)))
    assert excel.refresh(book, TODAY) == []
    written, _ = apply_actions(payload, json.loads(json.dumps(book.json()["actions"])))
    live = interview_cells(path)
    for ref, value in written.get(C.INTERVIEWS, {}).items():
        if value is None:
            live.pop(ref, None)
        else:
            live[ref] = value
    copy = tmp_path / "cli.xlsx"
    shutil.copyfile(path, copy)
    refresh_file(copy, TODAY)
    cli = interview_cells(copy)
    assert live == cli
    assert any(isinstance(v, str) and v.startswith("16:35") for v in cli.values())
    assert any(isinstance(v, str) and "(4 of 5 calls)" in v for v in cli.values())


# -- the report ------------------------------------------------------------------------------

REPORT_DAY = date(2013, 10, 10)


def report_set(folder: Path) -> list[Path]:
    """Two trackers with very different amounts of calls: the rates are pooled over
    calls, not averaged over trackers. Users and contacts in New York."""
    folder.mkdir()
    big = small_tracker(folder / "big.xlsx", interviews=[{"Company": "Old Co", "Event Date": date(2013, 7, 30)}],
                        calls=log("Old Co", {"morning": (10, 1), "late-afternoon": (8, 6)}),
                        settings={"Time Zone": "America/New_York"})
    small = small_tracker(folder / "small.xlsx", interviews=[{"Company": "Acme", "Event Date": FRI}], calls=[
        {"Company": "Acme", "Date": date(2013, 10, 1), "Time": time(8, 10), "Outcome": C.SPOKE},
        {"Company": "Acme", "Date": date(2013, 10, 2), "Time": "4:40 pm", "Outcome": C.NO_ANSWER},
        {"Company": "Acme", "Date": date(2013, 10, 3), "Outcome": C.LEFT_VOICEMAIL},  # no Time
    ], settings={"Time Zone": "America/New_York"})
    return [big, small]


POOLED_WINDOWS = [  # big: morning 1/10, late 6/8; small: morning 1/1, late 0/1
    ["morning 8:00\u20138:30", 11, 2, round(2 / 11, 3)],
    ["lunch 12:00\u201313:00", 0, 0, None],
    ["late-afternoon 16:30\u201318:00", 9, 6, round(6 / 9, 3)],
    ["other", 0, 0, None],
]


def plain(rows: list[list[object]]) -> list[list[object]]:
    return [[None if isinstance(v, float) and v != v else v for v in row] for row in rows]


def test_the_report_pools_the_calls_of_every_tracker(tmp_path):
    rep = make_report(report_set(tmp_path / "set"), REPORT_DAY)
    assert plain(rep.windows.values.tolist()) == POOLED_WINDOWS
    trackers = rep.trackers.set_index("Tracker")
    assert int(trackers["Calls"].sum()) == int(rep.attempts["Calls"].sum()) == 21
    assert int(trackers["Reached"].sum()) == int(rep.attempts["Reached"].sum()) == 8
    assert int(rep.windows["Calls"].sum()) == int(rep.weekdays["Calls"].sum()) == 20  # one call has no Time


def test_a_tracker_that_cannot_be_read_adds_nothing_to_the_rates(tmp_path):
    paths = report_set(tmp_path / "set")
    broken = tmp_path / "set" / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    rep = make_report([*paths, broken], REPORT_DAY)
    assert len(rep.failed) == 1
    assert plain(rep.windows.values.tolist()) == POOLED_WINDOWS


def test_a_report_of_trackers_none_of_which_can_be_read_still_writes_and_prints(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"junk")
    rep = make_report([broken], REPORT_DAY)
    assert rep.windows["Calls"].tolist() == [0, 0, 0, 0] and rep.attempts.empty
    write_report(rep, tmp_path / "report.xlsx")
    assert openpyxl.load_workbook(tmp_path / "report.xlsx").sheetnames[2:4] == ["Windows", "Weekdays"]
    assert charts_of(tmp_path / "report.xlsx") == {}
    assert "by call window" not in render_report(rep)


def test_the_same_tracker_named_twice_is_counted_once(tmp_path):
    from click.testing import CliRunner

    from workbook_tools.cli import main

    paths = report_set(tmp_path / "set")
    out = tmp_path / "report.xlsx"
    result = CliRunner().invoke(main, ["report", str(tmp_path / "set"), str(paths[0]), "--today", "2013-10-10",
                                       "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert plain([[c.value for c in r] for r in book["Windows"].iter_rows(min_row=2)]) == POOLED_WINDOWS


NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"}


def charts_of(path: Path) -> dict[str, ElementTree.Element]:
    """The report's charts by title."""
    with zipfile.ZipFile(path) as zf:
        parts = [zf.read(n) for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    found = {}
    for xml in parts:
        root = ElementTree.fromstring(xml)
        title = "".join(t.text or "" for t in root.find("c:chart/c:title", NS).iterfind(".//a:t", NS))
        found[title] = root
    return found


def refs(chart: ElementTree.Element) -> list[tuple[str, str]]:
    return [(s.find("c:cat//c:f", NS).text, s.find("c:val//c:f", NS).text) for s in chart.iterfind(".//c:ser", NS)]


def cached(chart: ElementTree.Element, part: str) -> list[str]:
    return [p.find("c:v", NS).text for p in chart.find(f".//c:ser/c:{part}", NS).iterfind(".//c:pt", NS)]


def test_the_report_charts_point_at_their_tables_in_order(tmp_path):
    out = tmp_path / "report.xlsx"
    write_report(make_report(report_set(tmp_path / "set"), REPORT_DAY), out)
    book = openpyxl.load_workbook(out)
    assert [c.value for c in book["Windows"]["A"]][1:] == [r[0] for r in POOLED_WINDOWS]
    assert [c.value for c in book["Weekdays"]["A"]][1:] == list(WEEKDAYS)
    charts = charts_of(out)
    assert set(charts) == {"How often you reach them, by attempt", "How often you reach them, by call window "
                           "(their time)", "How often you reach them, by weekday", "Leads by type and how far they got"}
    by_window = charts["How often you reach them, by call window (their time)"]
    assert refs(by_window) == [("Windows!$A$2:$A$5", "Windows!$D$2:$D$5")]
    assert cached(by_window, "cat") == [r[0] for r in POOLED_WINDOWS]
    assert cached(by_window, "val") == [str(round(2 / 11, 3)), str(round(6 / 9, 3))]  # blanks left out
    by_day = charts["How often you reach them, by weekday"]
    assert refs(by_day) == [("Weekdays!$A$2:$A$8", "Weekdays!$D$2:$D$8")] and cached(by_day, "cat") == list(WEEKDAYS)
    attempts = len(book["Attempts"]["A"]) - 1
    assert refs(charts["How often you reach them, by attempt"]) == [
        (f"Attempts!$A$2:$A${attempts + 1}", f"Attempts!$D$2:$D${attempts + 1}")]
    for title in ("by attempt", "by call window (their time)", "by weekday"):
        axis = charts[f"How often you reach them, {title}"].find(".//c:valAx/c:scaling", NS)
        assert (axis.find("c:min", NS).get("val"), axis.find("c:max", NS).get("val")) == ("0", "1")


def test_the_charts_do_not_overlap_on_their_sheet(tmp_path):
    out = tmp_path / "report.xlsx"
    write_report(make_report(report_set(tmp_path / "set"), REPORT_DAY), out)
    with zipfile.ZipFile(out) as zf:
        drawing = ElementTree.fromstring(zf.read(next(n for n in zf.namelist() if n.startswith("xl/drawings/d"))))
    boxes = []
    for anchor in drawing.iterfind("xdr:twoCellAnchor", NS):
        (c0, r0), (c1, r1) = ((int(anchor.find(f"xdr:{e}/xdr:col", NS).text), int(anchor.find(f"xdr:{e}/xdr:row",
                                                                                                NS).text))
                              for e in ("from", "to"))
        boxes.append((c0, r0, c1, r1))
    assert len(boxes) == 4
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_report_with_its_four_charts(tmp_path):
    out = tmp_path / "report.xlsx"
    write_report(make_report(report_set(tmp_path / "set"), REPORT_DAY), out)
    run = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                          "--convert-to", "ods", "--outdir", str(tmp_path / "lo"), str(out)],
                         capture_output=True, timeout=300, env={**os.environ, "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(tmp_path / "lo" / "report.ods") as zf:
        content = zf.read("content.xml").decode()
    ranges = set(re.findall(r'<draw:object draw:notify-on-update-of-ranges="([^"]*)"', content))
    assert len(ranges) == 4
    assert {"Attempts.A2:Attempts.A19 Attempts.D2:Attempts.D19", "Windows.A2:Windows.A5 Windows.D2:Windows.D5",
            "Weekdays.A2:Weekdays.A8 Weekdays.D2:Weekdays.D8"} < ranges


def test_the_terminal_report_shows_the_pooled_tables(tmp_path):
    text = render_report(make_report(report_set(tmp_path / "set"), REPORT_DAY), width=120)
    assert table_rows(text, "Reached, by call window (their time)") == [
        ["morning 8:00\u20138:30", "11", "2", "18%"], ["lunch 12:00\u201313:00", "0", "0", "\u2013"],
        ["late-afternoon 16:30\u201318:00", "9", "6", "67%"], ["other", "0", "0", "\u2013"]]
    assert [r[0] for r in table_rows(text, "Reached, by weekday (their day)")] == list(WEEKDAYS)


def test_the_terminal_report_keeps_each_row_whole_in_a_narrow_terminal(tmp_path):
    text = render_report(make_report(report_set(tmp_path / "set"), REPORT_DAY), width=60)
    rows = table_rows(text, "Reached, by call window")
    assert [r[1:] for r in rows if r[1]] == [["11", "2", "18%"], ["0", "0", "\u2013"], ["9", "6", "67%"],
                                            ["0", "0", "\u2013"]]


def test_what_one_tracker_learned_does_not_leak_into_the_next():
    fresh = cells(compute(tracker(without_times(BEST_LATE)), TODAY))
    learned = compute(tracker(BEST_LATE), TODAY)
    assert learned.rows[0].call_window == LATE_TEXT
    assert cells(compute(tracker(without_times(BEST_LATE)), TODAY)) == fresh


def test_the_report_pools_the_same_in_worker_processes(tmp_path):
    big = report_set(tmp_path / "set")[0]
    copies = []
    for i in range(8):  # enough for a process pool (`app.batch.PARALLEL_FROM`)
        copies.append(tmp_path / "set" / f"copy{i}.xlsx")
        shutil.copyfile(big, copies[-1])
    alone = make_report([big], REPORT_DAY, workers=1)
    pooled = make_report(copies, REPORT_DAY, workers=2)
    assert pooled.windows["Calls"].tolist() == [8 * n for n in alone.windows["Calls"].tolist()]
    assert plain(pooled.windows[["Rate"]].values.tolist()) == plain(alone.windows[["Rate"]].values.tolist())
    assert pooled.weekdays["Reached"].tolist() == [8 * n for n in alone.weekdays["Reached"].tolist()]
