"""The tracker's own settings: Settings, Contacts, Cadences and Scripts, read into
plain data for the engine, with a Problem for every cell that cannot be used."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from workbook_tools import contract as C
from workbook_tools.core.cadences import WAIT_LIMITS, Cadence, Step, parse_from, parse_wait, wait_limit_problem
from workbook_tools.core.model import SheetRows, TrackerData, Unread
from workbook_tools.core.rules.cadences import BUILTIN_CADENCES
from workbook_tools.core.rules.lead_types import TYPE_RULES
from workbook_tools.core.rules.texts import DEFAULT_SCRIPTS, DERIVED
from workbook_tools.core.rules.windows import USER_DAY, DayHours
from workbook_tools.core.scripts import Template, compile_template, key
from workbook_tools.core.values import as_text, dayfirst_for, shown
from workbook_tools.core.windows import SEEDS_ORDER, WindowOrder, parse_hours
from workbook_tools.core.workdays import UnknownRegion, WorkCalendar
from workbook_tools.core.zones import ZoneReading, read_zone, zone_country, zone_problem_text
from workbook_tools.errors import Problem

#: Derived placeholders, available to every script besides the sheets' columns.
DERIVED_PLACEHOLDERS = DERIVED


class Contact(NamedTuple):
    """One Contacts row as the engine uses it."""

    name: str  # as written on Contacts: the scripts greet them by it
    row: dict[str, Any]  # the row as read
    time_zone: str | None  # a valid IANA zone, else None
    calendar: WorkCalendar | None  # their working days when their country is not the user's


@dataclass
class Config:
    settings: dict[str, str]  # key(setting) -> text, the settings that some script uses
    calendar: WorkCalendar
    time_zone: str | None
    grace_days: int
    dayfirst: bool
    default_cadence: dict[str, str]  # Type -> cadence key
    cadences: dict[str, Cadence]  # key(name) -> cadence
    templates: dict[str, Template]  # key(script name) -> template
    contacts: dict[str, Contact] = field(default_factory=dict)  # person_key(name) -> the contact
    #: (header, placeholder key) of the Contacts columns that some script uses.
    contact_keys: tuple[tuple[str, str], ...] = ()
    #: The user's own day: calls to contacts in other zones are planned inside it.
    hours: DayHours = USER_DAY
    #: What every row's Why says was not understood on Settings, and what the plan assumed.
    notes: list[Unread] = field(default_factory=list)
    #: The same for each contact's row, by person_key.
    contact_notes: dict[str, list[Unread]] = field(default_factory=dict)
    #: The order successive calls rotate through the windows: the seeds', or the one the
    #: tracker's own call log supports (`core.reach.learned_order`, set once the calls are read).
    window_order: WindowOrder = SEEDS_ORDER


def person_key(name: str) -> str:
    """Names of people match ignoring case, spaces, dots, hyphens and apostrophes of any
    kind ("O\u2019Brien" is "o'brien" is "OBrien")."""
    return _NOT_IN_NAME_KEY.sub("", name.casefold())


_NOT_IN_NAME_KEY = re.compile(r"[\s.'\u2018\u2019\u02bc`\u00b4-]+")


def note(problems: list[Problem], notes: list[Unread], problem: Problem, assumed: str) -> None:
    """Report ``problem``, and keep for the rows it affects a note of it and of what the
    plan assumed instead ("Settings!B5 unknown country code 'XX' (weekends only)")."""
    problems.append(problem)
    notes.append(Unread.of(problem, assumed))


def load_config(data: TrackerData, problems: list[Problem]) -> Config:
    settings, cells = _settings(data.settings)
    notes: list[Unread] = []
    calendar = _calendar(settings, cells, data.settings, problems, notes)
    tz = _user_zone(settings, cells, problems, notes)
    cadences = _cadences(data.cadences, problems)
    known = {key(h) for h in data.interviews.columns} | {key(h) for h in C.INTERVIEW_HEADERS}
    known |= {key(h) for h in data.contacts.columns} | {key(h) for h in C.CONTACT_HEADERS}
    known |= set(settings) | {key(h) for h in DERIVED_PLACEHOLDERS}
    known |= {key(s) for s in (C.YOUR_NAME, C.YOUR_PHONE, C.YOUR_EMAIL)}
    templates = _templates(data.scripts, known, problems)
    used = set().union(*(t.keys() for t in templates.values()))
    _blank_settings(settings, cells, used, problems)
    contact_notes: dict[str, list[Unread]] = {}
    contacts = _contacts(data.contacts, calendar, _home(calendar, tz), problems, contact_notes)
    return Config(
        settings={k: v for k, v in settings.items() if k in used},
        calendar=calendar,
        time_zone=tz,
        grace_days=_grace(settings, cells, problems, notes),
        dayfirst=dayfirst_for(settings.get(key(C.COUNTRY))),
        default_cadence=_defaults(settings, cells, cadences, problems, notes),
        cadences=cadences,
        templates=templates,
        contacts=contacts,
        contact_keys=tuple((h, key(h)) for h in data.contacts.columns if key(h) in used),
        hours=_hours(settings, cells, problems, notes),
        notes=notes,
        contact_notes=contact_notes,
    )


def _user_zone(settings: dict[str, str], cells: dict[str, str], problems: list[Problem],
               notes: list[Unread]) -> str | None:
    typed = settings.get(key(C.TIME_ZONE)) or None
    if typed is None:
        return None
    reading = read_zone(typed)
    if reading.zone is None:
        what, fix = zone_problem_text(reading)
        note(problems, notes, Problem(C.SETTINGS, cells[key(C.TIME_ZONE)], what, fix),
             "call times are given in the contact's time only")
    return reading.zone


def _hours(settings: dict[str, str], cells: dict[str, str], problems: list[Problem], notes: list[Unread]) -> DayHours:
    typed = settings.get(key(C.YOUR_HOURS))
    if not typed:
        return USER_DAY
    hours = parse_hours(typed)
    if hours is None:
        note(problems, notes, Problem(C.SETTINGS, cells[key(C.YOUR_HOURS)],
                                      f"{C.YOUR_HOURS} {shown(typed)} is not a span of hours",
                                      "write the hours you can take calls, such as 7:00-21:00"),
             f"calls inside {USER_DAY.start:%H:%M}-{USER_DAY.end:%H:%M} your time")
        return USER_DAY
    return hours


def _blank_settings(settings: dict[str, str], cells: dict[str, str], used: set[str],
                    problems: list[Problem]) -> None:
    """The settings the scripts sign with: a blank one leaves a script without it."""
    for name, fix in ((C.YOUR_NAME, "write your name as you say it on the phone"),
                      (C.YOUR_PHONE, "write the number they can call you back on"),
                      (C.YOUR_EMAIL, "write the email address you use for your search")):
        k = key(name)
        if k in used and k in cells and not settings.get(k):  # a row of the sheet left blank
            problems.append(Problem(C.SETTINGS, cells[k], f"{name} is blank, so the scripts leave it out", fix))


def _settings(sheet: SheetRows) -> tuple[dict[str, str], dict[str, str]]:
    values: dict[str, str] = {}
    cells: dict[str, str] = {}
    for row, rec in sheet.rows:
        name = as_text(rec.get("Setting"))
        if name:
            values[key(name)] = as_text(rec.get("Value"))
            cells[key(name)] = sheet.cell("Value", row)
    return values, cells


def _calendar(settings: dict[str, str], cells: dict[str, str], sheet: SheetRows,
              problems: list[Problem], notes: list[Unread]) -> WorkCalendar:
    country = settings.get(key(C.COUNTRY)) or None
    subdivision = settings.get(key(C.SUBDIVISION)) or None
    try:
        return WorkCalendar(country, subdivision)
    except UnknownRegion as err:
        setting = C.COUNTRY if err.what == "country" else C.SUBDIVISION
        where = cells.get(key(setting), sheet.cell("Value", 0))
        if err.what == "country":
            fix = "write an ISO 3166 country code, or leave it blank for weekends only. Valid codes: "
            assumed = "Saturdays and Sundays off, no public holidays"
        else:
            fix = f"write one of {country}'s subdivision codes, or leave it blank: "
            assumed = f"{country}'s national holidays only"
        note(problems, notes, Problem(C.SETTINGS, where, f"unknown {err.what} code {shown(err.code)}",
                                      fix + ", ".join(err.valid)), assumed)
        if err.what == "subdivision":
            return WorkCalendar(country, None)
        return WorkCalendar(None, None)


def _grace(settings: dict[str, str], cells: dict[str, str], problems: list[Problem], notes: list[Unread]) -> int:
    raw = settings.get(key(C.DAYS_AFTER_DECISION), "")
    if not raw:
        return C.DEFAULT_GRACE_DAYS
    m = re.fullmatch(r"(\d{1,3})(?:\s*(?:business|working)?\s*days?)?", raw.strip().casefold())
    if not m:
        note(problems, notes, Problem(C.SETTINGS, cells[key(C.DAYS_AFTER_DECISION)],
                                      f"Days After Decision {shown(raw)} is not a whole number of business days",
                                      f"write a number such as {C.DEFAULT_GRACE_DAYS}"),
             f"{C.DEFAULT_GRACE_DAYS} business days")
        return C.DEFAULT_GRACE_DAYS
    return int(m.group(1))


def _defaults(settings: dict[str, str], cells: dict[str, str], cadences: dict[str, Cadence],
              problems: list[Problem], notes: list[Unread]) -> dict[str, str]:
    out = {}
    for type_ in C.TYPES:
        setting = key(C.default_cadence_setting(type_))
        name = settings.get(setting) or TYPE_RULES[type_].cadence
        if key(name) not in cadences:
            note(problems, notes, Problem(C.SETTINGS, cells[setting], f"unknown cadence {shown(name)}",
                                          "use one of " + ", ".join(c.name for c in cadences.values())),
                 f"{TYPE_RULES[type_].cadence} for {type_} rows")
            name = TYPE_RULES[type_].cadence
        out[type_] = key(name)
    return out


def _cadences(sheet: SheetRows, problems: list[Problem]) -> dict[str, Cadence]:
    """Built-in cadences, then the sheet's rows: a name on the sheet replaces its steps."""
    steps: dict[str, list[tuple[int, Step]]] = {}
    names: dict[str, str] = {}
    for row, rec in sheet.rows:
        name = as_text(rec.get("Cadence"))
        if not name:
            continue
        step_text = as_text(rec.get("Step"))
        m = re.fullmatch(r"(\d+)\s*(\+?)", step_text)
        wait = parse_wait(rec.get("Wait"))
        start = parse_from(rec.get("From"))
        bad = False
        if not m:
            problems.append(Problem(C.CADENCES, sheet.cell("Step", row),
                                    f"Step {shown(step_text)} is not a step number",
                                    'write 1, 2, 3...; "3+" repeats the last step until you reach them'))
            bad = True
        if wait is None:
            problems.append(Problem(C.CADENCES, sheet.cell("Wait", row),
                                    f"cannot read the wait {shown(rec.get('Wait'))}",
                                    'write it like "3 business days", "1 week", "10 days" '
                                    'or "1 week + 1 business day"'))
            bad = True
        elif wait_limit_problem(wait):  # overflow guard: a plan must stay inside the calendar
            problems.append(Problem(C.CADENCES, sheet.cell("Wait", row),
                                    f"the wait {shown(rec.get('Wait'))} is {wait_limit_problem(wait)}",
                                    f"write a wait of at most {WAIT_LIMITS.weeks} weeks, {WAIT_LIMITS.days:,} days "
                                    f"or {WAIT_LIMITS.business_days:,} business days"))
            bad = True
        if start is None:
            problems.append(Problem(C.CADENCES, sheet.cell("From", row),
                                    f"From {shown(rec.get('From'))} is not understood",
                                    'write "event" or "previous call"'))
            bad = True
        if bad:
            continue
        assert m is not None and wait is not None and start is not None
        names.setdefault(key(name), name)
        steps.setdefault(key(name), []).append((int(m.group(1)), Step(wait, start, repeats=bool(m.group(2)))))
    out = {key(c.name): c for c in BUILTIN_CADENCES.values()}
    for k, numbered in steps.items():
        ordered = tuple(step for _, step in sorted(numbered, key=lambda p: p[0]))
        base = out.get(k)
        if base is not None:
            out[k] = base._replace(steps=ordered)
        else:
            out[k] = Cadence(names[k], ordered, source="your Cadences sheet", summary="")
    return out


