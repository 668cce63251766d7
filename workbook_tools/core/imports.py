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
- a header not known as written is tried without its hints ("Date Applied (MM/DD/YYYY)"),
  each of its alternatives ("Job Title / Role") and its filler words ("E-mail address");
- a column of the tracker's own (a user column of Interviews) is filled from a source
  column of the same name, or one --map names it for;
- each row's dates go through the engine's own date reader (`values.read_date`), day
  first as the column's own dates prove (a "25/06/2024" anywhere in it), else as its
  header's hint says, else as the tracker's Settings Country says; a date range is read
  as its start; beside an application date, a filled interview date is the Event Date;
- a stage goes through `STAGES`, else through the words of `STAGE_WORDS`;
- a row without a company or a usable Event Date is a bad row (its line and a fix);
  one already in the tracker, or earlier in the import, is a duplicate (counted; a row
  without a position is the one lead of that company and day, when there is exactly
  one); the others come in;
- a contact already on Contacts at the same company (or at none) is linked; one of the
  same name at another company is not: the row's contact details go to its Notes, and
  a notice says how to tell the two apart.

Lines are the source's own (1 = its first line): `plan_import` is told the line each
grid row starts on when a record spans lines (a CSV's quoted notes).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
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
    DATE,
    DATE_HEADER_TYPES,
    DATE_ORDER_HINTS,
    DATE_RANGE_SEPARATORS,
    HEADER_ALTERNATIVES,
    HEADER_FILLER_WORDS,
    HEADER_HINT_BRACKETS,
    HEADER_OTHERS,
    HEADER_SCAN_ROWS,
    IGNORE_WORDS,
    LINK,
    LONGEST_HEADER,
    STAGE_WORDS,
    STAGES,
    SYNONYMS,
    TARGETS,
    TWO_DIGIT_CENTURY,
    USER,
    Stage,
    Target,
)
from workbook_tools.core.values import FUTURE, PAST, BadValue, as_text, day_text, read_date, shown

# --- Records --------------------------------------------------------------------------


class ColumnMapped(NamedTuple):
    """A source column that is read: its index (0 = the first), its name as written,
    the target it fills (a key of `TARGETS`, or a column of the tracker's own), why
    ("--map", "same name", "synonym", "weak synonym"; ", hint left out" when it was
    known by part of its name), and that known part as `header_key` has it."""

    column: int
    name: str
    target: str
    how: str
    known_as: str = ""


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


class PersonAt(NamedTuple):
    """A person on Contacts and their company: the `config.person_key` of the name and
    the `company_key` of the company ("" when none is written), and both as written."""

    person: str
    company: str
    name: str
    company_name: str


class Known(NamedTuple):
    """What the tracker (and the sources imported before) already hold: the keys of
    their rows, the `config.person_key` of every person on Contacts, and where each
    person works (``employers``: a namesake at another company is another person)."""

    rows: frozenset[RowKey]
    people: frozenset[str]
    employers: frozenset[PersonAt] = frozenset()

    def plus(self, plan: ImportPlan) -> Known:
        """These and the rows and people ``plan`` adds."""
        added = [person_at(r.contact.get("Name"), r.contact.get("Company")) for r in plan.rows if r.contact]
        return Known(self.rows | {r.key for r in plan.rows}, self.people | {p.person for p in added},
                     self.employers | set(added))


def person_at(name: object, company: object) -> PersonAt:
    """A Contacts row's person and company, keyed for matching."""
    name_text, company_text = as_text(name)[:1000], as_text(company)[:1000]
    return PersonAt(person_key(name_text), company_key(company_text), name_text, company_text)


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


class KnownName(NamedTuple):
    """What a column name means to the import: the target it fills, its rank (0 --map,
    1 the target's own name, 2 a synonym, 3 a weak synonym) and that rank in words."""

    target: str
    rank: int
    how: str


