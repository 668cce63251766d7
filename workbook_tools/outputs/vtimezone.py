"""VTIMEZONE blocks written the way Outlook and Google write them, so that every
calendar program reads the same times from them.

`icalendar.Timezone.from_tzid` lists every changeover of a zone in one comma-separated
RDATE line, and some readers (vobject, ical.js) then apply no summer time after 1971.
Here each zone is described by yearly rules instead: one STANDARD and one DAYLIGHT
sub-component, each with an RRULE such as ``FREQ=YEARLY;BYMONTH=3;BYDAY=2SU``.

The rules are not typed in by hand: they are found by asking zoneinfo for the zone's
real changeovers over the years of the events (plus one year either side) and grouping
the changeovers that fall on the same kind of date year after year. Where a country
changes its rule (or drops summer time) inside those years, each rule gets its own
sub-component ending with an UNTIL; a changeover that fits no yearly rule gets a
sub-component of its own that happens once (DTSTART only, never a list of dates).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from icalendar import Timezone

#: How often the zone is asked for its offset while looking for changeovers; a change is
#: then pinned down to the second by halving. (ours: no two changeovers of any zone in the
#: IANA database since 1900 are less than 12 hours apart; checked on tzdata 2025b)
PROBE_STEP = timedelta(hours=12)
#: The event years are kept inside these bounds, so that a mistyped year cannot make the
#: search run long (two centuries take a fifth of a second); events outside them use the
#: nearest rule, which is how zoneinfo itself carries the last rule on. (ours)
FIRST_EVENT_YEAR = 1900
LAST_EVENT_YEAR = 2100
#: The start written for the offset in force before the first changeover found (or for
#: a zone that never changes): the one Google Calendar writes. (ours, after Google's files)
EPOCH_START = datetime(1970, 1, 1)
#: The shortest length of each month in any year: a "weekday in these seven days" rule
#: must fit in the month every year. (the Gregorian calendar)
SHORTEST_MONTH = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
#: iCalendar's two-letter weekday names, Monday first as in Python. (RFC 5545 3.3.10)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: The weeks a "n-th weekday of the month" rule names: it starts on these days. (RFC 5545 3.3.10)
NTH_WEEK_STARTS = {1: 1, 8: 2, 15: 3, 22: 4}
#: Which way of writing a date is chosen when several describe the same years: weekday
#: rules first, as Outlook and Google write them. (ours)
RULE_PREFERENCE = ("nth", "last", "day", "from")


class YearlyDate(NamedTuple):
    """A date that comes back every year: in ``month``, either the fixed ``day``
    (kind "day"), or the ``weekday`` (0 = Monday) falling in the seven days from
    ``day`` (kind "nth" for the first to fourth week, "from" for any other seven
    days) or in the month's last seven days (kind "last", ``day`` unused)."""

    kind: str
    month: int
    weekday: int
    day: int

    def matches(self, when: date) -> bool:
        """Whether ``when`` is this rule's date of its year."""
        if when.month != self.month:
            return False
        if self.kind == "day":
            return when.day == self.day
        if when.weekday() != self.weekday:
            return False
        if self.kind == "last":
            return when.day > _month_length(when.year, when.month) - 7
        return self.day <= when.day < self.day + 7

    def rrule(self) -> dict[str, object]:
        """The rule's parts for an iCalendar RRULE (without FREQ and UNTIL)."""
        weekday = WEEKDAYS[self.weekday]
        if self.kind == "day":
            return {"bymonth": self.month, "bymonthday": self.day}
        if self.kind == "last":
            return {"bymonth": self.month, "byday": f"-1{weekday}"}
        if self.kind == "nth":
            return {"bymonth": self.month, "byday": f"{NTH_WEEK_STARTS[self.day]}{weekday}"}
        return {"bymonth": self.month, "byday": weekday, "bymonthday": list(range(self.day, self.day + 7))}


class Changeover(NamedTuple):
    """One moment the zone's clocks change (or only its name does)."""

    utc: datetime  # the instant, aware in UTC
    wall: datetime  # naive: the local time it happens at, read on the clocks before the change
    offset_from: timedelta
    offset_to: timedelta
    name: str  # the zone's abbreviation after the change ("EDT", "+01")
    daylight: bool  # whether the time after the change is summer time


