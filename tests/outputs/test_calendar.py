"""The calendar export, read back with icalendar."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone

import icalendar
from click.testing import CliRunner

from tests.support.trackers import FRI, SAMPLE, sample_copies, small_tracker
from workbook_tools import contract as C
from workbook_tools.app.calendar import export_calendar
from workbook_tools.cli import main

CONTACTS = [{"Name": "Jane Roe", "Phone": "555-0100", "Time Zone": "America/Chicago"}]


def export(*args: str):
    result = CliRunner().invoke(main, ["calendar", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def events(path) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def seed_tracker(path, calls=(), **extra):
    interview = {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI,
                 "Thank-You Sent": FRI, **extra}
    return small_tracker(path, interviews=[interview], calls=list(calls), contacts=CONTACTS,
                         settings={"Country": "US", "Time Zone": "America/New_York"})


def test_seed_000_calls_are_timed_in_the_contacts_zone(tmp_path):
    made: list[date] = []
    for want in (date(2013, 10, 2), date(2013, 10, 7), date(2013, 10, 15)):
        tracker = seed_tracker(tmp_path / f"t{len(made)}.xlsx",
                               [{"Date": d, "Company": "Acme", "Outcome": C.LEFT_VOICEMAIL} for d in made])
        ics = tmp_path / f"plan{len(made)}.ics"
        assert export(str(tracker), "-o", str(ics), "--today", "2013-09-30")[0] == 0
        (ev,) = events(ics)
        start = ev.decoded("dtstart")
        assert start.date() == want and str(start.tzinfo) == "America/Chicago"
        assert ev["dtstart"].params["TZID"] == "America/Chicago"
        assert ev.decoded("duration") == timedelta(minutes=15)
        assert str(ev["summary"]) == "Call Jane Roe (Acme, Analyst)"
        assert "555-0100" in str(ev["description"]) and "Why:" in str(ev["description"])
        (alarm,) = list(ev.walk("VALARM"))
        assert alarm.decoded("trigger") == timedelta(minutes=-15)
        made.append(want)
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["America/Chicago"]
    # The windows rotate with the attempts: 8:05, 12:10, 16:35 their time.
    assert start.time().isoformat() == "16:35:00"


def test_closed_and_waiting_rows_get_no_call(tmp_path):
    tracker = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Event Date": FRI, "Status": "Withdrawn"},
        {"Company": "Globex", "Event Date": FRI, "Call When": "don't call, we'll call you",
         "Thank-You Sent": FRI},
        {"Company": "Initech", "Event Date": FRI, "Thank-You Sent": FRI},
    ], settings={"Time Zone": ""})
    ics = tmp_path / "plan.ics"
    code, out, _ = export(str(tracker), "-o", str(ics), "--today", "2013-09-30")
    assert code == 0 and out == f"{ics}: 1 call and 0 emails\n"
    (ev,) = events(ics)
    assert str(ev["summary"]) == "Call Initech"
    assert ev.decoded("dtstart") == date(2013, 10, 2)  # no time zone anywhere: all-day


def test_without_the_contacts_zone_the_users_zone_times_the_call(tmp_path):
    tracker = small_tracker(tmp_path / "t.xlsx", interviews=[{"Company": "Acme", "Event Date": FRI,
                                                               "Thank-You Sent": FRI}],
                            settings={"Time Zone": "Europe/Berlin"})
    ics = tmp_path / "plan.ics"
    export(str(tracker), "-o", str(ics), "--today", "2013-09-30")
    (ev,) = events(ics)
    assert ev["dtstart"].params["TZID"] == "Europe/Berlin" and ev.decoded("dtstart").hour == 8


def test_emails_due_are_all_day_events_with_the_script(tmp_path):
    tracker = seed_tracker(tmp_path / "t.xlsx", **{"Thank-You Sent": None})
    ics = tmp_path / "plan.ics"
    export(str(tracker), "-o", str(ics), "--today", "2013-09-30")
    email = next(e for e in events(ics) if str(e["summary"]).startswith("Email"))
    assert email.decoded("dtstart") == date(2013, 9, 30)
    assert "Subject: Thank you" in str(email["description"])


def test_uids_are_stable_and_exports_differ_only_in_dtstamp(tmp_path):
    tracker = tmp_path / "tracker.xlsx"
    shutil.copyfile(SAMPLE, tracker)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    export(str(tracker), "-o", str(first), "--today", "2026-11-23")
    export(str(tracker), "-o", str(second), "--today", "2026-11-23")
    strip = lambda p: [ln for ln in p.read_text().splitlines() if not ln.startswith("DTSTAMP")]  # noqa: E731
    assert strip(first) == strip(second)
    uids = [str(e["uid"]) for e in events(first)]
    assert len(uids) == len(set(uids)) == 13  # 10 calls (one a closed row's thank-you for an offer), 3 emails
    # A day later the plan moves, but the same rows keep their UIDs.
    later = tmp_path / "c.ics"
    export(str(tracker), "-o", str(later), "--today", "2026-11-24")
    assert {str(e["uid"]) for e in events(later) if str(e["summary"]).startswith("Call")} <= set(uids)


def test_days_limits_the_calls(tmp_path):
    tracker = tmp_path / "tracker.xlsx"
    shutil.copyfile(SAMPLE, tracker)
    ics = tmp_path / "plan.ics"
    export(str(tracker), "-o", str(ics), "--today", "2026-11-23", "--days", "0")
    days = {e.decoded("dtstart") for e in events(ics) if str(e["summary"]).startswith("Call")}
    assert days and all((d.date() if isinstance(d, datetime) else d) <= date(2026, 11, 23) for d in days)


def test_a_bad_file_among_good_ones(tmp_path):
    good = tmp_path / "good.xlsx"
    shutil.copyfile(SAMPLE, good)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("nope")
    ics = tmp_path / "plan.ics"
    code, out, err = export(str(good), str(bad), "-o", str(ics), "--today", "2026-11-23")
    assert code == 1 and f"{bad}: is not an Excel workbook" in err and len(events(ics)) == 13


def test_an_overdue_call_is_planned_for_today(tmp_path):
    tracker = seed_tracker(tmp_path / "t.xlsx")
    ics = tmp_path / "plan.ics"
    export(str(tracker), "-o", str(ics), "--today", "2013-10-04")
    (ev,) = events(ics)
    assert ev.decoded("dtstart").date() == date(2013, 10, 4) and ev.decoded("dtstart").hour == 8
    assert "Overdue: planned for" in str(ev["description"]) and "Wed 2 Oct" in str(ev["description"])


def test_an_unknown_contact_zone_falls_back_to_the_users(tmp_path):
    tracker = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Contact": "Jane Roe", "Event Date": FRI, "Thank-You Sent": FRI}],
        contacts=[{"Name": "Jane Roe", "Time Zone": "Mars/Olympus"}], settings={"Time Zone": "Europe/Berlin"})
    ics = tmp_path / "plan.ics"
    code, _, err = export(str(tracker), "-o", str(ics), "--today", "2013-09-30")
    assert code == 1 and "unknown time zone 'Mars/Olympus'" in err  # named, and the call still planned
    (ev,) = events(ics)
    assert ev["dtstart"].params["TZID"] == "Europe/Berlin"


def test_rows_and_trackers_alike_get_distinct_uids(tmp_path):
    twins = [{"Company": "Acme", "Event Date": FRI, "Thank-You Sent": FRI}] * 2
    for client in ("alice", "bob"):
        (tmp_path / client).mkdir()
        small_tracker(tmp_path / client / "tracker.xlsx", interviews=twins)
    ics = tmp_path / "plan.ics"
    code, out, _ = export(str(tmp_path), "-o", str(ics), "--today", "2013-09-30")
    assert code == 0 and out == f"{ics}: 4 calls and 0 emails from 2 trackers\n"
    uids = [str(e["uid"]) for e in events(ics)]
    assert len(set(uids)) == 4
    again = tmp_path / "again.ics"
    export(str(tmp_path / "bob"), str(tmp_path / "alice"), "-o", str(again), "--today", "2013-09-30")
    assert [str(e["uid"]) for e in events(again)] == uids  # the order of the paths does not matter


def test_many_trackers_in_parallel_give_the_same_file(tmp_path):
    paths = sample_copies(tmp_path, 9)
    stamp = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
    one = export_calendar(paths, tmp_path / "one.ics", date(2026, 11, 23), workers=1, stamp=stamp)
    two = export_calendar(list(reversed(paths)), tmp_path / "two.ics", date(2026, 11, 23), workers=2, stamp=stamp)
    assert one.calls == two.calls == 9 * 11 and not two.failed
    assert (tmp_path / "one.ics").read_bytes() == (tmp_path / "two.ics").read_bytes()


def test_a_folder_without_trackers_is_named(tmp_path):
    (tmp_path / "empty").mkdir()
    ics = tmp_path / "plan.ics"
    code, out, err = export(str(tmp_path / "empty"), "-o", str(ics))
    assert code == 1 and "empty: no trackers (.xlsx, .xlsm) in this folder" in err and events(ics) == []


def test_the_output_must_be_ics(tmp_path):
    result = CliRunner().invoke(main, ["calendar", str(SAMPLE), "-o", str(tmp_path / "plan.txt")])
    assert result.exit_code == 2 and "name it .ics" in result.stderr


def test_exports_in_separate_runs_are_identical_apart_from_dtstamp(tmp_path):
    """Zones in a fixed order: a set's order changes with the process's hash seed."""
    import os
    import subprocess
    import sys

    code = ("import sys; from datetime import date; from workbook_tools.app.calendar import export_calendar; "
            "export_calendar([sys.argv[1]], sys.argv[2], date(2026, 11, 23))")
    outputs = []
    for seed in ("1", "3"):
        ics = tmp_path / f"plan{seed}.ics"
        subprocess.run([sys.executable, "-c", code, str(SAMPLE), str(ics)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.append([ln for ln in ics.read_text().splitlines() if not ln.startswith("DTSTAMP")])
    assert outputs[0] == outputs[1]
    zones = [str(tz["tzid"]) for tz in icalendar.Calendar.from_ical((tmp_path / "plan1.ics").read_bytes())
             .walk("VTIMEZONE")]
    assert zones == sorted(zones) and len(zones) == 4  # the sample calls Chicago, Los Angeles, New York and Stockholm


def test_only_an_earlier_calendar_is_replaced(tmp_path):
    ics = tmp_path / "plan.ics"
    ics.write_bytes(b"my notes, not a calendar\n")
    code, out, err = export(str(SAMPLE), "-o", str(ics), "--today", "2026-11-23")
    assert code == 1 and out == ""
    assert err == (f"{ics}: exists and is not a calendar file (it does not start with BEGIN:VCALENDAR); "
                   "not overwritten. Fix: name another file with -o, or move that file away first\n")
    assert ics.read_bytes() == b"my notes, not a calendar\n"
    ics.write_bytes(b"\xef\xbb\xbf\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")  # an earlier export, as saved elsewhere
    assert export(str(SAMPLE), "-o", str(ics), "--today", "2026-11-23")[0] == 0
    assert len(events(ics)) == 13