def _names() -> dict[str, KnownName]:
    names: dict[str, KnownName] = {}
    for synonym in SYNONYMS:
        rank, how = (3, "weak synonym") if synonym.weak else (2, "synonym")
        for name in synonym.names:
            names.setdefault(header_key(name), KnownName(synonym.target, rank, how))
    names.update({header_key(target): KnownName(target, 1, "same name") for target in TARGETS})
    return names


_NAMES = _names()
_COMPUTED = frozenset(header_key(h) for h in COMPUTED_COLUMNS)
_STAGES = {header_key(name): stage for name, stage in STAGES.items()}
_STAGE_WORDS = tuple((tuple(tuple(header_key(p).split()) for p in entry.phrases), entry.stage)
                     for entry in STAGE_WORDS)
_TYPES = {header_key(t): t for t in C.TYPES}
_IGNORE = frozenset(header_key(w) for w in IGNORE_WORDS)
_HINTS = re.compile("|".join(f"{re.escape(a)}[^{re.escape(b)}]*(?:{re.escape(b)}|$)" for a, b in HEADER_HINT_BRACKETS))
_ALTERNATIVES = re.compile("|".join(re.escape(a) for a in HEADER_ALTERNATIVES), re.IGNORECASE)
_ORDER_HINTS = tuple((tuple(phrase.split()), first) for phrase, first in DATE_ORDER_HINTS.items())


class Vocabulary(NamedTuple):
    """The column names one import knows (`header_key` -> `KnownName`) and the targets
    they fill: the rules' (`TARGETS`, `SYNONYMS`) and the tracker's own columns."""

    names: Mapping[str, KnownName]
    targets: Mapping[str, Target]


#: What an import knows when the tracker has no columns of its own.
RULES = Vocabulary(_NAMES, TARGETS)


def vocabulary(user_columns: Iterable[object] = ()) -> Vocabulary:
    """`RULES` and the tracker's own Interviews columns (their headers as written): each
    is filled from a source column of the same name. A name the rules already give a
    meaning to keeps it (a user column "Stage" is read as the stage; --map can say
    otherwise)."""
    names, targets = dict(_NAMES), dict(TARGETS)
    for header in user_columns:
        text = as_text(header)
        key = header_key(text)
        if not key or len(text) > LONGEST_HEADER or key in names or key in _COMPUTED:
            continue
        names[key] = KnownName(text, 1, "same name")
        targets[text] = Target(C.INTERVIEWS, text, USER, "the tracker's own column")
    return Vocabulary(names, targets)


def parse_maps(texts: Iterable[object], words: Vocabulary = RULES) -> dict[str, str]:
    """The --map texts ("Job Title=Position", "Salary=" to leave a column out) as
    source column key (`header_key`) -> target ("" to leave it out). The target is read
    leniently, by any name the import knows for it (``words``: the tracker's own columns
    too). BadMap says what is wrong."""
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
        found = words.names.get(wanted)
        if found is None:
            raise BadMap(f"--map {shown(raw)}: {shown(target.strip())} is not a column the import fills; "
                         f"name one of {', '.join(words.targets)} (or nothing after = to leave the column out)")
        maps[header_key(column)] = found.target
    return maps


def stage_of(text: object) -> Stage | None:
    """What a stage means: `rules.imports.STAGES` matched ignoring case, spaces and
    punctuation, else the first entry of `STAGE_WORDS` whose words the stage holds
    ("Position filled", "2nd interview"); None for a stage neither knows."""
    key = header_key(text)
    found = _STAGES.get(key)
    if found is not None or not key:
        return found
    words = key.split()
    for phrases, stage in _STAGE_WORDS:
        if any(_holds(words, phrase) for phrase in phrases):
            return stage
    return None


def _holds(words: Sequence[str], phrase: Sequence[str]) -> bool:
    """Whether ``phrase`` (words) is a run of ``words``."""
    size = len(phrase)
    return any(tuple(words[at:at + size]) == tuple(phrase) for at in range(len(words) - size + 1))


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


