"""The follow-ups of a planned tracker: every call and email due, as plain data, and what
the calendar must remember of them from one refresh to the next.

One list serves the agenda and the calendar alike (`follow_ups`), so the two always
list the same things for the same day: the next call of each open row, the call a
closed row still asks for (thanks for an offer, feedback after a no), and each email due.

A calendar that imports the export again needs three things from it (RFC 5545): the
same UID for the same follow-up, a SEQUENCE that rises whenever an event moves or
changes, and the event once more as cancelled when it is no longer planned. So each
row's `Refresh Record` ends with an `EventMark` per kind of follow-up (call, email): its
generation (part of the UID: an event cancelled and later planned again is a new
event, since some calendars never revive a cancelled UID), its sequence, a check code
of its content, and when it was last planned. `next_marks` derives the marks of a
refresh from those of the last one, so the numbers come from the workbook alone: two
exports of the same workbook on the same day are the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any, NamedTuple

from workbook_tools import contract as C
from workbook_tools.core.config import person_key
from workbook_tools.core.model import Result, RowResult, TrackerData
from workbook_tools.core.values import as_text

CALL = "Call"
EMAIL = "Email"
#: ours: the letter of each kind of follow-up in a row's record.
KIND_LETTERS: Mapping[str, str] = {CALL: "C", EMAIL: "E"}
#: ours: the code field of a mark whose event was cancelled (a check code has four characters).
CANCELLED = "X"
#: ours: the largest generation or sequence a mark holds (SEQUENCE is a 32-bit integer).
MAX_NUMBER = 2**31 - 1


class FollowUp(NamedTuple):
    """One call or email due, with what the agenda and the calendar show of it."""

    kind: str  # CALL or EMAIL
    row: int
    due: date | None  # the day in the user's own time; None: as soon as you can
    flag: str
    company: str
    position: str
    contact: str  # as written on Contacts when the contact is there
    phone: str
    email: str
    window: str
    action: str
    why: str
    script: str
    start: datetime | None  # a call's window start, aware, in the contact's zone (else the user's)

    def day(self, today: date) -> date:
        """The day it is on the calendar: its own, or today when it is overdue or due now."""
        return today if self.due is None or self.due < today else self.due

    def start_on(self, today: date) -> datetime | None:
        """When the calendar's event starts: the window's start, moved to today (same
        time, whole days) when the call is overdue; None for an all-day entry."""
        if self.start is None or self.due is None:
            return None
        late = (today - self.due).days
        return self.start + timedelta(days=late) if late > 0 else self.start

    def floating(self, today: date) -> bool:
        """Whether it is on the calendar today because it is overdue or due now: it then
        moves a day with every day that passes, without anything else changing."""
        return self.due is None or self.due < today

    def when_text(self, today: date) -> str:
        """When the event is, as a mark keeps it (`when_of`); for a floating one, "F" and
        today (the day the mark is made)."""
        if self.floating(today):
            return "F" + when_of(today)
        return when_of(self.day(today), self.start_on(today))

    def content(self, today: date) -> str:
        """Everything the calendar shows of it on ``today`` (not where it comes from), the
        day it floats on apart: that one is counted by `effective_sequence`."""
        when = self.when_text(today) if not self.floating(today) else (
            "F" + (self.start.strftime("%H%M%z") if self.start is not None else ""))
        return "\x1f".join((self.kind, when, self.contact, self.company, self.position,
                            self.phone if self.kind == CALL else self.email, self.window, self.action,
                            self.why, self.script, self.due.isoformat() if self.due else ""))


class When(NamedTuple):
    """A moment as `when_of` writes it: a day, and the start in UTC of a timed event."""

    day: date
    start: datetime | None


def when_of(day: date, start: datetime | None = None) -> str:
    """When an event is, in a form that needs no time zone: its day ("20261124"), or the
    start of a timed one in UTC ("20261124T1305Z"). The calendar's marks and the export's
    own properties both keep it so (`read_when` reads it)."""
    if start is None:
        return f"{day.year:04d}{day.month:02d}{day.day:02d}"
    t = start.astimezone(timezone.utc)
    return f"{t.year:04d}{t.month:02d}{t.day:02d}T{t.hour:02d}{t.minute:02d}Z"


def read_when(text: str) -> When | None:
    """What `when_of` wrote; None for any other text."""
    day, time = text[:8], text[8:]
    if not (len(day) == 8 and day.isascii() and day.isdigit()):
        return None
    if time and not (len(time) == 6 and time[0] == "T" and time[1:5].isascii() and time[1:5].isdigit()
                     and time[5] == "Z"):
        return None
    try:
        start = datetime(int(day[:4]), int(day[4:6]), int(day[6:]), int(time[1:3]), int(time[3:5]),
                         tzinfo=timezone.utc) if time else None
        return When(start.date() if start is not None else date(int(day[:4]), int(day[4:6]), int(day[6:])), start)
    except ValueError:
        return None


class PlannedRow(NamedTuple):
    """One row the engine planned (it has a Flag): its cells, its inputs as read, its
    contact's name (as written on Contacts when they are there, else as in the Contact
    cell) and that contact's row on Contacts ({} when there is none)."""

    result: RowResult
    inputs: dict[str, Any]
    contact: str
    contact_row: dict[str, Any]


