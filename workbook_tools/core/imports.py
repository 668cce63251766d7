"""Bringing another list into the tracker, as pure data: a source given as a grid (rows
of cell values, as a CSV or a sheet holds them) becomes Interviews rows and Contacts
rows, with a report of which columns were read and why the others were not.

Nothing here reads a file: the app reads the source and the tracker, and writes what
`plan_import` returns. The rules (the names columns go by, the stages boards use, how
leniently two rows are one lead) are data in `core.rules.imports`.

How a source is read:
- the header row is the row among the first `HEADER_SCAN_ROWS` holding the most
  names the import knows; it needs a Company column and one more;
- a column maps to the target whose name it has: --map first, then the contract's own
  name, then a synonym (a weak one, such as a bare "Date", last); two columns for one
  target: the first of the best kind wins, the other is reported as ignored;
- each row's dates go through the engine's own date reader (`values.read_date`, day
  first as the tracker's Settings Country says), its stage through `STAGES`;
- a row without a company or a usable Event Date is a bad row (its line and a fix);
  one already in the tracker, or earlier in the import, is a duplicate (counted);
  the others come in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import chain
from typing import NamedTuple

from workbook_tools import contract as C
from workbook_tools.contract import CellValue
from workbook_tools.core.config import person_key
from workbook_tools.core.model import TrackerData
from workbook_tools.core.rules.imports import (
    COMPANY_PREFIXES,
    COMPANY_SUFFIXES,
    COMPUTED_COLUMNS,
    COMPUTED_WHY,
    DATE_HEADER_TYPES,
    HEADER_OTHERS,
    HEADER_SCAN_ROWS,
    IGNORE_WORDS,
    LINK,
    LONGEST_HEADER,
    STAGES,
    SYNONYMS,
    TARGETS,
    TWO_DIGIT_CENTURY,
    Stage,
)
from workbook_tools.core.values import FUTURE, PAST, BadValue, as_text, read_date, shown

# --- Records --------------------------------------------------------------------------


class ColumnMapped(NamedTuple):
    """A source column that is read: its index (0 = the first), its name as written,
    the target it fills (a key of `TARGETS`), and why ("--map", "same name", "synonym",
    "weak synonym")."""

    column: int
    name: str
    target: str
    how: str


class ColumnIgnored(NamedTuple):
    """A source column that is not read, and why, in words."""

    column: int
    name: str
    why: str


class MappingReport(NamedTuple):
    """How a source's columns were read: the line of its header row (1 = the first),
    the columns mapped and ignored (in column order), and the --map names no column has."""

    header_line: int
    mapped: tuple[ColumnMapped, ...]
    ignored: tuple[ColumnIgnored, ...]
    unused_maps: tuple[str, ...] = ()

    def target_column(self, target: str) -> ColumnMapped | None:
        """The column that fills ``target``, None when none does."""
        return next((m for m in self.mapped if m.target == target), None)


class BadRow(NamedTuple):
    """A source row left out: its line (1 = the first row of the source), what is
    wrong, and how to fix it."""

    line: int
    problem: str
    fix: str


class Notice(NamedTuple):
    """Something said about a row that still comes in (a stage not known, a text cut)."""

    line: int
    message: str


class RowKey(NamedTuple):
    """What makes two rows one lead: the company and position as `company_key` and
    `position_key` see them, and the event date."""

    company: str
    position: str
    day: date


class ImportRow(NamedTuple):
    """One row to add: its source line, its Interviews cells (contract header -> value),
    its Contacts cells when it names a person not on Contacts yet, and its key."""

    line: int
    interview: Mapping[str, CellValue]
    contact: Mapping[str, CellValue] | None
    key: RowKey


class ImportPlan(NamedTuple):
    """What one source brings: the mapping report, the rows to add, the bad rows, the
    notices, the rows already in the tracker or earlier in the import (``duplicates``),
    and the saved jobs not applied to yet (``not_applied``, left out: `rules.imports.STAGES`)."""

    mapping: MappingReport
    rows: tuple[ImportRow, ...]
    bad: tuple[BadRow, ...]
    notices: tuple[Notice, ...]
    duplicates: int
    not_applied: int


class Known(NamedTuple):
    """What the tracker (and the sources imported before) already hold: the keys of
    their rows, and the `config.person_key` of every person on Contacts."""

    rows: frozenset[RowKey]
    people: frozenset[str]

    def plus(self, plan: ImportPlan) -> Known:
        """These and the rows and people ``plan`` adds."""
        return Known(self.rows | {r.key for r in plan.rows},
                     self.people | {person_key(str(r.contact["Name"])) for r in plan.rows if r.contact})


class SourceProblem(ValueError):
    """A source that cannot be read as a list of leads (no header row, no date column):
    what is wrong and how to fix it."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(f"{message}. Fix: {fix}")
        self.message, self.fix = message, fix


