"""The agenda: the calls and emails due, overdue first, as plain data and as a table."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from workbook_tools.core.events import follow_ups
from workbook_tools.core.model import Result, TrackerData
from workbook_tools.core.values import day_text

if TYPE_CHECKING:  # rich is imported only when an agenda is drawn
    from rich.table import Table


class AgendaItem(NamedTuple):
    kind: str  # "Call" or "Email"
    day: date | None  # None: as soon as you can (emails, calls after a row closed)
    flag: str
    company: str
    position: str
    contact: str
    phone: str
    email: str
    window: str
    action: str
    script: str
    row: int

    def when(self, today: date) -> str:
        if self.day is None:
            return "now"
        if self.day < today:
            return f"{day_text(self.day)} (overdue {(today - self.day).days}d)"
        return "today" if self.day == today else day_text(self.day)


def agenda_items(data: TrackerData, result: Result, today: date, days: int = 0) -> list[AgendaItem]:
    """Calls due by ``today + days`` and emails due now, overdue first: the follow-ups
    the calendar holds up to that day (`core.events.follow_ups`)."""
    horizon = today + timedelta(days=days)
    items = [AgendaItem(f.kind, f.due, f.flag, f.company, f.position, f.contact, f.phone, f.email, f.window,
                        f.action, f.script, f.row)
             for f in follow_ups(data, result) if f.due is None or f.due <= horizon]
    items.sort(key=lambda i: (_group(i.day, today), i.day or today, i.kind, i.row))
    return items


def _group(day: date | None, today: date) -> int:
    """Overdue first, then what is due now or today, then what is coming."""
    if day is not None and day < today:
        return 0
    return 1 if day is None or day == today else 2


#: ours: the agenda's width when the caller gives none, and the narrowest and widest it
#: is ever drawn (below 40 columns a table cannot be read; far above a screen's width,
#: lines only grow long and the output large).
DEFAULT_WIDTH = 120
MIN_WIDTH = 40
MAX_WIDTH = 1000
#: ours: the width of output that is not a terminal when COLUMNS does not give one (the
#: width terminals open with).
PIPED_WIDTH = 80
#: ours: from this width on, the table has a column for each thing; below it, three
#: columns, so that words are not broken into pieces of two or three letters.
WIDE_FROM = 100


class AgendaColumn(NamedTuple):
    """One column of the agenda's table: its header and its share of the width."""

    header: str
    ratio: int | None  # None: as wide as its text (the item number; a flag such as "Due today" never splits)


WIDE_COLUMNS: tuple[AgendaColumn, ...] = (
    AgendaColumn("#", None), AgendaColumn("When", 2), AgendaColumn("What", None),
    AgendaColumn("Who", 3),
    AgendaColumn("Phone / email", 2), AgendaColumn("Window", 3),
)
NARROW_COLUMNS: tuple[AgendaColumn, ...] = (
    AgendaColumn("#", None), AgendaColumn("When", 2), AgendaColumn("Who, how, window", 5),
)


def piped_width(columns: object) -> int:
    """The agenda's width when the output is not a terminal: ``columns`` (the COLUMNS
    variable) when it is a positive whole number, else 80."""
    text = columns.strip() if isinstance(columns, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= 9 and int(text) > 0:
        return int(text)
    return PIPED_WIDTH


def agenda_width(width: int | None) -> int:
    """The width the agenda is drawn at: ``width`` (default 120) kept between 40 and 1000."""
    return min(max(width or DEFAULT_WIDTH, MIN_WIDTH), MAX_WIDTH)


def render_agenda(items: list[AgendaItem], today: date, width: int | None = None) -> str:
    """A readable terminal table (rich): one row an item, then each item's script.

    No line is wider than ``width`` (see `agenda_width`): cells and scripts wrap, a
    word too long for its column (an email address) is folded onto the next line, and
    below 100 columns the table has three columns instead of six. The cells' text is
    shown as typed (brackets are not read as rich's markup).
    """
    from rich.console import Console
    from rich.text import Text

    columns = agenda_width(width)
    if not items:
        return _fit(f"Nothing due by {day_text(today)}.\n", columns)
    console = Console(width=columns, record=True, file=io.StringIO(), color_system=None)
    console.print(_table(items, today, WIDE_COLUMNS if columns >= WIDE_FROM else NARROW_COLUMNS))
    for n, it in enumerate(items, start=1):
        console.print(Text(f"\n#{n} {it.kind} {it.contact or it.company}: {it.action}", style="bold",
                           overflow="fold"))
        console.print(Text(it.script, overflow="fold"), soft_wrap=False)
    return _fit(console.export_text(), columns)


def _table(items: list[AgendaItem], today: date, layout: tuple[AgendaColumn, ...]) -> Table:
    """The table of the items, one row each, with the columns of ``layout``."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Due as of {day_text(today)}", show_lines=True, expand=True)
    for column in layout:
        if column.ratio is None:
            table.add_column(column.header, justify="right" if column.header == "#" else "left", no_wrap=True)
        else:
            table.add_column(column.header, ratio=column.ratio, overflow="fold")
    for n, it in enumerate(items, start=1):
        who = it.contact + ("\n" if it.contact else "") + it.company + (f", {it.position}" if it.position else "")
        reach = it.email if it.kind == "Email" else it.phone
        if layout == WIDE_COLUMNS:
            cells = [str(n), it.when(today), f"{it.kind}\n{it.flag}", who, reach, it.window]
        else:
            details = "\n".join(part for part in (who, reach, it.window) if part)
            cells = [str(n), f"{it.when(today)}\n{it.kind}\n{it.flag}", details]
        table.add_row(*(Text(cell) for cell in cells))
    return table


def _fit(text: str, columns: int) -> str:
    """``text`` without trailing spaces, and with any line still longer than ``columns``
    (one with characters rich counts as taking no room) cut into pieces that fit."""
    lines = []
    for line in text.split("\n"):
        line = line.rstrip()
        while len(line) > columns:
            lines.append(line[:columns])
            line = line[columns:]
        lines.append(line)
    return "\n".join(lines)
