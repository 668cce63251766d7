"""Time zones as people type them: canonical names, legacy names, words, and junk."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from workbook_tools.core.rules.zones import (
    ABBREVIATIONS,
    COUNTRY_ALIASES,
    COUNTRY_NAMES,
    LEGACY_NAMES,
    NON_GEOGRAPHIC_ZONES,
    PLACES,
    POSIX_NAMES,
    PRINCIPAL_ZONES,
    ZONE_COUNTRIES,
)
from workbook_tools.core.zones import ZoneReading, read_zone, zone_country, zone_problem_text

CANONICAL = sorted({*ZONE_COUNTRIES, *NON_GEOGRAPHIC_ZONES})


@pytest.mark.parametrize("typed, zone", [
    ("America/Chicago", "America/Chicago"),
    (" america/new york ", "America/New_York"),
    ("AMERICA/LOS_ANGELES", "America/Los_Angeles"),
    ("America / New  York", "America/New_York"),
    ("America/Argentina/Buenos Aires", "America/Argentina/Buenos_Aires"),
    ("América/São_Paulo", "America/Sao_Paulo"),
    ("Asia/Kolkata", "Asia/Kolkata"),
    ("Europe/Kyiv", "Europe/Kyiv"),
    ("UTC", "UTC"),
    ("utc", "UTC"),
])
def test_a_canonical_zone_is_read_in_its_canonical_spelling(typed, zone):
    assert read_zone(typed) == ZoneReading(zone, (), typed.strip())


@pytest.mark.parametrize("typed, replacement", [
    ("US/Pacific", "America/Los_Angeles"),
    ("us/eastern", "America/New_York"),
    ("GB", "Europe/London"),
    ("Japan", "Asia/Tokyo"),
    ("EST5EDT", "America/New_York"),
    ("CST6CDT", "America/Chicago"),
    ("PST8PDT", "America/Los_Angeles"),
    ("Asia/Calcutta", "Asia/Kolkata"),
    ("Europe/Kiev", "Europe/Kyiv"),
    ("America/Montreal", "America/Toronto"),
    ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ("Etc/UTC", "UTC"),
    ("Etc/GMT", "UTC"),
    ("Zulu", "UTC"),
])
def test_a_legacy_name_is_no_zone_but_suggests_what_replaced_it(typed, replacement):
    assert read_zone(typed) == ZoneReading(None, (replacement,), typed)


@pytest.mark.parametrize("typed, expected", [
    ("Pacific", ("America/Los_Angeles", "America/Vancouver", "America/Tijuana")),
    ("Pacific Standard Time", ("America/Los_Angeles", "America/Vancouver", "America/Tijuana")),
    ("EST", ("America/New_York", "America/Toronto", "America/Detroit")),
    ("IST", ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem")),
    ("GMT", ("UTC", "Europe/London")),
    ("JST", ("Asia/Tokyo",)),
    ("Berlin", ("Europe/Berlin",)),
    ("new york", ("America/New_York",)),
    ("Sao Paulo", ("America/Sao_Paulo",)),
    ("São Paulo", ("America/Sao_Paulo",)),
    ("St. John's", ("America/St_Johns",)),
    ("Calcutta", ("Asia/Kolkata",)),
    ("Seattle", ("America/Los_Angeles",)),
    ("Germany", ("Europe/Berlin", "Europe/Busingen")),
    ("DE", ("Europe/Berlin", "Europe/Busingen")),
    ("South Korea", ("Asia/Seoul",)),
    ("UK", ("Europe/London",)),
    ("Amrica/Chicgo", ("America/Chicago",)),
    ("Berln", ("Europe/Berlin",)),
    ("UTC+0", ("UTC",)),
])
def test_other_text_is_no_zone_but_suggests_what_it_may_mean(typed, expected):
    assert read_zone(typed) == ZoneReading(None, expected, typed)


@pytest.mark.parametrize("typed, included", [
    ("Pacific", "America/Los_Angeles"),
    ("US", "America/New_York"),
    ("US", "America/Los_Angeles"),
    ("United States", "America/Chicago"),
    ("Eastern", "America/New_York"),
    ("CET", "Europe/Berlin"),
    ("AEST", "Australia/Sydney"),
    ("Australia", "Australia/Sydney"),
    ("ET", "America/New_York"),
])
def test_suggestions_include_the_likely_zone(typed, included):
    reading = read_zone(typed)
    assert reading.zone is None and included in reading.suggestions
    assert len(reading.suggestions) <= 6


@pytest.mark.parametrize("value", [
    "../../etc/passwd", "/etc/passwd", "..", "\x00", "America/\x00Chicago", "x" * 100_000, "Pacific/" * 20_000,
    42, 3.5, True, datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 3, 4), ["America/Chicago"], b"UTC",
    "UTC-5", "+05:30", "Etc/GMT+5", "2024-01-01", "Europe", "qwerty",
])
def test_anything_else_reads_as_no_zone_without_raising(value):
    reading = read_zone(value)
    assert reading.zone is None
    what, fix = zone_problem_text(reading)
    assert what and fix and "Traceback" not in what + fix


@pytest.mark.parametrize("value", [None, "", "   ", "\t\n"])
def test_a_blank_cell_reads_as_nothing(value):
    assert read_zone(value) == ZoneReading(None)


@pytest.mark.parametrize("value, typed", [(42, "42"), (True, "True"), ("x" * 100_000, "x" * 100_000)])
def test_numbers_bools_and_long_text_get_no_suggestions(value, typed):
    assert read_zone(value) == ZoneReading(None, (), typed)


@pytest.mark.parametrize("typed", ["UTC-5", "GMT+05:30", "+0530", "-05:00", "Etc/GMT+5"])
def test_an_offset_is_no_zone_and_the_fix_says_why(typed):
    reading = read_zone(typed)
    assert reading == ZoneReading(None, (), typed)
    what, fix = zone_problem_text(reading)
    assert what == f"'{typed}' is a UTC offset, not a time zone" and "daylight saving" in fix


@pytest.mark.parametrize("zone, country", [
    ("Europe/Berlin", "DE"), ("America/Chicago", "US"), ("Asia/Kolkata", "IN"), ("Australia/Sydney", "AU"),
    ("europe/berlin", "DE"), ("UTC", None), ("US/Pacific", None), ("Pacific", None), ("../../etc", None),
    ("x" * 100_000, None), (None, None), (42, None),
])
def test_zone_country(zone, country):
    assert zone_country(zone) == country


@pytest.mark.parametrize("typed, what, fix", [
    ("Pacific", "unknown time zone 'Pacific'",
     "write an IANA time zone name such as America/Los_Angeles; 'Pacific' could be America/Los_Angeles, "
     "America/Vancouver or America/Tijuana"),
    ("US/Pacific", "'US/Pacific' is an old name", "write America/Los_Angeles instead"),
    ("EST5EDT", "'EST5EDT' is an old name", "write America/New_York instead"),
    ("Etc/UTC", "'Etc/UTC' is another name for UTC", "write UTC instead"),
    ("Berlin", "unknown time zone 'Berlin'", "write Europe/Berlin if that is what you mean"),
    ("GMT", "unknown time zone 'GMT'", "write an IANA time zone name such as UTC; 'GMT' could be UTC or Europe/London"),
    ("UTC+0", "'UTC+0' is a UTC offset, not a time zone", "write UTC instead"),
    ("qwerty", "unknown time zone 'qwerty'",
     "write an IANA time zone name such as America/New_York (area/city, as in the tz database)"),
    ("\x00", "unknown time zone '\\x00'",
     "write an IANA time zone name such as America/New_York (area/city, as in the tz database)"),
])
def test_problem_texts_name_the_typed_text_and_the_fix(typed, what, fix):
    assert zone_problem_text(read_zone(typed)) == (what, fix)


@pytest.mark.parametrize("reading, texts", [
    (ZoneReading("America/Chicago", (), "America/Chicago"), ("", "")),
    (ZoneReading(None), ("no time zone", "write an IANA time zone name such as America/New_York")),
    (read_zone("y" * 100_000), (f"unknown time zone '{'y' * 40}\u2026'",
                                "write an IANA time zone name such as America/New_York (area/city, as in the tz "
                                "database)")),
])
def test_problem_texts_of_a_zone_a_blank_and_a_long_text(reading, texts):
    assert zone_problem_text(reading) == texts


def test_every_canonical_zone_loads_on_this_machine():
    failed = []
    for name in CANONICAL:
        try:
            ZoneInfo(name)
        except Exception as error:  # list every zone that fails, not only the first
            failed.append(f"{name}: {error!r}")
        else:
            assert read_zone(name).zone == name
    assert failed == []


def test_the_zone_tables_name_only_canonical_zones_and_known_countries():
    canonical = set(CANONICAL)
    named = [*LEGACY_NAMES.values(), *(alias.target for alias in POSIX_NAMES.values())]
    named += [zone for table in (ABBREVIATIONS, PLACES, PRINCIPAL_ZONES) for guess in table.values()
              for zone in guess.zones]
    assert sorted(set(named) - canonical) == []
    assert sorted({*ZONE_COUNTRIES.values(), *(a.target for a in COUNTRY_ALIASES.values()), *PRINCIPAL_ZONES}
                  - set(COUNTRY_NAMES)) == []
    assert sorted(set(LEGACY_NAMES) & canonical) == []
    assert all(ZONE_COUNTRIES[zone] == code for code, guess in PRINCIPAL_ZONES.items() for zone in guess.zones)


def test_no_two_zone_names_differ_only_in_case_or_spacing():
    keys = [name.casefold().replace(" ", "_") for name in [*CANONICAL, *LEGACY_NAMES, *POSIX_NAMES]]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("value, reading", [
    (ZoneInfo("America/Chicago"), ZoneReading("America/Chicago", (), "America/Chicago")),
    (-5, ZoneReading(None, (), "-5")),
])
def test_a_value_that_is_not_text_is_read_by_its_text(value, reading):
    assert read_zone(value) == reading


@pytest.fixture
def no_zone_database(monkeypatch):
    """zoneinfo as on a Windows computer without the tzdata package: every zone is missing."""
    import zoneinfo

    from workbook_tools.core import zones

    def missing(name):
        raise zoneinfo.ZoneInfoNotFoundError(f"No time zone found with key {name}")

    zones._loads.cache_clear()
    zones._diagnose.cache_clear()
    monkeypatch.setattr(zoneinfo, "ZoneInfo", missing)
    yield
    monkeypatch.undo()
    zones._loads.cache_clear()
    zones._diagnose.cache_clear()


def test_a_zone_this_computer_cannot_load_is_no_zone_and_says_so(no_zone_database):
    reading = read_zone("Europe/Berlin")
    assert reading == ZoneReading(None, (), "Europe/Berlin")
    assert zone_problem_text(reading) == (
        "time zone Europe/Berlin is not installed on this computer",
        "install the tzdata package (pip install tzdata) or update the computer's time zone database")


def test_a_name_written_as_the_table_writes_it_is_the_zone_its_key_finds() -> None:
    """`canonical_zone` looks a name up as written before it builds the keys: both ways
    give the same zone, for every name of the tables, and other spellings still read."""
    from workbook_tools.core.rules.zones import NON_GEOGRAPHIC_ZONES, ZONE_COUNTRIES
    from workbook_tools.core.zones import _canonical_names, canonical_zone, zone_key

    for name in (*ZONE_COUNTRIES, *NON_GEOGRAPHIC_ZONES):
        assert canonical_zone(name) == _canonical_names()[zone_key(name)] == name
    assert canonical_zone(" america / new york ") == "America/New_York"
    assert canonical_zone("Mars/Olympus") is None
