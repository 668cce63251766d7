"""Plain data passed between the adapters and the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from workbook_tools import contract as C
from workbook_tools.contract import CellValue
from workbook_tools.errors import Problem


class SheetRow(NamedTuple):
    """One non-blank row of a sheet: its row number and its non-empty cells by header."""

    number: int
    values: dict[str, Any]


class Unread(NamedTuple):
    """A cell the engine could not read, for the Why of the rows it affects: where it is
    ("Settings!B5"), and what was wrong and what the plan assumed instead."""

    where: str
    what: str

    @classmethod
    def of(cls, problem: Problem, assumed: str) -> Unread:
        return cls(problem.where(), f"{problem.message} ({assumed})")

    def __str__(self) -> str:
        return f"{self.where} {self.what}"


class CellLink(NamedTuple):
    """A hyperlink for one owned cell (`core.links`): where it goes (a `tel:` or `mailto:`
    URI) and the tooltip Excel shows over it."""

    url: str
    tooltip: str


class TableEnd(NamedTuple):
    """The Excel Table that holds a sheet's header row: its name and its last row."""

    name: str
    last_row: int


@dataclass
class SheetRows:
    """One sheet read as a table: header name -> column letter, and the data rows.

    Contract headers are keyed by their contract spelling whatever the user's case or
    spacing; other columns by their header text. ``rows`` holds (sheet row number,
    values by header) for every non-blank row below the header, table or not; a
    row's dict holds only its non-empty cells, so a missing key means a blank cell.
    """

    name: str
    columns: dict[str, str] = field(default_factory=dict)
    rows: list[SheetRow] = field(default_factory=list)
    header_row: int = 1
    #: The Excel Table holding the header row, when there is one (files only).
    table: TableEnd | None = None
    #: Problems of the sheet that do not stop it being read (a stray value far below the
    #: table, left out): the engine reports them with the others.
    notices: list[Problem] = field(default_factory=list)

    def cell(self, header: str, row: int) -> str:
        """The A1 reference of ``header`` on ``row`` (just the column when row is 0)."""
        column = self.columns.get(header, "")
        return f"{column}{row}" if row > 0 and column else column


class TrackerData(NamedTuple):
    """The data sheets of a tracker, as read, and the tracker's identity: the value of
    the workbook's name `contract.TRACKER_ID_NAME` ("" when it has none), from which the
    calendar's UIDs come."""

    interviews: SheetRows
    calls: SheetRows
    contacts: SheetRows
    scripts: SheetRows
    cadences: SheetRows
    settings: SheetRows
    tracker_id: str = ""

    @property
    def sheets(self) -> tuple[SheetRows, ...]:
        return (self.interviews, self.calls, self.contacts, self.scripts, self.cadences, self.settings)


@dataclass(slots=True)
class RowResult:
    """The processor-owned cells of one Interviews row."""

    row: int
    calls_made: int | None = None
    last_call: date | None = None
    last_outcome: str | None = None
    next_call: date | None = None
    call_window: str | None = None
    next_action: str | None = None
    why: str | None = None
    call_script: str | None = None
    email_script: str | None = None
    flag: str | None = None
    refresh_record: str | None = None
    #: The day in the user's own time zone that the call window starts on, when it is
    #: not Next Call's (a contact far abroad); not a cell: the agenda lists the call then.
    your_day: date | None = None
    #: When the call window starts, in the contact's time zone (else the user's; naive
    #: when neither is known); not a cell: the calendar's event starts then.
    call_start: datetime | None = None
    #: The link of the row's call (the contact's phone, `tel:`) when it has a call to
    #: make, and of its email (`mailto:`, the message filled in) when an email is due;
    #: not cells: the writers add them as hyperlinks on Next Call and Flag
    #: (`core.links.linked_cells`, which leaves a blank cell without one).
    call_link: CellLink | None = None
    mail_link: CellLink | None = None

    def values(self) -> tuple[CellValue, ...]:
        """The values in the order of `contract.OWNED_COLUMNS`."""
        return (
            self.calls_made, self.last_call, self.last_outcome, self.next_call,
            self.call_window, self.next_action, self.why, self.call_script,
            self.email_script, self.flag, self.refresh_record,
        )

    def cells(self) -> dict[str, CellValue]:
        """Values keyed by the contract's owned column names."""
        return dict(zip(C.OWNED_COLUMNS, self.values()))


@dataclass
class Result:
    rows: list[RowResult]
    problems: list[Problem]
    #: The planned rows as the engine read them (`leads.Lead`: inputs and matched calls),
    #: for reports that need more than the owned cells.
    leads: list[Any] = field(default_factory=list)
