"""The agenda: the calls and emails due, overdue first, as plain data and as a table."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import NamedTuple

from workbook_tools import contract as C
from workbook_tools.core.model import Result, TrackerData
from workbook_tools.core.values import as_text, day_text
from workbook_tools.outputs.rows import planned_rows


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
    """Calls due by ``today + days`` and emails due now, overdue first."""
    horizon = today + timedelta(days=days)
    items: list[AgendaItem] = []
    for res, rec, contact, crec in planned_rows(data, result):
        lead = AgendaItem("", None, res.flag or "", as_text(rec.get("Company")), as_text(rec.get("Position")), contact,
                          as_text(crec.get("Phone")), as_text(crec.get("Email")), "", res.next_action or "", "",
                          res.row)
        if res.email_script:
            items.append(lead._replace(kind="Email", script=res.email_script))
        if res.call_script and res.next_call is None and res.flag == C.FLAG_CLOSED:
            items.append(lead._replace(kind="Call", script=res.call_script))
        elif res.call_script and res.next_call is not None and res.next_call <= horizon:
            items.append(lead._replace(kind="Call", day=res.next_call, window=res.call_window or "",
                                 script=res.call_script))
    items.sort(key=lambda i: (_group(i.day, today), i.day or today, i.kind, i.row))
    return items


def _group(day: date | None, today: date) -> int:
    """Overdue first, then what is due now or today, then what is coming."""
    if day is not None and day < today:
        return 0
    return 1 if day is None or day == today else 2


def render_agenda(items: list[AgendaItem], today: date, width: int | None = None) -> str:
    """A readable terminal table (rich): one line an item, then each item's script."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if not items:
        return f"Nothing due by {day_text(today)}.\n"
    table = Table(title=f"Due as of {day_text(today)}", show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("When", ratio=2)
    table.add_column("What", ratio=1)
    table.add_column("Who", ratio=3)
    table.add_column("Phone / email", ratio=2)
    table.add_column("Window", ratio=3)
    for n, it in enumerate(items, start=1):
        who = it.contact + ("\n" if it.contact else "") + it.company + (f", {it.position}" if it.position else "")
        reach = it.email if it.kind == "Email" else it.phone
        table.add_row(str(n), it.when(today), f"{it.kind}\n{it.flag}", who, reach, it.window)
    console = Console(width=width or 120, record=True, file=io.StringIO(), color_system=None)
    console.print(table)
    for n, it in enumerate(items, start=1):
        console.print(Text(f"\n#{n} {it.kind} {it.contact or it.company}: {it.action}", style="bold"))
        console.print(Text(it.script), soft_wrap=False)
    return console.export_text()