def _templates(sheet: SheetRows, known: set[str], problems: list[Problem]) -> dict[str, Template]:
    texts: dict[str, tuple[str, str]] = {key(n): (n, t) for n, t in DEFAULT_SCRIPTS.items()}
    where: dict[str, str] = {}
    for row, rec in sheet.rows:
        name = as_text(rec.get("Script"))
        if name:
            texts[key(name)] = (name, as_text(rec.get("Text")))
            where[key(name)] = sheet.cell("Text", row)
    out = {}
    frozen = frozenset(known)
    for k, (name, text) in texts.items():
        tpl = _compiled(name, text, frozen)
        for written in tpl.unknown:
            problems.append(Problem(C.SCRIPTS, where.get(k, sheet.cell("Text", 0)),
                                    f"script {shown(name)} names an unknown placeholder {{{written}}}",
                                    "use a column name of Interviews, Contacts or Settings, "
                                    "or " + ", ".join("{" + d + "}" for d in DERIVED_PLACEHOLDERS)))
        out[k] = tpl
    return out


def _home(calendar: WorkCalendar, tz: str | None) -> str | None:
    """The user's country: Settings' Country, else their time zone's; None when neither says."""
    return (calendar.country or (zone_country(tz) if tz else None) or "").strip().upper() or None