class Observance(NamedTuple):
    """One STANDARD or DAYLIGHT sub-component: a changeover that happens once, or every
    year by ``rule`` from ``start`` (naive local time) up to ``until`` (UTC; None: for
    as long as the rule holds)."""

    daylight: bool
    name: str
    offset_from: timedelta
    offset_to: timedelta
    start: datetime
    rule: YearlyDate | None
    until: datetime | None


def vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """The VTIMEZONE of IANA zone ``tzid`` for events from ``first`` to ``last``
    (either order): yearly rules where the zone follows one, a single date where it
    does not, and one STANDARD for a zone that never changes in those years.
    Raises ValueError when ``tzid`` is not a zone zoneinfo knows or the two ends are
    not dates."""
    if not isinstance(first, date) or not isinstance(last, date):
        raise ValueError("the first and last event days must be dates")
    low, high = (min(max(year, FIRST_EVENT_YEAR), LAST_EVENT_YEAR) for year in sorted((first.year, last.year)))
    observances = zone_observances(_zone_key(tzid), low, high)

    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    block = Timezone()
    block.add("tzid", tzid)
    block.add("x-lic-location", tzid)
    for o in observances:
        part = TimezoneDaylight() if o.daylight else TimezoneStandard()
        part.add("tzoffsetfrom", o.offset_from)
        part.add("tzoffsetto", o.offset_to)
        part.add("tzname", o.name)
        part.add("dtstart", o.start)
        if o.rule is not None:
            until = {"until": o.until} if o.until is not None else {}
            part.add("rrule", {"freq": "yearly", **until, **o.rule.rrule()})
        block.add_component(part)
    return block


def _zone_key(tzid: object) -> str:
    """``tzid`` when zoneinfo knows it as a zone, else ValueError."""
    from zoneinfo import ZoneInfo

    if not isinstance(tzid, str):
        raise ValueError(f"not a time zone name: {tzid!r:.80}")
    try:
        ZoneInfo(tzid)
    except (ValueError, OSError, KeyError) as error:  # KeyError: ZoneInfoNotFoundError
        raise ValueError(f"not an IANA time zone: {tzid!r:.80}") from error
    return tzid


@lru_cache(maxsize=512)
def zone_observances(tzid: str, first_year: int, last_year: int) -> tuple[Observance, ...]:
    """The sub-components of zone ``tzid`` (a name zoneinfo knows) for events in
    ``first_year`` to ``last_year`` (within `FIRST_EVENT_YEAR` and `LAST_EVENT_YEAR`), in
    the order they begin. Kept per zone and years, since a calendar of many trackers asks
    for the same few zones."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tzid)
    first_year, last_year = first_year - 1, max(first_year, last_year) + 1  # a spare year either side
    begin = datetime(first_year, 1, 1, tzinfo=timezone.utc)
    changes = find_changeovers(zone, begin, datetime(last_year + 1, 1, 1, tzinfo=timezone.utc))
    observances = [_observance(run, candidates, last_year) for run, candidates in group_yearly(changes)]
    # The offset in force before the first changeover found, unless that changeover comes
    # in the spare year searched before the events' first year (then it covers them).
    if not changes or changes[0].utc.year > first_year:
        observances.insert(0, _constant(zone, begin))
    return tuple(sorted(observances, key=lambda o: o.start))


def find_changeovers(zone: ZoneInfo, begin: datetime, end: datetime) -> list[Changeover]:
    """Every change of the zone's offset, summer time or name from ``begin`` to ``end``
    (aware, UTC), asking zoneinfo every `PROBE_STEP` and halving down to the second."""
    found = []
    moment, before = begin, _clock(zone, begin)
    while moment < end:
        later = min(moment + PROBE_STEP, end)
        after = _clock(zone, later)
        if after != before:
            found.append(_pin_down(zone, moment, later, before, after))
        moment, before = later, after
    return found


def _clock(zone: ZoneInfo, instant: datetime) -> tuple[timedelta, timedelta, str]:
    """The zone's offset, summer-time shift and abbreviation at ``instant``."""
    local = instant.astimezone(zone)
    return local.utcoffset() or timedelta(0), local.dst() or timedelta(0), local.tzname() or ""


