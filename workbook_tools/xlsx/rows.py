"""The row editor: each written row of a sheet rebuilt from its old bytes and its new
cells, by the cheapest of four paths, and handed to the `sheet.SheetStream`."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from operator import attrgetter
from typing import NamedTuple

from workbook_tools.a1 import MAX_COL, column_letter
from workbook_tools.xlsx.cells import SheetCells, row_style
from workbook_tools.xlsx.sheet import (
    ROW_R_RE,
    ColumnWidths,
    ImplicitCell,
    RowSpan,
    SheetStream,
    attr_value,
    row_default_height,
)
from workbook_tools.xlsx.targets import RowTargets

_SPANS_RE = re.compile(rb"(\sspans\s*=\s*)([\"'])(\d+):(\d+)\2")
_HT_RE = re.compile(rb"(\sht\s*=\s*)([\"'])[^\"']*\2")
#: Heights closer than this (points) are the same height: a row that has it is not rewritten.
SAME_HEIGHT = 0.01
#: How tall a row must be for its wrapped cells: given (value, column width) for each
#: wrapped cell of a visible column, the height in points (`core.layout.row_height`).
RowHeight = Callable[[Iterable[tuple[object, float]]], float]


class RowWrite(NamedTuple):
    """A row for `write.write_rows`: its number, its cells to write (in any order; may be
    empty), and the values of its wrapped cells by column number, as they will be after
    the write, when the row's height is to fit them (None: its height is left alone)."""

    row: int
    targets: RowTargets
    wrapped: Mapping[int, object] | None = None
#: `RowContent.first_new` and `last_new` when no cell is new: the row's spans stay as they are.
NO_NEW = (MAX_COL + 1, 0)


class Edit(NamedTuple):
    """``piece`` in place of the row's bytes ``start``..``end`` (an insertion when they are equal)."""

    start: int
    end: int
    piece: bytes


_edit_order = attrgetter("start", "end")


class RowContent(NamedTuple):
    """What goes between a rebuilt row's start and end tags, as pieces to join, and the
    first and last columns of its new cells (`NO_NEW` when it has none)."""

    parts: list[bytes]
    first_new: int
    last_new: int


