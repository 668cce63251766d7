"""How tall a row must be for the text of its wrapped cells to show whole.

Excel and LibreOffice keep the height a file gives a row; a row given none stays one
line tall, and a long script in a wrapped cell is then cut off or drawn over the rows
below. The processor therefore gives the rows it fills a height, worked out here from
the text of every wrapped cell of the row (the user's Notes too) and the width of its
column. Both refresh paths (the file and Excel) use this one estimate, so they set the
same heights.

The estimate counts characters, not pixels: measuring text needs the font, and a
refresh of 10,000 rows cannot afford that. It is conservative, so that text never
overflows: a line holds one character per unit of column width (a unit is the width
of the digit 0, the widest common character; English text averages 1.18 characters
per unit in Calibri 11, and the narrowest line of the sample's texts, 1.04). Lines
break at spaces only (Excel and LibreOffice also break after a hyphen, which can only
save lines), and every line break in the text starts a new line.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple


class LayoutRule(NamedTuple):
    """One number of the estimate and where it comes from."""

    value: float
    source: str


#: The numbers behind the estimate, each with its source.
LAYOUT_RULES: dict[str, LayoutRule] = {
    "points per line": LayoutRule(15.0, "Excel: the height of a row of one line of Calibri 11, its default font"),
    "characters per width unit": LayoutRule(
        1.0, "ours, measured: a column width counts widths of the digit 0 (Excel); no realistic line of the "
             "sample's texts in Carlito (Calibri's metrics) packs fewer than 1.04 characters a unit"),
    "cell padding characters": LayoutRule(
        1.0, "ours: Excel and LibreOffice keep a few pixels free at each side of a cell's text"),
    "widest column": LayoutRule(255.0, "Excel: a column is at most 255 characters wide"),
    "tallest row": LayoutRule(409.0, "Excel: a row is at most 409 points tall"),
}

LINE_POINTS = LAYOUT_RULES["points per line"].value
CHARS_PER_UNIT = LAYOUT_RULES["characters per width unit"].value
PADDING_CHARS = LAYOUT_RULES["cell padding characters"].value
WIDEST_COLUMN = LAYOUT_RULES["widest column"].value
MAX_ROW_POINTS = LAYOUT_RULES["tallest row"].value
#: The lines that fill the tallest row: counting stops there.
MAX_LINES = int(MAX_ROW_POINTS // LINE_POINTS) + 1

#: The columns whose cells wrap their text, by header, on every sheet of the template
#: (source: ours, the template's formats). Call Window wraps so that its two times and
#: the contact's time zone are never cut.
WRAPPED_HEADERS: tuple[str, ...] = (
    "Talking Point", "Notes", "Call Window", "Next Action", "Why", "Call Script", "Email Script",
    "Text", "Where We Met",
)


class WrappedCell(NamedTuple):
    """A wrapped cell: its value (any, as read or about to be written) and its column's
    width in Excel's character units."""

    value: object
    width: float


def line_capacity(width: object) -> int:
    """The characters a line of a column ``width`` units wide holds (0 for a column that
    shows nothing: hidden, of no width, or a width that is not a number)."""
    if isinstance(width, bool) or not isinstance(width, (int, float)) or not width > 0:
        return 0
    usable = float(min(width, WIDEST_COLUMN)) * CHARS_PER_UNIT - PADDING_CHARS
    return max(1, math.floor(usable))


def line_count(value: object, capacity: int, limit: int = MAX_LINES) -> int:
    """The lines ``value`` takes in a wrapped cell whose lines hold ``capacity``
    characters, counting up to ``limit`` at most. A blank cell takes one line."""
    if value is None or capacity <= 0:
        return 1
    text = value if isinstance(value, str) else str(value)
    if len(text) <= capacity and "\n" not in text and "\r" not in text:
        return 1
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = 0
    for paragraph in text.split("\n"):
        lines += _paragraph_lines(paragraph, capacity, limit - lines)
        if lines >= limit:
            return limit
    return max(lines, 1)


def _paragraph_lines(paragraph: str, capacity: int, limit: int) -> int:
    """The lines of one paragraph (no line breaks) wrapped at spaces, a word longer than
    a line being cut, as Excel cuts it; at most ``limit``. Spaces at its end hang past
    the edge."""
    paragraph = paragraph.rstrip(" ")
    size = len(paragraph)
    lines, start = 1, 0
    while size - start > capacity and lines < limit:
        cut = paragraph.rfind(" ", start, start + capacity + 1)  # a space may hang past the edge
        start = start + capacity if cut <= start else cut + 1
        lines += 1
    return lines


def row_height(cells: Iterable[WrappedCell] | Iterable[tuple[object, float]]) -> float:
    """The height in points a row needs so that each of its wrapped ``cells`` (each a
    `WrappedCell`, or a pair in its order) shows its whole text: the lines of its tallest
    cell times :data:`LINE_POINTS`, one line at least, :data:`MAX_ROW_POINTS` at most.
    Cells of hidden columns (no width) do not count."""
    tallest = 1
    capacities = _CAPACITIES
    for value, width in cells:
        if value is None or value == "":
            continue
        capacity = capacities.get(width) if type(width) is float or type(width) is int else None
        if capacity is None:
            capacity = line_capacity(width)
            if (type(width) is float or type(width) is int) and len(capacities) < _CAPACITIES_KEPT:
                capacities[width] = capacity
        if capacity and (type(value) is not str or len(value) > capacity or "\n" in value or "\r" in value):
            lines = line_count(value, capacity)
            if lines > tallest:
                tallest = lines
                if tallest >= MAX_LINES:
                    break
    return min(tallest * LINE_POINTS, MAX_ROW_POINTS)


#: `line_capacity` by width: a sheet has a few widths, and every row asks for them.
_CAPACITIES: dict[float, int] = {}
_CAPACITIES_KEPT = 1000