def contact_rows(data: TrackerData) -> dict[str, dict[str, Any]]:
    """Contacts by `person_key` of their name: the first row of a name, as the engine."""
    contacts: dict[str, dict[str, Any]] = {}
    for _, rec in data.contacts.rows:
        contacts.setdefault(person_key(as_text(rec.get("Name"))), rec)
    return contacts


def planned_row(res: RowResult, rec: dict[str, Any], contacts: Mapping[str, dict[str, Any]]) -> PlannedRow:
    contact = as_text(rec.get("Contact"))
    crec = contacts.get(person_key(contact), {}) if contact else {}
    return PlannedRow(res, rec, as_text(crec.get("Name")) or contact, crec)  # spelt as on Contacts


def planned_rows(data: TrackerData, result: Result) -> Iterator[PlannedRow]:
    """The planned rows, in sheet order."""
    inputs = dict(data.interviews.rows)
    contacts = contact_rows(data)
    for res in result.rows:
        if res.flag:
            yield planned_row(res, inputs.get(res.row, {}), contacts)


def row_follow_ups(planned: PlannedRow) -> list[FollowUp]:
    """The email due on a row (first) and its call, each when there is one: a call with
    a Next Call, or a closed row's last call (thanks, feedback), due now. A Next Call the
    user typed over with text (kept, and reported) makes the call due now: check it."""
    res, rec, contact, crec = planned
    email_script, call_script = res.email_script, res.call_script
    if not email_script and not call_script:
        return []
    company, position, flag = _text(rec.get("Company")), _text(rec.get("Position")), _text(res.flag)
    phone, address, action, why = _text(crec.get("Phone")), _text(crec.get("Email")), _text(res.next_action), \
        _text(res.why)
    items = []
    if email_script:
        items.append(FollowUp(EMAIL, res.row, None, flag, company, position, contact, phone, address, "", action,
                              why, _text(email_script), None))
    if call_script and res.next_call is None and res.flag == C.FLAG_CLOSED:
        items.append(FollowUp(CALL, res.row, None, flag, company, position, contact, phone, address, "", action,
                              why, _text(call_script), None))
    elif call_script and res.next_call is not None and res.flag in OPEN_FLAGS:
        day = _day(res.next_call)
        start = res.call_start if day is not None and res.call_start is not None \
            and res.call_start.tzinfo is not None else None
        items.append(FollowUp(CALL, res.row, (res.your_day or day) if day is not None else None, flag, company,
                              position, contact, phone, address, _text(res.call_window), action, why,
                              _text(call_script), start))
    return items


def _text(value: object) -> str:
    return value if type(value) is str else as_text(value)


