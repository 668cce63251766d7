"""Excel Tables of a sheet: find one by its header row (for the reader), grow one
down to a new last row, and list their header rows, which the writer leaves alone."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from workbook_tools.a1 import MAX_ROW, parse_range, range_text
from workbook_tools.errors import UnsafeWriteError, WorkbookError
from workbook_tools.xlsx.package import MAIN, TABLE_REL, Package, locate_sheet, resolve_target
from workbook_tools.xlsx.xml import serialize


def sheet_table(path: str | os.PathLike[str], sheet: str, header_row: int) -> tuple[str, int] | None:
    """The Excel Table on worksheet ``sheet`` whose range starts on row ``header_row``:
    (its name, its last row). None when there is no such table.

    Only the workbook part, the relationships and the sheet's table parts are read,
    never the cells, so this costs the same for ten rows or a hundred thousand.
    A workbook that cannot be read this way has no table to report (None).
    """
    try:
        pkg = Package(Path(os.fspath(path)))
    except WorkbookError:
        return None
    try:
        for name, ref in _sheet_tables(pkg, sheet):
            rect = parse_range(ref)
            if rect is not None and rect.top == header_row:
                return name, rect.bottom
        return None
    except WorkbookError:
        return None
    finally:
        pkg.close()


def _sheet_tables(pkg: Package, sheet: str) -> list[tuple[str, str]]:
    """(name, ref) of every table on worksheet ``sheet``, in the order of the sheet's relationships."""
    sheet_part = locate_sheet(pkg, pkg.path, sheet).part  # WorkbookError when there is none
    tables = []
    for part in table_parts(pkg, sheet_part):
        table = pkg.xml(part)
        tables.append((table.get("displayName") or table.get("name", ""), table.get("ref", "")))
    return tables


class TableHeader(NamedTuple):
    """The header row of an Excel Table ``table``: row ``row``, columns ``left`` to
    ``right``, holding the table's column names ``names`` (its tableColumn names, in order)."""

    table: str
    row: int
    left: int
    right: int
    names: tuple[str, ...]

    def name_at(self, column: int) -> str | None:
        """The name of the table column in sheet column ``column`` ("" when the table part
        names none there); None when the column is not the table's."""
        if not self.left <= column <= self.right:
            return None
        at = column - self.left
        return self.names[at] if at < len(self.names) else ""


def table_headers(pkg: Package, sheet_part: str) -> list[TableHeader]:
    """The header rows of the tables on the sheet whose part is ``sheet_part`` (a table
    shown without its header row, headerRowCount="0", has none). A table part that
    cannot be read is left out: the write then goes on as it did before this check."""
    headers = []
    for part in table_parts(pkg, sheet_part):
        try:
            table = pkg.xml(part)
        except WorkbookError:
            continue
        rect = parse_range(table.get("ref", ""))
        if rect is None or table.get("headerRowCount", "1").strip() == "0":
            continue
        columns = table.find(MAIN + "tableColumns")
        names = () if columns is None else tuple(column.get("name", "")
                                                 for column in columns.findall(MAIN + "tableColumn"))
        name = table.get("displayName") or table.get("name", "")
        headers.append(TableHeader(name, rect.top, rect.left, rect.right, names))
    return headers


class _TablePart(NamedTuple):
    """A table part of the sheet, parsed to be edited."""

    part: str
    table: Any


def grow_table(pkg: Package, src: Path, sheet_label: str, sheet_part: str, grow: tuple[str, int]) -> None:
    """Extend the table ``grow[0]`` on the sheet (its part ``sheet_part``) down to row
    ``grow[1]``, and its autoFilter with it, when it ends above that row (a table is
    never shrunk). UnsafeWriteError when the table is missing, has a Total Row, or
    would overlap another table."""
    name, last_row = grow
    if not isinstance(last_row, int) or isinstance(last_row, bool) or not (1 <= last_row <= MAX_ROW):
        raise UnsafeWriteError(src, f"cannot grow table {name!r} on sheet {sheet_label!r} to row {last_row!r}",
                               f"give a row number from 1 to {MAX_ROW}")
    tables = [_TablePart(part, pkg.xml_for_edit(part)) for part in table_parts(pkg, sheet_part)]
    part, table = _find_table(tables, name, src, sheet_label)
    rect = parse_range(table.get("ref", ""))
    if rect is None:
        raise WorkbookError(src, f"table {name!r} on sheet {sheet_label!r} has an unreadable range "
                                 f"{table.get('ref')!r}", "open it in Excel, let Excel repair it, and save it again")
    if last_row <= rect.bottom:
        return
    if table.get("totalsRowCount", "0") not in ("0", ""):
        raise UnsafeWriteError(src, f"table {name!r} on sheet {sheet_label!r} has a Total Row, which cannot be "
                                    "moved down", "turn off the Total Row (Table Design > Total Row)")
    for other_part, other in tables:
        if other_part == part:
            continue
        other_rect = parse_range(other.get("ref", ""))
        if other_rect and not (other_rect.bottom < rect.top or other_rect.top > last_row
                               or other_rect.right < rect.left or other_rect.left > rect.right):
            raise UnsafeWriteError(
                src, f"growing table {name!r} on sheet {sheet_label!r} to row {last_row} would overlap table "
                     f"{other.get('displayName') or other.get('name')!r} at {other.get('ref')}",
                "move the other table out of the way")
    table.set("ref", range_text(rect.top, rect.left, last_row, rect.right))
    auto_filter = table.find(MAIN + "autoFilter")
    if auto_filter is not None:
        filter_rect = parse_range(auto_filter.get("ref", ""))
        if filter_rect is not None and filter_rect.bottom < last_row:
            auto_filter.set("ref", range_text(filter_rect.top, filter_rect.left, last_row, filter_rect.right))
    pkg.changed[part] = serialize(table)


def table_parts(pkg: Package, sheet_part: str) -> list[str]:
    """The table parts of the sheet that are in the package, in the order of its relationships."""
    parts = []
    for rel in pkg.rels(sheet_part):
        if rel.get("Type") == TABLE_REL and rel.get("TargetMode") != "External":
            part = resolve_target(sheet_part, rel.get("Target", ""))
            if pkg.has(part):
                parts.append(part)
    return parts


def _find_table(tables: list[_TablePart], name: str, src: Path, sheet_label: str) -> _TablePart:
    """The table called ``name`` (its name or display name; exactly, else ignoring case)."""

    def names(table: Any) -> tuple[str, str]:
        return table.get("name", ""), table.get("displayName", "")

    found = [entry for entry in tables if name in names(entry.table)] or [
        entry for entry in tables if name.lower() in (each.lower() for each in names(entry.table))]
    if not found:
        have = ", ".join(repr(entry.table.get("displayName") or entry.table.get("name")) for entry in tables) or "none"
        raise UnsafeWriteError(src, f"sheet {sheet_label!r} has no table named {name!r} (its tables are: {have})",
                               "check the table name (Table Design > Table Name in Excel)")
    return found[0]