@lru_cache(maxsize=512)
def _compiled(name: str, text: str, known: frozenset[str]) -> Template:
    """`compile_template`, once per text: trackers of a batch share their scripts (a
    Template is immutable)."""
    return compile_template(name, text, set(known))


def _contacts(sheet: SheetRows, user_calendar: WorkCalendar, home: str | None, problems: list[Problem],
              notes: dict[str, list[Unread]]) -> dict[str, Contact]:
    """Contacts by `person_key`, with their time zones and working days; a Problem (and
    a note for their rows) for each zone or country that cannot be used."""
    contacts: dict[str, Contact] = {}
    calendars: dict[str, WorkCalendar | UnknownRegion] = {}  # by country: contacts share a few
    for row, rec in sheet.rows:
        name = as_text(rec.get("Name"))
        if not name:
            continue
        k = person_key(name)
        if k in contacts:
            continue  # the first row of a name is the one used
        mine = notes.setdefault(k, [])
        tz = _contact_zone(sheet, row, rec, problems, mine)
        calendar = _contact_calendar(sheet, row, rec, tz, home, calendars, problems, mine)
        contacts[k] = Contact(name, rec, tz, calendar)
        if not mine:
            del notes[k]
    return contacts


def _contact_zone(sheet: SheetRows, row: int, rec: dict[str, Any], problems: list[Problem],
                  notes: list[Unread]) -> str | None:
    typed = rec.get(C.TIME_ZONE)
    if typed is None or not as_text(typed):
        return None
    reading = _read_zone(typed)
    if reading.zone is None:
        what, fix = zone_problem_text(reading)
        note(problems, notes, Problem(C.CONTACTS, sheet.cell(C.TIME_ZONE, row), what, fix),
             "the call window is in your own time")
    return reading.zone


