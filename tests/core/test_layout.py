"""Row heights from the text of wrapped cells (`core.layout`)."""

from __future__ import annotations

from datetime import date

import pytest

from workbook_tools.core.layout import (
    LAYOUT_RULES,
    LINE_POINTS,
    MAX_ROW_POINTS,
    WrappedCell,
    line_capacity,
    line_count,
    row_height,
)

WORDS_60 = " ".join(["abcdefghi"] * 6)  # 59 characters: six words of nine


@pytest.mark.parametrize(("width", "capacity"), [
    (60, 59),  # a width unit holds a character, less one for the cell's padding
    (24, 23),
    (1.5, 1),  # never less than one character a line
    (0, 0),  # a hidden column shows nothing
    (-3, 0),
    (float("nan"), 0),
    (float("inf"), 254),  # as wide as Excel's widest column
    (10**400, 254),
    (None, 0),
    ("60", 0),
    (True, 0),
])
def test_a_line_holds_a_character_per_width_unit(width: object, capacity: int) -> None:
    assert line_capacity(width) == capacity


@pytest.mark.parametrize(("value", "capacity", "lines"), [
    (None, 59, 1),
    ("", 59, 1),
    ("short", 59, 1),
    ("x" * 59, 59, 1),
    ("x" * 60, 59, 2),  # a word longer than a line is cut
    ("x" * 177, 59, 3),
    (WORDS_60, 59, 1),
    (WORDS_60 + " abc", 59, 2),  # wraps at the space before the word that does not fit
    (WORDS_60 + " ", 59, 1),  # a space may hang past the edge
    ("a\nb\nc", 59, 3),  # every line break starts a line
    ("a\r\nb", 59, 2),
    ("a\n\nb", 59, 3),  # a blank line counts
    ("\n", 59, 2),
    ("abcd efgh", 4, 2),
    ("ab cd ef gh", 5, 2),  # "ab cd" | "ef gh"
    (12345678901234567890, 10, 2),  # numbers count as their text
    (date(2026, 11, 23), 5, 2),
    ("x" * 100_000, 59, 28),  # counting stops past the tallest row
    ("\x00" * 100, 59, 2),
    ("../../etc/passwd", 59, 1),
])
def test_lines_of_a_wrapped_cell(value: object, capacity: int, lines: int) -> None:
    assert line_count(value, capacity) == lines


@pytest.mark.parametrize(("cells", "points"), [
    ([], LINE_POINTS),  # a row with no wrapped cell is one line tall
    ([WrappedCell(None, 60)], LINE_POINTS),
    ([WrappedCell("one line", 60)], 15.0),
    ([WrappedCell("a\nb", 60), WrappedCell("a\nb\nc\nd", 60)], 60.0),  # the tallest cell decides
    ([WrappedCell("x" * 120, 60)], 45.0),  # 59 + 59 + 2 characters: three lines
    ([WrappedCell("x" * 120, 0), WrappedCell("short", 20)], 15.0),  # a hidden column does not count
    ([WrappedCell("x" * 100_000, 60)], MAX_ROW_POINTS),  # Excel's tallest row
    ([WrappedCell("\n" * 5000, 10)], MAX_ROW_POINTS),
    ([("a\nb", 30.0)], 30.0),  # plain pairs too
    ([WrappedCell(True, 60), WrappedCell(3.5, 60)], 15.0),
])
def test_row_height_fits_the_tallest_wrapped_cell(cells: list[WrappedCell], points: float) -> None:
    assert row_height(cells) == points


def test_every_rule_names_its_source() -> None:
    assert all(rule.source.strip() for rule in LAYOUT_RULES.values())