class NameFound(NamedTuple):
    """A header cell the import knows: what its name means, the part of the name that
    is known (a `header_key`), and whether that is the whole name."""

    known: KnownName
    key: str
    whole: bool


def _column_name(cell: object) -> tuple[str, str]:
    """A header cell's text (as shown, cut for messages) and its key ("" when it is
    blank or too long to be a column name)."""
    text = as_text(cell)
    if not text or len(text) > LONGEST_HEADER:
        return text[:LONGEST_HEADER], ""
    return text, header_key(text)


def _name_variants(text: str) -> Iterable[str]:
    """The keys a header's text may be known by, best first: without its bracketed
    hints, then each alternative, each also without filler words
    (`rules.imports.HEADER_HINT_BRACKETS`, `HEADER_ALTERNATIVES`, `HEADER_FILLER_WORDS`)."""
    bare = _HINTS.sub(" ", text)
    parts = [bare, *_ALTERNATIVES.split(bare)]
    for part in parts:
        key = header_key(part)
        yield key
        yield " ".join(w for w in key.split() if w not in HEADER_FILLER_WORDS)


def name_found(cell: object, words: Vocabulary = RULES) -> NameFound | None:
    """What a header cell's name means to the import, by its whole name, else by the
    first of `_name_variants` it knows; None for a name it does not know."""
    text, key = _column_name(cell)
    if not key:
        return None
    whole = words.names.get(key)
    if whole is not None:
        return NameFound(whole, key, True)
    for variant in _name_variants(text):
        known = words.names.get(variant) if variant and variant != key else None
        if known is not None:
            return NameFound(known, variant, False)
    return None


def _targets_named(row: Sequence[object], maps: Mapping[str, str], words: Vocabulary) -> set[str]:
    """The targets a row's cells name (by --map, or by a name the import knows)."""
    found: set[str] = set()
    for cell in row:
        _, key = _column_name(cell)
        if not key:
            continue
        if key in maps:
            if maps[key]:
                found.add(maps[key])
        elif (named := name_found(cell, words)) is not None:
            found.add(named.known.target)
    return found


def find_header(head: Sequence[Sequence[object]], maps: Mapping[str, str], words: Vocabulary = RULES) -> int | None:
    """The index in ``head`` (the source's first rows) of its header row: the row among
    the first `HEADER_SCAN_ROWS` naming the most targets, with Company and at least
    `HEADER_OTHERS` more (the first such row on a tie); None when no row does."""
    best, best_hits = None, 0
    for index, row in enumerate(head[:HEADER_SCAN_ROWS]):
        named = _targets_named(row, maps, words)
        if "Company" in named and len(named) > HEADER_OTHERS and len(named) > best_hits:
            best, best_hits = index, len(named)
    return best


def header_score(head: Sequence[Sequence[object]], maps: Mapping[str, str], words: Vocabulary = RULES) -> int:
    """How many targets the header row among ``head`` names (0 when no row is a header)."""
    index = find_header(head, maps, words)
    return 0 if index is None else len(_targets_named(head[index], maps, words))


#: What `sheet_score` adds for a header that is a list of leads for sure: a Company and a
#: date column known by more than a bare "Date" (ours: `other_sheet_too`).
LEAD_LIST = 1000


def sheet_score(head: Sequence[Sequence[object]], maps: Mapping[str, str], words: Vocabulary = RULES) -> int:
    """`header_score`, plus `LEAD_LIST` when the header names a Company and a date column
    by more than a weak name: of a workbook's sheets, the one scoring highest is
    imported, and the others `other_sheet_too` picks."""
    index = find_header(head, maps, words)
    if index is None:
        return 0
    report = map_columns(head[index], maps, index + 1, words)
    dates = [m for m in report.mapped if m.target in ("Event Date", "Interview Date") and m.how != "weak synonym"]
    return len(_targets_named(head[index], maps, words)) + (LEAD_LIST if dates else 0)


