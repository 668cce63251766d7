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
import os
import re
import zipfile
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from itertools import chain
from pathlib import Path

from workbook_tools.errors import UnsafeWriteError, WorkbookError
from workbook_tools.gc_pause import paused_gc
from workbook_tools.files import check_not_open
from workbook_tools.a1 import MAX_COL, column_letter, parse_range, range_text, sheet_ref
from workbook_tools.xlsx.package import _M, _Package, _drop_calc_chain_entries, _locate_sheet, _serialize
from workbook_tools.xlsx.sheet import (
    _ATTR_RE, _ROW_R_RE, _SIMPLE_CELL_ATTRS, _SPANS_RE, _SheetStream, _SheetXml, _UnusualXml, _attr,
    _escape_text, _normalize_through_lxml, _set_dimension, _unquote,
)
from workbook_tools.xlsx.styles import _DATETIME_FMT_ID, _DATE_FMT_ID, _NoStyles, _Styles
from workbook_tools.xlsx.tables import _grow_table
from workbook_tools.xlsx.targets import MAX_CELL_TEXT, CellValue, _blocked_ranges, _Item, _parse_targets, _RowCheck
from workbook_tools.xlsx.zip import _Member, _write_package


__all__ = ["CellValue", "write_cells", "write_rows", "MAX_CELL_TEXT"]

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
    with paused_gc():  # ~100,000 small objects per 10,000 rows and no cycles
        by_row = _parse_targets(src, sheet, cells)
        _write(src, output, sheet, [(r, by_row[r]) for r in sorted(by_row)], grow_table, always=True)


def write_rows(
    path: str | os.PathLike[str],
    sheet: str,
    rows: Iterable[tuple[int, list[_Item]]],
    output: str | os.PathLike[str] | None = None,
    *,
    grow_table: tuple[str, int] | None = None,
) -> int:
    """:func:`write_cells` for a caller that produces its cells row by row, such as a
    refresh: ``rows`` yields ``(row, [(column number, value, "P7", "P7"), ...])`` in
    ascending row order and is consumed as the sheet is rebuilt, so neither the
    cells nor the new sheet are ever held whole. Returns the number of cells
    written; when ``rows`` yields nothing, nothing is written at all."""
    src = Path(os.fspath(path))
    with paused_gc():
        return _write(src, output, sheet, rows, grow_table, always=False)


def _write(src: Path, output: str | os.PathLike[str] | None, sheet: str, rows: Iterable[tuple[int, list[_Item]]],
           grow_table: tuple[str, int] | None, always: bool) -> int:
    dest = Path(os.fspath(output)) if output is not None else src
    dest = Path(os.path.realpath(dest)) if dest.is_symlink() else dest
    if dest.exists():
        check_not_open(dest)
    it = iter(rows)
    first = next(it, None)
    if first is None and not always:
        return 0
    pkg = _Package(src)
    try:
        written = _apply(pkg, src, sheet, chain((first,), it) if first is not None else (), grow_table)
        _write_package(pkg, src, dest)
    finally:
        pkg.close()
    return written


