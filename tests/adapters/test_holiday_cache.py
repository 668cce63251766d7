"""The store of holiday years on disk (adapters/holiday_cache.py): the same answers as
the holidays package, read back without importing it, and never trusted when damaged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from workbook_tools.adapters import holiday_cache
from workbook_tools.core.workdays import HolidayTable, UnknownRegion, package_years

#: Regions with something to get wrong: a subdivision, a Friday-Saturday weekend, a
#: weekend that changed (the UAE moved to Saturday-Sunday in 2022), an alias (UK), and
#: holidays observed on the next or the previous year's day.
REGIONS = [("US", None), ("us", "ca"), ("DE", "BY"), ("IL", None), ("AE", None), ("UK", None), ("GB", "SCT")]
YEARS = range(2021, 2028)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(holiday_cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    return tmp_path / "cache"


def every_day(years: range) -> list[date]:
    first, last = date(years.start, 1, 1), date(years.stop - 1, 12, 31)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def answers(table: HolidayTable, days: list[date]) -> list[tuple[bool, str | None]]:
    return [(table.is_working_day(d), table.get(d)) for d in days]


def package_answers(country: str, subdivision: str | None, days: list[date]) -> list[tuple[bool, str | None]]:
    import holidays

    code = country.upper()
    choices = holidays.list_supported_countries()[code]
    subdiv = next((s for s in choices if s.casefold() == (subdivision or "").casefold()), None)
    raw = holidays.country_holidays(code, subdiv=subdiv)
    return [(raw.is_working_day(d), raw.get(d)) for d in days]


@pytest.mark.parametrize("country, subdivision", REGIONS)
def test_the_store_answers_as_the_package_does_first_and_when_read_back(store: Path, country: str,
                                                                        subdivision: str | None) -> None:
    days = every_day(YEARS)
    expected = package_answers(country, subdivision, days)
    first = HolidayTable(holiday_cache.stored_years(country, subdivision))
    assert answers(first, days) == expected
    files = list(store.rglob("*.json"))
    assert len(files) == 1
    again = holiday_cache.StoredYears(files[0], country, subdivision)
    assert again.known()
    assert answers(HolidayTable(again), days) == expected
    assert again._package is None  # every year came from the file


def test_a_warm_store_spares_the_package_import(store: Path, sample_copy: Path) -> None:
    """A second refresh of a tracker with a country reads its years from the store: the
    holidays package's country modules are never imported, and the cells are the same."""
    script = ("import sys, json; from datetime import date; from workbook_tools.app.plan import plan_file;"
              "p = plan_file(sys.argv[1], date(2026, 11, 23));"
              "print(json.dumps([[r.next_call.isoformat() if r.next_call else None, r.flag] for r in p.result.rows]));"
              "print(any(m.startswith('holidays.countries') for m in sys.modules))")
    env = {**os.environ, holiday_cache.CACHE_VARIABLE: str(store)}
    runs = [subprocess.run([sys.executable, "-c", script, str(sample_copy)], capture_output=True, text=True,
                           env=env, check=True).stdout.splitlines() for _ in range(2)]
    assert runs[0][1] == "True"  # a cold store: the package was asked
    assert runs[1][1] == "False"  # a warm one: it was not
    assert runs[0][0] == runs[1][0]
    assert list(store.rglob("*.json"))


@pytest.mark.parametrize("content", [
    b"not json", b"\xff\xfe", b'{"format": 99, "years": {}}', b'{"format": 1, "years": {"2026": {"off": [1]}}}',
    b'{"format": 1, "years": {"2026": {"off": ["2026-13-01"], "names": {}}}}', b"[]",
    b'{"format": 1, "years": {"x": {}}}',
], ids=["text", "binary", "other-format", "wrong-types", "bad-date", "list", "bad-year"])
def test_a_damaged_file_is_not_believed(store: Path, content: bytes) -> None:
    days = every_day(range(2026, 2027))
    HolidayTable(holiday_cache.stored_years("US", None)).is_working_day(date(2026, 1, 1))
    (path,) = store.rglob("*.json")
    path.write_bytes(content)
    table = HolidayTable(holiday_cache.stored_years("US", None))
    assert answers(table, days) == package_answers("US", None, days)
    assert json.loads(path.read_bytes())["format"] == holiday_cache.FORMAT  # written anew


def test_a_file_too_large_to_be_ours_is_not_read(store: Path) -> None:
    HolidayTable(holiday_cache.stored_years("US", None)).is_working_day(date(2026, 1, 1))
    (path,) = store.rglob("*.json")
    body = json.loads(path.read_bytes())
    body["padding"] = "x" * holiday_cache.MAX_FILE_BYTES
    path.write_text(json.dumps(body), encoding="utf-8")
    assert not holiday_cache.StoredYears(path, "US", None).known()


def test_a_store_that_cannot_be_written_changes_no_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    monkeypatch.setenv(holiday_cache.CACHE_VARIABLE, str(blocker / "cache"))  # a folder under a file
    days = every_day(range(2026, 2027))
    assert answers(HolidayTable(holiday_cache.stored_years("DE", "BY")), days) == package_answers("DE", "BY", days)


def test_unknown_codes_are_refused_as_the_package_refuses_them(store: Path) -> None:
    with pytest.raises(UnknownRegion) as country:
        holiday_cache.stored_years("XX", None)
    assert country.value.what == "country" and "US" in country.value.valid
    with pytest.raises(UnknownRegion) as subdivision:
        holiday_cache.stored_years("US", "ZZ")
    assert subdivision.value.what == "subdivision" and "CA" in subdivision.value.valid
    assert not list(store.rglob("*.json"))


def test_another_package_version_has_a_store_of_its_own(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = holiday_cache.package_version()
    assert installed is not None
    HolidayTable(holiday_cache.stored_years("US", None)).is_working_day(date(2026, 1, 1))
    monkeypatch.setattr(holiday_cache, "package_version", lambda: "another")
    assert not holiday_cache.stored_years("US", None)._stored  # type: ignore[attr-defined]  # nothing of the other's
    HolidayTable(holiday_cache.stored_years("US", None)).is_working_day(date(2026, 1, 1))
    assert {p.parent.name for p in store.rglob("*.json")} == {installed, "another"}


def test_the_version_code_is_found_without_importing_the_package() -> None:
    script = ("import sys; from workbook_tools.adapters.holiday_cache import package_version;"
              "print(package_version()); print('holidays' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert len(out[0]) == 16 and out[1] == "False"


def test_the_years_come_straight_from_the_package_without_a_store() -> None:
    days = every_day(range(2026, 2028))
    assert answers(HolidayTable(package_years("IL", None)), days) == package_answers("IL", None, days)