def other_sheet_too(best: float, score: float) -> bool:
    """Whether a workbook's sheet scoring ``score`` (`sheet_score`) is imported beside
    the best sheet (scoring ``best``): when it is a list of leads for sure, or has a
    header as good as the best one's (the same list, one sheet a year, say)."""
    return score >= LEAD_LIST or (score > 0 and score == best)


def map_columns(header: Sequence[object], maps: Mapping[str, str], header_line: int,
                words: Vocabulary = RULES) -> MappingReport:
    """Each column of the header row mapped to a target, or ignored with the reason."""
    candidates: list[tuple[int, bool, int, str, str, str, str]] = []  # rank, part, column, name, target, how, key
    ignored: list[ColumnIgnored] = []
    used_maps: set[str] = set()
    for column, cell in enumerate(header):
        name, key = _column_name(cell)
        if not name:
            continue
        found = name_found(cell, words) if key not in maps else None
        if key in maps:
            used_maps.add(key)
            if maps[key]:
                candidates.append((0, False, column, name, maps[key], "--map", key))
            else:
                ignored.append(ColumnIgnored(column, name, "--map leaves it out"))
        elif found is not None:
            how = found.known.how + ("" if found.whole else ", hint left out")
            candidates.append((found.known.rank, not found.whole, column, name, found.known.target, how, found.key))
        elif key in _COMPUTED:
            ignored.append(ColumnIgnored(column, name, COMPUTED_WHY))
        else:
            ignored.append(ColumnIgnored(column, name, f"not a name the import knows (--map \"{name}=Position\" "
                                                       "would read it as the Position, for one)"))
    mapped: dict[str, ColumnMapped] = {}
    for _, _, column, name, target, how, key in sorted(candidates):
        if target in mapped:
            ignored.append(ColumnIgnored(column, name, f"{target} is read from column {mapped[target].name!r}"))
        else:
            mapped[target] = ColumnMapped(column, name, target, how, key)
    if "Event Date" not in mapped and "Interview Date" in mapped:
        mapped["Event Date"] = mapped.pop("Interview Date")._replace(target="Event Date")
    unused = tuple(k for k in maps if k not in used_maps)
    return MappingReport(header_line, tuple(sorted(mapped.values())), tuple(sorted(ignored)), unused)


def mapping_of(head: Sequence[Sequence[object]], maps: Mapping[str, str], words: Vocabulary = RULES,
               lines: Sequence[int] = ()) -> MappingReport:
    """The header row found in the source's first rows and its columns mapped (its
    line from ``lines``, the line each row starts on, when given). SourceProblem when
    there is no header row, or no column for the Company or the Event Date (every row
    needs both)."""
    index = find_header(head, maps, words)
    if index is None:
        raise SourceProblem(f"no header row in the first {HEADER_SCAN_ROWS} rows (a row naming a Company column "
                            "and one more, such as Position, Date Applied or Status)",
                            "put the column names in one row above the data, or name the columns with "
                            "--map \"Your column=Company\"")
    line = lines[index] if index < len(lines) else index + 1
    report = map_columns(head[index], maps, line, words)
    if report.target_column("Event Date") is None:
        raise SourceProblem(f"no date column in the header row (line {line}): every row needs its Event Date "
                            "(the application, interview or meeting date)",
                            "name the column that holds the dates with --map \"Your column=Event Date\"")
    return report


# --- The rows ---------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(r"\s*([0-9]{1,2})[/.-]([0-9]{1,2})[/.-][0-9]{2,4}(?![0-9])")


class DateOrder(NamedTuple):
    """How a date column's "3/10" is read: day first or not, and why in words ("" when
    the tracker's Settings decide), with the line of the date that proves it (0: none)."""

    dayfirst: bool
    why: str = ""
    line: int = 0