def _pin_down(zone: ZoneInfo, low: datetime, high: datetime, before: tuple[timedelta, timedelta, str],
              after: tuple[timedelta, timedelta, str]) -> Changeover:
    """The changeover between ``low`` (clocks as ``before``) and ``high``, to the second."""
    while high - low > timedelta(seconds=1):
        middle = low + timedelta(seconds=(high - low) // timedelta(seconds=2))
        if _clock(zone, middle) == before:
            low = middle
        else:
            high = middle
    offset_from, dst_from, _ = before
    offset_to, dst_to, name = after
    # Summer time is what tzdata marks as such; where it marks winter as negative summer
    # time (Europe/Dublin, Africa/Casablanca), the way back from it is the summer side, as
    # calendars write those zones (IST in DAYLIGHT for Dublin). (the IANA database's
    # "rearguard" form)
    daylight = dst_to > timedelta(0) or (dst_to == timedelta(0) and dst_from < timedelta(0))
    wall = (high + offset_from).replace(tzinfo=None)
    return Changeover(high, wall, offset_from, offset_to, name, daylight)


def _constant(zone: ZoneInfo, instant: datetime) -> Observance:
    """An observance holding the zone's clocks at ``instant`` from the start of 1970
    (or from ``instant``, when earlier): for a zone that does not change."""
    offset, dst, name = _clock(zone, instant)
    start = min(EPOCH_START, instant.replace(tzinfo=None))
    return Observance(dst > timedelta(0), name, offset, offset, start, None, None)


def candidate_rules(day: date) -> frozenset[YearlyDate]:
    """Every yearly rule whose date of ``day``'s year is ``day``."""
    weekday = day.weekday()
    rules = {YearlyDate("day", day.month, 0, day.day)}
    if day.day <= 28:
        rules.add(YearlyDate("nth", day.month, weekday, (day.day - 1) // 7 * 7 + 1))
    if day.day > _month_length(day.year, day.month) - 7:
        rules.add(YearlyDate("last", day.month, weekday, 0))
    for start in range(max(1, day.day - 6), day.day + 1):
        if start not in NTH_WEEK_STARTS and start + 6 <= SHORTEST_MONTH[day.month]:
            rules.add(YearlyDate("from", day.month, weekday, start))
    return frozenset(rules)


def group_yearly(changes: list[Changeover]) -> list[tuple[list[Changeover], frozenset[YearlyDate]]]:
    """The changeovers in runs of consecutive years that change the same way (offsets,
    name, time of day) on dates one yearly rule describes, each with the rules that fit
    every date of its run. A changeover that joins no run starts one of its own."""
    runs: list[tuple[list[Changeover], frozenset[YearlyDate]]] = []
    for change in changes:
        fits = candidate_rules(change.wall.date())
        for index, (run, rules) in enumerate(runs):
            common = rules & fits
            if common and _same_kind(run[-1], change) and run[-1].wall.year == change.wall.year - 1:
                runs[index] = (run + [change], common)
                break
        else:
            runs.append(([change], fits))
    return runs


def _same_kind(one: Changeover, other: Changeover) -> bool:
    return (one.daylight, one.offset_from, one.offset_to, one.name, one.wall.time()) == (
        other.daylight, other.offset_from, other.offset_to, other.name, other.wall.time())


def _observance(run: list[Changeover], rules: frozenset[YearlyDate], last_year: int) -> Observance:
    """The sub-component of one run: a single date, or a yearly rule that ends with the
    run's last changeover unless that falls in the last year searched (then the rule is
    left open, as the zone still follows it)."""
    head, tail = run[0], run[-1]
    if len(run) == 1:
        return Observance(head.daylight, head.name, head.offset_from, head.offset_to, head.wall, None, None)
    rule = min(rules, key=lambda r: (RULE_PREFERENCE.index(r.kind), r))
    until = None if tail.wall.year >= last_year else _until(tail)
    return Observance(head.daylight, head.name, head.offset_from, head.offset_to, head.wall, rule, until)


def _until(change: Changeover) -> datetime:
    """The UNTIL (UTC) that ends a rule at ``change``: the instant itself, or the local
    time it happens at read as UTC when that is later (east of Greenwich). dateutil (under
    icalendar and vobject) compares UNTIL with the local times, and would otherwise drop
    the last changeover; every reader still stops there, the next one being a year later.
    (ours, after testing icalendar, vobject and ical.js)"""
    return max(change.utc, change.wall.replace(tzinfo=timezone.utc))


def _month_length(year: int, month: int) -> int:
    from calendar import monthrange

    return monthrange(year, month)[1]

