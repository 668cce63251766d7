"""Interviews and Calls rows read into typed records, and each call matched to its row."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any, NamedTuple

from workbook_tools import contract as C
from workbook_tools.core.cadences import Cadence
from workbook_tools.core.call_when import CallWhen, Unreadable, parse_call_when
from workbook_tools.core.config import Config, Contact, note, person_key
from workbook_tools.core.model import SheetRow, SheetRows, Unread
from workbook_tools.core.rules.outcomes import NEEDS_NEW_DATE
from workbook_tools.core.scripts import key
from workbook_tools.core.values import FUTURE, PAST, BadValue, as_text, read_date, read_time, shown, time_in_date
from workbook_tools.errors import Problem

_TYPES = {key(t): t for t in C.TYPES}
_STATUSES = {key(s): s for s in C.STATUSES}
_OUTCOMES = {key(o): o for o in C.OUTCOMES}
_INPUTS = frozenset(C.INTERVIEW_INPUTS)


class Call(NamedTuple):
    """One logged call; tuples sort by day, then time of day, then sheet row."""

    day: date
    order: float
    row: int
    outcome: str
    new_date: date | None

    @property
    def timed(self) -> bool:
        """Whether the call's Time was read as a time of day (``order`` is then its
        fraction of the day). A blank or unreadable Time gives 0:00, and so does a date
        typed into Time, so a call at 0:00 counts as one without a Time (ours: nobody
        calls about a job at midnight; seed 002 warns against late-night calls)."""
        return 0.0 < self.order < 1.0


_new_call = tuple.__new__  # builds a Call from a tuple in C: the log can hold 300,000 calls


@dataclass(slots=True)
class Lead:
    row: int
    values: dict[str, Any]
    company: str
    position: str
    contact: str
    type: str
    event: date
    decision: date | None
    call_when: CallWhen | None
    cadence: Cadence
    status: str | None  # a closed status the user set, else None
    thank_you: date | None
    calls: list[Call] = field(default_factory=list)
    #: The contact's row on Contacts (None: no Contact, or a name not found there).
    person: Contact | None = None
    #: What Why says about cells of this row that were not understood, or read with an assumption.
    notes: RowNotes = field(default_factory=lambda: RowNotes())


class RowNotes:
    """What a row's Why says about its inputs: the cells not understood (each with what
    the plan assumed instead), and the cells read with an assumption (a year-less date)."""

    __slots__ = ("unread", "assumed")

    def __init__(self) -> None:
        self.unread: list[Unread] = []
        self.assumed: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.unread or self.assumed)


def note_problem(problems: list[Problem], notes: RowNotes, problem: Problem, assumed: str) -> None:
    """Report ``problem``, and note on the row what was not understood and what was assumed."""
    note(problems, notes.unread, problem, assumed)


class DateCell(NamedTuple):
    """How a date column is read: which way a date typed without a year goes, and what
    the plan assumes when the cell cannot be read."""

    towards: str
    assumed: str


#: The date columns of Interviews and Calls (a year-less event or call has happened; a
#: decision or a new date comes after).
DATE_CELLS = {
    "Event Date": DateCell(PAST, "the row cannot be planned"),
    "Decision By": DateCell(FUTURE, "planned without a decision date"),
    "Thank-You Sent": DateCell(PAST, "planned as if no thank-you was sent"),
    "Date": DateCell(PAST, "the call is left out"),
    "New Date": DateCell(FUTURE, "planned as if no New Date was given"),
}


def _date(sheet: SheetRows, header: str, row: int, value: Any, cfg: Config, near: date,
          problems: list[Problem], notes: RowNotes) -> date | None:
    """A date cell read; a Problem and a note when it is not a date, a note when its
    year was assumed."""
    if value is None or type(value) is date:
        return value
    cell = DATE_CELLS[header]
    if isinstance(value, time):  # what a reader gives for a time of day, or a number below 1 shown as a date
        note_problem(problems, notes, Problem(
            sheet.name, sheet.cell(header, row), f"{header} holds a time of day (or a number below 1), not a date",
            "type a date such as 2026-11-23, or pick one from the date picker"), cell.assumed)
        return None
    try:
        found = read_date(value, dayfirst=cfg.dayfirst, near=near, towards=cell.towards)
    except BadValue as err:
        note_problem(problems, notes, Problem(
            sheet.name, sheet.cell(header, row), f"{header} {err}",
            "type a date such as 2026-11-23, or pick one from the date picker"), cell.assumed)
        return None
    if found is None:
        return None
    if found.assumed:
        notes.assumed.append(f"{sheet.name}!{sheet.cell(header, row)} {found.assumed}")
    return found.day


class _LeadReader:
    """Reads Interviews rows into Leads, with a Problem for every cell it cannot use
    (and a note of it for the row's Why). Type, Status and Cadence cells repeat across
    rows: each spelling is resolved once."""

    def __init__(self, sheet: SheetRows, cfg: Config, today: date, problems: list[Problem]) -> None:
        self.sheet, self.cfg, self.as_of, self.problems = sheet, cfg, today, problems
        self.types: dict[Any, str | None] = {}
        self.statuses: dict[Any, str | None] = {}
        self.person_keys: dict[str, str] = {}  # a Contact cell -> its person_key
        self.notes = RowNotes()

    def problem(self, header: str, row: int, message: str, fix: str, assumed: str) -> None:
        note_problem(self.problems, self.notes, Problem(self.sheet.name, self.sheet.cell(header, row), message, fix),
                     assumed)

    def date_cell(self, header: str, row: int, value: Any, near: date) -> date | None:
        return value if value is None or type(value) is date else _date(
            self.sheet, header, row, value, self.cfg, near, self.problems, self.notes)

    def read(self, row: int, rec: dict[str, Any]) -> Lead | None:
        """The row's Lead, or None when it cannot be planned (its problems are reported,
        and kept in ``self.notes`` for the row)."""
        self.notes = RowNotes()
        company = as_text(rec.get("Company"))
        raw_event = rec.get("Event Date")
        event = raw_event if type(raw_event) is date else self.date_cell("Event Date", row, raw_event, self.as_of)
        if not company:
            self.problem("Company", row, "Company is blank", "write the company's name, or delete the row",
                         "the row cannot be planned")
        if event is None and (raw_event is None or not as_text(raw_event)):
            self.problem("Event Date", row, "Event Date is blank",
                         "write the date of the interview, application or meeting", "the row cannot be planned")
        type_ = self.lead_type(row, rec.get("Type"))
        status = self.status(row, rec.get("Status"))
        cadence = self.cadence(row, rec.get("Cadence"), type_)
        near = event or self.as_of
        decision = self.date_cell("Decision By", row, rec.get("Decision By"), near)
        thank_you = self.date_cell("Thank-You Sent", row, rec.get("Thank-You Sent"), self.as_of)
        call_when = self.call_when(row, rec.get("Call When"), event) if event is not None else None
        contact = as_text(rec.get("Contact"))
        person = self.person(row, contact) if contact else None
        if not company or event is None:
            return None
        return Lead(row, rec, company, as_text(rec.get("Position")), person.name if person else contact, type_,
                    event, decision, call_when, cadence, status, thank_you, person=person, notes=self.notes)

    def lead_type(self, row: int, raw: Any) -> str:
        if raw not in self.types:
            self.types[raw] = _TYPES.get(key(as_text(raw))) if as_text(raw) else C.DEFAULT_TYPE
        found = self.types[raw]
        if found is None:
            self.problem("Type", row, f"unknown Type {shown(raw)}",
                         "use one of " + ", ".join(C.TYPES) + f" (blank means {C.DEFAULT_TYPE})",
                         f"planned as {C.DEFAULT_TYPE.lower()}")
            return C.DEFAULT_TYPE
        return found

    def status(self, row: int, raw: Any) -> str | None:
        """The closed Status the user set, else None (blank or Active: open)."""
        if raw not in self.statuses:
            self.statuses[raw] = _STATUSES.get(key(as_text(raw)), _UNKNOWN) if as_text(raw) else None
        found = self.statuses[raw]
        if found == _UNKNOWN:
            self.problem("Status", row, f"unknown Status {shown(raw)}",
                         "use one of " + ", ".join(C.STATUSES) + " (blank means Active)", "planned as open")
            return None
        return None if found == C.ACTIVE else found

    def cadence(self, row: int, raw: Any, type_: str) -> Cadence:
        cadences = self.cfg.cadences
        text = as_text(raw) if raw is not None else ""
        if text and key(text) in cadences:
            return cadences[key(text)]
        default = cadences[self.cfg.default_cadence[type_]]
        if text:
            self.problem("Cadence", row, f"unknown cadence {shown(text)}",
                         "use one of " + ", ".join(c.name for c in cadences.values())
                         + ", or add it on the Cadences sheet", f"planned with {default.name}")
        return default

    def call_when(self, row: int, raw: Any, event: date) -> CallWhen | None:
        if raw is None:
            return None
        try:
            return parse_call_when(raw, event, dayfirst=self.cfg.dayfirst, holidays=self.cfg.calendar.holiday_named)
        except Unreadable:
            self.problem("Call When", row, f"cannot read Call When {shown(raw)}",
                         'write a date, or a phrase such as "after Tuesday", "mid-week", "early next week", '
                         '"end of next week", "in 2 weeks", or "after" and a public holiday of the Country on '
                         + ("Settings" if self.cfg.calendar.country else "Settings (which is blank)"),
                         "planned without it")
            return None

    def person(self, row: int, name: str) -> Contact | None:
        """The Contacts row of the name in Contact, matched leniently; a problem naming
        the closest names when there is none."""
        contacts = self.cfg.contacts
        k = self.person_keys.get(name)
        if k is None:
            k = self.person_keys[name] = person_key(name)
        found = contacts.get(k)
        if found is None:
            from difflib import get_close_matches  # only for a name that is not there

            names = [c.name for c in contacts.values()]
            close = get_close_matches(name, names, n=3, cutoff=0.6) if len(name) <= 200 else []
            fix = ("write the name as on Contacts: " + " or ".join(repr(n) for n in close) if close
                   else "add a row for them on Contacts, or write the name as it is there")
            self.problem("Contact", row, f"Contact {shown(name)} is not on Contacts", fix,
                         "planned without their time zone, country and details")
        else:
            self.notes.unread.extend(self.cfg.contact_notes.get(k, ()))
        return found


_UNKNOWN = "?"  # a Status cell that names no status


def read_leads(sheet: SheetRows, cfg: Config, today: date,
               problems: list[Problem]) -> tuple[list[Lead], dict[int, RowNotes]]:
    """The rows that can be planned, and those that cannot, each with its notes."""
    reader = _LeadReader(sheet, cfg, today, problems)
    leads: list[Lead] = []
    broken: dict[int, RowNotes] = {}
    for row, rec in sheet.rows:
        if rec.keys().isdisjoint(_INPUTS):
            continue  # blank inputs: the owned cells are cleared
        lead = reader.read(row, rec)
        if lead is None:
            broken[row] = reader.notes
        else:
            leads.append(lead)
    return leads, broken


class _CallLog:
    """Reads Calls rows the general way, with a Problem for every cell it cannot use,
    and finds each call's lead; a call's problems are noted on the rows of its company.
    Company and Outcome cells repeat across the log: each spelling is resolved once
    (the fast path of `attach_calls` reads these too)."""

    def __init__(self, sheet: SheetRows, leads: list[Lead], cfg: Config, today: date,
                 problems: list[Problem]) -> None:
        self.sheet, self.cfg, self.as_of, self.problems = sheet, cfg, today, problems
        self.by_company: dict[str, list[Lead]] = {}
        for lead in leads:
            self.by_company.setdefault(key(lead.company), []).append(lead)
        self.companies: dict[Any, list[Lead] | None] = {}
        self.outcomes: dict[Any, str | None] = {}
        self.notes = RowNotes()

    def problem(self, header: str, row: int, message: str, fix: str, assumed: str = "the call is left out") -> None:
        note_problem(self.problems, self.notes, Problem(self.sheet.name, self.sheet.cell(header, row), message, fix),
                     assumed)

    def read(self, row: int, rec: dict[str, Any]) -> tuple[Lead, Call] | None:
        """The call and its lead, or None when the row cannot be used (its problems are
        reported, and noted on the rows of its company)."""
        self.notes = RowNotes()
        candidates = self.candidates(row, rec)
        found = self._read(row, rec, candidates)
        if self.notes:
            for lead in [found[0]] if found is not None else candidates or ():
                lead.notes.unread.extend(self.notes.unread)
                lead.notes.assumed.extend(self.notes.assumed)
        return found

    def candidates(self, row: int, rec: dict[str, Any]) -> list[Lead] | None:
        raw_company = rec.get("Company")
        if raw_company not in self.companies:
            company = as_text(raw_company)
            self.companies[raw_company] = self.by_company.get(key(company)) if company else None
        return self.companies[raw_company]

    def _read(self, row: int, rec: dict[str, Any], candidates: list[Lead] | None) -> tuple[Lead, Call] | None:
        raw_company, raw_day, raw_outcome = rec.get("Company"), rec.get("Date"), rec.get("Outcome")
        day = raw_day if type(raw_day) is date else _date(self.sheet, "Date", row, raw_day, self.cfg, self.as_of,
                                                          self.problems, self.notes)
        company = as_text(raw_company)
        if not company:
            if day is not None or as_text(raw_outcome):
                self.problem("Company", row, "Company is blank",
                             "write the company this call was about, as on Interviews")
            return None
        if day is None:
            if not as_text(raw_day):
                self.problem("Date", row, "Date is blank", "write the day of the call")
            return None
        outcome = self.outcome(row, raw_outcome)
        if outcome is None:
            return None
        if not candidates:
            self.problem("Company", row, f"no row on Interviews for company {shown(company)}",
                         "spell the company as on Interviews, or add its row there")
            return None
        lead = _pick(candidates, as_text(rec.get("Position")), day, self.sheet, row, self.problems, self.notes)
        if lead is None:
            return None
        new_date = self.new_date(row, rec.get("New Date"), outcome, day)
        return lead, _new_call(Call, (day, self.time_of_day(row, rec.get("Time"), raw_day), row, outcome, new_date))

    def time_of_day(self, row: int, raw: Any, raw_day: Any) -> float:
        """The call's Time as a fraction of a day (`Call.order`): the Time cell's, else the
        time the Date cell also holds ("2025-11-26 16:45"), else 0 (none). A Time that is
        not a time of day is a problem, and the call counts as one without a Time."""
        order = read_time(raw)
        if order is None:
            self.problem("Time", row, f"Time {shown(raw)} is not a time of day",
                         "write the time of the call, such as 16:45 or 4:45 pm, or leave it blank",
                         "the call counts as one without a Time")
            return 0.0
        return order or time_in_date(raw_day) or 0.0

    def outcome(self, row: int, raw: Any) -> str | None:
        if raw not in self.outcomes:
            self.outcomes[raw] = _OUTCOMES.get(key(as_text(raw)))
        found = self.outcomes[raw]
        if found is None:
            text = as_text(raw)
            self.problem("Outcome", row, f"unknown Outcome {shown(text)}" if text else "Outcome is blank",
                         "use one of " + ", ".join(C.OUTCOMES))
        return found

    def new_date(self, row: int, raw: Any, outcome: str, day: date) -> date | None:
        new_date = raw if raw is None or type(raw) is date else _date(
            self.sheet, "New Date", row, raw, self.cfg, day, self.problems, self.notes)
        if outcome in NEEDS_NEW_DATE and new_date is None and not as_text(raw):
            self.problem("New Date", row, f"{outcome!r} needs a New Date", "write the date they gave you in New Date",
                         "planned as if you spoke with no date given")
        return new_date


def attach_calls(sheet: SheetRows, leads: list[Lead], cfg: Config, today: date, problems: list[Problem],
                 consume: bool = False) -> None:
    """Give each lead its calls, sorted by date and time (a call at a company with
    several rows: see `_pick`).

    ``consume`` empties ``sheet.rows`` as it goes, so that the memory of each row read
    serves the calls made of it (a refresh of 300,000 calls holds the log once, not
    twice)."""
    log = _CallLog(sheet, leads, cfg, today, problems)
    companies, outcomes = log.companies, log.outcomes
    for row, rec in _drain(sheet.rows) if consume else sheet.rows:
        get = rec.get
        # Fast path: a well-formed call for a company seen before with one row.
        candidates = companies.get(get("Company"))
        outcome = outcomes.get(get("Outcome"))
        raw_day = get("Date")
        if candidates and outcome and len(candidates) == 1 and type(raw_day) is date:
            raw_new, time = get("New Date"), get("Time")
            order = 0.0 if time is None else read_time(time)
            if order is not None and (type(raw_new) is date or (raw_new is None and outcome not in NEEDS_NEW_DATE)):
                candidates[0].calls.append(_new_call(Call, (raw_day, order, row, outcome, raw_new)))
                continue
        found = log.read(row, rec)
        if found is not None:
            found[0].calls.append(found[1])
    for lead in leads:
        if len(lead.calls) > 1:
            lead.calls.sort()


def _drain(rows: list[SheetRow]) -> Iterator[SheetRow]:
    """The items of ``rows``, each let go of as it is handed over; ``rows`` ends empty."""
    gone = SheetRow(0, {})
    for i in range(len(rows)):
        item = rows[i]
        rows[i] = gone
        yield item
    rows.clear()


def _pick(candidates: list[Lead], position: str, day: date, sheet: SheetRows, row: int,
          problems: list[Problem], notes: RowNotes) -> Lead | None:
    """The row of a company that a call belongs to. Its Position names it; without one,
    among the rows whose event the call follows (all rows when it follows none), the one
    open row, else the row of the latest such event. Only a real tie is a problem."""
    if len(candidates) == 1:
        return candidates[0]
    if position:
        match = [c for c in candidates if key(c.position) == key(position)]
        if len(match) == 1:
            return match[0]
        note_problem(problems, notes, Problem(
            sheet.name, sheet.cell("Position", row),
            f"no single row on Interviews for {shown(candidates[0].company)} with Position {shown(position)}",
            "use one of its positions: " + ", ".join(repr(c.position) for c in candidates)), "the call is left out")
        return None
    following = [c for c in candidates if c.event <= day] or candidates
    open_rows = [c for c in following if c.status is None]
    if len(open_rows) == 1:
        return open_rows[0]
    latest = max(c.event for c in following)
    last = [c for c in following if c.event == latest]
    if len(last) == 1:
        return last[0]
    note_problem(problems, notes, Problem(
        sheet.name, sheet.cell("Position", row),
        f"{shown(candidates[0].company)} has {len(last)} rows with the event on {latest.isoformat()} "
        "and Position is blank",
        "write which position the call was about: " + ", ".join(repr(c.position) for c in last)),
        "the call is left out")
    return None