def date_order(values: Iterable[tuple[int, object]], hint: bool | None, dayfirst: bool) -> DateOrder:
    """The order of day and month in one column's dates ((line, value) pairs): the one a
    date of the column proves ("25/06/2024": day first), when its dates prove only one;
    else the one its header's hint says (``hint``, None when it says none); else
    ``dayfirst``, as the tracker's Settings Country says."""
    proofs: dict[bool, tuple[int, str]] = {}
    for line, value in values:
        if not isinstance(value, str) or (found := _NUMERIC_DATE.match(value[:40])) is None:
            continue
        first, second = int(found.group(1)), int(found.group(2))
        if first > 12 >= second:
            proofs.setdefault(True, (line, value))
        elif second > 12 >= first:
            proofs.setdefault(False, (line, value))
        if len(proofs) == 2:
            break
    if len(proofs) == 1:
        ((day_is_first, (line, value)),) = proofs.items()
        return DateOrder(day_is_first, f"as its {shown(value)} on line {line} shows", line)
    if hint is not None:
        return DateOrder(hint, "as its header's hint says")
    return DateOrder(dayfirst)


def date_order_hint(header: object) -> bool | None:
    """What a date column's header says of its order of day and month, in its brackets
    ("Date Applied (DD/MM/YYYY)": day first, True); None when it says nothing."""
    for hint in _HINTS.findall(as_text(header)[:LONGEST_HEADER]):
        words = header_key(hint).split()
        for phrase, first in _ORDER_HINTS:
            if _holds(words, phrase):
                return first
    return None


def _date_orders(mapping: MappingReport, body: Sequence[tuple[int, Sequence[object]]], dayfirst: bool,
                 words: Vocabulary) -> tuple[dict[str, bool], list[Notice]]:
    """The order of each date column (by target), and a notice for each read otherwise
    than the tracker's Settings say."""
    orders: dict[str, bool] = {}
    notices: list[Notice] = []
    for m in mapping.mapped:
        if words.targets[m.target].kind != DATE:
            continue
        values = ((line, row[m.column]) for line, row in body if m.column < len(row))
        order = date_order(values, date_order_hint(m.name), dayfirst)
        orders[m.target] = order.dayfirst
        if order.dayfirst != dayfirst:
            said, other = ("day", "month") if order.dayfirst else ("month", "day")
            notices.append(Notice(order.line or mapping.header_line,
                                  f"the dates in column {m.name!r} are read {said} first, {order.why} (the "
                                  f"tracker's Settings Country writes the {other} first)"))
    return orders, notices


_DATE_TYPES = {header_key(name): type_ for name, type_ in DATE_HEADER_TYPES.items()}


class _Reading:
    """What reading one source's rows needs and gathers: the mapping, the day and the
    order of day and month for dates, what is already known, and the results so far."""

    def __init__(self, mapping: MappingReport, known: Known, today: date, dayfirst: bool,
                 orders: Mapping[str, bool], words: Vocabulary) -> None:
        self.mapping, self.as_of, self.dayfirst, self.orders, self.words = mapping, today, dayfirst, orders, words
        self.keys: set[RowKey] = set()
        self.by_day: dict[RowKey, int] = {}  # (company, "", day) -> how many leads that company has that day
        for key in known.rows:
            self.add_key(key)
        self.people: set[str] = set(known.people)
        self.employers: dict[str, list[PersonAt]] = {}
        for person in sorted(known.employers):
            self.employers.setdefault(person.person, []).append(person)
        self.rows: list[ImportRow] = []
        self.bad: list[BadRow] = []
        self.notices: list[Notice] = []
        self.duplicates = 0
        self.not_applied = 0
        self.date_name = self.column_name("Event Date")
        self.interview_name = self.column_name("Interview Date")
        date_column = mapping.target_column("Event Date")
        self.implied_type = _DATE_TYPES.get(date_column.known_as or header_key(date_column.name)) \
            if date_column is not None else None

    def column_name(self, target: str) -> str:
        """The name of the source column that fills ``target`` (the target's when none does)."""
        column = self.mapping.target_column(target)
        return column.name if column is not None else target

    def add_key(self, key: RowKey) -> None:
        if key not in self.keys:
            self.keys.add(key)
            day = key._replace(position="")
            self.by_day[day] = self.by_day.get(day, 0) + 1

    def is_duplicate(self, key: RowKey) -> bool:
        """Whether the lead ``key`` is known: the same company, position and day; or, for
        a row without a position, the one lead of that company on that day."""
        return key in self.keys or (not key.position and self.by_day.get(key, 0) == 1)

    def add_person(self, person: PersonAt) -> None:
        self.people.add(person.person)
        self.employers.setdefault(person.person, []).append(person)


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
_RANGE = re.compile("|".join(re.escape(s) for s in DATE_RANGE_SEPARATORS), re.IGNORECASE)