def _day(value: object) -> date | None:
    """A Next Call cell as a day (the user may have typed anything over it)."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


#: PRODUCT.md: the flags of a row with a next call to make.
OPEN_FLAGS = (C.OVERDUE, C.DUE_TODAY, C.UPCOMING)


def follow_ups(data: TrackerData, result: Result) -> list[FollowUp]:
    """Every follow-up of the tracker, in sheet order (each row's email, then its call)."""
    return [item for planned in planned_rows(data, result) for item in row_follow_ups(planned)]


class EventMark(NamedTuple):
    """What the record remembers of one kind of follow-up of a row: see the module."""

    kind: str
    generation: int
    sequence: int
    code: str  # the check code of its content, or CANCELLED
    when: str  # `FollowUp.when_text` when it was last planned

    @property
    def cancelled(self) -> bool:
        return self.code == CANCELLED

    @property
    def floats(self) -> bool:
        return self.when.startswith("F")

    def moment(self) -> When:
        """``when`` read back: the event's day and UTC start, or the floating mark's day."""
        found = read_when(self.when.removeprefix("F"))
        assert found is not None, self.when  # `read_mark` made the mark of a valid one
        return found

    def day(self) -> date:
        return self.moment().day

    def effective_sequence(self, today: date) -> int:
        """The SEQUENCE of its event on ``today``: a floating event has moved a day (one
        more) with each day since its mark was made; the others have the mark's."""
        if self.floats and not self.cancelled:
            return min(self.sequence + max(0, (today - self.day()).days), MAX_NUMBER)
        return self.sequence

    def text(self) -> str:
        return f"{KIND_LETTERS[self.kind]}{self.generation}.{self.sequence}.{self.code}.{self.when}"


_KINDS_BY_LETTER = {letter: kind for kind, letter in KIND_LETTERS.items()}


def read_mark(text: str) -> EventMark | None:
    """The mark a record field holds, None when it is not one (whatever was typed)."""
    if len(text) > 60 or text[:1] not in _KINDS_BY_LETTER:
        return None
    parts = text[1:].split(".")
    if len(parts) != 4 or not all(p.isascii() and p.isdigit() and len(p) <= 10 for p in parts[:2]):
        return None
    generation, sequence = int(parts[0]), int(parts[1])
    code, when = parts[2], parts[3]
    if generation > MAX_NUMBER or sequence > MAX_NUMBER or not _is_when(when) or not (
            code == CANCELLED or (len(code) == 4 and code.isascii() and code.isalnum())):
        return None
    return EventMark(_KINDS_BY_LETTER[text[0]], generation, sequence, code, when)


def _is_when(text: str) -> bool:
    """A mark's ``when``: `when_of`'s text, or a day after "F" for a floating one."""
    found = read_when(text.removeprefix("F"))
    return found is not None and not (text.startswith("F") and found.start is not None)


def read_marks(fields: list[str]) -> dict[str, EventMark]:
    """The marks among a record's fields, by kind (the last of a kind wins)."""
    marks = {}
    for text in fields:
        mark = read_mark(text)
        if mark is not None:
            marks[mark.kind] = mark
    return marks


def next_marks(old: Mapping[str, EventMark], items: list[FollowUp], today: date,
               code: Any) -> list[EventMark]:
    """The marks after this refresh, from the last ones and the row's follow-ups now.
    ``code`` turns a content into a check code (`hand_edits.content_code`). A mark whose
    event has not changed is kept as it was (so the record does not change from one day
    to the next); a changed or cancelled one goes one above the sequence its event had."""
    marks = []
    current = {item.kind: item for item in items}
    for kind in KIND_LETTERS:
        item, mark = current.get(kind), old.get(kind)
        if item is not None:
            content = code(item.content(today))
            if mark is None:
                marks.append(EventMark(kind, 0, 0, content, item.when_text(today)))
            elif mark.cancelled:  # planned again after a cancellation: a new event
                marks.append(EventMark(kind, _up(mark.generation), 0, content, item.when_text(today)))
            elif mark.code == content and mark.floats == item.floating(today):
                marks.append(mark)
            else:
                marks.append(EventMark(kind, mark.generation, _up(mark.effective_sequence(today)), content,
                                       item.when_text(today)))
        elif mark is not None:
            if not mark.cancelled:
                when = "F" + when_of(today) if mark.floats else mark.when  # a floating one was last on today
                mark = mark._replace(sequence=_up(mark.effective_sequence(today)), code=CANCELLED, when=when)
            marks.append(mark)
    return marks


def _up(number: int) -> int:
    return min(number + 1, MAX_NUMBER)
