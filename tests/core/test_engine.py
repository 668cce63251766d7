"""The engine over small trackers built as plain rows: each rule and each outcome."""

from __future__ import annotations

from datetime import date

import pytest

from workbook_tools import contract as C
from workbook_tools.core.engine import compute
from workbook_tools.core.grid import tracker_data

FRI = date(2013, 9, 27)  # seed 000's interview


def run(calls=(), today=date(2013, 9, 30), settings=None, contacts=None, **row):
    interview = {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI}
    interview.update(row)
    data = tracker_data(
        [interview],
        [{"Company": "Acme", **c} for c in calls],
        contacts if contacts is not None else [
            {"Name": "Jane Roe", "Phone": "555-0100", "Time Zone": "America/Chicago"}],
        {"Your Name": "Sam Lee", "Your Phone": "555-0199", "Your Email": "sam@example.com",
         "Time Zone": "America/New_York", **(settings or {})},
    )
    result = compute(data, today)
    return result.rows[0], result.problems


def unanswered(*days):
    return [{"Date": d, "Outcome": C.LEFT_VOICEMAIL} for d in days]


@pytest.mark.parametrize("country, third", [(None, date(2013, 10, 14)), ("US", date(2013, 10, 15))])
def test_seed_000_worked_example(country, third):
    """Interview Fri 27 Sep 2013 -> Wed 2 Oct -> Mon 7 Oct -> Mon 14 Oct, then Waiting;
    with US holidays the third call moves to Tue 15 Oct (Columbus Day)."""
    settings = {"Country": country}
    expected = [date(2013, 10, 2), date(2013, 10, 7), third]
    made = []
    for want in expected:
        res, problems = run(unanswered(*made), settings=settings)
        assert res.next_call == want and not problems
        made.append(res.next_call)
    res, _ = run(unanswered(*made), settings=settings, today=date(2013, 10, 16))
    assert res.next_call is None and res.flag == C.WAITING and res.calls_made == 3
    assert res.last_call == third and res.last_outcome == C.LEFT_VOICEMAIL


def test_why_names_the_holiday():
    res, _ = run(unanswered(date(2013, 10, 2), date(2013, 10, 7)), settings={"Country": "US"})
    assert res.why == "1 week after call 2 on Mon 7 Oct 2013; Mon 14 Oct 2013 is Columbus Day"


def test_final_voicemail_says_you_will_wait():
    first, _ = run()
    last, _ = run(unanswered(date(2013, 10, 2), date(2013, 10, 7)))
    assert "wait to hear from you" in last.call_script and "wait to hear from you" not in first.call_script
    assert "555-0199" in first.call_script and "Sam Lee" in first.call_script and "Analyst" in first.call_script


def test_a_late_call_counts_from_the_day_it_was_made():
    res, _ = run(unanswered(date(2013, 10, 9)))  # call 1 was due on Wed 2 Oct, made a week late
    assert res.next_call == date(2013, 10, 14)
    assert res.why == "3 business days after call 1 on Wed 9 Oct 2013"


@pytest.mark.parametrize("today, flag", [
    (date(2013, 10, 1), C.UPCOMING), (date(2013, 10, 2), C.DUE_TODAY), (date(2013, 10, 3), C.OVERDUE),
])
def test_flags(today, flag):
    assert run(today=today)[0].flag == flag


@pytest.mark.parametrize("outcome, new_date, next_call, flag", [
    (C.LEFT_VOICEMAIL, None, date(2013, 10, 7), C.UPCOMING),
    (C.NO_ANSWER, None, date(2013, 10, 7), C.UPCOMING),
    (C.SPOKE, None, date(2013, 10, 9), C.UPCOMING),  # one week after speaking
    (C.NEW_DATE, date(2013, 10, 18), date(2013, 10, 22), C.UPCOMING),  # Fri + 2 business days
    (C.NEXT_INTERVIEW, date(2013, 10, 10), date(2013, 10, 15), C.UPCOMING),  # cadence restarts
    (C.OUTCOME_NOT_SELECTED, None, None, C.FLAG_CLOSED),
    (C.OUTCOME_OFFER, None, None, C.FLAG_CLOSED),
    (C.ASKED_NOT_TO_CALL, None, None, C.WAITING),
])
def test_each_outcome(outcome, new_date, next_call, flag):
    res, problems = run([{"Date": date(2013, 10, 2), "Outcome": outcome, "New Date": new_date}])
    assert (res.next_call, res.flag) == (next_call, flag)
    assert res.last_outcome == outcome and not problems