def _as_written_date(value: object) -> object:
    """A date cell's text as the engine's date reader takes it: an ISO date and time
    ("2024-06-12T10:00:00Z", as exports write it) as its date alone, and a two-digit
    year (`_TWO_DIGIT_YEAR`) with its century (`TWO_DIGIT_CENTURY`); anything else as it is."""
    if not isinstance(value, str):
        return value
    iso = _ISO_DATE_TIME.match(value[:200])
    if iso is not None:
        return iso.group(1)
    found = _TWO_DIGIT_YEAR.match(value[:200])
    if found is None:
        return value
    return f"{found.group(1)}{TWO_DIGIT_CENTURY + int(found.group(3))}{value[found.end():]}"


def _range_start(value: object) -> str | None:
    """The start of a date range ("June 12, 2024 → June 14, 2024": "June 12, 2024",
    `rules.imports.DATE_RANGE_SEPARATORS`); None for what is no range."""
    if not isinstance(value, str):
        return None
    parts = _RANGE.split(value[:200], maxsplit=1)
    return parts[0].strip() if len(parts) == 2 and parts[0].strip() and parts[1].strip() else None


def _date(value: object, reading: _Reading, near: date, towards: str, line: int, target: str) -> date | None:
    """A date cell read as a typed cell is (BadValue for what is no date), day first as
    its column's order says; a range as its start; a year-less date is placed as the
    engine places it. What was assumed is said in a notice."""
    dayfirst = reading.orders.get(target, reading.dayfirst)
    start = _range_start(value)
    got = None
    if start is not None:
        try:
            got = read_date(_as_written_date(start), dayfirst=dayfirst, near=near, towards=towards)
        except BadValue:
            pass  # not a range after all ("12 - 06 - 2024"), or one that starts with no date: read whole
        if got is not None:
            reading.notices.append(Notice(line, f"{shown(value)} is a range of dates: read as its start, "
                                                f"{day_text(got.day)}"))
    if got is None:
        try:
            got = read_date(_as_written_date(value), dayfirst=dayfirst, near=near, towards=towards)
        except BadValue as exc:
            if start is None:
                raise
            raise BadValue(f"{shown(value)} is not a date, nor a range of dates starting with one") from exc
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


class _Event(NamedTuple):
    """A row's company and Event Date; whether that is its interview date, and then
    what its application date said (for its Notes)."""

    company: str
    day: date
    at_interview: bool = False
    applied: str = ""


def _date_fix(name: str, line: int) -> str:
    return f"write the date with its year (such as 2013-09-27) in column {name!r} on line {line} and import again"


