"""Working days: weekends as each country defines them, and its public holidays.

The `holidays` package knows both (Friday-Saturday weekends in Israel, Saturday
working days in some countries, subdivision holidays). With no country, only
Saturday and Sunday are days off. Every answer is memoised per day: a tracker has
many rows but few distinct dates.

The package's tables are asked one year at a time (`HolidayYear`: the days off and the
holidays' names), through `YEARS`: by default straight from the package, whose import of
one country imports all of its 250 (about 0.1 s); the adapters put a store on disk in
front of it (`adapters.holiday_cache`), so a refresh that has seen a country's year
before does not import the package at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple, Protocol

ONE_DAY = timedelta(days=1)
#: The longest run of days a walk looks through for a working day ("ours"): ten years. A
#: calendar with no working day in it stops here instead of walking for ever.
MAX_DAYS_WITHOUT_WORKDAY = 3660
#: What a plan that would pass the last day a date can hold says ("ours").
PAST_YEAR_9999 = "the plan runs past the year 9999"


class OutOfCalendar(ValueError):
    """A walk that cannot end: it would pass 31 Dec 9999, or it met no working day in
    `MAX_DAYS_WITHOUT_WORKDAY` days. The message says which, in words for a user."""


class UnknownRegion(ValueError):
    """An unknown country or subdivision code; ``valid`` lists the codes that exist."""

    def __init__(self, what: str, code: str, valid: list[str]) -> None:
        self.what = what
        self.code = code
        self.valid = valid
        super().__init__(f"unknown {what} code {code!r}")


class Shift(NamedTuple):
    """A date reached by a walk, with the holidays passed on the way (for `Why`)."""

    day: date
    holidays_skipped: tuple[tuple[date, str], ...] = ()


@dataclass
class WorkCalendar:
    country: str | None = None
    subdivision: str | None = None
    _table: HolidayTable | None = field(default=None, init=False, repr=False)
    _memo: dict[date, bool] = field(default_factory=dict, init=False, repr=False)
    _names: dict[date, str | None] = field(default_factory=dict, init=False, repr=False)
    _walks: dict[tuple[date, int], Shift] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.country:
            self._table = load_holidays(self.country, self.subdivision)

    def is_workday(self, day: date) -> bool:
        hit = self._memo.get(day)
        if hit is None:
            if self._table is None:
                hit = day.weekday() < 5
            else:
                hit = self._table.is_working_day(day)
            self._memo[day] = hit
        return hit

    def holiday_name(self, day: date) -> str | None:
        """The public holiday on ``day``, if any (None without a country)."""
        if self._table is None:
            return None
        if day not in self._names:
            self._names[day] = self._table.get(day)
        return self._names[day]

    def holiday_named(self, name: str, after: date) -> tuple[date, str] | None:
        """The first public holiday on or after ``after`` (this year or the next two) whose
        name matches ``name``, with its name as the calendar writes it; None without a
        country or a match. Lenient: case, apostrophes, a final "s" and the words "day"
        and "the" do not count ("thanksgiving" is "Thanksgiving Day", "new years" is
        "New Year's Day", "xmas" is Christmas); "(observed)" days are not the holiday itself."""

        def words(text: str) -> list[str]:
            text = text.casefold().replace("\u2019", "'").replace("'s", "").replace("'", "")
            text = text.replace("xmas", "christmas")
            plain = "".join(c if c.isalnum() else " " for c in text).split()
            return [w.rstrip("s") for w in plain if w not in ("day", "the") and w.rstrip("s")]

        wanted = words(name)
        if self._table is None or not wanted:
            return None
        years = [year for year in range(after.year, after.year + 3) if year <= 9999]
        for year in years:
            self._table.get(date(year, 1, 1))  # fills in the year's holidays
        for day, names in sorted(self._table.items()):
            if day < after or day.year not in years:
                continue
            for holiday in str(names).split("; "):
                have = words(holiday)
                if "observed" not in have and any(
                        have[i:i + len(wanted)] == wanted for i in range(len(have) - len(wanted) + 1)):
                    return day, holiday
        return None

    def _note(self, day: date, skipped: list[tuple[date, str]]) -> None:
        name = self.holiday_name(day)
        if name:
            skipped.append((day, name))

    def add_business_days(self, start: date, n: int) -> Shift:
        """Walk forward ``n`` working days, not counting ``start`` itself."""
        hit = self._walks.get((start, n))
        if hit is None:
            hit = self._walks[(start, n)] = self._walk(start, n)
        return hit

    def _walk(self, start: date, n: int) -> Shift:
        """`OutOfCalendar` when the walk would pass 31 Dec 9999 or finds no working day
        in `MAX_DAYS_WITHOUT_WORKDAY` days in a row."""
        day = start
        skipped: list[tuple[date, str]] = []
        remaining = n
        idle = 0  # days in a row without a working day
        while remaining > 0:
            if day >= date.max:
                raise OutOfCalendar(PAST_YEAR_9999)
            day += ONE_DAY
            if self.is_workday(day):
                remaining, idle = remaining - 1, 0
            else:
                self._note(day, skipped)
                idle += 1
                if idle > MAX_DAYS_WITHOUT_WORKDAY:
                    raise OutOfCalendar(f"no working day in {MAX_DAYS_WITHOUT_WORKDAY:,} days after "
                                        f"{start.isoformat()}")
        return Shift(day, tuple(skipped))

    def on_or_after(self, day: date) -> Shift:
        """``day`` if it is a working day, else the next one: one working day on from
        the day before."""
        return self.add_business_days(day - ONE_DAY, 1)

    def joined(self, theirs: WorkCalendar) -> WorkCalendar:
        """The days that are working days both here and in ``theirs`` (a contact in
        another country); one per country, kept: rows share a few contacts' countries."""
        key = (theirs.country or "", theirs.subdivision or "")
        joints: dict[tuple[str, str], WorkCalendar] = self.__dict__.setdefault("_joints", {})
        if key not in joints:
            joints[key] = JointCalendar(self, theirs)
        return joints[key]