def test_spoke_then_unanswered_continues_the_cadence():
    calls = [{"Date": date(2013, 10, 2), "Outcome": C.SPOKE}, {"Date": date(2013, 10, 9), "Outcome": C.NO_ANSWER}]
    res, _ = run(calls)
    assert res.next_call == date(2013, 10, 14)  # step 2 of Three calls: 3 business days after call 2


def test_new_date_without_a_date_is_a_problem_and_counts_as_spoken():
    res, problems = run([{"Date": date(2013, 10, 2), "Outcome": C.NEW_DATE}])
    assert res.next_call == date(2013, 10, 9)
    assert [(p.sheet, p.cell) for p in problems] == [(C.CALLS, "F2")]


def test_next_interview_asks_for_a_new_thank_you():
    calls = [{"Date": date(2013, 10, 2), "Outcome": C.NEXT_INTERVIEW, "New Date": date(2013, 10, 10)}]
    res, _ = run(calls, today=date(2013, 10, 11), **{"Thank-You Sent": date(2013, 9, 27)})
    assert res.email_script and "Thursday 10 October" in res.email_script
    assert res.why == "3 business days after the next interview on Thu 10 Oct 2013"


def test_not_selected_note_and_feedback_call():
    res, _ = run([{"Date": date(2013, 10, 2), "Outcome": C.OUTCOME_NOT_SELECTED}])
    assert "done better" in res.call_script and "Thank you for letting me know" in res.email_script
    assert res.next_action.startswith("Not selected: send a gracious note")
    done, _ = run([{"Date": date(2013, 10, 2), "Outcome": C.OUTCOME_NOT_SELECTED},
                   {"Date": date(2013, 10, 4), "Outcome": C.SPOKE}], **{"Thank-You Sent": date(2013, 10, 3)})
    assert (done.call_script, done.email_script, done.next_action) == (None, None, "Not selected.")


def test_status_set_by_the_user_wins():
    res, _ = run(Status="Withdrawn")
    assert (res.flag, res.next_action, res.call_script) == (C.FLAG_CLOSED, "Closed: withdrawn.", None)
    assert run(Status="active")[0].flag == C.UPCOMING


def test_decision_date_grace():
    res, _ = run(**{"Decision By": date(2013, 10, 10)})  # Thu; + 2 business days = Mon 14
    assert res.next_call == date(2013, 10, 14)
    assert "2 business days after the decision date Thu 10 Oct 2013" in res.why
    res, _ = run(settings={"Days After Decision": 4}, **{"Decision By": date(2013, 10, 10)})
    assert res.next_call == date(2013, 10, 16)


@pytest.mark.parametrize("said, next_call", [
    ("after Tuesday", date(2013, 10, 2)),  # cadence already lands on Wed
    ("after Wednesday", date(2013, 10, 3)),
    ("next week", date(2013, 10, 2)),
    ("end of the month", date(2013, 9, 30)),  # they said when: the cadence's Wed 2 Oct is brought forward
    ("Oct 12", date(2013, 10, 14)),  # a Saturday: the next working day
    ("in 3 weeks", date(2013, 10, 18)),
])
def test_call_when_is_a_lower_bound(said, next_call):
    res, problems = run(**{"Call When": said})
    assert res.next_call == next_call and not problems


def test_call_when_dont_call_means_waiting():
    res, _ = run(**{"Call When": "don't call, we'll call you"})
    assert res.flag == C.WAITING and res.next_call is None


def test_thank_you_due_until_sent():
    assert "thank-you email" in run()[0].next_action
    res, _ = run(**{"Thank-You Sent": FRI})
    assert res.email_script is None and "thank-you" not in res.next_action
    future, _ = run(today=date(2013, 9, 26))
    assert future.email_script is None  # not before the interview has happened


