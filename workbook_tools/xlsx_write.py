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

import datetime as _dt
import math
import os
import re
from bisect import bisect_left
from collections.abc import Mapping
from pathlib import Path
from typing import Union

from lxml import etree

from .errors import UnsafeWriteError, WorkbookError
from .xlsx_package import (
    A_RID, CALC_CHAIN_REL, MAIN_NS, MAX_COL, MAX_ROW, OFFICE_DOC_REL, STRICT_MAIN_NS,
    STRICT_OFFICE_DOC_REL, TABLE_REL, _M, _Package, _REF_RE, _STR_COL_CACHE, _col_letters,
    _col_number, _parse_range, _range_text, _remove_part, _resolve_target, _serialize,
    _where, _write_package, check_not_open,
)
from .xlsx_sheet import (
    _ATTRS, _ATTR_RE, _OOXML_ESCAPE, _ROW_R_RE, _Ranges, _SIMPLE_CELL_ATTRS, _SPANS_RE,
    _SheetXml, _UnusualXml, _attr, _clean_text, _escape_text, _normalize_through_lxml,
    _unquote,
)
from .xlsx_styles import _DATETIME_FMT_ID, _DATE_FMT_ID, _NoStyles, _Styles, _excel_serial


__all__ = ["CellValue", "write_cells", "check_not_open", "MAX_CELL_TEXT"]

CellValue = Union[str, int, float, _dt.date, _dt.datetime, bool, None]

#: Excel's limit on the characters in one cell.
MAX_CELL_TEXT = 32767


