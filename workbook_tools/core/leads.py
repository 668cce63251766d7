"""Interviews and Calls rows read into typed records, and each call matched to its row."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from workbook_tools import contract as C
from workbook_tools.core.cadences import Cadence
from workbook_tools.core.call_when import CallWhen, Unreadable, parse_call_when
from workbook_tools.core.config import Config
from workbook_tools.core.model import SheetRow, SheetRows
from workbook_tools.core.rules.outcomes import NEEDS_NEW_DATE
from workbook_tools.core.scripts import key
from workbook_tools.core.values import BadValue, as_date, as_text, sort_time
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

    @property
    def contact_key(self) -> str:
        return key(self.contact)


def _date(sheet: SheetRows, header: str, row: int, value: Any, cfg: Config,
          problems: list[Problem]) -> date | None:
    if value is None or type(value) is date:
        return value
    try:
        return as_date(value, cfg.dayfirst)
    except BadValue:
        problems.append(Problem(sheet.name, sheet.cell(header, row), f"{header} {as_text(value)!r} is not a date",
                                "type a date such as 2026-11-23, or pick one from the date picker"))
        return None


class _LeadReader:
    """Reads Interviews rows into Leads, with a Problem for every cell it cannot use.
    Type, Status and Cadence cells repeat across rows: each spelling is resolved once."""

    def __init__(self, sheet: SheetRows, cfg: Config, problems: list[Problem]) -> None:
        self.sheet, self.cfg, self.problems = sheet, cfg, problems
        self.types: dict[Any, str | None] = {}
        self.statuses: dict[Any, str | None] = {}

    def problem(self, header: str, row: int, message: str, fix: str) -> None:
        self.problems.append(Problem(self.sheet.name, self.sheet.cell(header, row), message, fix))

    def date_cell(self, header: str, row: int, value: Any) -> date | None:
        return value if value is None or type(value) is date else _date(
            self.sheet, header, row, value, self.cfg, self.problems)

    def read(self, row: int, rec: dict[str, Any]) -> Lead | None:
        """The row's Lead, or None when it cannot be planned (its problems are reported)."""
        company = as_text(rec.get("Company"))
        raw_event = rec.get("Event Date")
        event = raw_event if type(raw_event) is date else self.date_cell("Event Date", row, raw_event)
        if not company:
            self.problem("Company", row, "Company is blank", "write the company's name, or delete the row")
        if event is None and (raw_event is None or not as_text(raw_event)):
            self.problem("Event Date", row, "Event Date is blank",
                         "write the date of the interview, application or meeting")
        type_ = self.lead_type(row, rec.get("Type"))
        status = self.status(row, rec.get("Status"))
        cadence = self.cadence(row, rec.get("Cadence"), type_)
        decision = self.date_cell("Decision By", row, rec.get("Decision By"))
        thank_you = self.date_cell("Thank-You Sent", row, rec.get("Thank-You Sent"))
        call_when = self.call_when(row, rec.get("Call When"), event) if event is not None else None
        if not company or event is None:
            return None
        return Lead(row, rec, company, as_text(rec.get("Position")), as_text(rec.get("Contact")), type_,
                    event, decision, call_when, cadence, status, thank_you)

    def lead_type(self, row: int, raw: Any) -> str:
        if raw not in self.types:
            self.types[raw] = _TYPES.get(key(as_text(raw))) if as_text(raw) else C.DEFAULT_TYPE
        found = self.types[raw]
        if found is None:
            self.problem("Type", row, f"unknown Type {as_text(raw)!r}",
                         "use one of " + ", ".join(C.TYPES) + f" (blank means {C.DEFAULT_TYPE})")
            return C.DEFAULT_TYPE
        return found

    def status(self, row: int, raw: Any) -> str | None:
        """The closed Status the user set, else None (blank or Active: open)."""
        if raw not in self.statuses:
            self.statuses[raw] = _STATUSES.get(key(as_text(raw)), _UNKNOWN) if as_text(raw) else None
        found = self.statuses[raw]
        if found == _UNKNOWN:
            self.problem("Status", row, f"unknown Status {as_text(raw)!r}",
                         "use one of " + ", ".join(C.STATUSES) + " (blank means Active)")
            return None
        return None if found == C.ACTIVE else found

    def cadence(self, row: int, raw: Any, type_: str) -> Cadence:
        cadences = self.cfg.cadences
        text = as_text(raw) if raw is not None else ""
        if text and key(text) in cadences:
            return cadences[key(text)]
        if text:
            self.problem("Cadence", row, f"unknown cadence {text!r}",
                         "use one of " + ", ".join(c.name for c in cadences.values())
                         + ", or add it on the Cadences sheet")
        return cadences[self.cfg.default_cadence[type_]]

    def call_when(self, row: int, raw: Any, event: date) -> CallWhen | None:
        if raw is None:
            return None
        try:
            return parse_call_when(raw, event, dayfirst=self.cfg.dayfirst)
        except Unreadable as err:
            self.problem("Call When", row, f"cannot read Call When {str(err)!r}",
                         'write a date, or a phrase such as "after Tuesday", "mid-week", '
                         '"next week", "end of the month", "in 2 weeks"')
            return None


_UNKNOWN = "?"  # a Status cell that names no status


def read_leads(sheet: SheetRows, cfg: Config, problems: list[Problem]) -> tuple[list[Lead], list[int]]:
    """The rows that can be planned, and the row numbers of those that cannot."""
    reader = _LeadReader(sheet, cfg, problems)
    leads: list[Lead] = []
    broken: list[int] = []
    for row, rec in sheet.rows:
        if rec.keys().isdisjoint(_INPUTS):
            continue  # blank inputs: the owned cells are cleared
        lead = reader.read(row, rec)
        if lead is None:
            broken.append(row)
        else:
            leads.append(lead)
    return leads, broken