def _required(cells: Mapping[str, object], reading: _Reading, line: int) -> _Event | BadRow:
    """The row's company and event date (its interview date when it has one), or the
    bad row that says which is missing."""
    company_name = reading.column_name("Company")
    company = _text(cells, "Company", reading, line)
    if not company:
        return BadRow(line, f"no company (column {company_name!r} is blank)",
                      f"write the company in column {company_name!r} on line {line} and import again")
    interview = None
    if "Interview Date" in cells:
        try:
            interview = _date(cells["Interview Date"], reading, reading.as_of, PAST, line, "Interview Date")
        except BadValue as exc:
            return BadRow(line, f"{reading.interview_name}: {exc}", _date_fix(reading.interview_name, line))
    try:
        day = _date(cells.get("Event Date"), reading, reading.as_of, PAST, line, "Event Date")
    except BadValue as exc:
        if interview is None:
            return BadRow(line, f"{reading.date_name}: {exc}", _date_fix(reading.date_name, line))
        day = None
    if interview is not None:
        applied = day_text(day) if day is not None else as_text(cells.get("Event Date"))
        return _Event(company, interview, True, f"{reading.date_name}: {applied}" if applied else "")
    if day is None:
        return BadRow(line, f"no date (column {reading.date_name!r} is blank)", _date_fix(reading.date_name, line))
    return _Event(company, day)


class _Stage(NamedTuple):
    """A row's Type and Status as its stage and Type cells say, and what goes to Notes."""

    type: str | None
    status: str | None
    notes: list[str]


def _stage(cells: Mapping[str, object], reading: _Reading, line: int, at_interview: bool) -> _Stage:
    """The row's Type and Status: the Type cell's when it names a Type, else the stage's,
    else what the date column's name says (Interview, for a row dated by its interview
    date, unless the stage says more); an unknown stage or Type is said, kept in Notes,
    and the row left open. (A saved job's row never gets here: `_read_row`.)"""
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
    staged = stage.type if stage is not None else None
    if at_interview and staged in (None, C.APPLICATION):
        staged = C.INTERVIEW
    type_ = type_ or staged or reading.implied_type
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
            out[target] = _date(cells[target], reading, near, towards, line, target)
        except BadValue as exc:
            text = as_text(cells[target])
            notes.append(f"{target}: {text}")
            reading.notices.append(Notice(line, f"{target} {shown(text)} is not a date ({exc}): kept in Notes"))
    return out


_TEXT_TARGETS = ("Position", "Call When", "Cadence", "Talking Point")
_CONTACT_TARGETS = ("Phone", "Email", "Contact Title", "Time Zone", "Where We Met")
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,10})?")


def _user_value(value: object) -> CellValue:
    """A value for a column of the tracker's own: a number, date or TRUE/FALSE as it is,
    a text that is a plain number ("5", "120000", not "007") as that number, other text
    as text (cut to a cell)."""
    if isinstance(value, (bool, date)):
        return value
    if isinstance(value, int) and abs(value) < 10**15:
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    text = _fit(as_text(value))[0]
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


def _user_cells(cells: Mapping[str, object], reading: _Reading) -> dict[str, CellValue]:
    """The row's values for the tracker's own columns."""
    targets = reading.words.targets
    return {targets[m.target].header: _user_value(cells[m.target]) for m in reading.mapping.mapped
            if targets[m.target].kind == USER and m.target in cells}


def _namesake(name: str, company: str, other: PersonAt) -> str:
    """The notice for a contact whose name is on Contacts at another company."""
    return (f"{shown(name)} is on Contacts at {other.company_name}, and this row is at {company}: it is not linked "
            f"to that contact, and its contact details are kept in its Notes. Fix: if they are one person, type the "
            f"name in the row's Contact; if two, add this one to Contacts under a name that tells them apart (such "
            f"as {shown(f'{name} ({company})')}) and type that in the row's Contact")


def _contact(cells: Mapping[str, object], company: str, reading: _Reading, line: int,
             notes: list[str]) -> tuple[str, dict[str, CellValue] | None]:
    """The row's contact name and, for a person not on Contacts yet, their Contacts
    row; a person's details without a name go to Notes, and so do the name and details
    of a person whose name is on Contacts at another company only (the row is not linked
    to them: a notice says so)."""
    name = _text(cells, "Contact", reading, line)
    details = {target: _text(cells, target, reading, line) for target in _CONTACT_TARGETS if target in cells}
    kept = [f"{TARGETS[t].header}: {text}" for t, text in details.items() if text]
    if not name:
        notes.extend(kept)
        return "", None
    person = person_at(name, company)
    if person.person not in reading.people:
        reading.add_person(person)
        row: dict[str, CellValue] = {"Name": name, "Company": company}
        row.update({TARGETS[t].header: text for t, text in details.items() if text})
        return name, row
    places = reading.employers.get(person.person, [])
    if not places or any(p.company in ("", person.company) for p in places):
        return name, None
    notes.extend([f"Contact: {name}", *kept])
    reading.notices.append(Notice(line, _namesake(name, company, places[0])))
    return "", None