class BadMap(ValueError):
    """A --map text that cannot be used; the message says why and what to write."""


# --- Names ------------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NOT_WORD = re.compile(r"[\W_]+")


def header_key(value: object) -> str:
    """A column name or a stage as the import compares them: case, spaces, punctuation
    and the joins of "snake_case" and "camelCase" ignored, "&" read as "and"
    ("Company_Name", "companyName" and "COMPANY NAME" are one)."""
    import unicodedata

    text = value if isinstance(value, str) else as_text(value)
    text = _CAMEL.sub(" ", text[: LONGEST_HEADER * 4])
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    return " ".join(_NOT_WORD.sub(" ", text).split())


class _Name(NamedTuple):
    target: str
    rank: int  # 1 the target's own name, 2 a synonym, 3 a weak synonym (--map is 0)
    how: str


def _names() -> dict[str, _Name]:
    names: dict[str, _Name] = {}
    for synonym in SYNONYMS:
        rank, how = (3, "weak synonym") if synonym.weak else (2, "synonym")
        for name in synonym.names:
            names.setdefault(header_key(name), _Name(synonym.target, rank, how))
    names.update({header_key(target): _Name(target, 1, "same name") for target in TARGETS})
    return names


_NAMES = _names()
_COMPUTED = frozenset(header_key(h) for h in COMPUTED_COLUMNS)
_STAGES = {header_key(name): stage for name, stage in STAGES.items()}
_TYPES = {header_key(t): t for t in C.TYPES}
_IGNORE = frozenset(header_key(w) for w in IGNORE_WORDS)


def parse_maps(texts: Iterable[object]) -> dict[str, str]:
    """The --map texts ("Job Title=Position", "Salary=" to leave a column out) as
    source column key (`header_key`) -> target ("" to leave it out). The target is read
    leniently, by any name the import knows for it. BadMap says what is wrong."""
    maps: dict[str, str] = {}
    for text in texts:
        raw = as_text(text)
        column, equals, target = raw.partition("=")
        if not equals or not header_key(column):
            raise BadMap(f"--map {shown(raw)} is not COLUMN=TARGET: write it like \"Job Title=Position\"")
        wanted = header_key(target)
        if wanted in _IGNORE:
            maps[header_key(column)] = ""
            continue
        found = _NAMES.get(wanted)
        if found is None:
            raise BadMap(f"--map {shown(raw)}: {shown(target.strip())} is not a column the import fills; "
                         f"name one of {', '.join(TARGETS)} (or nothing after = to leave the column out)")
        maps[header_key(column)] = found.target
    return maps


def stage_of(text: object) -> Stage | None:
    """What a stage means (`rules.imports.STAGES`), matched ignoring case, spaces and
    punctuation; None for a stage the table does not know."""
    return _STAGES.get(header_key(text))


def company_key(name: object) -> str:
    """A company's name as duplicates are found: case, accents, punctuation and the
    words that only say what kind of company it is ignored ("Acme, Inc." is "ACME")."""
    import unicodedata

    text = unicodedata.normalize("NFKD", as_text(name)[:1000])
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("&", " and ")
    words = _NOT_WORD.sub(" ", text).split()
    while len(words) > 1 and words[-1] in COMPANY_SUFFIXES:
        words.pop()
    while len(words) > 1 and words[0] in COMPANY_PREFIXES:
        words.pop(0)
    return " ".join(words)


