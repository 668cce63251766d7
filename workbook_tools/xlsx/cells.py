"""The <c> elements the writer puts in a sheet: built for a value (strings inline,
always literal text), styled like the row or column a new cell goes in, or rewritten
in place of an old cell keeping its other attributes and its extLst. The header rows
of the sheet's Excel Tables are not written."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from workbook_tools.a1 import sheet_ref
from workbook_tools.contract import CellValue
from workbook_tools.errors import UnsafeWriteError, WorkbookError
from workbook_tools.xlsx.package import MAIN, locate_sheet
from workbook_tools.xlsx.sheet import ATTR_RE, SheetXml, attr_value, unquote
from workbook_tools.xlsx.styles import DATE_FMT_ID, DATETIME_FMT_ID, GENERAL_FMT_ID, LazyStyles, NoStyles
from workbook_tools.xlsx.tables import TableHeader, table_headers
from workbook_tools.xlsx.targets import RowTargets

# The usual attributes of a cell: r, then optionally s and t.
_SIMPLE_CELL_ATTRS = re.compile(rb'\s+r="[A-Z]{1,3}\d+"(?:\s+s="(\d+)")?(?:\s+t="[a-zA-Z]+")?\s*\Z')
# The attributes a rewritten cell drops: r is written anew, and t, cm and vm describe the old value.
_DROPPED_ATTRS = (b"r", b"t", b"cm", b"vm")


def row_style(row_attrs: bytes | None) -> int | None:
    """The style a row gives its new cells (when it has customFormat), else None."""
    if (row_attrs is not None and b"customFormat" in row_attrs
            and attr_value(row_attrs, b"customFormat") in ("1", "true")):
        style = attr_value(row_attrs, b"s")
        if style and style.isdigit():
            return int(style)
    return None


def _escape_text(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")  # a raw CR would be read back as LF
    return text


def kept_attributes(attrs: bytes) -> tuple[int, bool, str]:
    """What a rewritten cell keeps of its old start tag's ``attrs``: its style (0 when
    none), whether it had an s attribute, and its other attributes (but r, t, cm and vm)
    as text to put after r."""
    simple = _SIMPLE_CELL_ATTRS.match(attrs)
    if simple is not None:
        style_text = simple.group(1)
        return (int(style_text), True, "") if style_text is not None else (0, False, "")
    style, has_style = 0, False
    parts = []
    for key, raw in ATTR_RE.findall(attrs):
        if key == b"s":
            value = unquote(raw)
            style = int(value) if value.isdigit() else 0
            has_style = True
        elif key not in _DROPPED_ATTRS:
            parts.append(" " + (key + b"=" + raw).decode("utf-8"))
    return style, has_style, "".join(parts)


class SheetCells:
    """Everything a cell written to one sheet needs: the sheet's tags (with its namespace
    prefix), its styles (read when first needed), whether it is protected, the Excel
    serials of the dates to write (from `targets.RowCheck`), the styles of its columns
    (looked up once each), and the cells whose formula was overwritten (for the calc chain)."""

    def __init__(self, sheet: SheetXml, styles: LazyStyles, serials: Mapping[_dt.date, float | int | None],
                 src: Path, label: str) -> None:
        self.sheet, self.styles, self.serials, self.src, self.label = sheet, styles, serials, src, label
        protection = sheet.root.find(MAIN + "sheetProtection")
        self.protected = protection is not None and protection.get("sheet", "0").lower() in ("1", "true")
        self.removed_formulas: set[str] = set()
        self.column_styles: dict[int, int] = {}
        #: Whether the default style (cellXfs 0) shows dates; None until a number needs to know.
        self.default_shows_dates: bool | None = None
        #: The header rows of the sheet's tables (which the writer refuses to change), by row.
        self.table_headers = self.table_header_rows()
        prefix = sheet.prefix.decode()
        self.cell_open, self.cell_close = f'<{prefix}c r="', f"</{prefix}c>"
        self.value_open, self.value_close = f"<{prefix}v>", f"</{prefix}v>"
        self.text_open, self.text_close = f"<{prefix}is><{prefix}t", f"</{prefix}t></{prefix}is>"
        self.row_open, self.row_close = f"<{prefix}row", f"</{prefix}row>"
        self.formula_tag = b"<" + sheet.prefix + b"f"
        #: The start tag <c r="P7" s="3" t="s"> (or />): nothing to keep but s (group 1); group 2 "/" when self-closing.
        self.simple_cell = re.compile(b"<" + re.escape(sheet.prefix)
                                      + rb'c r="[A-Z]{1,3}[0-9]+"(?: s="([0-9]+)")?(?: t="[a-zA-Z]+")?(/?)>').match

    def render(self, ref: str, value: CellValue, style: int, keep_style: bool, attrs: str, ext: str) -> str:
        """The <c> element ``ref`` holding ``value`` (not None) with style ``style``, written
        as s="0" too when ``keep_style``; ``attrs`` are kept attributes other than r, s and
        t, and ``ext`` a kept extLst. A date gets a date style when its style has none."""
        kind = type(value)
        if kind is str:
            text: str = value  # type: ignore[assignment]
            space = ' xml:space="preserve"' if (text[:1].isspace() or text[-1:].isspace() or "\n" in text
                                                 or "\t" in text or "\r" in text or "  " in text) else ""
            type_attr, inner = ' t="inlineStr"', f"{self.text_open}{space}>{_escape_text(text)}{self.text_close}"
        elif kind is bool:
            type_attr, inner = ' t="b"', f"{self.value_open}{1 if value else 0}{self.value_close}"
        elif kind is int:
            type_attr, inner = "", f"{self.value_open}{value}{self.value_close}"
            if not style and self.default_shows_dates is not False:
                style = self._number_style()
        elif kind is float:
            type_attr, inner = "", f"{self.value_open}{value!r}{self.value_close}"
            if not style and self.default_shows_dates is not False:
                style = self._number_style()
        elif isinstance(value, _dt.date):
            serial = self.serials[value]
            type_attr, inner = "", f"{self.value_open}{serial!r}{self.value_close}"
            if not (self.styles.loaded or self.styles.get()).is_date_style(style):
                style = self._date_style(ref, style, serial)
            elif not style:
                keep_style = True  # s="0" said: some readers (calamine) take a cell without s as General
        elif isinstance(value, bool):
            type_attr, inner = ' t="b"', f"{self.value_open}{1 if value else 0}{self.value_close}"
        else:
            number = int(value) if isinstance(value, int) else float(value)  # type: ignore[arg-type]
            type_attr, inner = "", f"{self.value_open}{number!r}{self.value_close}"
            if not style and self.default_shows_dates is not False:
                style = self._number_style()
        style_attr = f' s="{style}"' if style or keep_style else ""
        return f'{self.cell_open}{ref}"{attrs}{style_attr}{type_attr}>{inner}{ext}{self.cell_close}'

    def _number_style(self) -> int:
        """The style for a number whose cell has the default style (0): 0 itself, or when
        the workbook's default style shows dates (a number would read back as a date),
        a copy of it with the General format."""
        if self.default_shows_dates is None:
            self.default_shows_dates = (self.styles.loaded or self.styles.get()).is_date_style(0)
        if not self.default_shows_dates:
            return 0
        return self.styles.get().format_style(0, GENERAL_FMT_ID)  # xf 0 exists: it shows dates

    def table_header_rows(self) -> dict[int, list[TableHeader]]:
        """The header rows of the sheet's Excel Tables, by row number (none read when the
        sheet has no table parts, or no package to read them from)."""
        pkg = self.styles.pkg
        if pkg is None or self.sheet.root.find(MAIN + "tableParts") is None:
            return {}
        by_row: dict[int, list[TableHeader]] = {}
        for header in table_headers(pkg, locate_sheet(pkg, self.src, self.label).part):
            by_row.setdefault(header.row, []).append(header)
        return by_row

    def check_table_headers(self, row: int, targets: RowTargets) -> None:
        """UnsafeWriteError for a cell of ``targets`` (in row ``row``) in a table's header
        row, unless it is given the very name the table already has for that column: the
        header and the table part must agree, or Excel repairs (and renames) the table."""
        for header in self.table_headers.get(row, ()):
            for column, value, ref, _ in targets:
                name = header.name_at(column)
                if name is not None and value != name:
                    raise UnsafeWriteError(
                        self.src, f"{sheet_ref(self.label, ref)} is the header of column {name!r} of the table "
                                  f"{header.table!r}, which a write does not rename",
                        "rename the column in Excel (type over the header there), or write to the rows below it")

    def _date_style(self, ref: str, style: int, serial: float | int | None) -> int:
        """A style like ``style`` (which shows no date) that shows a date (a date and time
        format for a serial with a time of day)."""
        styles = self.styles.get()
        fmt_id = DATETIME_FMT_ID if isinstance(serial, float) else DATE_FMT_ID
        try:
            return styles.date_style(style, fmt_id)
        except NoStyles:
            raise WorkbookError(self.src, "has no cell styles (xl/styles.xml is missing or empty), so a date "
                                          f"cannot be shown as a date in {sheet_ref(self.label, ref)}",
                                "open it in Excel and save it again") from None

    def check_locked(self, ref: str, style: int) -> None:
        """UnsafeWriteError when the sheet is protected and style ``style`` locks cell ``ref``."""
        if self.protected and self.styles.get().is_locked(style):
            raise UnsafeWriteError(self.src, f"{sheet_ref(self.label, ref)} is locked and the sheet is protected",
                                   "unprotect the sheet (Review > Unprotect Sheet), or unlock those cells")

    def new_cell(self, column: int, value: CellValue, ref: str, base_style: int | None) -> str:
        """A cell that did not exist: styled ``base_style`` (its row's, see `row_style`) when
        that is not None, else like its column."""
        style = base_style
        if style is None:
            style = self.column_styles.get(column)
            if style is None:
                style = self.column_styles[column] = self.sheet.column_style(column)
        if self.protected:
            self.check_locked(ref, style)
        return self.render(ref, value, style, False, "", "")

    def new_cells(self, new: Sequence[tuple[int, CellValue, str]], base_style: int | None) -> str:
        """:meth:`new_cell` for each of ``new`` (column, value, ref), joined: a row's new
        cells as one piece (one encode, not one a cell)."""
        render, column_styles, protected = self.render, self.column_styles, self.protected
        texts = []
        for column, value, ref in new:
            style = base_style
            if style is None:
                style = column_styles.get(column)
                if style is None:
                    style = column_styles[column] = self.sheet.column_style(column)
            if protected:
                self.check_locked(ref, style)
            texts.append(render(ref, value, style, False, "", ""))
        return "".join(texts)

    def rewrite(self, ref: str, value: CellValue, tag_end: int, end: int, attrs: bytes) -> bytes:
        """The cell that replaces the one whose start tag (attributes ``attrs``) ends at
        ``tag_end`` and which ends at ``end``: its style, other attributes and extLst are
        kept; a formula it had is noted in `removed_formulas`. Blanking (None) a cell with
        neither style nor extLst removes it (b"")."""
        style, has_style, kept = kept_attributes(attrs)
        if self.protected:
            self.check_locked(ref, style)
        ext = self._old_content(ref, tag_end, end)
        if value is None:
            if not has_style and not ext:
                return b""
            style_attr = f' s="{style}"' if has_style else ""
            tail = f">{ext}{self.cell_close}" if ext else "/>"
            return f'{self.cell_open}{ref}"{kept}{style_attr}{tail}'.encode()
        return self.render(ref, value, style, has_style, kept, ext).encode()

    def _old_content(self, ref: str, tag_end: int, end: int) -> str:
        """The extLst of the old cell (as text, "" when none); notes its formula, if any, as removed."""
        if tag_end == end:
            return ""
        body = self.sheet.body
        if self.sheet.formula_start.search(body, tag_end, end) is not None:
            self.removed_formulas.add(ref)
        ext_at = body.find(self.sheet.ext_start, tag_end, end)
        if ext_at < 0:
            return ""
        return body[ext_at: end - len(self.cell_close)].decode("utf-8")

    def rewrite_at(self, ref: str, value: CellValue, start: int, limit: int) -> tuple[int, bytes]:
        """:meth:`rewrite` for the cell that starts at ``start`` (and ends before ``limit``):
        where it ends, and the bytes that replace it."""
        tag = self.sheet.cell_start(start)
        tag_end = tag.end()
        end = self.sheet.cell_end(tag_end, tag.group(2) == b"/", limit)
        return end, self.rewrite(ref, value, tag_end, end, tag.group(1))