def _notes(cells: Mapping[str, object], extra: list[str], reading: _Reading, line: int) -> str:
    """The row's Notes: its own, then its link, then what the import kept for it."""
    parts = [as_text(cells.get("Notes"))]
    parts += [f"{m.name}: {as_text(cells[m.target])}" for m in reading.mapping.mapped
              if reading.words.targets[m.target].kind == LINK and m.target in cells]
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
    event = _required(cells, reading, line)
    if isinstance(event, BadRow):
        reading.bad.append(event)
        return
    interview: dict[str, CellValue] = {"Company": event.company, "Event Date": event.day}
    interview.update({t: text for t in _TEXT_TARGETS if (text := _text(cells, t, reading, line))})
    key = RowKey(company_key(event.company), position_key(interview.get("Position", "")), event.day)
    if reading.is_duplicate(key):
        reading.duplicates += 1
        return
    stage = _stage(cells, reading, line, event.at_interview)
    notes = stage.notes + ([event.applied] if event.applied else [])
    interview.update(_optional_dates(cells, event.day, reading, line, notes))
    name, contact = _contact(cells, event.company, reading, line, notes)
    interview.update({"Contact": name, "Type": stage.type, "Status": stage.status,
                      "Notes": _notes(cells, notes, reading, line)})
    interview.update(_user_cells(cells, reading))
    reading.add_key(key)
    reading.rows.append(ImportRow(line, {h: v for h, v in interview.items() if v not in (None, "")}, contact, key))


def plan_import(grid: Iterable[Sequence[object]], known: Known, maps: Mapping[str, str], *, today: date,
                dayfirst: bool, lines: Sequence[int] = (), words: Vocabulary = RULES) -> ImportPlan:
    """What the source ``grid`` (its rows from the first, each a sequence of cell values)
    brings to a tracker that holds ``known``: see the module's docstring. ``maps`` come
    from `parse_maps`; ``today`` places dates written without a year, ``dayfirst`` reads
    "3/10" (`values.dayfirst_for` of the tracker's Country) in a column whose own dates
    do not say; ``lines`` is the source line each row starts on (row index + 1 when
    not given); ``words`` what the import knows (`vocabulary`: the tracker's own columns
    too). SourceProblem when the source has no header row or no date column."""
    rows = grid if isinstance(grid, list) else list(grid)
    head = rows[:HEADER_SCAN_ROWS]
    mapping = mapping_of(head, maps, words, lines)
    first = (find_header(head, maps, words) or 0) + 1
    body = [(lines[i] if i < len(lines) else i + 1, rows[i]) for i in range(first, len(rows))]
    orders, notices = _date_orders(mapping, body, dayfirst, words)
    reading = _Reading(mapping, known, today, dayfirst, orders, words)
    reading.notices.extend(notices)
    for line, row in body:
        _read_row(row, line, reading)
    return ImportPlan(mapping, tuple(reading.rows), tuple(reading.bad), tuple(reading.notices),
                      reading.duplicates, reading.not_applied)


def known_rows(data: TrackerData, *, today: date, dayfirst: bool) -> Known:
    """The keys of the tracker's Interviews rows (those with a company and a readable
    Event Date), the people on its Contacts and their companies."""
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
    employers = {person_at(name, rec.get("Company")) for _, rec in data.contacts.rows if (name := rec.get("Name"))
                 and as_text(name)}
    return Known(frozenset(keys), frozenset(p.person for p in employers), frozenset(employers))