def position_key(name: object) -> str:
    """A position as duplicates are found: case, spaces and punctuation ignored."""
    return header_key(as_text(name)[:1000])


# --- The header row and the columns -------------------------------------------------


def _column_name(cell: object) -> tuple[str, str]:
    """A header cell's text (as shown, cut for messages) and its key ("" when it is
    blank or too long to be a column name)."""
    text = as_text(cell)
    if not text or len(text) > LONGEST_HEADER:
        return text[:LONGEST_HEADER], ""
    return text, header_key(text)


def _targets_named(row: Sequence[object], maps: Mapping[str, str]) -> set[str]:
    """The targets a row's cells name (by --map, or by a name the import knows)."""
    found: set[str] = set()
    for cell in row:
        _, key = _column_name(cell)
        if not key:
            continue
        if key in maps:
            if maps[key]:
                found.add(maps[key])
        elif key in _NAMES:
            found.add(_NAMES[key].target)
    return found


def find_header(head: Sequence[Sequence[object]], maps: Mapping[str, str]) -> int | None:
    """The index in ``head`` (the source's first rows) of its header row: the row among
    the first `HEADER_SCAN_ROWS` naming the most targets, with Company and at least
    `HEADER_OTHERS` more (the first such row on a tie); None when no row does."""
    best, best_hits = None, 0
    for index, row in enumerate(head[:HEADER_SCAN_ROWS]):
        named = _targets_named(row, maps)
        if "Company" in named and len(named) > HEADER_OTHERS and len(named) > best_hits:
            best, best_hits = index, len(named)
    return best


def header_score(head: Sequence[Sequence[object]], maps: Mapping[str, str]) -> int:
    """How many targets the header row among ``head`` names (0 when no row is a header):
    of a workbook's sheets, the one scoring highest is imported."""
    index = find_header(head, maps)
    return 0 if index is None else len(_targets_named(head[index], maps))


def map_columns(header: Sequence[object], maps: Mapping[str, str], header_line: int) -> MappingReport:
    """Each column of the header row mapped to a target, or ignored with the reason."""
    candidates: list[tuple[int, int, str, str, str]] = []  # rank, column, name, target, how
    ignored: list[ColumnIgnored] = []
    used_maps: set[str] = set()
    for column, cell in enumerate(header):
        name, key = _column_name(cell)
        if not name:
            continue
        if key in maps:
            used_maps.add(key)
            if maps[key]:
                candidates.append((0, column, name, maps[key], "--map"))
            else:
                ignored.append(ColumnIgnored(column, name, "--map leaves it out"))
        elif key in _NAMES:
            found = _NAMES[key]
            candidates.append((found.rank, column, name, found.target, found.how))
        elif key in _COMPUTED:
            ignored.append(ColumnIgnored(column, name, COMPUTED_WHY))
        else:
            ignored.append(ColumnIgnored(column, name, f"not a name the import knows (--map \"{name}=Position\" "
                                                       "would read it as the Position, for one)"))
    mapped: dict[str, ColumnMapped] = {}
    for _, column, name, target, how in sorted(candidates):
        if target in mapped:
            ignored.append(ColumnIgnored(column, name, f"{target} is read from column {mapped[target].name!r}"))
        else:
            mapped[target] = ColumnMapped(column, name, target, how)
    unused = tuple(k for k in maps if k not in used_maps)
    return MappingReport(header_line, tuple(sorted(mapped.values())), tuple(sorted(ignored)), unused)


def mapping_of(head: Sequence[Sequence[object]], maps: Mapping[str, str]) -> MappingReport:
    """The header row found in the source's first rows and its columns mapped.
    SourceProblem when there is no header row, or no column for the Company or the
    Event Date (every row needs both)."""
    index = find_header(head, maps)
    if index is None:
        raise SourceProblem(f"no header row in the first {HEADER_SCAN_ROWS} rows (a row naming a Company column "
                            "and one more, such as Position, Date Applied or Status)",
                            "put the column names in one row above the data, or name the columns with "
                            "--map \"Your column=Company\"")
    report = map_columns(head[index], maps, index + 1)
    if report.target_column("Event Date") is None:
        raise SourceProblem(f"no date column in the header row (line {index + 1}): every row needs its Event Date "
                            "(the application, interview or meeting date)",
                            "name the column that holds the dates with --map \"Your column=Event Date\"")
    return report


