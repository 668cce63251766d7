"""Excel Tables of a sheet: find one by its header row (for the reader) and grow one
down to a new last row (for the writer)."""

from __future__ import annotations

import os
from pathlib import Path

from typing import Any

from workbook_tools.errors import UnsafeWriteError, WorkbookError
from workbook_tools.a1 import MAX_ROW, parse_range, range_text
from workbook_tools.xlsx.package import TABLE_REL, _M, _Package, _locate_sheet, _resolve_target, _serialize


def sheet_table(path: str | os.PathLike[str], sheet: str, header_row: int) -> tuple[str, int] | None:
    """The Excel Table on worksheet ``sheet`` whose range starts on row ``header_row``:
    (its name, its last row). None when there is no such table.

    Only the workbook part, the relationships and the sheet's table parts are read,
    never the cells, so this costs the same for ten rows or a hundred thousand.
    A workbook that cannot be read this way has no table to report (None).
    """
    try:
        pkg = _Package(Path(os.fspath(path)))
    except WorkbookError:
        return None
    try:
        for name, ref in _sheet_tables(pkg, sheet):
            rect = parse_range(ref)
            if rect is not None and rect[0] == header_row:
                return name, rect[2]
        return None
    except WorkbookError:
        return None
    finally:
        pkg.close()


def _sheet_tables(pkg: _Package, sheet: str) -> list[tuple[str, str]]:
    """(name, ref) of every table on worksheet ``sheet``, in the order of the sheet's relationships."""
    sheet_part = _locate_sheet(pkg, pkg.path, sheet).part  # WorkbookError when there is none
    tables = []
    for rel in pkg.rels(sheet_part):
        if rel.get("Type") != TABLE_REL or rel.get("TargetMode") == "External":
            continue
        part = _resolve_target(sheet_part, rel.get("Target", ""))
        if pkg.has(part):
            table = pkg.xml(part)
            tables.append((table.get("displayName") or table.get("name", ""), table.get("ref", "")))
    return tables


def _grow_table(pkg: _Package, src: Path, sheet_label: str, sheet_part: str, grow: tuple[str, int]) -> None:
    name, last_row = grow
    if not isinstance(last_row, int) or isinstance(last_row, bool) or not (1 <= last_row <= MAX_ROW):
        raise UnsafeWriteError(src, f"cannot grow table {name!r} on sheet {sheet_label!r} to row {last_row!r}",
                               f"give a row number from 1 to {MAX_ROW}")
    tables: list[tuple[str, Any]] = []
    for rel in pkg.rels(sheet_part):
        if rel.get("Type") == TABLE_REL and rel.get("TargetMode") != "External":
            part = _resolve_target(sheet_part, rel.get("Target", ""))
            if pkg.has(part):
                tables.append((part, pkg.xml_for_edit(part)))

    def names(el: Any) -> tuple[str, str]:
        return el.get("name", ""), el.get("displayName", "")

    found = [t for t in tables if name in names(t[1])] or [
        t for t in tables if name.lower() in (n.lower() for n in names(t[1]))]
    if not found:
        have = ", ".join(repr(t[1].get("displayName") or t[1].get("name")) for t in tables) or "none"
        raise UnsafeWriteError(src, f"sheet {sheet_label!r} has no table named {name!r} (its tables are: {have})",
                               "check the table name (Table Design > Table Name in Excel)")
    part, table = found[0]
    rect = parse_range(table.get("ref", ""))
    if rect is None:
        raise WorkbookError(src, f"table {name!r} on sheet {sheet_label!r} has an unreadable range "
                                 f"{table.get('ref')!r}", "open it in Excel, let Excel repair it, and save it again")
    r1, c1, r2, c2 = rect
    if last_row <= r2:
        return
    if table.get("totalsRowCount", "0") not in ("0", ""):
        raise UnsafeWriteError(src, f"table {name!r} on sheet {sheet_label!r} has a Total Row, which cannot be "
                                    "moved down", "turn off the Total Row (Table Design > Total Row)")
    for other_part, other in tables:
        if other_part == part:
            continue
        o = parse_range(other.get("ref", ""))
        if o and not (o[2] < r1 or o[0] > last_row or o[3] < c1 or o[1] > c2):
            raise UnsafeWriteError(
                src, f"growing table {name!r} on sheet {sheet_label!r} to row {last_row} would overlap table "
                     f"{other.get('displayName') or other.get('name')!r} at {other.get('ref')}",
                "move the other table out of the way")
    table.set("ref", range_text(r1, c1, last_row, c2))
    af = table.find(_M + "autoFilter")
    if af is not None:
        af_rect = parse_range(af.get("ref", ""))
        if af_rect is not None and af_rect[2] < last_row:
            af.set("ref", range_text(af_rect[0], af_rect[1], last_row, af_rect[3]))
    pkg.changed[part] = _serialize(table)
