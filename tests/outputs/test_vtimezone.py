"""The VTIMEZONE blocks of the calendar, read back by three independent readers.

Each case writes an .ics with a few events at local times in one zone plus the zone's
VTIMEZONE, and checks that icalendar, vobject and ical.js (through node) each turn every
event's start into the same UTC instant as zoneinfo. Every reader is made to use the
VTIMEZONE written in the file, not a time zone database of its own: icalendar through
`Timezone.to_tz(lookup_tzid=False)`, vobject through the block it parsed (it keeps the
first VTIMEZONE of a TZID for the whole process, and takes a block whose offsets match
UTC in 2000-2020 for UTC itself), and ical.js has no database at all.

The event times are noon in winter and summer, and the last minute before and the first
minute after each changeover (the times on either side that exist once on the clocks).
Times inside a changeover (skipped or repeated on the clocks) are left out: the readers
place those differently from each other whatever the VTIMEZONE says.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.support.ical_readers import icalendar_utc, icaljs_utc, vobject_utc
from workbook_tools.outputs.vtimezone import vtimezone, zone_observances

FULL = (date(2018, 1, 1), date(2030, 12, 31))

#: (zone, first event day, last event day, event local times). The main range is 2018-2030
#: with noon in January and July and both sides of every changeover of 2018, 2021, 2025
#: and 2030; the short ranges put events on their ends and a day outside them.
CASES = [
    pytest.param("America/New_York", *FULL, "2018-01-15T12:00 2018-03-11T01:59 2018-03-11T03:00 2018-07-15T12:00 "
                 "2018-11-04T00:59 2018-11-04T02:00 2021-01-15T12:00 2021-03-14T01:59 2021-03-14T03:00 "
                 "2021-07-15T12:00 2021-11-07T00:59 2021-11-07T02:00 2025-01-15T12:00 2025-03-09T01:59 "
                 "2025-03-09T03:00 2025-07-15T12:00 2025-11-02T00:59 2025-11-02T02:00 2030-01-15T12:00 "
                 "2030-03-10T01:59 2030-03-10T03:00 2030-07-15T12:00 2030-11-03T00:59 2030-11-03T02:00",
                 id="new-york"),
    pytest.param("America/New_York", date(2024, 3, 10), date(2024, 11, 3),
                 "2024-03-09T12:00 2024-03-10T01:59 2024-03-10T03:00 2024-11-03T00:59 2024-11-03T02:00 "
                 "2024-11-04T12:00", id="new-york-one-summer"),
    pytest.param("Europe/London", *FULL, "2018-01-15T12:00 2018-03-25T00:59 2018-03-25T02:00 2018-07-15T12:00 "
                 "2018-10-28T00:59 2018-10-28T02:00 2021-01-15T12:00 2021-03-28T00:59 2021-03-28T02:00 "
                 "2021-07-15T12:00 2021-10-31T00:59 2021-10-31T02:00 2025-01-15T12:00 2025-03-30T00:59 "
                 "2025-03-30T02:00 2025-07-15T12:00 2025-10-26T00:59 2025-10-26T02:00 2030-01-15T12:00 "
                 "2030-03-31T00:59 2030-03-31T02:00 2030-07-15T12:00 2030-10-27T00:59 2030-10-27T02:00",
                 id="london"),
    pytest.param("Europe/Berlin", *FULL, "2018-01-15T12:00 2018-03-25T01:59 2018-03-25T03:00 2018-07-15T12:00 "
                 "2018-10-28T01:59 2018-10-28T03:00 2021-01-15T12:00 2021-03-28T01:59 2021-03-28T03:00 "
                 "2021-07-15T12:00 2021-10-31T01:59 2021-10-31T03:00 2025-01-15T12:00 2025-03-30T01:59 "
                 "2025-03-30T03:00 2025-07-15T12:00 2025-10-26T01:59 2025-10-26T03:00 2030-01-15T12:00 "
                 "2030-03-31T01:59 2030-03-31T03:00 2030-07-15T12:00 2030-10-27T01:59 2030-10-27T03:00",
                 id="berlin"),
    pytest.param("Australia/Sydney", *FULL, "2018-01-15T12:00 2018-04-01T01:59 2018-04-01T03:00 2018-07-15T12:00 "
                 "2018-10-07T01:59 2018-10-07T03:00 2021-01-15T12:00 2021-04-04T01:59 2021-04-04T03:00 "
                 "2021-07-15T12:00 2021-10-03T01:59 2021-10-03T03:00 2025-01-15T12:00 2025-04-06T01:59 "
                 "2025-04-06T03:00 2025-07-15T12:00 2025-10-05T01:59 2025-10-05T03:00 2030-01-15T12:00 "
                 "2030-04-07T01:59 2030-04-07T03:00 2030-07-15T12:00 2030-10-06T01:59 2030-10-06T03:00",
                 id="sydney"),
    pytest.param("Australia/Sydney", date(2025, 12, 31), date(2026, 1, 1),
                 "2025-12-30T12:00 2025-12-31T23:59 2026-01-01T00:00 2026-01-02T12:00", id="sydney-new-year"),
    pytest.param("Asia/Tokyo", *FULL, "2018-01-15T12:00 2018-07-15T12:00 2021-01-15T12:00 2021-07-15T12:00 "
                 "2025-01-15T12:00 2025-07-15T12:00 2030-01-15T12:00 2030-07-15T12:00", id="tokyo"),
    pytest.param("Asia/Tokyo", date(2018, 1, 1), date(2018, 1, 1), "2017-12-31T23:59 2018-01-01T00:00",
                 id="tokyo-one-day"),
    pytest.param("Asia/Kolkata", *FULL, "2018-01-15T12:00 2018-07-15T12:00 2021-01-15T12:00 2021-07-15T12:00 "
                 "2025-01-15T12:00 2025-07-15T12:00 2030-01-15T12:00 2030-07-15T12:00", id="kolkata"),
    pytest.param("America/Sao_Paulo", *FULL, "2018-01-15T12:00 2018-02-17T22:59 2018-02-18T00:00 "
                 "2018-07-15T12:00 2018-11-03T23:59 2018-11-04T01:00 2021-01-15T12:00 2021-07-15T12:00 "
                 "2025-01-15T12:00 2025-07-15T12:00 2030-01-15T12:00 2030-07-15T12:00", id="sao-paulo"),
    pytest.param("America/Sao_Paulo", date(2019, 2, 16), date(2019, 2, 17),
                 "2019-02-15T12:00 2019-02-16T22:59 2019-02-17T00:00 2019-02-18T12:00", id="sao-paulo-last-change"),
    pytest.param("America/Sao_Paulo", date(2021, 1, 1), date(2030, 12, 31),
                 "2021-01-01T00:00 2021-01-15T12:00 2025-07-15T12:00 2030-12-31T23:59", id="sao-paulo-after-dst"),
    pytest.param("Africa/Casablanca", *FULL, "2018-01-15T12:00 2018-03-25T01:59 2018-03-25T03:00 "
                 "2018-05-13T01:59 2018-05-13T03:00 2018-06-17T01:59 2018-06-17T03:00 2018-07-15T12:00 "
                 "2018-10-28T02:59 2018-10-28T03:00 2021-01-15T12:00 2021-04-11T01:59 2021-04-11T03:00 "
                 "2021-05-16T01:59 2021-05-16T03:00 2021-07-15T12:00 2025-01-15T12:00 2025-02-23T01:59 "
                 "2025-02-23T03:00 2025-04-06T01:59 2025-04-06T03:00 2025-07-15T12:00 2030-01-15T12:00 "
                 "2030-02-10T01:59 2030-02-10T03:00 2030-07-15T12:00 2030-12-22T01:59 2030-12-22T03:00",
                 id="casablanca"),
    pytest.param("Africa/Casablanca", date(2026, 2, 1), date(2026, 3, 31),
                 "2026-01-31T12:00 2026-02-15T01:59 2026-02-15T03:00 2026-03-01T12:00 2026-03-22T01:59 "
                 "2026-03-22T03:00 2026-04-01T12:00", id="casablanca-ramadan"),
    pytest.param("Asia/Jerusalem", *FULL, "2018-01-15T12:00 2018-03-23T01:59 2018-03-23T03:00 2018-07-15T12:00 "
                 "2018-10-28T00:59 2018-10-28T02:00 2021-01-15T12:00 2021-03-26T01:59 2021-03-26T03:00 "
                 "2021-07-15T12:00 2021-10-31T00:59 2021-10-31T02:00 2025-01-15T12:00 2025-03-28T01:59 "
                 "2025-03-28T03:00 2025-07-15T12:00 2025-10-26T00:59 2025-10-26T02:00 2030-01-15T12:00 "
                 "2030-03-29T01:59 2030-03-29T03:00 2030-07-15T12:00 2030-10-27T00:59 2030-10-27T02:00",
                 id="jerusalem"),
    pytest.param("Asia/Jerusalem", date(2027, 3, 1), date(2027, 3, 31),
                 "2027-02-28T12:00 2027-03-26T01:59 2027-03-26T03:00 2027-04-01T12:00", id="jerusalem-one-spring"),
    pytest.param("Pacific/Chatham", *FULL, "2018-01-15T12:00 2018-04-01T02:44 2018-04-01T03:45 2018-07-15T12:00 "
                 "2018-09-30T02:44 2018-09-30T03:45 2021-01-15T12:00 2021-04-04T02:44 2021-04-04T03:45 "
                 "2021-07-15T12:00 2021-09-26T02:44 2021-09-26T03:45 2025-01-15T12:00 2025-04-06T02:44 "
                 "2025-04-06T03:45 2025-07-15T12:00 2025-09-28T02:44 2025-09-28T03:45 2030-01-15T12:00 "
                 "2030-04-07T02:44 2030-04-07T03:45 2030-07-15T12:00 2030-09-29T02:44 2030-09-29T03:45",
                 id="chatham"),
    pytest.param("Pacific/Chatham", date(2019, 1, 1), date(2019, 12, 31),
                 "2019-04-07T02:44 2019-04-07T03:45 2019-09-29T02:44 2019-09-29T03:45", id="chatham-one-year"),
    pytest.param("America/St_Johns", *FULL, "2018-01-15T12:00 2018-03-11T01:59 2018-03-11T03:00 2018-07-15T12:00 "
                 "2018-11-04T00:59 2018-11-04T02:00 2021-01-15T12:00 2021-03-14T01:59 2021-03-14T03:00 "
                 "2021-07-15T12:00 2021-11-07T00:59 2021-11-07T02:00 2025-01-15T12:00 2025-03-09T01:59 "
                 "2025-03-09T03:00 2025-07-15T12:00 2025-11-02T00:59 2025-11-02T02:00 2030-01-15T12:00 "
                 "2030-03-10T01:59 2030-03-10T03:00 2030-07-15T12:00 2030-11-03T00:59 2030-11-03T02:00",
                 id="st-johns"),
    pytest.param("Europe/Dublin", *FULL, "2018-01-15T12:00 2018-03-25T00:59 2018-03-25T02:00 2018-07-15T12:00 "
                 "2018-10-28T00:59 2018-10-28T02:00 2021-01-15T12:00 2021-03-28T00:59 2021-03-28T02:00 "
                 "2021-07-15T12:00 2021-10-31T00:59 2021-10-31T02:00 2025-01-15T12:00 2025-03-30T00:59 "
                 "2025-03-30T02:00 2025-07-15T12:00 2025-10-26T00:59 2025-10-26T02:00 2030-01-15T12:00 "
                 "2030-03-31T00:59 2030-03-31T02:00 2030-07-15T12:00 2030-10-27T00:59 2030-10-27T02:00",
                 id="dublin"),
    pytest.param("Europe/Dublin", date(2030, 12, 31), date(2030, 12, 31), "2030-12-31T12:00 2031-01-01T00:00",
                 id="dublin-one-day"),
    pytest.param("Pacific/Apia", *FULL, "2018-01-15T12:00 2018-04-01T02:59 2018-04-01T04:00 2018-07-15T12:00 "
                 "2018-09-30T02:59 2018-09-30T04:00 2021-01-15T12:00 2021-04-04T02:59 2021-04-04T04:00 "
                 "2021-07-15T12:00 2025-01-15T12:00 2025-07-15T12:00 2030-01-15T12:00 2030-07-15T12:00",
                 id="apia"),
    pytest.param("Pacific/Apia", date(2021, 4, 3), date(2021, 4, 5),
                 "2021-04-02T12:00 2021-04-04T02:59 2021-04-04T04:00 2021-04-06T12:00", id="apia-last-change"),
    pytest.param("Pacific/Apia", date(2023, 1, 1), date(2025, 12, 31), "2023-01-15T12:00 2025-07-15T12:00",
                 id="apia-after-dst"),
]


def event_times(text: str) -> list[datetime]:
    return [datetime.fromisoformat(t) for t in text.split()]


def ics_with_events(zone: str, first: date, last: date, times: list[datetime]) -> bytes:
    """A calendar of one event per local time (UIDs e0, e1...) with our VTIMEZONE."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//workbook-tools//vtimezone test//EN")
    cal.add("version", "2.0")
    cal.add_component(vtimezone(zone, first, last))
    for number, local in enumerate(times):
        event = icalendar.Event()
        event.add("uid", f"e{number}")
        event.add("dtstamp", datetime(2024, 1, 1, tzinfo=timezone.utc))
        event.add("summary", f"Call at {local:%Y-%m-%d %H:%M}")
        event.add("dtstart", local.replace(tzinfo=ZoneInfo(zone)))
        cal.add_component(event)
    data: bytes = cal.to_ical()
    assert b"DTSTART;TZID=" + zone.encode() in data or not times
    return data