def write_cells(
    path: str | os.PathLike[str],
    sheet: str,
    cells: Mapping[str, CellValue],
    output: str | os.PathLike[str] | None = None,
    *,
    grow_table: tuple[str, int] | None = None,
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

    Raises :class:`WorkbookError` when the file cannot be read or is open in Excel,
    and :class:`UnsafeWriteError` (a WorkbookError) when a cell cannot be written
    without damaging the workbook. On any error the destination is left untouched.
    """
    src = Path(os.fspath(path))
    dest = Path(os.fspath(output)) if output is not None else src
    dest = Path(os.path.realpath(dest)) if dest.is_symlink() else dest
    if dest.exists():
        check_not_open(dest)

    by_row = _parse_targets(src, sheet, cells)

    pkg = _Package(src)
    try:
        _apply(pkg, src, sheet, by_row, grow_table)
        _write_package(pkg, src, dest)
    finally:
        pkg.close()


_Item = tuple  # (column, value, normalized A1 reference, reference as given)


def _first(item: _Item) -> int:
    return item[0]


def _parse_targets(src: Path, sheet: str, cells: Mapping[str, CellValue]) -> dict[int, list[_Item]]:
    """Group the cells by row: {row: [(column, value, "P7", ref as given), ...]}."""
    by_row: dict[int, list[_Item]] = {}
    match = _REF_RE.match
    cache = _STR_COL_CACHE
    allowed = (str, int, float, _dt.date)
    for ref, value in cells.items():
        m = match(ref) if isinstance(ref, str) else None
        row = int(m.group(2)) if m else 0
        if m:
            letters = m.group(1)
            col = cache.get(letters)
            if col is None:
                col = cache[letters] = _col_number(letters)
        if not m or not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
            raise UnsafeWriteError(
                src,
                f"{_where(sheet, str(ref))} is not a valid cell reference",
                "use references like \"P7\" (column letters A-XFD, row 1-1048576)",
            )
        norm = ref if letters.isupper() and len(ref) == len(letters) + len(m.group(2)) and ref[-1] != "\n" \
            and m.group(2)[0] != "0" else f"{_col_letters(col)}{row}"
        if not (value is None or isinstance(value, allowed)):
            raise UnsafeWriteError(
                src, f"{_where(sheet, norm)}: a value of type {type(value).__name__} cannot be written",
                "pass text, a number, a date, True/False or None",
            )
        items = by_row.get(row)
        if items is None:
            by_row[row] = [(col, value, norm, ref)]
        else:
            items.append((col, value, norm, ref))
    return by_row


def _find_workbook_part(pkg: _Package, src: Path) -> str:
    part = None
    if pkg.has("_rels/.rels"):
        for rel in pkg.rels(""):
            typ = rel.get("Type", "")
            if typ == STRICT_OFFICE_DOC_REL:
                raise _strict_error(src)
            if typ == OFFICE_DOC_REL:
                part = _resolve_target("", rel.get("Target", ""))
                break
    if part is None or not pkg.has(part):
        part = "xl/workbook.xml" if pkg.has("xl/workbook.xml") else None
    if part is None:
        raise WorkbookError(src, "is not an Excel workbook (the zip file has no xl/workbook.xml)",
                            "open it in Excel and save it as an Excel Workbook (.xlsx)")
    return part


def _strict_error(src: Path) -> WorkbookError:
    return WorkbookError(src, "is saved as Strict Open XML, which cannot be written",
                         "open it in Excel and save it as an Excel Workbook (.xlsx), not Strict Open XML")


def _apply(pkg: _Package, src: Path, sheet: str, by_row: dict[int, list[_Item]],
           grow_table: tuple[str, int] | None) -> None:
    wb_part = _find_workbook_part(pkg, src)
    wb = pkg.xml(wb_part)
    if etree.QName(wb).namespace == STRICT_MAIN_NS:
        raise _strict_error(src)
    if etree.QName(wb).namespace != MAIN_NS:
        raise WorkbookError(src, f"is not an Excel workbook ({wb_part} is not a SpreadsheetML workbook)",
                            "open it in Excel and save it as an Excel Workbook (.xlsx)")
    sheets = [(el.get("name", ""), el.get(A_RID), el.get("sheetId")) for el in wb.iter(_M + "sheet")]
    match = [s for s in sheets if s[0] == sheet] or [s for s in sheets if s[0].lower() == sheet.lower()]
    if not match:
        names = ", ".join(repr(s[0]) for s in sheets) or "none"
        raise WorkbookError(src, f"has no sheet named {sheet!r} (its sheets are: {names})",
                            "check the sheet name, or rename the sheet in Excel")
    sheet_name, rid, sheet_id = match[0]
    pr = wb.find(_M + "workbookPr")
    date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")

    wb_rels = pkg.rels(wb_part)
    sheet_part = None
    styles_part = None
    calc_part = None
    sheet_rel_type = ""
    for rel in wb_rels:
        typ = rel.get("Type", "")
        if rel.get("TargetMode") == "External":
            continue
        if rel.get("Id") == rid:
            sheet_part = _resolve_target(wb_part, rel.get("Target", ""))
            sheet_rel_type = typ
        if typ.endswith("/styles"):
            styles_part = _resolve_target(wb_part, rel.get("Target", ""))
        if typ == CALC_CHAIN_REL:
            calc_part = _resolve_target(wb_part, rel.get("Target", ""))
    if sheet_part is None or not pkg.has(sheet_part):
        raise WorkbookError(src, f"is damaged: the part of sheet {sheet_name!r} is missing",
                            "open it in Excel, let Excel repair it, and save it again")
    kind = sheet_rel_type.rsplit("/", 1)[-1]
    if kind != "worksheet":
        what = {"chartsheet": "a chart sheet", "dialogsheet": "a dialog sheet", "macrosheet": "a macro sheet"}
        raise UnsafeWriteError(src, f"{sheet_name!r} is {what.get(kind, 'not a worksheet')}, not a worksheet",
                               "write to a worksheet instead")

    try:
        ws = _SheetXml(pkg.read(sheet_part))
    except _UnusualXml:
        try:
            ws = _SheetXml(_normalize_through_lxml(pkg.read(sheet_part)))
        except (_UnusualXml, etree.XMLSyntaxError) as exc:
            raise WorkbookError(src, f"sheet {sheet_name!r} has XML that cannot be edited safely ({exc})",
                                "open it in Excel and save it again") from None
    root = ws.root
    label = sheet_name

    # ---- what must not be touched
    blocked = _Ranges()
    for m in root.iter(_M + "mergeCell"):
        rect = _parse_range(m.get("ref", ""))
        if rect and (rect[0] != rect[2] or rect[1] != rect[3]):
            blocked.add(rect, f"is inside the merged range {_range_text(*rect)}|unmerge those cells")
    shared_masters: dict[tuple[int, int], str] = {}
    for t, ref, master in ws.formulas():
        rect = _parse_range(ref)
        if rect is None:
            continue
        if t == "array":
            blocked.add(rect, f"is inside the array formula range {_range_text(*rect)}|"
                              "delete or move the array formula (select the range and press Delete)")
        elif t == "dataTable":
            blocked.add(rect, f"is inside the data table {_range_text(*rect)}|"
                              "delete or move the what-if data table")
        elif (rect[0] != rect[2] or rect[1] != rect[3]) and master is not None:
            shared_masters[master] = _range_text(*rect)

    prot = root.find(_M + "sheetProtection")
    protected = prot is not None and prot.get("sheet", "0").lower() in ("1", "true")

    styles: _Styles | None = None

    def get_styles() -> _Styles:
        nonlocal styles
        if styles is None:
            styles = _Styles(pkg, styles_part)
        return styles

    # ---- check every value before changing anything
    serials: dict[_dt.date, float | int | None] = {}
    check_ranges = bool(blocked.by_row or blocked.tall or shared_masters)
    bbox = [MAX_ROW + 1, MAX_COL + 1, 0, 0]
    for r, items in by_row.items():
        items.sort(key=_first)
        for k in range(len(items)):
            c, value, ref, orig = items[k]
            if k and items[k - 1][0] == c:
                raise UnsafeWriteError(src, f"{_where(label, ref)} is given twice (as {items[k - 1][3]!r} and "
                                            f"{orig!r})", "give each cell once")
            if check_ranges:
                hit = blocked.find(r, c)
                if hit is not None:
                    msg, fix = hit[4].split("|", 1)
                    raise UnsafeWriteError(src, f"{_where(label, ref)} {msg}", fix)
                if (r, c) in shared_masters:
                    raise UnsafeWriteError(
                        src, f"{_where(label, ref)} holds a shared formula that the cells "
                             f"{shared_masters[(r, c)]} depend on",
                        "write to another column, or convert those formulas to values first")
            tp = type(value)
            if value is None:
                continue
            if tp is str or (tp is not bool and isinstance(value, str)):
                cleaned = _clean_text(value)  # type: ignore[arg-type]
                if len(cleaned) > MAX_CELL_TEXT // 2 and len(cleaned.encode("utf-16-le")) // 2 > MAX_CELL_TEXT:
                    raise UnsafeWriteError(src, f"{_where(label, ref)}: the text is longer than Excel's limit of "
                                                f"{MAX_CELL_TEXT} characters per cell", "shorten the text")
                if "_x" in cleaned:
                    cleaned = _OOXML_ESCAPE.sub(r"_x005F_\1", cleaned)
                items[k] = (c, str(cleaned), ref, orig)
            elif tp is float or (tp is not int and tp is not bool and isinstance(value, float)):
                if not math.isfinite(value):  # type: ignore[arg-type]
                    raise UnsafeWriteError(src, f"{_where(label, ref)}: {value!r} is not a number Excel can store",
                                           "write a finite number, or None to blank the cell")
            elif isinstance(value, _dt.date):
                if value not in serials:
                    serials[value] = _excel_serial(value, date1904)
                if serials[value] is None:
                    first = "1904-01-01" if date1904 else "1900-01-01"
                    raise UnsafeWriteError(src, f"{_where(label, ref)}: {value.isoformat()} is before {first}, the "
                                                "first date Excel can store in this workbook", "write the date as text")
            if r < bbox[0]:
                bbox[0] = r
            if r > bbox[2]:
                bbox[2] = r
            if c < bbox[1]:
                bbox[1] = c
            if c > bbox[3]:
                bbox[3] = c

    # ---- write, row by row
    p = ws.prefix.decode()
    c_open, c_close, v_open, v_close = f"<{p}c r=\"", f"</{p}c>", f"<{p}v>", f"</{p}v>"
    is_open, is_close = f"<{p}is><{p}t", f"</{p}t></{p}is>"
    removed_formulas: set[str] = set()

    def check_locked(ref: str, style: int) -> None:
        if protected and get_styles().is_locked(style):
            raise UnsafeWriteError(src, f"{_where(label, ref)} is locked and the sheet is protected",
                                   "unprotect the sheet (Review > Unprotect Sheet), or unlock those cells")

    def render(ref: str, value: CellValue, style: int, keep_s: bool, attrs: str, ext: str) -> bytes:
        """The <c> element for ``value``; ``attrs`` are kept attributes other than r, s and t."""
        tp = type(value)
        if tp is str:
            text: str = value  # type: ignore[assignment]
            space = ' xml:space="preserve"' if (text[:1].isspace() or text[-1:].isspace() or "\n" in text
                                                 or "\t" in text or "\r" in text or "  " in text) else ""
            t, inner = ' t="inlineStr"', f"{is_open}{space}>{_escape_text(text)}{is_close}"
        elif tp is bool:
            t, inner = ' t="b"', f"{v_open}{1 if value else 0}{v_close}"
        elif tp is int:
            t, inner = "", f"{v_open}{value}{v_close}"
        elif tp is float:
            t, inner = "", f"{v_open}{value!r}{v_close}"
        elif isinstance(value, _dt.date):
            serial = serials[value]
            t, inner = "", f"{v_open}{serial!r}{v_close}"
            st = get_styles()
            if not st.is_date_style(style):
                fmt = _DATETIME_FMT_ID if isinstance(serial, float) else _DATE_FMT_ID
                try:
                    style = st.date_style(style, fmt)
                except _NoStyles:
                    raise WorkbookError(src, "has no cell styles (xl/styles.xml is missing or empty), so a date "
                                             f"cannot be shown as a date in {_where(label, ref)}",
                                        "open it in Excel and save it again") from None
        elif isinstance(value, bool):
            t, inner = ' t="b"', f"{v_open}{1 if value else 0}{v_close}"
        elif isinstance(value, int):
            t, inner = "", f"{v_open}{int(value)}{v_close}"
        else:
            t, inner = "", f"{v_open}{float(value)!r}{v_close}"  # type: ignore[arg-type]
        s = f' s="{style}"' if style or keep_s else ""
        return f'{c_open}{ref}"{attrs}{s}{t}>{inner}{ext}{c_close}'.encode("utf-8")

    def default_style(row_attrs: bytes | None, col: int) -> int:
        if row_attrs is not None and b"customFormat" in row_attrs and _attr(row_attrs, b"customFormat") in ("1", "true"):
            s = _attr(row_attrs, b"s")
            if s and s.isdigit():
                return int(s)
        return ws.col_style(col) if ws.cols else 0

    def new_cell(c: int, value: CellValue, ref: str, row_attrs: bytes | None) -> bytes:
        style = default_style(row_attrs, c)
        if protected:
            check_locked(ref, style)
        return render(ref, value, style, False, "", "")

    body = ws.body
    cell_head = ws._cell_head
    f_tag = b"<" + ws.prefix + b"f"
    simple_cell = re.compile(b"<" + re.escape(ws.prefix) + rb'c r="[A-Z]{1,3}[0-9]+"(?: s="([0-9]+)")?(?: t="[a-zA-Z]+")?(/?)>').match
    formula_search = ws._formula.search
    ext_tag = ws._ext

    def rewrite_cell(ref: str, value: CellValue, tag_end: int, end: int, attrs: bytes) -> bytes:
        kept = ""
        style = 0
        has_style = False
        fast = _SIMPLE_CELL_ATTRS.match(attrs)
        if fast is not None:
            if fast.group(1) is not None:
                style, has_style = int(fast.group(1)), True
        else:
            parts = []
            for key, raw in _ATTR_RE.findall(attrs):
                if key == b"s":
                    sv = _unquote(raw)
                    style = int(sv) if sv.isdigit() else 0
                    has_style = True
                elif key not in (b"r", b"t", b"cm", b"vm"):
                    parts.append(" " + (key + b"=" + raw).decode("utf-8"))
            kept = "".join(parts)
        if protected:
            check_locked(ref, style)
        ext = ""
        if tag_end != end:
            if formula_search(body, tag_end, end) is not None:
                removed_formulas.add(ref)
            e = body.find(ext_tag, tag_end, end)
            if e >= 0:
                ext = body[e: end - len(c_close)].decode("utf-8")
        if value is None:
            if not has_style and not ext:
                return b""
            s = f' s="{style}"' if has_style else ""
            tail = f">{ext}{c_close}" if ext else "/>"
            return f'{c_open}{ref}"{kept}{s}{tail}'.encode("utf-8")
        return render(ref, value, style, has_style, kept, ext)

    row_pieces: dict[int, bytes] = {}
    new_rows: list[tuple[int, bytes]] = []
    row_index = {row[0]: i for i, row in enumerate(ws.rows)} if by_row else {}
    try:
        for r in sorted(by_row):
            items = by_row[r]
            idx = row_index.get(r)
            if idx is None:
                cells_bytes = b"".join(new_cell(c, v, ref, None) for c, v, ref, _ in items if v is not None)
                if cells_bytes:
                    new_rows.append((r, f'<{p}row r="{r}">'.encode() + cells_bytes + f"</{p}row>".encode()))
                continue
            row = ws.rows[idx]
            _, start, tag_end, close_start, end, row_attrs = row
            edits: list[tuple[int, int, bytes]] = []
            lo_new, hi_new = MAX_COL + 1, 0
            # Fast path: every cell to write already exists as <c r="P7" ...>.
            found: list[int] = []
            drops = False
            for c, value, ref, _ in items:
                at = body.find(cell_head + ref.encode() + b'"', tag_end, close_start)
                if at < 0 and value is not None:
                    break
                drops = drops or value is None
                found.append(at)
            else:
                if not drops or ws.all_cells_have_r(row):
                    for (c, value, ref, _), cs in zip(items, found):
                        if cs < 0:
                            continue
                        m = simple_cell(body, cs)
                        if m is not None and value is not None and not protected:
                            # <c r="P7" s="3" t="s"> with no extLst: no attribute to keep but s.
                            cte = m.end()
                            ce = ws.cell_end(cte, m.group(2) == b"/", close_start)
                            if cte != ce:
                                f = body.find(f_tag, cte, ce)
                                if f >= 0 and formula_search(body, f, ce) is not None:
                                    removed_formulas.add(ref)
                                if body.find(ext_tag, cte, ce) >= 0:
                                    edits.append((cs, ce, rewrite_cell(ref, value, cte, ce, ws.cell_start(cs).group(1))))
                                    continue
                            s_text = m.group(1)
                            edits.append((cs, ce, render(ref, value, int(s_text) if s_text else 0, s_text is not None,
                                                         "", "")))
                            continue
                        m = ws.cell_start(cs)
                        cte = m.end()
                        ce = ws.cell_end(cte, m.group(2) == b"/", close_start)
                        edits.append((cs, ce, rewrite_cell(ref, value, cte, ce, m.group(1))))
                    items = []
            cols, starts, no_r = ws.cell_index(row) if items else ([], [], {})
            append_at = -1
            n_cols = len(cols)
            for c, value, ref, _ in items:
                i = bisect_left(cols, c)
                if i < n_cols and cols[i] == c:
                    cs = ws.locate(starts[i], row)
                    m = ws.cell_start(cs)
                    cte, self_closing = m.end(), m.group(2) == b"/"
                    ce = ws.cell_end(cte, self_closing, close_start)
                    edits.append((cs, ce, rewrite_cell(ref, value, cte, ce, m.group(1))))
                    if no_r:
                        no_r.pop(cs, None)
                    continue
                if value is None:
                    continue
                if i < n_cols:
                    at = ws.locate(starts[i], row)
                else:
                    if append_at < 0:
                        last_end = tag_end
                        if starts:
                            m = ws.cell_start(ws.locate(starts[-1], row))
                            last_end = ws.cell_end(m.end(), m.group(2) == b"/", close_start)
                        append_at = body.find(ext_tag, last_end, close_start)
                        if append_at < 0:
                            append_at = close_start
                    at = append_at
                edits.append((at, at, new_cell(c, value, ref, row_attrs)))
                if c < lo_new:
                    lo_new = c
                if c > hi_new:
                    hi_new = c
            if no_r:  # give cells with an implicit column an explicit r (cells may move or go)
                for cs, (col, cte, cattrs, self_closing) in no_r.items():
                    edits.append((cs, cte, f'{c_open}{_col_letters(col)}{r}"'.encode("utf-8") + cattrs
                                  + (b"/>" if self_closing else b">")))
                edits.sort(key=lambda e: (e[0], e[1]))
            out: list[bytes] = []
            pos = tag_end
            for e_start, e_end, piece in edits:
                out.append(body[pos:e_start])
                out.append(piece)
                pos = e_end
            out.append(body[pos:close_start])
            # The start tag: add r if it was implicit, widen spans, open a self-closing row.
            attrs_out = row_attrs
            if _ROW_R_RE.search(attrs_out) is None:
                attrs_out = f' r="{r}"'.encode() + attrs_out
            if hi_new:
                sm = _SPANS_RE.search(attrs_out)
                if sm is not None:
                    a, b = int(sm.group(3)), int(sm.group(4))
                    if lo_new < a or hi_new > b:
                        q = sm.group(2)
                        attrs_out = (attrs_out[: sm.start()] + sm.group(1) + q
                                     + f"{min(a, lo_new)}:{max(b, hi_new)}".encode() + q + attrs_out[sm.end():])
            if close_start == end:  # was <row .../>
                head = b"<" + ws.prefix + b"row" + attrs_out.rstrip() + b">"
                tail = ws._row_close
            else:
                head = b"<" + ws.prefix + b"row" + attrs_out + b">" if attrs_out is not row_attrs else body[start:tag_end]
                tail = body[close_start:end]
            row_pieces[idx] = head + b"".join(out) + tail
    except _UnusualXml as exc:
        raise WorkbookError(src, f"is damaged: sheet {sheet_name!r} has {exc}",
                            "open it in Excel, let Excel repair it, and save it again") from None

    # ---- dimension
    new_head = ws.head
    if bbox[2]:
        dim = root.find(_M + "dimension")
        if dim is not None:
            r1, c1, r2, c2 = bbox
            old = _parse_range(dim.get("ref", ""))
            if old is not None and not (old == (1, 1, 1, 1) and not ws.has_cells()):
                r1, c1, r2, c2 = min(r1, old[0]), min(c1, old[1]), max(r2, old[2]), max(c2, old[3])
            new_ref = _range_text(r1, c1, r2, c2)
            if new_ref != dim.get("ref"):
                new_head = _set_dimension(ws, new_ref)

    pkg.changed[sheet_part] = ws.build(new_head, row_pieces, new_rows)
    if styles is not None and styles.modified and styles.part:
        pkg.changed[styles.part] = _serialize(styles.root)
    if removed_formulas and calc_part and pkg.has(calc_part):
        _drop_calc_chain_entries(pkg, wb_part, calc_part, sheet_id, removed_formulas)
    if grow_table is not None:
        _grow_table(pkg, src, label, sheet_part, grow_table)


def _set_dimension(ws: _SheetXml, new_ref: str) -> bytes:
    head = ws.head
    m = re.search(b"<" + re.escape(ws.prefix) + rb"dimension(?=[\s/>])" + _ATTRS + rb"(/?)>", head)
    if m is None:
        return head
    attrs = m.group(1)
    rm = re.search(rb"(\sref\s*=\s*)([\"'])[^\"']*\2", attrs)
    if rm is None:
        return head
    q = rm.group(2)
    attrs = attrs[: rm.start()] + rm.group(1) + q + new_ref.encode() + q + attrs[rm.end():]
    return head[: m.start()] + b"<" + ws.prefix + b"dimension" + attrs + m.group(2) + b">" + head[m.end():]


def _drop_calc_chain_entries(pkg: _Package, wb_part: str, calc_part: str, sheet_id: str | None,
                             refs: set[str]) -> None:
    """Remove the calcChain entries of cells on this sheet whose formula was overwritten.

    Entries inherit ``i`` (sheet id) and ``s`` (child chain) from the entry before them,
    so the entry after a removed one gets its inherited values written out.
    """
    root = pkg.xml(calc_part)
    cur_i: str | None = None
    cur_s = "0"
    after_removed = False
    level_pending = False
    removed_any = False
    for el in list(root.iterchildren(_M + "c")):
        if el.get("i") is not None:
            cur_i = el.get("i")
        if el.get("s") is not None:
            cur_s = el.get("s", "0")
        if cur_i == sheet_id and el.get("r", "").replace("$", "").upper() in refs:
            if el.get("l") in ("1", "true"):
                level_pending = True
            root.remove(el)
            removed_any = after_removed = True
            continue
        if after_removed:
            if el.get("i") is None and cur_i is not None:
                el.set("i", cur_i)
            if el.get("s") is None and cur_s not in ("0", "false"):
                el.set("s", cur_s)
            if level_pending and el.get("l") is None:
                el.set("l", "1")
            after_removed = level_pending = False
    if not removed_any:
        return
    if len(root.findall(_M + "c")) == 0:
        _remove_part(pkg, wb_part, calc_part)
    else:
        pkg.changed[calc_part] = _serialize(root)


def _grow_table(pkg: _Package, src: Path, sheet_label: str, sheet_part: str, grow: tuple[str, int]) -> None:
    name, last_row = grow
    if not isinstance(last_row, int) or isinstance(last_row, bool) or not (1 <= last_row <= MAX_ROW):
        raise UnsafeWriteError(src, f"cannot grow table {name!r} on sheet {sheet_label!r} to row {last_row!r}",
                               f"give a row number from 1 to {MAX_ROW}")
    tables: list[tuple[str, etree._Element]] = []
    for rel in pkg.rels(sheet_part):
        if rel.get("Type") == TABLE_REL and rel.get("TargetMode") != "External":
            part = _resolve_target(sheet_part, rel.get("Target", ""))
            if pkg.has(part):
                tables.append((part, pkg.xml(part)))

    def names(el: etree._Element) -> tuple[str, str]:
        return el.get("name", ""), el.get("displayName", "")

    found = [t for t in tables if name in names(t[1])] or [
        t for t in tables if name.lower() in (n.lower() for n in names(t[1]))]
    if not found:
        have = ", ".join(repr(t[1].get("displayName") or t[1].get("name")) for t in tables) or "none"
        raise UnsafeWriteError(src, f"sheet {sheet_label!r} has no table named {name!r} (its tables are: {have})",
                               "check the table name (Table Design > Table Name in Excel)")
    part, table = found[0]
    rect = _parse_range(table.get("ref", ""))
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
        o = _parse_range(other.get("ref", ""))
        if o and not (o[2] < r1 or o[0] > last_row or o[3] < c1 or o[1] > c2):
            raise UnsafeWriteError(
                src, f"growing table {name!r} on sheet {sheet_label!r} to row {last_row} would overlap table "
                     f"{other.get('displayName') or other.get('name')!r} at {other.get('ref')}",
                "move the other table out of the way")
    table.set("ref", _range_text(r1, c1, last_row, c2))
    af = table.find(_M + "autoFilter")
    if af is not None:
        af_rect = _parse_range(af.get("ref", ""))
        if af_rect is not None and af_rect[2] < last_row:
            af.set("ref", _range_text(af_rect[0], af_rect[1], last_row, af_rect[3]))
    pkg.changed[part] = _serialize(table)
