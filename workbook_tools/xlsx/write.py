"""Surgical cell writer for .xlsx/.xlsm workbooks.

openpyxl's load/save rewrites every part of a workbook and drops charts, images
and shapes, so it cannot be the write path. :func:`write_cells` instead edits
the one worksheet part it has to (plus, when needed, ``xl/styles.xml``, a table
part and ``xl/calcChain.xml``) and copies every other zip member unchanged.

Strings are written as inline strings so ``xl/sharedStrings.xml`` never changes,
and they are always literal text ("=A1" stays the text "=A1").

The write is atomic: a temporary file is written beside the destination,
flushed, fsynced and moved over it with :func:`os.replace`. On any error the
temporary file is removed and the original is left exactly as it was.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Mapping
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from workbook_tools.contract import CellValue
from workbook_tools.errors import WorkbookError
from workbook_tools.files import (
    FileIdentity,
    check_not_open,
    check_replaceable,
    check_still_the_file_read,
    identity_of,
    resolved_target,
)
from workbook_tools.gc_pause import paused_gc
from workbook_tools.xlsx.cells import SheetCells
from workbook_tools.xlsx.hyperlinks import LinkPlan, sheet_links, store_parts, with_declaration
from workbook_tools.xlsx.member import Member
from workbook_tools.xlsx.names import with_name_added
from workbook_tools.xlsx.package import Package, SheetLocation, drop_calc_chain_entries, locate_sheet, workbook_part
from workbook_tools.xlsx.rows import RowEditor, RowHeight, RowWrite
from workbook_tools.xlsx.sheet import SheetStream, UnusualXml, head_with_dimension, open_sheet
from workbook_tools.xlsx.styles import LazyStyles
from workbook_tools.xlsx.tables import grow_table as grow_sheet_table
from workbook_tools.xlsx.targets import RowCheck, RowTargets, blocked_ranges, parse_targets
from workbook_tools.xlsx.xml import XmlError, serialize
from workbook_tools.xlsx.zip import write_package

__all__ = ["CellValue", "write_cells", "write_names", "write_rows"]


def write_cells(
    path: str | os.PathLike[str],
    sheet: str,
    cells: Mapping[str, CellValue],
    output: str | os.PathLike[str] | None = None,
    *,
    grow_table: tuple[str, int] | None = None,
    expect: FileIdentity | None = None,
) -> None:
    """Write ``cells`` (A1 reference -> value) into worksheet ``sheet`` of the workbook at ``path``.

    Only the worksheet's XML changes (plus ``xl/styles.xml`` when a date needs a new
    date style, the table part when ``grow_table`` extends a table, and
    ``xl/calcChain.xml`` when an overwritten cell had a formula); every other zip
    member is copied unchanged. The result goes to ``output`` (``path`` is left
    untouched) or back to ``path`` when ``output`` is None.

    Values: str (always literal text, written as an inline string), int, float,
    bool, datetime.date / datetime.datetime (Excel serial numbers shown with a
    date format; time-zone-aware datetimes are written as their wall-clock time),
    or None (blank the cell but keep its formatting).

    ``grow_table=(name, last_row)`` extends the Excel Table ``name`` on the sheet
    down to ``last_row`` when it ends above it (tables are never shrunk).

    ``expect`` (`files.file_identity` of ``path`` taken before the caller read it)
    refuses the write, ``WorkbookError`` "changed while refreshing", when ``path`` is no
    longer that file, as opened here or just before the replace.

    Raises :class:`WorkbookError` when the file cannot be read or is open in Excel,
    and :class:`UnsafeWriteError` (a WorkbookError) when a cell cannot be written
    without damaging the workbook. On any error the destination is left untouched.
    """
    src = Path(os.fspath(path))
    with paused_gc():  # ~100,000 small objects per 10,000 rows and no cycles
        by_row = parse_targets(src, sheet, cells)
        _write(src, output, sheet, [(row, by_row[row]) for row in sorted(by_row)], grow_table, always=True,
               expect=expect)


#: The rows `write_rows` takes: (row, cells), or a `rows.RowWrite`, whose height is fitted too.
RowsToWrite = Iterable[tuple[int, RowTargets] | RowWrite]


def write_rows(
    path: str | os.PathLike[str],
    sheet: str,
    rows: RowsToWrite,
    output: str | os.PathLike[str] | None = None,
    *,
    grow_table: tuple[str, int] | None = None,
    expect: FileIdentity | None = None,
    names: Mapping[str, str] | None = None,
    row_height: RowHeight | None = None,
    links: LinkPlan | None = None,
) -> int:
    """:func:`write_cells` for a caller that produces its cells row by row, such as a
    refresh: ``rows`` yields ``(row, [(column number, value, "P7", "P7"), ...])`` in
    ascending row order (each cell a `targets.CellTarget` or a plain tuple in its
    order) and is consumed as the sheet is rebuilt, so neither the cells nor the new
    sheet are ever held whole. Each row's list is sorted and its texts cleaned in
    place. ``names`` (name -> formula) are workbook-level defined names to add where
    the workbook has none of that name (the workbook part changes then).

    A `rows.RowWrite` with ``wrapped`` values also has its row's height fitted to them
    by ``row_height`` (`core.layout.row_height`), from the column widths of the sheet's
    <cols>; it may have no cells. Only the ht of such a row changes, and only when its
    height is not already the one wanted.

    ``links`` (`hyperlinks.LinkPlan`) names the columns whose `tel:` and `mailto:`
    hyperlinks the caller manages and the link each planned row's cell there wants; its
    mapping may be filled while ``rows`` is consumed (it is read after the last row).
    Our hyperlinks there are made exactly those (`hyperlinks.sheet_links`); every other
    hyperlink is kept. Returns the number of cells written plus the rows given a new
    height plus the links added, changed or removed; when that is 0, nothing is written
    at all."""
    src = Path(os.fspath(path))
    with paused_gc():
        return _write(src, output, sheet, rows, grow_table, always=False, expect=expect, names=names,
                      row_height=row_height, links=links)


def _write(src: Path, output: str | os.PathLike[str] | None, sheet: str, rows: RowsToWrite,
           grow: tuple[str, int] | None, always: bool, expect: FileIdentity | None = None,
           names: Mapping[str, str] | None = None, row_height: RowHeight | None = None,
           links: LinkPlan | None = None) -> int:
    dest = resolved_target(output if output is not None else src)
    if dest.exists():
        check_not_open(dest)
    rows_left = iter(rows)
    first = next(rows_left, None)
    if first is None and not always and links is None:
        return 0
    check_replaceable(dest)
    pkg = Package(src)
    try:
        if expect is not None and pkg.zip.fp is not None:
            check_still_the_file_read(src, expect, identity_of(os.fstat(pkg.zip.fp.fileno())))
        written = _apply(pkg, src, sheet, chain((first,), rows_left) if first is not None else (), grow,
                         row_height, always, links)
        if not written and not always:
            return 0  # nothing changed: the file is left as it is
        if names:
            add_names(pkg, src, names)
        write_package(pkg, src, dest, expect)
    finally:
        pkg.close()
    return written


def _apply(pkg: Package, src: Path, sheet: str, rows: RowsToWrite, grow: tuple[str, int] | None,
           row_height: RowHeight | None = None, always: bool = True, links: LinkPlan | None = None) -> int:
    """Rebuild worksheet ``sheet`` of ``pkg`` with ``rows`` written into it, and the
    parts that go with it; the number of cells written, rows given a new height and
    links changed (``links``: `hyperlinks.sheet_links`); unless ``always``, nothing is
    rebuilt when that is 0."""
    location = locate_sheet(pkg, src, sheet)
    worksheet = open_sheet(pkg.read(location.part), src, location.name)
    blocked, shared_masters = blocked_ranges(worksheet)
    styles = LazyStyles(pkg, location.styles_part)
    check = RowCheck(src, location.name, blocked, shared_masters, location.date1904)
    cells = SheetCells(worksheet, styles, check.serials, src, location.name)
    sink = Member(deflate=pkg.names[location.part].compress_type != zipfile.ZIP_STORED)
    stream = SheetStream(worksheet, sink)
    try:
        editor = RowEditor(cells, stream, row_height)
        written = _write_rows(editor, check, rows) + editor.heights_changed
        # ``links`` is complete once the last row is written: the links are made now.
        linked = sheet_links(pkg, src, location, worksheet, links) if links is not None else None
        written += linked.changes if linked is not None else 0
        if not written and not always:
            return 0
        head = head_with_dimension(worksheet, check.extent.rect())
        if linked is not None and linked.changes:
            head = with_declaration(head, worksheet.prefix, linked.declaration)
            worksheet.tail = linked.tail
            store_parts(pkg, linked.parts)
        stream.close(head)
    except UnusualXml as exc:
        raise WorkbookError(src, f"is damaged: sheet {location.name!r} has {exc}",
                            "open it in Excel, let Excel repair it, and save it again") from None
    pkg.changed[location.part] = sink
    finish_package(pkg, src, location, styles, cells.removed_formulas, grow)
    return written


def _write_rows(editor: RowEditor, check: RowCheck, rows: RowsToWrite) -> int:
    """Check and write each row, in ascending order; the number of cells given."""
    written = 0
    last = 0
    for item in rows:
        number, targets = item[0], item[1]
        if number <= last:
            raise ValueError(f"rows must come in ascending order (row {number} after row {last})")
        last = number
        if targets:
            check(number, targets)
            written += len(targets)
        editor.write_row(number, targets, item.wrapped if isinstance(item, RowWrite) else None)
    return written


def write_names(path: str | os.PathLike[str], names: Mapping[str, str]) -> None:
    """Add the workbook-level defined names (name -> formula) the workbook at ``path``
    lacks, changing nothing else (the workbook part only), atomically."""
    src = Path(os.fspath(path))
    pkg = Package(src)
    try:
        add_names(pkg, src, names)
        if pkg.changed:
            write_package(pkg, src, src)
    finally:
        pkg.close()


def add_names(pkg: Package, src: Path, names: Mapping[str, str]) -> None:
    """Add the workbook-level defined names the workbook lacks to its workbook part."""
    wb_part = workbook_part(pkg, src)
    data = pkg.read(wb_part)
    changed = False
    for name, formula in names.items():
        try:
            edited = with_name_added(data, name, formula)
        except XmlError:
            raise WorkbookError(src, f"is damaged: {wb_part} is not well-formed XML",
                                "open it in Excel, let Excel repair it, and save it again") from None
        if edited is not None:
            data, changed = edited, True
    if changed:
        pkg.changed[wb_part] = data


def finish_package(pkg: Package, src: Path, location: SheetLocation, styles: LazyStyles,
                   removed_formulas: set[str], grow: tuple[str, int] | None) -> None:
    """The parts that change with the sheet: the styles when a date style was added,
    the calc chain without the cells whose formula was overwritten, and the table
    ``grow`` (name, last row) grown."""
    loaded = styles.loaded
    if loaded is not None and loaded.modified and loaded.part:
        pkg.changed[loaded.part] = serialize(loaded.root)
    if removed_formulas and location.calc_part and pkg.has(location.calc_part):
        drop_calc_chain_entries(pkg, location.wb_part, location.calc_part, location.sheet_id, removed_formulas)
    if grow is not None:
        grow_sheet_table(pkg, src, location.name, location.part, grow)


def write_sheets(
    path: str | os.PathLike[str],
    sheets: Mapping[str, RowsToWrite],
    output: str | os.PathLike[str] | None = None,
    *,
    grow: Mapping[str, tuple[str, int]] | None = None,
    expect: FileIdentity | None = None,
    formulas: Mapping[str, FormulaRows] | None = None,
) -> int:
    """:func:`write_rows` on several worksheets in one atomic write: ``sheets`` maps a
    sheet's name (each sheet once) to its rows, in ascending order; ``grow`` maps a
    sheet's name to the (table, last row) its Excel Table must reach. Every sheet is
    rebuilt before the one `zip.write_package`, so either all of them change or none
    does; a sheet given no rows is not touched. ``expect`` refuses the write, as
    `write_cells` does, when ``path`` is no longer the file read.

    ``formulas`` maps a sheet's name to rows (ascending) of `TableFormula` cells, (column
    number, formula, "P7", "P7"): the calculated columns of a table in its new rows. They
    are written after the values, as formulas with no cached value, and the workbook is
    set to calculate them when it is opened (its calcPr's fullCalcOnLoad). Returns the
    number of cells written (0: nothing was written at all)."""
    src = Path(os.fspath(path))
    dest = resolved_target(output if output is not None else src)
    if dest.exists():
        check_not_open(dest)
    check_replaceable(dest)
    with paused_gc():
        pkg = Package(src)
        try:
            if expect is not None and pkg.zip.fp is not None:
                check_still_the_file_read(src, expect, identity_of(os.fstat(pkg.zip.fp.fileno())))
            written = 0
            for sheet, rows in sheets.items():
                written += _apply(pkg, src, sheet, rows, (grow or {}).get(sheet), None, False)
            if written:
                formula_cells = sum(_write_formulas(pkg, src, sheet, rows) for sheet, rows in (formulas or {}).items())
                if formula_cells:
                    _calculate_on_load(pkg, src)
                write_package(pkg, src, dest, expect)
        finally:
            pkg.close()
    return written


class TableFormula(NamedTuple):
    """The formula of an Excel Table's calculated column, as the table part holds it
    (no leading "="), for that column's cell in a new row of the table. It is the
    workbook's own formula: `write_sheets` writes it as a formula, where every other
    text is written as literal text."""

    text: str


#: The formula cells `write_sheets` takes for one sheet: (row, [(column, formula, "P7", "P7"), ...]).
FormulaRows = Iterable[tuple[int, Iterable[tuple[int, TableFormula, str, str]]]]


def calculated_columns(path: str | os.PathLike[str], sheet: str, table: str) -> dict[int, str]:
    """The calculated columns of the Excel Table ``table`` on worksheet ``sheet``: sheet
    column number -> its formula (as the table part holds it, without "="); {} when it
    has none or cannot be read. Array formulas are left out."""
    from workbook_tools.a1 import parse_range
    from workbook_tools.xlsx.package import MAIN
    from workbook_tools.xlsx.tables import table_parts

    try:
        pkg = Package(Path(os.fspath(path)))
    except WorkbookError:
        return {}
    try:
        for part in table_parts(pkg, locate_sheet(pkg, pkg.path, sheet).part):
            root = pkg.xml(part)
            if table not in (root.get("name"), root.get("displayName")):
                continue
            rect, columns = parse_range(root.get("ref", "")), root.find(MAIN + "tableColumns")
            if rect is None or columns is None:
                return {}
            found: dict[int, str] = {}
            for index, column in enumerate(columns.findall(MAIN + "tableColumn")):
                formula = column.find(MAIN + "calculatedColumnFormula")
                text = (formula.text or "").strip() if formula is not None else ""
                if text and formula is not None and formula.get("array", "0") not in ("1", "true"):
                    found[rect.left + index] = text[1:] if text.startswith("=") else text
            return found
        return {}
    except WorkbookError:
        return {}
    finally:
        pkg.close()


class _FormulaCells(SheetCells):
    """The cells of a sheet, and a `TableFormula` as a formula cell with no cached value
    (styled as any new cell is: like its row or its column)."""

    def render(self, ref: str, value: CellValue | TableFormula, style: int, keep_style: bool, attrs: str,
               ext: str) -> str:
        if not isinstance(value, TableFormula):
            return super().render(ref, value, style, keep_style, attrs, ext)
        prefix = self.sheet.prefix.decode()
        text = value.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        style_attr = f' s="{style}"' if style or keep_style else ""
        return f'{self.cell_open}{ref}"{attrs}{style_attr}><{prefix}f>{text}</{prefix}f>{ext}{self.cell_close}'


def _write_formulas(pkg: Package, src: Path, sheet: str, rows: FormulaRows) -> int:
    """Sheet ``sheet`` of ``pkg`` rebuilt (as `_apply` left it) with the formula cells
    of ``rows`` added; the number of cells added."""
    from workbook_tools.a1 import Rect

    location = locate_sheet(pkg, src, sheet)
    worksheet = open_sheet(pkg.read(location.part), src, location.name)
    cells = _FormulaCells(worksheet, LazyStyles(pkg, location.styles_part), {}, src, location.name)
    sink = Member(deflate=pkg.names[location.part].compress_type != zipfile.ZIP_STORED)
    stream = SheetStream(worksheet, sink)
    editor = RowEditor(cells, stream)
    written, spans = 0, []
    try:
        for number, targets in rows:
            row = sorted(targets)
            if row:
                editor.write_row(number, row)  # type: ignore[arg-type]  # RowEditor passes the value to render
                written += len(row)
                spans.append(Rect(number, row[0][0], number, row[-1][0]))
        if not written:
            return 0
        rect = Rect(min(r.top for r in spans), min(r.left for r in spans), max(r.bottom for r in spans),
                    max(r.right for r in spans))
        stream.close(head_with_dimension(worksheet, rect))
    except UnusualXml as exc:
        raise WorkbookError(src, f"is damaged: sheet {location.name!r} has {exc}",
                            "open it in Excel, let Excel repair it, and save it again") from None
    pkg.changed[location.part] = sink
    return written


#: The workbook's children that come after calcPr (ECMA-376 CT_Workbook): a new calcPr goes before the first.
_AFTER_CALC_PR = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
                  "fileRecoveryPr", "webPublishObjects", "extLst")


def _calculate_on_load(pkg: Package, src: Path) -> None:
    """Set the workbook part's calcPr to fullCalcOnLoad="1" (added when it has none), so
    that Excel calculates formulas written without their values when it opens the file."""
    import re

    part = workbook_part(pkg, src)
    data = pkg.read(part)
    found = re.search(rb"<((?:[\w.-]+:)?)calcPr(?=[\s/>])([^>]*?)(/?)>", data)
    if found is not None:
        full = re.compile(rb"""\sfullCalcOnLoad\s*=\s*(["'])([^"']*)\1""")
        attrs = found.group(2)
        now = full.search(attrs)
        if now is not None and now.group(2) in (b"1", b"true"):
            return
        tag = b"<" + found.group(1) + b"calcPr" + full.sub(b"", attrs).rstrip() + b' fullCalcOnLoad="1"'
        pkg.changed[part] = data[:found.start()] + tag + found.group(3) + b">" + data[found.end():]
        return
    root = re.search(rb"<((?:[\w.-]+:)?)workbook(?=[\s>])", data)
    after = re.compile(rb"<(?:[\w.-]+:)?(?:" + "|".join(_AFTER_CALC_PR).encode() + rb")(?=[\s/>])"
                       rb"|</(?:[\w.-]+:)?workbook\s*>")
    place = after.search(data, root.end()) if root is not None else None
    if root is None or place is None:
        return
    tag = b"<" + root.group(1) + b'calcPr fullCalcOnLoad="1"/>'
    pkg.changed[part] = data[:place.start()] + tag + data[place.start():]