def test_weekly_rotates_weekday_and_window_and_notes_three_weeks_of_silence():
    days, windows = [], []
    calls = []
    for _ in range(4):
        res, _ = run(calls, Cadence="Weekly", today=date(2013, 10, 1))
        days.append(res.next_call)
        windows.append(res.call_window.split(" ")[0])
        calls += unanswered(res.next_call)
    assert days == [date(2013, 10, 4), date(2013, 10, 14), date(2013, 10, 22), date(2013, 10, 30)]
    assert len({d.weekday() for d in days[1:]}) == 3 and len(set(windows[:3])) == 3
    res, _ = run(calls[:3], Cadence="Weekly", today=date(2013, 10, 25))
    assert "probably not good" in res.next_action and res.flag == C.UPCOMING


@pytest.mark.parametrize("type_, cadence, next_call, script_has", [
    ("Application", None, date(2013, 10, 2), "SQL"),
    ("Networking", None, date(2013, 10, 4), "the chamber mixer"),
    ("Interview", "One call", date(2013, 10, 4), "the next steps"),  # a single call: the first voicemail
    ("Phone screen", None, date(2013, 10, 2), "If they answer"),
])
def test_types_and_cadences(type_, cadence, next_call, script_has):
    contacts = [{"Name": "Jane Roe", "Where We Met": "the chamber mixer"}]
    res, problems = run(Type=type_, Cadence=cadence, contacts=contacts, **{"Talking Point": "SQL"})
    assert res.next_call == next_call and script_has in res.call_script and not problems


def test_user_cadence_from_the_sheet():
    data = tracker_data(
        [{"Company": "Acme", "Event Date": FRI, "Cadence": "Gentle"}],
        [{"Company": "Acme", "Date": date(2013, 10, 7), "Outcome": "No answer"}],
        cadences=[{"Cadence": "Gentle", "Step": 2, "Wait": "10 days", "From": "event"},
                  {"Cadence": "Gentle", "Step": 1, "Wait": "1 week", "From": "event"}],
    )
    result = compute(data, date(2013, 10, 1))
    # step 2 is 10 days from the event (Fri 27 Sep): Mon 7 Oct
    assert result.rows[0].next_call == date(2013, 10, 7) and not result.problems


@pytest.mark.parametrize("cadences, cell, message", [
    ([{"Cadence": "X", "Step": 1, "Wait": "soonish", "From": "event"}], "C2", "cannot read the wait 'soonish'"),
    ([{"Cadence": "X", "Step": "first", "Wait": "1 week", "From": "event"}], "B2", "Step 'first' is not a step number"),
    ([{"Cadence": "X", "Step": 1, "Wait": "1 week", "From": "lunch"}], "D2", "From 'lunch' is not understood"),
])
def test_bad_cadence_rows_are_problems_with_cells(cadences, cell, message):
    result = compute(tracker_data([{"Company": "Acme", "Event Date": FRI}], cadences=cadences), FRI)
    assert [(p.sheet, p.cell, p.message) for p in result.problems] == [(C.CADENCES, cell, message)]
    assert result.rows[0].next_call == date(2013, 10, 2)


def test_unknown_placeholder_names_the_script_and_the_rest_renders():
    data = tracker_data([{"Company": "Acme", "Event Date": FRI, "Contact": "Jo"}], contacts=[{"Name": "Jo"}],
                        scripts=[{"Script": "Voicemail: first", "Text": "Hi {First Name}. {Shoe Size} fits."}])
    result = compute(data, FRI)
    assert [(p.sheet, p.cell) for p in result.problems] == [(C.SCRIPTS, "B2")]
    script = result.rows[0].call_script
    assert script.endswith("If you reach voicemail:\nHi Jo.") and "{" not in script  # the sentence goes


@pytest.mark.parametrize("settings, cell, needle", [
    ({"Country": "XX"}, "B2", "Valid codes: AD, AE"),
    ({"Country": "US", "Subdivision": "ZZ"}, "B3", "MA"),
    ({"Time Zone": "Mars/Olympus"}, "B2", "IANA"),
    ({"Days After Decision": "two"}, "B2", "number"),
])
def test_bad_settings_are_problems_not_crashes(settings, cell, needle):
    data = tracker_data([{"Company": "Acme", "Event Date": FRI}], settings=settings)
    result = compute(data, FRI)
    assert [(p.sheet, p.cell) for p in result.problems] == [(C.SETTINGS, cell)]
    assert needle in result.problems[0].fix
    assert result.rows[0].next_call is not None


