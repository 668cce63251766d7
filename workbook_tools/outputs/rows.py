"""What every output starts from: each planned row of Interviews with its inputs and
its contact's row, as the engine left them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from workbook_tools.core.config import person_key
from workbook_tools.core.model import Result, RowResult, TrackerData
from workbook_tools.core.values import as_text


class PlannedRow(NamedTuple):
    """One row the engine planned (it has a Flag): its cells, its inputs as read, its
    contact's name (as written on Contacts when they are there, else as in the Contact
    cell) and that contact's row on Contacts ({} when there is none)."""

    result: RowResult
    inputs: dict[str, Any]
    contact: str
    contact_row: dict[str, Any]


def planned_rows(data: TrackerData, result: Result) -> Iterator[PlannedRow]:
    """The planned rows, in sheet order."""
    inputs = dict(data.interviews.rows)
    contacts: dict[str, dict[str, Any]] = {}
    for _, rec in data.contacts.rows:
        contacts.setdefault(person_key(as_text(rec.get("Name"))), rec)  # the first row of a name, as the engine
    for res in result.rows:
        if not res.flag:
            continue
        rec = inputs.get(res.row, {})
        contact = as_text(rec.get("Contact"))
        crec = contacts.get(person_key(contact), {}) if contact else {}
        yield PlannedRow(res, rec, as_text(crec.get("Name")) or contact, crec)  # spelt as on Contacts
