"""Waits and From cells of the Cadences sheet, and the built-in cadences as rows."""

from __future__ import annotations

import pytest

from workbook_tools.core.cadences import Wait, cadence_rows, parse_from, parse_wait
from workbook_tools.core.rules.cadences import BUILTIN_CADENCES


@pytest.mark.parametrize("text, wait", [
    ("3 business days", Wait(business_days=3)),
    ("1 week", Wait(weeks=1)),
    ("10 days", Wait(days=10)),
    ("2 Weeks", Wait(weeks=2)),
    ("one week + 1 business day", Wait(weeks=1, business_days=1)),
    ("1 week and 2 working days", Wait(weeks=1, business_days=2)),
    ("  5  business   days ", Wait(business_days=5)),
    (7, Wait(days=7)),
    (7.0, Wait(days=7)),
])
def test_parse_wait(text, wait):
    assert parse_wait(text) == wait


@pytest.mark.parametrize("text", ["soon", "", "3 fortnights", "week", None, True, -1, 2.5, "3 business days +"])
def test_parse_wait_unreadable(text):
    assert parse_wait(text) is None


@pytest.mark.parametrize("text, start", [
    ("event", "event"), ("Previous call", "previous call"), (" EVENT ", "event"), ("yesterday", None), (None, None),
])
def test_parse_from(text, start):
    assert parse_from(text) == start


def test_builtin_cadences_cite_their_seed_and_round_trip_as_rows():
    for cadence in BUILTIN_CADENCES.values():
        assert cadence.source.startswith("seed 00")
        for name, _step, wait, start in cadence_rows(cadence):
            assert parse_wait(wait) is not None and parse_from(start) == start and name == cadence.name