def zoneinfo_utc(zone: str, times: list[datetime]) -> dict[str, datetime]:
    return {f"e{n}": t.replace(tzinfo=ZoneInfo(zone)).astimezone(timezone.utc) for n, t in enumerate(times)}


@pytest.mark.parametrize(("zone", "first", "last", "times"), CASES)
def test_icalendar_reads_the_same_instants_as_zoneinfo(zone: str, first: date, last: date, times: str) -> None:
    local = event_times(times)
    assert icalendar_utc(ics_with_events(zone, first, last, local)) == zoneinfo_utc(zone, local)


@pytest.mark.parametrize(("zone", "first", "last", "times"), CASES)
def test_vobject_reads_the_same_instants_as_zoneinfo(zone: str, first: date, last: date, times: str) -> None:
    local = event_times(times)
    assert vobject_utc(ics_with_events(zone, first, last, local)) == zoneinfo_utc(zone, local)


@pytest.mark.parametrize(("zone", "first", "last", "times"), CASES)
def test_icaljs_reads_the_same_instants_as_zoneinfo(zone: str, first: date, last: date, times: str,
                                                    icaljs_folder: Path) -> None:
    local = event_times(times)
    assert icaljs_utc(ics_with_events(zone, first, last, local), icaljs_folder) == zoneinfo_utc(zone, local)