class JointCalendar(WorkCalendar):
    """Working days in two countries at once: the user's and a contact's abroad. A day
    is a working day when it is one in both; a holiday of theirs is named with their
    country ("Tag der Deutschen Einheit in DE")."""

    def __init__(self, mine: WorkCalendar, theirs: WorkCalendar) -> None:
        super().__init__(None, None)
        self.country, self.subdivision = mine.country, mine.subdivision
        self.mine, self.theirs = mine, theirs

    def is_workday(self, day: date) -> bool:
        hit = self._memo.get(day)
        if hit is None:
            hit = self._memo[day] = self.mine.is_workday(day) and self.theirs.is_workday(day)
        return hit

    def holiday_name(self, day: date) -> str | None:
        mine = self.mine.holiday_name(day)
        if mine:
            return mine
        theirs = self.theirs.holiday_name(day)
        return f"{theirs} in {self.theirs.country}" if theirs else None

    def holiday_named(self, name: str, after: date) -> tuple[date, str] | None:
        return self.mine.holiday_named(name, after)


class HolidayYear(NamedTuple):
    """One year of a country's (or subdivision's) calendar, as the `holidays` package
    has it: the days off (its weekend days not worked, and its public holidays) and the
    holidays' names ("A; B" when two fall on one day)."""

    off: frozenset[date]
    names: Mapping[date, str]


#: One year of one region's calendar (`HolidayYear`), by year number.
YearLoader = Callable[[int], HolidayYear]


class YearSource(Protocol):
    """How a (country, subdivision) code pair becomes its `YearLoader`; `UnknownRegion`
    for codes the package does not know. `package_years` by default."""

    def __call__(self, country: str, subdivision: str | None) -> YearLoader: ...


class HolidayTable:
    """A region's holidays, one `HolidayYear` at a time, each asked for once."""

    def __init__(self, years: YearLoader) -> None:
        self._load = years
        self._years: dict[int, HolidayYear] = {}

    def year(self, number: int) -> HolidayYear:
        found = self._years.get(number)
        if found is None:
            found = self._years[number] = self._load(number)
        return found

    def is_working_day(self, day: date) -> bool:
        return day not in self.year(day.year).off

    def get(self, day: date) -> str | None:
        return self.year(day.year).names.get(day)

    def items(self) -> list[tuple[date, str]]:
        """The holidays of every year asked for so far."""
        return [item for year in self._years.values() for item in year.names.items()]


def package_years(country: str, subdivision: str | None) -> YearLoader:
    """The years of a region straight from the `holidays` package; `UnknownRegion` for a
    code it does not know (a subdivision matched whatever its case)."""
    table = _package_table(country, subdivision)

    def year(number: int) -> HolidayYear:
        first = date(number, 1, 1)
        last = date(number, 12, 31)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        off = frozenset(day for day in days if not table.is_working_day(day))
        names = {day: name for day, name in sorted(table.items()) if day.year == number}
        return HolidayYear(off, names)

    return year


def _package_table(country: str, subdivision: str | None) -> Any:
    import holidays  # imported here: about 0.1 s with the country, and only needed when a country is set
    from holidays.registry import EntityLoader

    code = country.strip().upper()
    if code not in set(EntityLoader.get_country_codes(include_aliases=True)):
        valid = sorted(c for c in EntityLoader.get_country_codes(include_aliases=True) if len(c) == 2)
        raise UnknownRegion("country", country, valid)
    region = getattr(holidays, code)  # loads that country's module (and, upstream, its package)
    subdiv = subdivision.strip() if subdivision else None
    if subdiv:
        choices = list(region.subdivisions)
        match = next((s for s in choices if s.casefold() == subdiv.casefold()), None)
        if match is None:
            raise UnknownRegion("subdivision", subdivision or "", sorted(choices))
        subdiv = match
    return holidays.country_holidays(code, subdiv=subdiv)


#: Where `load_holidays` gets a region's years: the package itself, unless an adapter
#: set a store in front of it (`use_year_source`).
YEARS: list[YearSource] = [package_years]


def use_year_source(source: YearSource) -> None:
    """Make ``source`` the way regions' years are found (the adapters' store on disk),
    and forget the tables loaded so far."""
    YEARS[0] = source
    load_holidays.cache_clear()


@lru_cache(maxsize=64)
def load_holidays(country: str, subdivision: str | None) -> HolidayTable:
    """The holidays of a country/subdivision, or UnknownRegion. Cached: a batch of
    trackers usually shares one country, and the table fills in years as asked."""
    return HolidayTable(YEARS[0](country, subdivision))