class RowEditor:
    """Rewrites the rows of one sheet that get cells (given in column order, checked
    by `targets.RowCheck`) and passes them to ``stream``, which copies the rest."""

    def __init__(self, cells: SheetCells, stream: SheetStream, row_height: RowHeight | None = None) -> None:
        self.cells, self.stream = cells, stream
        self.sheet = cells.sheet
        self.header_rows = cells.table_headers
        #: Heights for the rows given their wrapped cells' values (None: heights are left alone).
        self.row_height = row_height
        self._widths: ColumnWidths | None = None
        self._default_height = row_default_height(self.sheet.root)
        self.heights_changed = 0  # rows given a new height

    def write_row(self, number: int, targets: RowTargets, wrapped: Mapping[int, object] | None = None) -> None:
        """Write ``targets`` into row ``number``: a new row, or the old one rebuilt by
        the first path that applies (append, in place, or the general one); with
        ``wrapped``, the row's height made to fit those cells (see :meth:`new_height`).
        A row whose cells and height are already right is not touched. UnsafeWriteError
        for a cell in the header row of one of the sheet's Excel Tables."""
        if targets and number in self.header_rows:
            self.cells.check_table_headers(number, targets)
        row = self.stream.find(number)
        height = self.new_height(row, wrapped) if wrapped is not None else None
        if height is not None:
            self.heights_changed += 1
        if not targets:
            if row is not None and height is not None:
                head, tail = self.row_tags(row, *NO_NEW, height)
                self.stream.replace_row(row, head + self.sheet.body[row.tag_end:row.close_start] + tail)
            return
        if row is None:
            self.new_row(number, targets, height)
            return
        parts: list[bytes] | None = None
        last = self.sheet.last_column(row) if not self.cells.protected else None
        if last is not None:
            first_column, _, _, _ = targets[0]
            if first_column > last:
                parts, first_new, last_new = self.append_cells(row, targets)
        if parts is None:
            parts = self.rewrite_in_place(row, targets)
            first_new, last_new = NO_NEW
        if parts is None:
            parts, first_new, last_new = self.insert_cells(row, targets)
        head, tail = self.row_tags(row, first_new, last_new, height)
        parts.append(tail)
        self.stream.replace_row(row, head + b"".join(parts))

    def new_height(self, row: RowSpan | None, wrapped: Mapping[int, object]) -> float | None:
        """The height ``row`` must be given for its ``wrapped`` cells (column -> value) to
        show whole (hidden columns aside), None when it has that height already (a row
        without ``ht`` has the sheet's default height) or no height rule was given."""
        if self.row_height is None:
            return None
        widths = self._widths
        if widths is None:
            widths = self._widths = ColumnWidths(self.sheet.root)
        wanted = self.row_height(zip(wrapped.values(), map(widths.width, wrapped)))
        current = self._default_height
        if row is not None and b"ht" in row.attrs:
            text = attr_value(row.attrs, b"ht")
            try:
                current = float(text) if text is not None else current
            except ValueError:
                current = -1.0  # unreadable: rewritten
        return None if abs(wanted - current) < SAME_HEIGHT else wanted

    def new_row(self, number: int, targets: RowTargets, height: float | None = None) -> None:
        """A row the sheet does not have yet: a new <row> with the cells given a value (none
        when all are None), and ``height`` when given."""
        cells = self.cells
        text = cells.new_cells([(column, value, ref) for column, value, ref, _ in targets if value is not None], None)
        if text:
            ht = f' ht="{height:g}"' if height is not None else ""
            self.stream.insert_row(f'{cells.row_open} r="{number}"{ht}>{text}{cells.row_close}'.encode())

    def append_cells(self, row: RowSpan, targets: RowTargets) -> RowContent:
        """The fastest path, when every cell goes after the row's last cell, as on a
        tracker's first refresh (the owned columns end the table): nothing is located or
        moved. (Not taken on a protected sheet.)"""
        new = [(column, value, ref) for column, value, ref, _ in targets if value is not None]
        text = self.cells.new_cells(new, row_style(row.attrs))
        parts = [self.sheet.body[row.tag_end:row.close_start], text.encode()]
        if not new:
            return tuple.__new__(RowContent, (parts, *NO_NEW))
        (first, _, _), (last, _, _) = new[0], new[-1]
        return tuple.__new__(RowContent, (parts, first, last))

    def rewrite_in_place(self, row: RowSpan, targets: RowTargets) -> list[bytes] | None:
        """The fast path, when every cell to write already exists as <c r="P7" ...> (a
        cell blanked may be missing), as on a daily refresh: each is replaced where it
        is. None when a cell is missing, or one is blanked in a row that has cells
        without an r (they might have to be given one)."""
        starts = self._existing_starts(row, targets)
        if starts is None:
            return None
        cells, sheet = self.cells, self.sheet
        body, close_start = sheet.body, row.close_start
        simple_cell, protected = cells.simple_cell, cells.protected
        formula_tag, formula_search, ext_start = cells.formula_tag, sheet.formula_start.search, sheet.ext_start
        parts: list[bytes] = []
        pos = row.tag_end
        for (_, value, ref, _), start in zip(targets, starts, strict=False):
            if start < 0:
                continue
            simple = simple_cell(body, start)
            if simple is not None and value is not None and not protected:
                # <c r="P7" s="3" t="s"> with no extLst: no attribute to keep but s.
                tag_end = simple.end()
                end = sheet.cell_end(tag_end, simple.group(2) == b"/", close_start)
                piece = None
                if tag_end != end:
                    formula_at = body.find(formula_tag, tag_end, end)
                    if formula_at >= 0 and formula_search(body, formula_at, end) is not None:
                        cells.removed_formulas.add(ref)
                    if body.find(ext_start, tag_end, end) >= 0:
                        piece = cells.rewrite(ref, value, tag_end, end, sheet.cell_start(start).group(1))
                if piece is None:
                    style_text = simple.group(1)
                    piece = cells.render(ref, value, int(style_text) if style_text else 0, style_text is not None,
                                         "", "").encode()
            else:
                end, piece = cells.rewrite_at(ref, value, start, close_start)
            parts.append(body[pos:start])
            parts.append(piece)
            pos = end
        parts.append(body[pos:close_start])
        return parts

    def _existing_starts(self, row: RowSpan, targets: RowTargets) -> list[int] | None:
        """Where each cell to write starts as <c r="P7" (-1 for a cell blanked that is not
        there), when :meth:`rewrite_in_place` can write them all; else None."""
        body, cell_head = self.sheet.body, self.sheet.cell_head
        tag_end, close_start = row.tag_end, row.close_start
        starts: list[int] = []
        blanks = False
        for _, value, ref, _ in targets:
            at = body.find(cell_head + ref.encode() + b'"', tag_end, close_start)
            if at < 0 and value is not None:
                return None
            blanks = blanks or value is None
            starts.append(at)
        if blanks and not self.sheet.all_cells_have_r(row):
            return None
        return starts

    def insert_cells(self, row: RowSpan, targets: RowTargets) -> RowContent:
        """The general path: each cell found by bisecting the row's columns, rewritten
        when it exists, else inserted before the first cell to its right (or after the
        last); cells with an implicit column are given an explicit r, since cells before
        them may come or go."""
        sheet, cells = self.sheet, self.cells
        columns, starts, implicit = sheet.cell_index(row)
        count = len(columns)
        edits: list[Edit] = []
        first_new, last_new = NO_NEW
        append_at = -1
        for column, value, ref, _ in targets:
            i = bisect_left(columns, column)
            if i < count and columns[i] == column:
                start = sheet.locate(starts[i], row)
                end, piece = cells.rewrite_at(ref, value, start, row.close_start)
                edits.append(Edit(start, end, piece))
                if implicit:
                    implicit.pop(start, None)
                continue
            if value is None:
                continue
            if i < count:
                at = sheet.locate(starts[i], row)
            else:
                if append_at < 0:
                    append_at = self._append_position(row, starts)
                at = append_at
            edits.append(Edit(at, at, cells.new_cell(column, value, ref, row_style(row.attrs)).encode()))
            first_new, last_new = min(first_new, column), max(last_new, column)
        if implicit:
            edits.extend(self._explicit_refs(row.number, implicit))
            edits.sort(key=_edit_order)
        return RowContent(self._apply_edits(row, edits), first_new, last_new)

    def _append_position(self, row: RowSpan, starts: list[int] | list[bytes]) -> int:
        """Where a cell after the row's last goes: after that cell, before the row's extLst."""
        sheet = self.sheet
        last_end = row.tag_end
        if starts:
            tag = sheet.cell_start(sheet.locate(starts[-1], row))
            last_end = sheet.cell_end(tag.end(), tag.group(2) == b"/", row.close_start)
        at = sheet.body.find(sheet.ext_start, last_end, row.close_start)
        return at if at >= 0 else row.close_start

    def _explicit_refs(self, number: int, implicit: dict[int, ImplicitCell]) -> list[Edit]:
        """The start tags of the cells without an r, each given its r."""
        cell_open = self.cells.cell_open
        return [Edit(start, cell.tag_end, f'{cell_open}{column_letter(cell.column)}{number}"'.encode()
                     + cell.attrs + (b"/>" if cell.self_closing else b">"))
                for start, cell in implicit.items()]

    def _apply_edits(self, row: RowSpan, edits: list[Edit]) -> list[bytes]:
        """The row's content with ``edits`` (in order) made: the pieces to join."""
        body = self.sheet.body
        parts: list[bytes] = []
        pos = row.tag_end
        for start, end, piece in edits:
            parts.append(body[pos:start])
            parts.append(piece)
            pos = end
        parts.append(body[pos:row.close_start])
        return parts

    def row_tags(self, row: RowSpan, first_new: int, last_new: int, height: float | None = None
                 ) -> tuple[bytes, bytes]:
        """The rebuilt row's start and end tags: r added when it was implicit, spans
        widened to the new cells' columns ``first_new``..``last_new``, ht set to ``height``
        when given, and a self-closing <row/> opened. The old start tag, byte for byte,
        when nothing changes."""
        sheet = self.sheet
        attrs = row.attrs
        if ROW_R_RE.search(attrs) is None:
            attrs = f' r="{row.number}"'.encode() + attrs
        if height is not None:
            attrs = _with_height(attrs, height)
        if last_new:
            spans = _SPANS_RE.search(attrs)
            if spans is not None:
                low, high = int(spans.group(3)), int(spans.group(4))
                if first_new < low or last_new > high:
                    quote = spans.group(2)
                    attrs = (attrs[: spans.start()] + spans.group(1) + quote
                             + f"{min(low, first_new)}:{max(high, last_new)}".encode() + quote + attrs[spans.end():])
        if row.close_start == row.end:  # was <row .../>
            return b"<" + sheet.prefix + b"row" + attrs.rstrip() + b">", sheet.row_close
        if attrs is row.attrs:
            head = sheet.body[row.start:row.tag_end]
        else:
            head = b"<" + sheet.prefix + b"row" + attrs + b">"
        return head, sheet.body[row.close_start:row.end]


def _with_height(attrs: bytes, height: float) -> bytes:
    """A row's start-tag attributes with ht set to ``height`` points (replaced where
    it has one, else added after the row's other attributes)."""
    value = f"{height:g}".encode()
    found = _HT_RE.search(attrs)
    if found is None:
        return attrs.rstrip() + b' ht="' + value + b'"'
    quote = found.group(2)
    return attrs[: found.start()] + found.group(1) + quote + value + quote + attrs[found.end():]