#: What the blocks look like over 2018-2030: each sub-component as (kind, DTSTART, RRULE,
#: TZOFFSETFROM, TZOFFSETTO, TZNAME); "" for no RRULE. Rules as Outlook and Google write them.
SHAPES = [
    ("America/New_York", [
        ("DAYLIGHT", "20170312T020000", "FREQ=YEARLY;BYDAY=2SU;BYMONTH=3", "-0500", "-0400", "EDT"),
        ("STANDARD", "20171105T020000", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11", "-0400", "-0500", "EST")]),
    ("Australia/Sydney", [
        ("STANDARD", "20170402T030000", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=4", "+1100", "+1000", "AEST"),
        ("DAYLIGHT", "20171001T020000", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=10", "+1000", "+1100", "AEDT")]),
    ("Europe/Dublin", [
        ("DAYLIGHT", "20170326T010000", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "+0000", "+0100", "IST"),
        ("STANDARD", "20171029T020000", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "+0100", "+0000", "GMT")]),
    ("Asia/Jerusalem", [
        ("DAYLIGHT", "20170324T020000", "FREQ=YEARLY;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29;BYMONTH=3",
         "+0200", "+0300", "IDT"),
        ("STANDARD", "20171029T020000", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "+0300", "+0200", "IST")]),
    ("Pacific/Chatham", [
        ("STANDARD", "20170402T034500", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=4", "+1345", "+1245", "+1245"),
        ("DAYLIGHT", "20170924T024500", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=9", "+1245", "+1345", "+1345")]),
    ("America/St_Johns", [
        ("DAYLIGHT", "20170312T020000", "FREQ=YEARLY;BYDAY=2SU;BYMONTH=3", "-0330", "-0230", "NDT"),
        ("STANDARD", "20171105T020000", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11", "-0230", "-0330", "NST")]),
    ("Asia/Tokyo", [("STANDARD", "19700101T000000", "", "+0900", "+0900", "JST")]),
    ("Asia/Kolkata", [("STANDARD", "19700101T000000", "", "+0530", "+0530", "IST")]),
    # Brazil moved its start of summer time in 2018 and dropped it in 2019: the end keeps
    # its rule until 2019, the two starts fit no yearly rule.
    ("America/Sao_Paulo", [
        ("STANDARD", "20170219T000000", "FREQ=YEARLY;UNTIL=20190217T020000Z;BYDAY=3SU;BYMONTH=2",
         "-0200", "-0300", "-03"),
        ("DAYLIGHT", "20171015T000000", "", "-0300", "-0200", "-02"),
        ("DAYLIGHT", "20181104T000000", "", "-0300", "-0200", "-02")]),
    # Samoa dropped summer time in 2021; east of Greenwich, UNTIL is the local time read as UTC.
    ("Pacific/Apia", [
        ("STANDARD", "20170402T040000", "FREQ=YEARLY;UNTIL=20210404T040000Z;BYDAY=1SU;BYMONTH=4",
         "+1400", "+1300", "+13"),
        ("DAYLIGHT", "20170924T030000", "FREQ=YEARLY;UNTIL=20200927T030000Z;BYDAY=-1SU;BYMONTH=9",
         "+1300", "+1400", "+14")]),
]


def sub_components(block: icalendar.Timezone) -> list[tuple[str, ...]]:
    out = []
    for part in block.subcomponents:
        lines = dict(line.split(":", 1) for line in part.to_ical().decode().splitlines())
        out.append((part.name, lines["DTSTART"], lines.get("RRULE", ""), lines["TZOFFSETFROM"],
                    lines["TZOFFSETTO"], lines["TZNAME"]))
    return out


@pytest.mark.parametrize(("zone", "expected"), SHAPES)
def test_zones_are_written_as_yearly_rules(zone: str, expected: list[tuple[str, ...]]) -> None:
    block = vtimezone(zone, *FULL)
    assert str(block["tzid"]) == zone and str(block["x-lic-location"]) == zone
    assert sub_components(block) == expected


@pytest.mark.parametrize("zone", sorted({p.values[0] for p in CASES}))
def test_no_rdate_list_and_at_most_one_rrule_per_sub_component(zone: str) -> None:
    text = vtimezone(zone, *FULL).to_ical().decode().replace("\r\n ", "")  # unfolded
    assert not [line for line in text.splitlines() if line.startswith("RDATE") and "," in line]
    parts = text.split("BEGIN:")[2:]  # after VTIMEZONE: one per STANDARD or DAYLIGHT
    assert parts and all(part.count("\nRRULE") <= 1 for part in parts)


def test_casablanca_changes_outside_any_rule_come_one_date_each() -> None:
    parts = sub_components(vtimezone("Africa/Casablanca", *FULL))
    ramadan_2025 = [p for p in parts if p[1].startswith("2025")]
    assert ramadan_2025 == [("STANDARD", "20250223T030000", "", "+0100", "+0000", "+00"),
                            ("DAYLIGHT", "20250406T020000", "", "+0000", "+0100", "+01")]


@pytest.mark.parametrize(("first", "last"), [
    (date(2030, 12, 31), date(2018, 1, 1)),  # either order
    (datetime(2018, 1, 1, 9, 30), datetime(2030, 12, 31, 18)),  # datetimes are dates too
])
def test_the_range_may_be_given_either_way(first: date, last: date) -> None:
    assert sub_components(vtimezone("America/New_York", first, last)) == SHAPES[0][1]


def test_far_years_are_kept_to_the_searched_bounds() -> None:
    block = vtimezone("America/New_York", date(1, 1, 1), date(9999, 12, 31))
    assert len(block.subcomponents) > 2  # the century of US rule changes, each one written
    assert sub_components(block)[-2:] == [
        ("DAYLIGHT", "20070311T020000", "FREQ=YEARLY;BYDAY=2SU;BYMONTH=3", "-0500", "-0400", "EDT"),
        ("STANDARD", "20071104T020000", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11", "-0400", "-0500", "EST")]


def test_the_same_zone_and_years_are_worked_out_once() -> None:
    vtimezone("Europe/Berlin", date(2019, 5, 1), date(2021, 6, 1))
    hits = zone_observances.cache_info().hits
    again = vtimezone("Europe/Berlin", date(2019, 1, 2), date(2021, 12, 30))
    assert zone_observances.cache_info().hits == hits + 1
    assert again.to_ical() == vtimezone("Europe/Berlin", date(2019, 5, 1), date(2021, 6, 1)).to_ical()


@pytest.mark.parametrize("tzid", [None, "", "   ", "America/New_York ", "Not/A_Zone", "../../etc/passwd",
                                  "/etc/passwd", "a\0b", "x" * 100_000, 5, 2.5, True, date(2024, 1, 1),
                                  b"America/New_York", ["America/New_York"]])
def test_a_name_that_is_no_zone_raises_value_error(tzid: object) -> None:
    with pytest.raises(ValueError):
        vtimezone(tzid, *FULL)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [None, "2024-01-01", 2024, True, 45000.0])
def test_an_end_that_is_no_date_raises_value_error(bad: object) -> None:
    with pytest.raises(ValueError):
        vtimezone("Europe/London", bad, date(2030, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        vtimezone("Europe/London", date(2018, 1, 1), bad)  # type: ignore[arg-type]
