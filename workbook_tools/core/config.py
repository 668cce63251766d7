"""The tracker's own settings: Settings, Contacts, Cadences and Scripts, read into
plain data for the engine, with a Problem for every cell that cannot be used."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from workbook_tools import contract as C
from workbook_tools.core.cadences import Cadence, Step, parse_from, parse_wait
from workbook_tools.core.model import SheetRows, TrackerData
from workbook_tools.core.rules.cadences import BUILTIN_CADENCES
from workbook_tools.core.rules.lead_types import TYPE_RULES
from workbook_tools.core.rules.texts import DEFAULT_SCRIPTS
from workbook_tools.core.scripts import Template, compile_template, key
from workbook_tools.core.values import as_text, dayfirst_for
from workbook_tools.core.windows import valid_time_zone
from workbook_tools.core.workdays import UnknownRegion, WorkCalendar
from workbook_tools.errors import Problem

#: Derived placeholders, available to every script besides the sheets' columns.
DERIVED_PLACEHOLDERS = ("First Name", "Event Day")


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
    contacts: dict[str, dict[str, Any]]  # key(name) -> the contact's row as read
    contact_tz: dict[str, str | None] = field(default_factory=dict)  # key(name) -> valid zone
    #: (header, placeholder key) of the Contacts columns that some script uses.
    contact_keys: tuple[tuple[str, str], ...] = ()


def load_config(data: TrackerData, problems: list[Problem]) -> Config:
    settings, cells = _settings(data.settings)
    calendar = _calendar(settings, cells, data.settings, problems)
    tz = settings.get(key(C.TIME_ZONE)) or None
    if tz and not valid_time_zone(tz):
        problems.append(Problem(C.SETTINGS, cells[key(C.TIME_ZONE)], f"unknown time zone {tz!r}",
                                "write an IANA time zone name such as America/New_York or Europe/London"))
        tz = None
    cadences = _cadences(data.cadences, problems)
    contacts, contact_tz = _contacts(data.contacts, problems)
    known = {key(h) for h in data.interviews.columns} | {key(h) for h in C.INTERVIEW_HEADERS}
    known |= {key(h) for h in data.contacts.columns} | {key(h) for h in C.CONTACT_HEADERS}
    known |= set(settings) | {key(h) for h in DERIVED_PLACEHOLDERS}
    known |= {key(s) for s in (C.YOUR_NAME, C.YOUR_PHONE, C.YOUR_EMAIL)}
    templates = _templates(data.scripts, known, problems)
    used = set().union(*(t.keys() for t in templates.values()))
    return Config(
        settings={k: v for k, v in settings.items() if k in used},
        calendar=calendar,
        time_zone=tz,
        grace_days=_grace(settings, cells, problems),
        dayfirst=dayfirst_for(settings.get(key(C.COUNTRY))),
        default_cadence=_defaults(settings, cells, cadences, problems),
        cadences=cadences,
        templates=templates,
        contacts=contacts,
        contact_tz=contact_tz,
        contact_keys=tuple((h, key(h)) for h in data.contacts.columns if key(h) in used),
    )


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
              problems: list[Problem]) -> WorkCalendar:
    country = settings.get(key(C.COUNTRY)) or None
    subdivision = settings.get(key(C.SUBDIVISION)) or None
    try:
        return WorkCalendar(country, subdivision)
    except UnknownRegion as err:
        setting = C.COUNTRY if err.what == "country" else C.SUBDIVISION
        where = cells.get(key(setting), sheet.cell("Value", 0))
        if err.what == "country":
            fix = "write an ISO 3166 country code, or leave it blank for weekends only. Valid codes: "
        else:
            fix = f"write one of {country}'s subdivision codes, or leave it blank: "
        problems.append(Problem(C.SETTINGS, where, f"unknown {err.what} code {err.code!r}",
                                fix + ", ".join(err.valid)))
        if err.what == "subdivision":
            return WorkCalendar(country, None)
        return WorkCalendar(None, None)


def _grace(settings: dict[str, str], cells: dict[str, str], problems: list[Problem]) -> int:
    raw = settings.get(key(C.DAYS_AFTER_DECISION), "")
    if not raw:
        return C.DEFAULT_GRACE_DAYS
    m = re.fullmatch(r"(\d+)(?:\s*(?:business|working)?\s*days?)?", raw.strip().casefold())
    if not m:
        problems.append(Problem(C.SETTINGS, cells[key(C.DAYS_AFTER_DECISION)],
                                f"Days After Decision {raw!r} is not a whole number of business days",
                                f"write a number such as {C.DEFAULT_GRACE_DAYS}"))
        return C.DEFAULT_GRACE_DAYS
    return int(m.group(1))


def _defaults(settings: dict[str, str], cells: dict[str, str], cadences: dict[str, Cadence],
              problems: list[Problem]) -> dict[str, str]:
    out = {}
    for type_ in C.TYPES:
        setting = key(C.default_cadence_setting(type_))
        name = settings.get(setting) or TYPE_RULES[type_].cadence
        if key(name) not in cadences:
            problems.append(Problem(C.SETTINGS, cells[setting], f"unknown cadence {name!r}",
                                    "use one of " + ", ".join(c.name for c in cadences.values())))
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
            problems.append(Problem(C.CADENCES, sheet.cell("Step", row), f"Step {step_text!r} is not a step number",
                                    'write 1, 2, 3...; "3+" repeats the last step until you reach them'))
            bad = True
        if wait is None:
            problems.append(Problem(C.CADENCES, sheet.cell("Wait", row),
                                    f"cannot read the wait {as_text(rec.get('Wait'))!r}",
                                    'write it like "3 business days", "1 week", "10 days" '
                                    'or "1 week + 1 business day"'))
            bad = True
        if start is None:
            problems.append(Problem(C.CADENCES, sheet.cell("From", row),
                                    f"From {as_text(rec.get('From'))!r} is not understood",
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
    for k, (name, text) in texts.items():
        tpl = compile_template(name, text, known)
        for written in tpl.unknown:
            problems.append(Problem(C.SCRIPTS, where.get(k, sheet.cell("Text", 0)),
                                    f"script {name!r} names an unknown placeholder {{{written}}}",
                                    "use a column name of Interviews, Contacts or Settings, "
                                    "or {First Name} or {Event Day}"))
        out[k] = tpl
    return out


def _contacts(sheet: SheetRows, problems: list[Problem]) -> tuple[dict[str, dict[str, Any]], dict[str, str | None]]:
    """Contacts by name, and their time zones (a Problem for each unknown zone)."""
    contacts: dict[str, dict[str, Any]] = {}
    zones: dict[str, str | None] = {}
    for row, rec in sheet.rows:
        name = as_text(rec.get("Name"))
        if not name:
            continue
        tz = as_text(rec.get(C.TIME_ZONE)) or None
        if tz and not valid_time_zone(tz):
            problems.append(Problem(C.CONTACTS, sheet.cell(C.TIME_ZONE, row), f"unknown time zone {tz!r}",
                                    "write an IANA time zone name such as America/Chicago"))
            tz = None
        k = key(name)
        contacts[k] = rec
        zones[k] = tz
    return contacts, zones