class _CallLog:
    """Reads Calls rows the general way, with a Problem for every cell it cannot use,
    and finds each call's lead. Company and Outcome cells repeat across the log: each
    spelling is resolved once (the fast path of `attach_calls` reads these too)."""

    def __init__(self, sheet: SheetRows, leads: list[Lead], cfg: Config, problems: list[Problem]) -> None:
        self.sheet, self.cfg, self.problems = sheet, cfg, problems
        self.by_company: dict[str, list[Lead]] = {}
        for lead in leads:
            self.by_company.setdefault(key(lead.company), []).append(lead)
        self.companies: dict[Any, list[Lead] | None] = {}
        self.outcomes: dict[Any, str | None] = {}

    def problem(self, header: str, row: int, message: str, fix: str) -> None:
        self.problems.append(Problem(self.sheet.name, self.sheet.cell(header, row), message, fix))

    def read(self, row: int, rec: dict[str, Any]) -> tuple[Lead, Call] | None:
        """The call and its lead, or None when the row cannot be used (its problems are reported)."""
        raw_company, raw_day, raw_outcome = rec.get("Company"), rec.get("Date"), rec.get("Outcome")
        day = raw_day if type(raw_day) is date else _date(self.sheet, "Date", row, raw_day, self.cfg, self.problems)
        company = raw_company if raw_company in self.companies else as_text(raw_company)
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
        lead = self.lead(row, raw_company, company, as_text(rec.get("Position"))) if outcome else None
        if outcome is None or lead is None:
            return None
        new_date = self.new_date(row, rec.get("New Date"), outcome)
        time = rec.get("Time")
        return lead, _new_call(Call, (day, 0.0 if time is None else sort_time(time), row, outcome, new_date))

    def outcome(self, row: int, raw: Any) -> str | None:
        if raw not in self.outcomes:
            self.outcomes[raw] = _OUTCOMES.get(key(as_text(raw)))
        found = self.outcomes[raw]
        if found is None:
            text = as_text(raw)
            self.problem("Outcome", row, f"unknown Outcome {text!r}" if text else "Outcome is blank",
                         "use one of " + ", ".join(C.OUTCOMES))
        return found

    def lead(self, row: int, raw_company: Any, company: str, position: str) -> Lead | None:
        if raw_company not in self.companies:
            self.companies[raw_company] = self.by_company.get(key(company))
        candidates = self.companies[raw_company]
        if not candidates:
            self.problem("Company", row, f"no row on Interviews for company {company!r}",
                         "spell the company as on Interviews, or add its row there")
            return None
        return candidates[0] if len(candidates) == 1 else _pick(candidates, position, self.sheet, row, self.problems)

    def new_date(self, row: int, raw: Any, outcome: str) -> date | None:
        new_date = raw if raw is None or type(raw) is date else _date(
            self.sheet, "New Date", row, raw, self.cfg, self.problems)
        if outcome in NEEDS_NEW_DATE and new_date is None and not as_text(raw):
            self.problem("New Date", row, f"{outcome!r} needs a New Date", "write the date they gave you in New Date")
        return new_date


def attach_calls(sheet: SheetRows, leads: list[Lead], cfg: Config, problems: list[Problem],
                 consume: bool = False) -> None:
    """Give each lead its calls, sorted by date and time. A company with several rows
    needs the call's Position, unless only one of its rows is open.

    ``consume`` empties ``sheet.rows`` as it goes, so that the memory of each row read
    serves the calls made of it (a refresh of 300,000 calls holds the log once, not
    twice)."""
    log = _CallLog(sheet, leads, cfg, problems)
    companies, outcomes = log.companies, log.outcomes
    for row, rec in _drain(sheet.rows) if consume else sheet.rows:
        get = rec.get
        # Fast path: a well-formed call for a company seen before with one row.
        candidates = companies.get(get("Company"))
        outcome = outcomes.get(get("Outcome"))
        raw_day = get("Date")
        if candidates and outcome and len(candidates) == 1 and type(raw_day) is date:
            raw_new, time = get("New Date"), get("Time")
            if type(raw_new) is date or (raw_new is None and outcome not in NEEDS_NEW_DATE):
                candidates[0].calls.append(_new_call(Call, (
                    raw_day, 0.0 if time is None else sort_time(time), row, outcome, raw_new)))
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


def _pick(candidates: list[Lead], position: str, sheet: SheetRows, row: int,
          problems: list[Problem]) -> Lead | None:
    if len(candidates) == 1:
        return candidates[0]
    if position:
        match = [c for c in candidates if key(c.position) == key(position)]
        if len(match) == 1:
            return match[0]
        problems.append(Problem(sheet.name, sheet.cell("Position", row),
                                f"no single row on Interviews for {candidates[0].company!r} with Position {position!r}",
                                "use one of its positions: " + ", ".join(repr(c.position) for c in candidates)))
        return None
    open_rows = [c for c in candidates if c.status is None]
    if len(open_rows) == 1:
        return open_rows[0]
    problems.append(Problem(sheet.name, sheet.cell("Position", row),
                            f"{candidates[0].company!r} has {len(candidates)} rows on Interviews and Position is blank",
                            "write which position the call was about: "
                            + ", ".join(repr(c.position) for c in candidates)))
    return None