def _country_meant(typed: str) -> str | None:
    """The code of a country written by name ("Germany": DE), when its zones say so."""
    countries = {zone_country(z) for z in _read_zone(typed).suggestions}
    countries.discard(None)
    return countries.pop() if len(countries) == 1 else None


@lru_cache(maxsize=4096)
def _zone_country(zone: str) -> str | None:
    """`zone_country`, once per zone."""
    return zone_country(zone)


@lru_cache(maxsize=4096)
def _read_zone(typed: Any) -> ZoneReading:
    """`read_zone`, once per spelling: many contacts share a few zones."""
    return read_zone(typed)


def _contact_calendar(sheet: SheetRows, row: int, rec: dict[str, Any], tz: str | None,
                      home: str | None, calendars: dict[str, WorkCalendar | UnknownRegion],
                      problems: list[Problem], notes: list[Unread]) -> WorkCalendar | None:
    """The contact's working days when they work abroad: their country (the Country
    cell, else their time zone's) is not the user's (``home``). None when it is the same,
    or unknown, or the user's own country is unknown and theirs was not written."""
    typed = as_text(rec.get(C.COUNTRY))
    country = typed or (_zone_country(tz) if tz and home else None)
    if not country or country.strip().upper() == home:
        return None
    code = country.strip().upper()
    if code not in calendars:
        try:
            calendars[code] = WorkCalendar(code, None)
        except UnknownRegion as err:
            calendars[code] = err
    found = calendars[code]
    if isinstance(found, WorkCalendar):
        return found
    if typed:  # a zone's own country the holidays package does not know: the user's days only
        meant = _country_meant(typed)
        start = f"write {meant}, the code of {typed}" if meant else (
            "write the ISO 3166 code of the country they work in (such as DE or GB)")
        note(problems, notes, Problem(C.CONTACTS, sheet.cell(C.COUNTRY, row), f"unknown country code {shown(typed)}",
                                      start + ", or leave it blank to use their time zone's. Valid codes: "
                                      + ", ".join(found.valid)), "your own working days only")
    return None
