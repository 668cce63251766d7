"""Building `TrackerData` from plain Python rows: for tests, benchmarks and callers
that have their data outside a workbook. Columns are laid out in contract order."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from workbook_tools import contract as C
from workbook_tools.core.model import SheetRows, TrackerData


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str) -> int:
    """A -> 1, AA -> 27 (either case)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def sheet_rows(name: str, headers: Iterable[str], rows: Iterable[Mapping[str, Any]]) -> SheetRows:
    headers = list(headers)
    columns = {h: column_letter(i) for i, h in enumerate(headers, start=1)}
    for rec in rows:
        for h in rec:
            if h not in columns:
                columns[h] = column_letter(len(columns) + 1)
    data = SheetRows(name, columns)
    data.rows = [(i, {k: v for k, v in rec.items() if v is not None and v != ""})
                 for i, rec in enumerate(rows, start=2)]
    return data


def tracker_data(
    interviews: Iterable[Mapping[str, Any]] = (),
    calls: Iterable[Mapping[str, Any]] = (),
    contacts: Iterable[Mapping[str, Any]] = (),
    settings: Mapping[str, Any] | None = None,
    scripts: Iterable[Mapping[str, Any]] = (),
    cadences: Iterable[Mapping[str, Any]] = (),
) -> TrackerData:
    """A tracker as the engine sees it; ``settings`` maps Setting to Value."""
    interviews, calls, contacts = list(interviews), list(calls), list(contacts)
    return TrackerData(
        interviews=sheet_rows(C.INTERVIEWS, C.INTERVIEW_HEADERS, interviews),
        calls=sheet_rows(C.CALLS, C.CALL_HEADERS, calls),
        contacts=sheet_rows(C.CONTACTS, C.CONTACT_HEADERS, contacts),
        scripts=sheet_rows(C.SCRIPTS, C.SCRIPT_HEADERS, list(scripts)),
        cadences=sheet_rows(C.CADENCES, C.CADENCE_HEADERS, list(cadences)),
        settings=sheet_rows(C.SETTINGS, C.SETTING_HEADERS,
                            [{"Setting": k, "Value": v} for k, v in (settings or {}).items()]),
    )
