"""Interviews and Calls rows read into typed records, and each call matched to its row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from collections.abc import Iterator
from typing import Any, NamedTuple

from workbook_tools import contract as C
from workbook_tools.core.call_when import CallWhen, Unreadable, parse_call_when
from workbook_tools.core.cadences import Cadence
from workbook_tools.core.config import Config
from workbook_tools.errors import Problem
from workbook_tools.core.model import SheetRows
from workbook_tools.core.scripts import key
from workbook_tools.core.values import BadValue, as_date, as_text, sort_time

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


def read_leads(sheet: SheetRows, cfg: Config, problems: list[Problem]) -> tuple[list[Lead], list[int]]:
    """The rows that can be planned, and the row numbers of those that cannot."""
    leads: list[Lead] = []
    broken: list[int] = []
    types: dict[Any, str | None] = {}
    statuses: dict[Any, str | None] = {}
    for row, rec in sheet.rows:
        if rec.keys().isdisjoint(_INPUTS):
            continue  # blank inputs: the owned cells are cleared
        company = as_text(rec.get("Company"))
        v = rec.get("Event Date")
        event = v if type(v) is date else _date(sheet, "Event Date", row, v, cfg, problems)
        ok = True
        if not company:
            problems.append(Problem(sheet.name, sheet.cell("Company", row), "Company is blank",
                                    "write the company's name, or delete the row"))
            ok = False
        if event is None:
            if rec.get("Event Date") is None or not as_text(rec.get("Event Date")):
                problems.append(Problem(sheet.name, sheet.cell("Event Date", row), "Event Date is blank",
                                        "write the date of the interview, application or meeting"))
            ok = False
        raw = rec.get("Type")
        if raw not in types:
            types[raw] = _TYPES.get(key(as_text(raw))) if as_text(raw) else C.DEFAULT_TYPE
        type_ = types[raw]
        if type_ is None:
            problems.append(Problem(sheet.name, sheet.cell("Type", row), f"unknown Type {as_text(raw)!r}",
                                    "use one of " + ", ".join(C.TYPES) + f" (blank means {C.DEFAULT_TYPE})"))
            type_ = C.DEFAULT_TYPE
        raw = rec.get("Status")
        if raw not in statuses:
            statuses[raw] = _STATUSES.get(key(as_text(raw)), "?") if as_text(raw) else None
        status = statuses[raw]
        if status == "?":
            problems.append(Problem(sheet.name, sheet.cell("Status", row), f"unknown Status {as_text(raw)!r}",
                                    "use one of " + ", ".join(C.STATUSES) + " (blank means Active)"))
            status = None
        if status == C.ACTIVE:
            status = None
        raw = rec.get("Cadence")
        cadence_text = as_text(raw) if raw is not None else ""
        cadence = cfg.cadences[cfg.default_cadence[type_]]
        if cadence_text:
            if key(cadence_text) in cfg.cadences:
                cadence = cfg.cadences[key(cadence_text)]
            else:
                problems.append(Problem(sheet.name, sheet.cell("Cadence", row), f"unknown cadence {cadence_text!r}",
                                        "use one of " + ", ".join(c.name for c in cfg.cadences.values())
                                        + ", or add it on the Cadences sheet"))
        v = rec.get("Decision By")
        decision = v if v is None or type(v) is date else _date(sheet, "Decision By", row, v, cfg, problems)
        v = rec.get("Thank-You Sent")
        thank_you = v if v is None or type(v) is date else _date(sheet, "Thank-You Sent", row, v, cfg, problems)
        call_when = None
        if event is not None and rec.get("Call When") is not None:
            try:
                call_when = parse_call_when(rec.get("Call When"), event, dayfirst=cfg.dayfirst)
            except Unreadable as err:
                problems.append(Problem(sheet.name, sheet.cell("Call When", row), f"cannot read Call When {str(err)!r}",
                                        'write a date, or a phrase such as "after Tuesday", "mid-week", '
                                        '"next week", "end of the month", "in 2 weeks"'))
        if not ok or event is None:
            broken.append(row)
            continue
        leads.append(Lead(row, rec, company, as_text(rec.get("Position")), as_text(rec.get("Contact")), type_,
                          event, decision, call_when, cadence, status, thank_you))
    return leads, broken


def attach_calls(sheet: SheetRows, leads: list[Lead], cfg: Config, problems: list[Problem],
                 consume: bool = False) -> None:
    """Give each lead its calls, sorted by date and time. A company with several rows
    needs the call's Position, unless only one of its rows is open.

    ``consume`` empties ``sheet.rows`` as it goes, so that the memory of each row read
    serves the calls made of it (a refresh of 300,000 calls holds the log once, not
    twice)."""
    by_company: dict[str, list[Lead]] = {}
    for lead in leads:
        by_company.setdefault(key(lead.company), []).append(lead)
    # The log repeats the same company names and outcomes: resolve each spelling once.
    companies: dict[Any, list[Lead] | None] = {}
    outcomes: dict[Any, str | None] = {}
    needs_date = (C.NEW_DATE, C.NEXT_INTERVIEW)
    for row, rec in _drain(sheet.rows) if consume else sheet.rows:
        get = rec.get
        raw_company, raw_day, raw_outcome = get("Company"), get("Date"), get("Outcome")
        # Fast path: a well-formed call for a company seen before with one row.
        candidates = companies.get(raw_company)
        outcome = outcomes.get(raw_outcome)
        if candidates and outcome and len(candidates) == 1 and type(raw_day) is date:
            raw_new, time = get("New Date"), get("Time")
            if type(raw_new) is date or (raw_new is None and outcome not in needs_date):
                candidates[0].calls.append(_new_call(Call, (
                    raw_day, 0.0 if time is None else sort_time(time), row, outcome, raw_new)))
                continue
        day = raw_day if type(raw_day) is date else _date(sheet, "Date", row, raw_day, cfg, problems)
        company = raw_company if raw_company in companies else as_text(raw_company)
        if not company:
            if day is not None or as_text(raw_outcome):
                problems.append(Problem(sheet.name, sheet.cell("Company", row), "Company is blank",
                                        "write the company this call was about, as on Interviews"))
            continue
        if day is None:
            if not as_text(raw_day):
                problems.append(Problem(sheet.name, sheet.cell("Date", row), "Date is blank",
                                        "write the day of the call"))
            continue
        if raw_outcome not in outcomes:
            outcomes[raw_outcome] = _OUTCOMES.get(key(as_text(raw_outcome)))
        outcome = outcomes[raw_outcome]
        if outcome is None:
            text = as_text(raw_outcome)
            problems.append(Problem(sheet.name, sheet.cell("Outcome", row),
                                    f"unknown Outcome {text!r}" if text else "Outcome is blank",
                                    "use one of " + ", ".join(C.OUTCOMES)))
            continue
        if raw_company not in companies:
            companies[raw_company] = by_company.get(key(company))
        candidates = companies[raw_company]
        if not candidates:
            problems.append(Problem(sheet.name, sheet.cell("Company", row),
                                    f"no row on Interviews for company {company!r}",
                                    "spell the company as on Interviews, or add its row there"))
            continue
        lead = candidates[0] if len(candidates) == 1 else _pick(
            candidates, as_text(rec.get("Position")), sheet, row, problems)
        if lead is None:
            continue
        raw_new = rec.get("New Date")
        new_date = raw_new if raw_new is None or type(raw_new) is date else _date(
            sheet, "New Date", row, raw_new, cfg, problems)
        if outcome in (C.NEW_DATE, C.NEXT_INTERVIEW) and new_date is None and not as_text(raw_new):
            problems.append(Problem(sheet.name, sheet.cell("New Date", row), f"{outcome!r} needs a New Date",
                                    "write the date they gave you in New Date"))
        time = rec.get("Time")
        lead.calls.append(_new_call(Call, (day, 0.0 if time is None else sort_time(time), row, outcome, new_date)))
    for lead in leads:
        if len(lead.calls) > 1:
            lead.calls.sort()


def _drain(rows: list[tuple[int, dict[str, Any]]]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The items of ``rows``, each let go of as it is handed over; ``rows`` ends empty."""
    for i in range(len(rows)):
        item = rows[i]
        rows[i] = _GONE
        yield item
    rows.clear()


_GONE = (0, {})


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
                            "write which position the call was about: " + ", ".join(repr(c.position) for c in candidates)))
    return None