# --- The rows ---------------------------------------------------------------------------


class _Reading:
    """What reading one source's rows needs and gathers: the mapping, the day and the
    day-first setting for dates, what is already known, and the results so far."""

    def __init__(self, mapping: MappingReport, known: Known, today: date, dayfirst: bool) -> None:
        self.mapping, self.as_of, self.dayfirst = mapping, today, dayfirst
        self.keys: set[RowKey] = set(known.rows)
        self.people: set[str] = set(known.people)
        self.rows: list[ImportRow] = []
        self.bad: list[BadRow] = []
        self.notices: list[Notice] = []
        self.duplicates = 0
        self.not_applied = 0
        date_column = mapping.target_column("Event Date")
        self.date_name = date_column.name if date_column else "Event Date"
        self.implied_type = _implied_type(self.date_name)


def _implied_type(date_header: str) -> str | None:
    wanted = header_key(date_header)
    return next((t for name, t in DATE_HEADER_TYPES.items() if header_key(name) == wanted), None)


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def _cells(row: Sequence[object], mapping: MappingReport) -> dict[str, object]:
    """The row's non-blank values by target."""
    width = len(row)
    return {m.target: row[m.column] for m in mapping.mapped if m.column < width and not _blank(row[m.column])}


def _fit(text: str) -> tuple[str, bool]:
    """``text`` cut to what one cell holds (`contract.MAX_CELL_TEXT` UTF-16 units, an
    ellipsis at the cut), and whether it was cut."""
    if len(text) * 2 <= C.MAX_CELL_TEXT:
        return text, False
    units = len(text.encode("utf-16-le", "surrogatepass")) // 2
    if units <= C.MAX_CELL_TEXT:
        return text, False
    cut = text[: C.MAX_CELL_TEXT - 1]
    while len(cut.encode("utf-16-le", "surrogatepass")) // 2 > C.MAX_CELL_TEXT - 1:
        over = len(cut.encode("utf-16-le", "surrogatepass")) // 2 - (C.MAX_CELL_TEXT - 1)
        cut = cut[: len(cut) - max(1, over // 2)]
    return cut + "\u2026", True


#: A date in numbers, or a day, a month's name and a year, ending in a two-digit year ("6/12/24", "12-Jun-24").
_TWO_DIGIT_YEAR = re.compile(r"^\s*(\d{1,2}([/.-])(?:\d{1,2}|[A-Za-z]{3,9})\2)(\d{2})(?![\d/.:-])")
_ISO_DATE_TIME = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}")


def _as_written_date(value: object) -> object:
    """A date cell's text as the engine's date reader takes it: an ISO date and time
    ("2024-06-12T10:00:00Z", as exports write it) as its date alone (read day first, the
    time would turn it into 6 Dec), and a two-digit year (`_TWO_DIGIT_YEAR`) with its
    century (`TWO_DIGIT_CENTURY`); anything else as it is."""
    if not isinstance(value, str):
        return value
    iso = _ISO_DATE_TIME.match(value[:200])
    if iso is not None:
        return iso.group(1)
    found = _TWO_DIGIT_YEAR.match(value[:200])
    if found is None:
        return value
    return f"{found.group(1)}{TWO_DIGIT_CENTURY + int(found.group(3))}{value[found.end():]}"


def _date(value: object, reading: _Reading, near: date, towards: str, line: int) -> date | None:
    """A date cell read as a typed cell is (BadValue for what is no date); a year-less
    date is placed as the engine places it, and said in a notice."""
    got = read_date(_as_written_date(value), dayfirst=reading.dayfirst, near=near, towards=towards)
    if got is None:
        return None
    if got.assumed:
        reading.notices.append(Notice(line, got.assumed))
    return got.day


def _text(cells: Mapping[str, object], target: str, reading: _Reading, line: int) -> str:
    """A text cell, cut to what a cell holds (a notice says so)."""
    text, cut = _fit(as_text(cells.get(target)))
    if cut:
        reading.notices.append(Notice(line, f"the {target} text is longer than a cell holds: cut to "
                                            f"{C.MAX_CELL_TEXT:,} characters"))
    return text


def _required(cells: Mapping[str, object], reading: _Reading, line: int) -> tuple[str, date] | BadRow:
    """The row's company and event date, or the bad row that says which is missing."""
    company_column = reading.mapping.target_column("Company")
    company_name = company_column.name if company_column else "Company"
    company = _text(cells, "Company", reading, line)
    if not company:
        return BadRow(line, f"no company (column {company_name!r} is blank)",
                      f"write the company in column {company_name!r} on line {line} and import again")
    fix = (f"write the date with its year (such as 2013-09-27) in column {reading.date_name!r} on line {line} "
           "and import again")
    try:
        day = _date(cells.get("Event Date"), reading, reading.as_of, PAST, line)
    except BadValue as exc:
        return BadRow(line, f"{reading.date_name}: {exc}", fix)
    if day is None:
        return BadRow(line, f"no date (column {reading.date_name!r} is blank)", fix)
    return company, day


class _Stage(NamedTuple):
    """A row's Type and Status as its stage and Type cells say, and what goes to Notes."""

    type: str | None
    status: str | None
    notes: list[str]


def _stage(cells: Mapping[str, object], reading: _Reading, line: int) -> _Stage:
    """The row's Type and Status: the Type cell's when it names a Type, else the stage's,
    else what the date column's name says; an unknown stage or Type is said, kept in
    Notes, and the row left open. (A saved job's row never gets here: `_read_row`.)"""
    notes: list[str] = []
    typed = as_text(cells.get("Type"))
    type_ = _TYPES.get(header_key(typed)) if typed else None
    if typed and type_ is None:
        from_stage = stage_of(typed)
        type_ = from_stage.type if from_stage is not None else None
        if type_ is None:
            notes.append(f"Type: {typed}")
            reading.notices.append(Notice(line, f"Type {shown(typed)} is not one of {', '.join(C.TYPES)}: "
                                                "kept in Notes"))
    written = as_text(cells.get("Status"))
    stage = stage_of(written) if written else None
    if written and stage is None:
        notes.append(f"Stage: {written}")
        reading.notices.append(Notice(line, f"stage {shown(written)} is not one the import knows: the row is "
                                            "left open, and the stage kept in Notes"))
    type_ = type_ or (stage.type if stage is not None else None) or reading.implied_type
    return _Stage(type_, stage.status if stage is not None else None, notes)


def _optional_dates(cells: Mapping[str, object], event: date, reading: _Reading, line: int,
                    notes: list[str]) -> dict[str, CellValue]:
    """Decision By (placed after the event) and Thank-You Sent (before today); one that is
    no date is kept in Notes instead, and said."""
    out: dict[str, CellValue] = {}
    for target, near, towards in (("Decision By", event, FUTURE), ("Thank-You Sent", reading.as_of, PAST)):
        if target not in cells:
            continue
        try:
            out[target] = _date(cells[target], reading, near, towards, line)
        except BadValue as exc:
            text = as_text(cells[target])
            notes.append(f"{target}: {text}")
            reading.notices.append(Notice(line, f"{target} {shown(text)} is not a date ({exc}): kept in Notes"))
    return out


_TEXT_TARGETS = ("Position", "Call When", "Cadence", "Talking Point")
_CONTACT_TARGETS = ("Phone", "Email", "Contact Title", "Time Zone", "Where We Met")


def _contact(cells: Mapping[str, object], company: str, reading: _Reading, line: int,
             notes: list[str]) -> tuple[str, dict[str, CellValue] | None]:
    """The row's contact name and, for a person not on Contacts yet, their Contacts
    row; a person's details without a name go to Notes."""
    name = _text(cells, "Contact", reading, line)
    details = {target: _text(cells, target, reading, line) for target in _CONTACT_TARGETS if target in cells}
    if not name:
        notes.extend(f"{TARGETS[t].header}: {text}" for t, text in details.items() if text)
        return "", None
    key = person_key(name)
    if key in reading.people:
        return name, None
    row: dict[str, CellValue] = {"Name": name, "Company": company}
    row.update({TARGETS[t].header: text for t, text in details.items() if text})
    return name, row


def _notes(cells: Mapping[str, object], extra: list[str], reading: _Reading, line: int) -> str:
    """The row's Notes: its own, then its link, then what the import kept for it."""
    parts = [as_text(cells.get("Notes"))]
    parts += [f"{m.name}: {as_text(cells[m.target])}" for m in reading.mapping.mapped
              if TARGETS[m.target].kind == LINK and m.target in cells]
    text, cut = _fit("\n".join(p for p in parts + extra if p))
    if cut:
        reading.notices.append(Notice(line, f"the Notes are longer than a cell holds: cut to "
                                            f"{C.MAX_CELL_TEXT:,} characters"))
    return text


def _read_row(row: Sequence[object], line: int, reading: _Reading) -> None:
    """One source row into ``reading``: a row to add, a bad row, a duplicate, or nothing
    (a blank row, or a job not applied to yet)."""
    cells = _cells(row, reading.mapping)
    if not cells:
        return
    written_stage = stage_of(cells["Status"]) if "Status" in cells else None
    if written_stage is not None and not written_stage.keep:
        reading.not_applied += 1
        return
    required = _required(cells, reading, line)
    if isinstance(required, BadRow):
        reading.bad.append(required)
        return
    company, day = required
    stage = _stage(cells, reading, line)
    interview: dict[str, CellValue] = {"Company": company, "Event Date": day}
    interview.update({t: text for t in _TEXT_TARGETS if (text := _text(cells, t, reading, line))})
    key = RowKey(company_key(company), position_key(interview.get("Position", "")), day)
    if key in reading.keys:
        reading.duplicates += 1
        return
    notes = stage.notes
    interview.update(_optional_dates(cells, day, reading, line, notes))
    name, contact = _contact(cells, company, reading, line, notes)
    interview.update({"Contact": name, "Type": stage.type, "Status": stage.status,
                      "Notes": _notes(cells, notes, reading, line)})
    reading.keys.add(key)
    if contact is not None:
        reading.people.add(person_key(name))
    reading.rows.append(ImportRow(line, {h: v for h, v in interview.items() if v not in (None, "")}, contact, key))


def plan_import(grid: Iterable[Sequence[object]], known: Known, maps: Mapping[str, str], *, today: date,
                dayfirst: bool) -> ImportPlan:
    """What the source ``grid`` (its rows from the first, each a sequence of cell values)
    brings to a tracker that holds ``known``: see the module's docstring. ``maps`` come
    from `parse_maps`; ``today`` places dates written without a year, ``dayfirst`` reads
    "3/10" (`values.dayfirst_for` of the tracker's Country). SourceProblem when the
    source has no header row or no date column."""
    rows = iter(grid)
    head: list[Sequence[object]] = []
    for row in rows:
        head.append(row)
        if len(head) == HEADER_SCAN_ROWS:
            break
    mapping = mapping_of(head, maps)
    reading = _Reading(mapping, known, today, dayfirst)
    line = mapping.header_line
    for row in chain(head[mapping.header_line:], rows):
        line += 1
        _read_row(row, line, reading)
    return ImportPlan(mapping, tuple(reading.rows), tuple(reading.bad), tuple(reading.notices),
                      reading.duplicates, reading.not_applied)


def known_rows(data: TrackerData, *, today: date, dayfirst: bool) -> Known:
    """The keys of the tracker's Interviews rows (those with a company and a readable
    Event Date) and the people on its Contacts."""
    keys: set[RowKey] = set()
    for _, rec in data.interviews.rows:
        company = as_text(rec.get("Company"))
        if not company:
            continue
        try:
            got = read_date(rec.get("Event Date"), dayfirst=dayfirst, near=today, towards=PAST)
        except BadValue:
            continue
        if got is not None:
            keys.add(RowKey(company_key(company), position_key(rec.get("Position")), got.day))
    people = {person_key(name) for _, rec in data.contacts.rows if (name := as_text(rec.get("Name")))}
    return Known(frozenset(keys), frozenset(people))