def test_call_problems_are_collected_for_every_row():
    data = tracker_data(
        [{"Company": "Acme", "Position": "A", "Event Date": FRI},
         {"Company": "Acme", "Position": "B", "Event Date": FRI},
         {"Company": "Zeta", "Event Date": "someday"}],
        [{"Company": "Nope", "Date": FRI, "Outcome": "No answer"},
         {"Company": "Acme", "Date": FRI, "Outcome": "No answer"},
         {"Company": "Acme", "Date": "Fri 27 Sep 2013", "Position": "C", "Outcome": "No answer"},
         {"Company": "Acme", "Date": FRI, "Position": "a", "Outcome": "Waved"}],
    )
    result = compute(data, FRI)
    where = [(p.sheet, p.cell) for p in result.problems]
    assert where == [(C.INTERVIEWS, "E4"), (C.CALLS, "C2"), (C.CALLS, "D3"), (C.CALLS, "D4"), (C.CALLS, "E5")]
    assert [r.next_call for r in result.rows[:2]] == [date(2013, 10, 2)] * 2
    assert result.rows[2].next_call is None and "Cannot plan this row: fix Interviews!E4" in result.rows[2].next_action


def test_golden_sample_rows():
    """The engine over the sample's rows equals the committed golden JSON."""
    import json

    from tests.golden.regenerate import GOLDEN, engine_golden

    assert engine_golden() == json.loads(GOLDEN.read_text(encoding="utf-8")), "run: python tests/golden/regenerate.py"


def test_follow_ups_after_closing_expire():
    res, _ = run([{"Date": date(2013, 10, 2), "Outcome": C.OUTCOME_NOT_SELECTED}], today=date(2013, 11, 15))
    assert (res.call_script, res.email_script, res.next_action) == (None, None, "Not selected.")


def test_planning_a_row_at_a_time_gives_the_same_cells_as_compute():
    from tests.support.trackers import SAMPLE
    from workbook_tools.adapters.file import read_tracker
    from workbook_tools.core.engine import plan_tracker
    from workbook_tools.template.sample import SAMPLE_TODAY

    whole = compute(read_tracker(SAMPLE), SAMPLE_TODAY)
    data = read_tracker(SAMPLE)
    calls = len(data.calls.rows)
    plan = plan_tracker(data, SAMPLE_TODAY, consume_calls=True)
    assert data.calls.rows == [] and calls > 0  # handed over to the engine
    assert sum(len(lead.calls) for lead in plan.leads) == sum(len(lead.calls) for lead in whole.leads) > 0
    assert plan.problems == whole.problems
    assert list(plan.rows) == whole.rows


def test_rows_that_cannot_be_planned_keep_their_place():
    data = tracker_data([{"Company": "Acme", "Event Date": FRI}, {"Notes": "just a note"},
                         {"Company": "Globex", "Event Date": "someday"}, {"Company": "Initech", "Event Date": FRI}])
    rows = compute(data, date(2013, 9, 30)).rows
    assert [r.row for r in rows] == [2, 3, 4, 5]
    assert rows[0].flag and rows[1].flag is None and rows[2].next_action.startswith("Cannot plan") and rows[3].flag


@pytest.mark.parametrize("today", [date(2026, 11, 23), date(2026, 12, 24), date(2027, 3, 1)])
def test_a_plan_without_marks_differs_only_in_records_and_links(sample_copy, today: date) -> None:
    """What the report plans (`compute_with_history(..., marks=False)`): every flag, date,
    script and problem of the full plan; only the records' tails and the links left out."""
    from dataclasses import fields

    from workbook_tools.adapters.file import read_tracker
    from workbook_tools.core.engine import compute_with_history

    full, history = compute_with_history(read_tracker(sample_copy, table=False), today)
    lean, lean_history = compute_with_history(read_tracker(sample_copy, table=False), today, marks=False)
    assert lean.problems == full.problems and lean_history == history
    assert [lead.row for lead in lean.leads] == [lead.row for lead in full.leads]
    left_out = {"refresh_record", "call_link", "mail_link"}
    for a, b in zip(lean.rows, full.rows, strict=True):
        for f in fields(a):
            if f.name not in left_out:
                assert getattr(a, f.name) == getattr(b, f.name), (a.row, f.name)
        if b.refresh_record is not None:
            assert b.refresh_record.startswith(a.refresh_record or "")
    assert any(r.call_link or r.mail_link for r in full.rows)  # the sample has links to leave out
