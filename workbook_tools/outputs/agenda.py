"""The agenda: the calls and emails due, overdue first, as plain data and as a table.

In a terminal, each call's phone number and each email's address is a hyperlink to
the `tel:` or `mailto:` link the tracker's cell holds (`core.links`), written as the
OSC 8 escape sequence that terminals with hyperlinks understand and the others ignore.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from workbook_tools.core.events import CALL, EMAIL, follow_ups
from workbook_tools.core.model import Result, RowResult, TrackerData
from workbook_tools.core.values import day_text

if TYPE_CHECKING:  # rich is imported only when an agenda is drawn
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text


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
    link: str = ""  # the `tel:` link of a call's phone, the `mailto:` link of an email ("" for none)

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
    links = {res.row: res for res in result.rows if res.call_link is not None or res.mail_link is not None}
    items = [AgendaItem(f.kind, f.due, f.flag, f.company, f.position, f.contact, f.phone, f.email, f.window,
                        f.action, f.script, f.row, _link_of(links.get(f.row), f.kind))
             for f in follow_ups(data, result) if f.due is None or f.due <= horizon]
    items.sort(key=lambda i: (_group(i.day, today), i.day or today, i.kind, i.row))
    return items


def _link_of(res: RowResult | None, kind: str) -> str:
    """The URL of the row's link for a follow-up of ``kind`` ("" when it has none)."""
    link = None if res is None else res.call_link if kind == CALL else res.mail_link if kind == EMAIL else None
    return link.url if link is not None else ""


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


def render_agenda(items: list[AgendaItem], today: date, width: int | None = None, links: bool = False) -> str:
    """A readable terminal table (rich): one row an item, then each item's script.

    No line is wider than ``width`` (see `agenda_width`): cells and scripts wrap, a
    word too long for its column (an email address) is folded onto the next line, and
    below 100 columns the table has three columns instead of six. The cells' text is
    shown as typed (brackets are not read as rich's markup).

    With ``links`` (for a terminal), each call's phone and each email's address is a
    hyperlink to the item's `link` (`terminal_link`); the text is the same. The items'
    texts must hold no escape character then (the CLI escapes them first): the link
    sequences are the only ones in the output.
    """
    from rich.console import Console
    from rich.text import Text

    columns = agenda_width(width)
    if not items:
        return _fit(f"Nothing due by {day_text(today)}.\n", columns)
    console = Console(width=columns, record=not links, file=io.StringIO(), color_system=None)
    parts: list[RenderableType] = [_table(items, today, WIDE_COLUMNS if columns >= WIDE_FROM else NARROW_COLUMNS,
                                          links)]
    for n, it in enumerate(items, start=1):
        parts.append(Text(f"\n#{n} {it.kind} {it.contact or it.company}: {it.action}", style="bold",
                          overflow="fold"))
        parts.append(Text(it.script, overflow="fold"))
    if links:
        return _fit_linked(_linked_text(console, parts), columns)
    for part in parts:
        console.print(part)
    return _fit(console.export_text(), columns)


#: ECMA-48's OSC 8 hyperlink, as terminals read it: the opening (with the URI) and the end.
OSC8_OPEN = "\x1b]8;;{}\x1b\\"
OSC8_CLOSE = "\x1b]8;;\x1b\\"
#: One of the hyperlink sequences `render_agenda` writes (its URI printable ASCII, no space).
LINK_SEQUENCE = re.compile("(\x1b]8;;[\x21-\x7e]*\x1b\\\\)")


def terminal_link(url: str) -> str:
    """``url`` when it can be a terminal hyperlink: one of our links, in printable ASCII
    (so that it can neither end the escape sequence early nor hold another); else ""."""
    if url[:7].lower().startswith(("tel:", "mailto:")) and url.isascii() and url.isprintable():
        return url
    return ""


def _linked_text(console: Console, parts: list[RenderableType]) -> str:
    """The parts as the console lays them out, in plain text, with the text of each
    linked segment inside an OSC 8 hyperlink (rich's own link ids are left out: they
    change from run to run)."""
    out = []
    for part in parts:
        for segment in console.render(part):
            link = segment.style.link if segment.style is not None and not segment.control else None
            text = segment.text
            out.append(OSC8_OPEN.format(link) + text + OSC8_CLOSE if link and text.strip() else text)
    return "".join(out)


def plain(text: str) -> str:
    """``text`` without its hyperlink sequences."""
    return LINK_SEQUENCE.sub("", text)


def _fit_linked(text: str, columns: int) -> str:
    """`_fit` for text with hyperlinks: a line that fits keeps them; one that must be cut
    is cut as plain text."""
    lines = []
    for line in text.split("\n"):
        shown = plain(line)
        lines.append(line.rstrip() if len(shown.rstrip()) <= columns else _fit(shown, columns))
    return "\n".join(lines)


def _table(items: list[AgendaItem], today: date, layout: tuple[AgendaColumn, ...], links: bool = False) -> Table:
    """The table of the items, one row each, with the columns of ``layout``; with
    ``links``, the phone or address of each item with a link is a hyperlink to it."""
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
        url = terminal_link(it.link) if links and reach else ""
        if layout == WIDE_COLUMNS:
            cells = [Text(str(n)), Text(it.when(today)), Text(f"{it.kind}\n{it.flag}"), Text(who),
                     _linked(reach, url, 0), Text(it.window)]
        else:
            details = "\n".join(part for part in (who, reach, it.window) if part)
            at = len(who) + 1 if who else 0
            cells = [Text(str(n)), Text(f"{it.when(today)}\n{it.kind}\n{it.flag}"), _linked(details, url, at,
                                                                                          len(reach))]
        table.add_row(*cells)
    return table


def _linked(text: str, url: str, start: int, length: int | None = None) -> Text:
    """``text`` as a rich Text, its characters from ``start`` (``length`` of them, else to
    the end) a hyperlink to ``url`` when there is one."""
    from rich.style import Style
    from rich.text import Text

    out = Text(text)
    if url:
        out.stylize(Style(link=url), start, start + length if length is not None else len(text))
    return out


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