def _apply(pkg: _Package, src: Path, sheet: str, rows: Iterable[tuple[int, list[_Item]]],
           grow_table: tuple[str, int] | None) -> int:
    loc = _locate_sheet(pkg, src, sheet)
    sheet_name, sheet_part = loc.name, loc.part
    try:
        ws = _SheetXml(pkg.read(sheet_part))
    except _UnusualXml:
        try:
            ws = _SheetXml(_normalize_through_lxml(pkg.read(sheet_part)))
        except _UnusualXml as exc:
            raise WorkbookError(src, f"sheet {sheet_name!r} has XML that cannot be edited safely ({exc})",
                                "open it in Excel and save it again") from None
    root = ws.root
    label = sheet_name
    blocked, shared_masters = _blocked_ranges(ws)
    prot = root.find(_M + "sheetProtection")
    protected = prot is not None and prot.get("sheet", "0").lower() in ("1", "true")

    styles: _Styles | None = None

    def get_styles() -> _Styles:
        nonlocal styles
        if styles is None:
            styles = _Styles(pkg, loc.styles_part)
        return styles

    # ---- each row's values are checked just before the row is written
    check = _RowCheck(src, label, blocked, shared_masters, loc.date1904)
    serials = check.serials

    # ---- write, row by row
    p = ws.prefix.decode()
    c_open, c_close, v_open, v_close = f"<{p}c r=\"", f"</{p}c>", f"<{p}v>", f"</{p}v>"
    is_open, is_close = f"<{p}is><{p}t", f"</{p}t></{p}is>"
    removed_formulas: set[str] = set()

    def check_locked(ref: str, style: int) -> None:
        if protected and get_styles().is_locked(style):
            raise UnsafeWriteError(src, f"{sheet_ref(label, ref)} is locked and the sheet is protected",
                                   "unprotect the sheet (Review > Unprotect Sheet), or unlock those cells")

    def render(ref: str, value: CellValue, style: int, keep_s: bool, attrs: str, ext: str) -> bytes:
        """The <c> element for ``value``; ``attrs`` are kept attributes other than r, s and t."""
        return render_text(ref, value, style, keep_s, attrs, ext).encode("utf-8")

    def render_text(ref: str, value: CellValue, style: int, keep_s: bool, attrs: str, ext: str) -> str:
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
                                             f"cannot be shown as a date in {sheet_ref(label, ref)}",
                                        "open it in Excel and save it again") from None
        elif isinstance(value, bool):
            t, inner = ' t="b"', f"{v_open}{1 if value else 0}{v_close}"
        elif isinstance(value, int):
            t, inner = "", f"{v_open}{int(value)}{v_close}"
        else:
            t, inner = "", f"{v_open}{float(value)!r}{v_close}"  # type: ignore[arg-type]
        s = f' s="{style}"' if style or keep_s else ""
        return f'{c_open}{ref}"{attrs}{s}{t}>{inner}{ext}{c_close}'

    col_styles: dict[int, int] = {}

    def row_style(row_attrs: bytes | None) -> int | None:
        """The style a row gives its new cells (customFormat), else None."""
        if row_attrs is not None and b"customFormat" in row_attrs and _attr(row_attrs, b"customFormat") in ("1", "true"):
            s = _attr(row_attrs, b"s")
            if s and s.isdigit():
                return int(s)
        return None

    def new_cell_text(c: int, value: CellValue, ref: str, base: int | None) -> str:
        """A new cell takes the style of its row (``base``, when the row has one) or of
        its column."""
        style = base
        if style is None:
            style = col_styles.get(c)
            if style is None:
                style = col_styles[c] = ws.col_style(c)
        if protected:
            check_locked(ref, style)
        return render_text(ref, value, style, False, "", "")

    def new_cell(c: int, value: CellValue, ref: str, row_attrs: bytes | None) -> bytes:
        return new_cell_text(c, value, ref, row_style(row_attrs)).encode("utf-8")

    def new_cells(new: list[tuple[int, CellValue, str]], row_attrs: bytes) -> bytes:
        """A row's new cells as one piece (one encode, not one a cell)."""
        base = row_style(row_attrs)
        return "".join([new_cell_text(c, value, ref, base) for c, value, ref in new]).encode("utf-8")

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

    sheet_info = pkg.names[sheet_part]
    sink = _Member(deflate=sheet_info.compress_type != zipfile.ZIP_STORED)
    stream = _SheetStream(ws, sink)
    written = 0
    last_r = 0
    try:
        for r, items in rows:
            if r <= last_r:
                raise ValueError(f"rows must come in ascending order (row {r} after row {last_r})")
            last_r = r
            check(r, items)
            written += len(items)
            row = stream.find(r)
            if row is None:
                cells_bytes = b"".join(new_cell(c, v, ref, None) for c, v, ref, _ in items if v is not None)
                if cells_bytes:
                    stream.insert_row(f'<{p}row r="{r}">'.encode() + cells_bytes + f"</{p}row>".encode())
                continue
            _, start, tag_end, close_start, end, row_attrs = row
            edits: list[tuple[int, int, bytes]] = []
            lo_new, hi_new = MAX_COL + 1, 0
            last = ws.last_column(row) if not protected else None
            if last is not None and items[0][0] > last:
                # Fastest path: every cell goes after the row's last cell, as on a tracker's
                # first refresh (the owned columns end the table): nothing is located or moved.
                new = [(c, v, ref) for c, v, ref, _ in items if v is not None]
                out = [body[tag_end:close_start], new_cells(new, row_attrs)]
                if new:
                    lo_new, hi_new = new[0][0], new[-1][0]
            else:
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
                        edits.append((cs, cte, f'{c_open}{column_letter(col)}{r}"'.encode("utf-8") + cattrs
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
            out.append(tail)
            stream.replace_row(row, head + b"".join(out))
        # ---- the dimension, now that every written cell is known
        bbox = check.bbox
        new_head = ws.head
        if bbox[2]:
            dim = root.find(_M + "dimension")
            if dim is not None:
                r1, c1, r2, c2 = bbox
                old = parse_range(dim.get("ref", ""))
                if old is not None and not (old == (1, 1, 1, 1) and not ws.has_cells()):
                    r1, c1, r2, c2 = min(r1, old[0]), min(c1, old[1]), max(r2, old[2]), max(c2, old[3])
                new_ref = range_text(r1, c1, r2, c2)
                if new_ref != dim.get("ref"):
                    new_head = _set_dimension(ws, new_ref)

        stream.close(new_head)
    except _UnusualXml as exc:
        raise WorkbookError(src, f"is damaged: sheet {sheet_name!r} has {exc}",
                            "open it in Excel, let Excel repair it, and save it again") from None
    pkg.changed[sheet_part] = sink

    if styles is not None and styles.modified and styles.part:
        pkg.changed[styles.part] = _serialize(styles.root)
    if removed_formulas and loc.calc_part and pkg.has(loc.calc_part):
        _drop_calc_chain_entries(pkg, loc.wb_part, loc.calc_part, loc.sheet_id, removed_formulas)
    if grow_table is not None:
        _grow_table(pkg, src, label, sheet_part, grow_table)
    return written
