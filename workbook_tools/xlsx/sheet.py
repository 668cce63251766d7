"""The worksheet XML edited as bytes: rows are located by a scanner, only the rows
that are written are rebuilt, and everything else is copied byte for byte."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from workbook_tools.a1 import Rect, column_number, parse_range, range_text
from workbook_tools.errors import WorkbookError
from workbook_tools.xlsx.member import Member
from workbook_tools.xlsx.package import MAIN, MAIN_NS
from workbook_tools.xlsx.xml import XML_DECL, XmlError, namespace, parse, parse_for_edit, serialize

#: Column numbers by the letters of a cell reference as bytes (b"P" -> 16), filled as met.
_COLUMN_BY_LETTERS: dict[bytes, int] = {}

# A start tag's attributes, allowing ">" inside quoted values.
_ATTRS = rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)"
#: One attribute of a start tag: (name, quoted value).
ATTR_RE = re.compile(rb"([^\s=/>]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
#: The r attribute of a <row> start tag: its row number.
ROW_R_RE = re.compile(rb"\sr\s*=\s*[\"'](\d+)[\"']")
_ROOT_RE = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet(?=[\s/>])")
_CELL_R_RE = re.compile(rb"\sr\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?(\d+)[\"']")
_TAG_END = frozenset({b" ", b"\t", b"\r", b"\n", b"/", b">"})
_ENCODING_RE = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']+)[\"']")
_XML_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'"}
_START_TAG_RE = re.compile(rb"<[^\s/>]+" + _ATTRS + rb"/?>")


def unquote(raw: bytes) -> str:
    """An attribute's quoted value as found by `ATTR_RE` (b'"a&amp;b"') as text ("a&b")."""
    text = raw[1:-1].decode("utf-8")
    if "&" in text:
        text = re.sub(r"&(?:amp|lt|gt|quot|apos);", lambda found: _XML_ENTITIES[found.group(0)], text)
    return text


def attr_value(attrs: bytes, name: bytes) -> str | None:
    """The value of attribute ``name`` among a start tag's ``attrs``, else None."""
    for key, raw in ATTR_RE.findall(attrs):
        if key == name:
            return unquote(raw)
    return None


class UnusualXml(Exception):
    """The sheet's XML is not what the byte editor can edit safely (the message says why)."""


class RowSpan(NamedTuple):
    """Where a <row> is in the sheet's bytes. ``tag_end`` is the end of its start tag,
    ``close_start`` the start of </row> (equal to ``end`` for a self-closing <row/>)."""

    number: int
    start: int
    tag_end: int
    close_start: int
    end: int
    attrs: bytes  # of the start tag


class CellSpan(NamedTuple):
    """Where a <c> start tag is in the sheet's bytes, and what it says."""

    column: int
    start: int
    tag_end: int
    attrs: bytes
    self_closing: bool
    has_r: bool


class ImplicitCell(NamedTuple):
    """A <c> without an r attribute (its column follows the cell before it)."""

    column: int
    tag_end: int
    attrs: bytes
    self_closing: bool


class CellIndex(NamedTuple):
    """A row's cells: their columns, in order, and where each starts: an offset, or
    (the fast case) the bytes ``P7`` of its ``<c r="P7"``, found by `SheetXml.locate`.
    ``implicit``: the cells without an r attribute, by offset."""

    columns: list[int]
    starts: list[int] | list[bytes]
    implicit: dict[int, ImplicitCell]


class ColumnStyle(NamedTuple):
    """A <col> with a style: columns ``first``..``last`` have style ``style``."""

    first: int
    last: int
    style: int


class SheetFormula(NamedTuple):
    """An array, dataTable or shared formula over a range; ``master``: (row, column) of its cell."""

    kind: str
    ref: str
    master: tuple[int, int] | None


class SheetXml:
    """A worksheet part split into head / sheetData rows / tail, edited as bytes.

    The rows are read in place: ``body[body_start:body_end]`` is the inside of
    <sheetData>. UnusualXml when the part is not plain enough to be edited so."""

    def __init__(self, data: bytes) -> None:
        data = _normalize_sheet_bytes(data)
        root_tag = _ROOT_RE.search(data)
        if root_tag is None:
            raise UnusualXml("no <worksheet> element")
        prefix = root_tag.group(1) or b""
        self.prefix = prefix
        self._split(data, root_tag.end())
        if any(self.body.find(mark, self.body_start, self.body_end) >= 0 for mark in (b"<!--", b"<![CDATA[", b"<?")):
            raise UnusualXml("comments or CDATA inside <sheetData>")
        try:
            self.root = parse(self.head + self.tail)  # read only: the rows are edited as bytes
        except XmlError as exc:
            raise UnusualXml(str(exc)) from None
        sheet_data = self.root.find(MAIN + "sheetData")
        if namespace(self.root) != MAIN_NS or sheet_data is None:
            raise UnusualXml("<sheetData> is not in the SpreadsheetML namespace")
        if _declared(data, root_tag.start(), prefix) != MAIN_NS:
            raise UnusualXml("mixed namespace prefixes")
        escaped = re.escape(prefix)
        self._row_start = re.compile(b"<" + escaped + rb"row(?=[\s/>])" + _ATTRS + rb"(/?)>")
        self._cell_start = re.compile(b"<" + escaped + rb"c(?=[\s/>])" + _ATTRS + rb"(/?)>")
        # Every cell start; the groups are empty unless r="A1" comes first (the usual case).
        self._fast_cell = re.compile(b"<" + escaped + rb'c(?:\s+r="(([A-Z]{1,3})[0-9]+)")?(?=[\s/>])')
        #: The start of a cell whose r comes first: b'<c r="', to be followed by b'P7"'.
        self.cell_head = b"<" + prefix + b'c r="'
        self.cell_tag = b"<" + prefix + b"c"
        #: A <f> start tag (a cell's formula).
        self.formula_start = re.compile(b"<" + escaped + rb"f(?=[\s/>])" + _ATTRS + rb"(/?)>")
        self.row_close = b"</" + prefix + b"row>"
        self.cell_close = b"</" + prefix + b"c>"
        self.ext_start = b"<" + prefix + b"extLst"
        self.column_styles = _column_styles(self.root)
        #: Every <c> with an r attribute: its column letters and row number (r need not come first).
        self._any_cell_r = re.compile(b"<" + escaped + rb"c(?=[\s/>])[^>]*?"
                                      rb"\sr\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?([0-9]+)[\"']")

    def _split(self, data: bytes, after: int) -> None:
        """Set head, body (with body_start and body_end) and tail around <sheetData>."""
        prefix = self.prefix
        sheet_data = re.compile(b"<" + re.escape(prefix) + rb"sheetData(?=[\s/>])" + _ATTRS + rb"(/?)>").search(
            data, after)
        if sheet_data is None:
            raise UnusualXml("no <sheetData> element")
        if sheet_data.group(2):  # <sheetData/>
            self.head = data[: sheet_data.start()] + b"<" + prefix + b"sheetData" + sheet_data.group(1).rstrip() + b">"
            self.body, self.body_start, self.body_end = b"", 0, 0
            self.tail = b"</" + prefix + b"sheetData>" + data[sheet_data.end():]
            return
        close = b"</" + prefix + b"sheetData>"
        end = data.find(close, sheet_data.end())
        if end < 0:
            raise UnusualXml("<sheetData> is not closed")
        self.head = data[: sheet_data.end()]
        # The rows are read in place (offsets into data) rather than copied.
        self.body, self.body_start, self.body_end = data, sheet_data.end(), end
        self.tail = data[end:]

    # -- reading

    def iter_rows(self) -> Iterator[RowSpan]:
        """Each row, scanned as it is asked for (a writer needs only the rows up to the
        last it writes, and never a list of them all)."""
        body = self.body
        search, close = self._row_start.search, self.row_close
        pos, last, body_end = self.body_start, 0, self.body_end
        new_span = tuple.__new__
        while True:
            found = search(body, pos, body_end)
            if found is None:
                return
            attrs = found.group(1)
            if found.group(2):
                close_start = end = found.end()
            else:
                close_start = body.find(close, found.end(), body_end)
                if close_start < 0:
                    raise UnusualXml("a <row> is not closed")
                end = close_start + len(close)
            row_r = ROW_R_RE.search(attrs)
            number = int(row_r.group(1)) if row_r else last + 1
            if number <= last:
                raise UnusualXml(f"rows out of order (row {number} after row {last})")
            yield new_span(RowSpan, (number, found.start(), found.end(), close_start, end, attrs))
            last, pos = number, end

    def formulas(self) -> list[SheetFormula]:
        """Every array / dataTable / shared formula with a ref."""
        out = []
        body = self.body
        for formula in self.formula_start.finditer(body, self.body_start, self.body_end):
            attrs = formula.group(1)
            if b"ref" not in attrs:
                continue
            kind = attr_value(attrs, b"t")
            ref = attr_value(attrs, b"ref")
            if kind not in ("array", "dataTable", "shared") or not ref:
                continue
            out.append(SheetFormula(kind, ref, self._cell_before(formula.start())))
        return out

    def _cell_before(self, at: int) -> tuple[int, int] | None:
        """(row, column) of the cell whose start tag is the last before ``at``, when it has an r."""
        start = self.body.rfind(self.cell_tag, self.body_start, at)
        if start >= 0:
            cell = self._cell_start.match(self.body, start)
            if cell is not None:
                cell_r = _CELL_R_RE.search(cell.group(1))
                if cell_r:
                    return int(cell_r.group(2)), column_number(cell_r.group(1).decode())
        return None

    def cell_extent(self) -> Rect | None:
        """The rectangle from the first to the last cell the rows hold (by their r
        attributes, whatever the <dimension> says), None when no cell has one."""
        refs = self._any_cell_r.findall(self.body, self.body_start, self.body_end)
        if not refs:
            return None
        cache = _COLUMN_BY_LETTERS
        columns = []
        for letters in {letters.upper() for letters, _ in refs}:
            column = cache.get(letters)
            if column is None:
                column = cache[letters] = column_number(letters.decode())
            columns.append(column)
        rows = [int(number) for _, number in refs]
        return Rect(min(rows), min(columns), max(rows), max(columns))

    def has_cells(self) -> bool:
        """Whether any row has a cell."""
        return self._cell_start.search(self.body, self.body_start, self.body_end) is not None

    def column_style(self, column: int) -> int:
        """The style the <cols> give column ``column`` (0 when none does)."""
        for first, last, style in self.column_styles:
            if first <= column <= last:
                return style
        return 0

    def cells_of(self, row: RowSpan) -> list[CellSpan]:
        """Every cell of a row, read from its start tag."""
        out = []
        last = 0
        cache = _COLUMN_BY_LETTERS
        for cell in self._cell_start.finditer(self.body, row.tag_end, row.close_start):
            attrs = cell.group(1)
            cell_r = _CELL_R_RE.search(attrs)
            if cell_r is not None:
                letters = cell_r.group(1)
                column = cache.get(letters)
                if column is None:
                    column = cache[letters] = column_number(letters.decode())
                if column <= last:
                    raise UnusualXml(f"cells out of order in row {row.number}")
            else:
                column = last + 1
            out.append(CellSpan(column, cell.start(), cell.end(), attrs, cell.group(2) == b"/", cell_r is not None))
            last = column
        return out

    def cell_index(self, row: RowSpan) -> CellIndex:
        """A row's cells: found by their leading r="P7" when every cell has one (the fast
        case), else read one by one with :meth:`cells_of`."""
        found = self._fast_cell.findall(self.body, row.tag_end, row.close_start)
        letters_list = [letters for _, letters in found]
        if b"" not in letters_list:
            cache = _COLUMN_BY_LETTERS
            try:
                columns = [cache[letters] for letters in letters_list]
            except KeyError:
                columns = [cache.get(letters) or cache.setdefault(letters, column_number(letters.decode()))
                           for letters in letters_list]
            if all(left < right for left, right in zip(columns, columns[1:], strict=False)):
                return CellIndex(columns, [ref for ref, _ in found], {})
            raise UnusualXml(f"cells out of order in row {row.number}")
        cells = self.cells_of(row)
        implicit = {cell.start: ImplicitCell(cell.column, cell.tag_end, cell.attrs, cell.self_closing)
                    for cell in cells if not cell.has_r}
        return CellIndex([cell.column for cell in cells], [cell.start for cell in cells], implicit)

    def last_column(self, row: RowSpan) -> int | None:
        """The column of the row's last cell (0 when it has none), when that is plain to
        see: the cell's tag starts <c r="P7" and the row has no extLst. Else None."""
        body, low, high = self.body, row.tag_end, row.close_start
        tag = self.cell_tag
        at = body.rfind(tag, low, high)
        while at >= 0 and body[at + len(tag): at + len(tag) + 1] not in _TAG_END:
            at = body.rfind(tag, low, at)  # <color>, <charset>... inside rich text
        if at < 0:
            return 0 if body.find(self.ext_start, low, high) < 0 and not body[low:high].strip() else None
        cell = self._fast_cell.match(body, at)
        if cell is None or not cell.group(2) or body.find(self.ext_start, low, high) >= 0:
            return None
        letters = cell.group(2)
        column = _COLUMN_BY_LETTERS.get(letters)
        if column is None:
            column = _COLUMN_BY_LETTERS[letters] = column_number(letters.decode())
        return column

    def all_cells_have_r(self, row: RowSpan) -> bool:
        """Whether every cell of the row starts <c r="."""
        body, low, high = self.body, row.tag_end, row.close_start
        start = self.cell_tag
        every = sum(body.count(start + after, low, high) for after in (b" ", b">", b"/", b"\t", b"\n", b"\r"))
        return every == body.count(self.cell_head, low, high)

    def locate(self, key: int | bytes, row: RowSpan) -> int:
        """The offset of a cell given as a `CellIndex` start (an offset, or its b"P7")."""
        if isinstance(key, int):
            return key
        pos = self.body.find(self.cell_head + key + b'"', row.tag_end, row.close_start)
        if pos < 0:
            raise UnusualXml("a cell could not be located")
        return pos

    def cell_start(self, start: int) -> re.Match[bytes]:
        """The start tag of the cell at ``start``: group 1 its attributes, group 2 "/" when self-closing."""
        found = self._cell_start.match(self.body, start)
        if found is None:
            raise UnusualXml("an unreadable <c> tag")
        return found

    def cell_end(self, tag_end: int, self_closing: bool, limit: int) -> int:
        """The end of the cell whose start tag ends at ``tag_end`` (not looking past ``limit``)."""
        if self_closing:
            return tag_end
        end = self.body.find(self.cell_close, tag_end, limit)
        if end < 0:
            raise UnusualXml("a <c> is not closed")
        return end + len(self.cell_close)


#: The width of a column no <col> sizes, when the sheet says none, as Excel shows it
#: (source: Excel, Calibri 11: 8.43 characters).
DEFAULT_COLUMN_WIDTH = 8.43
#: What a <col> width holds beyond the characters Excel shows: 5 pixels of padding, in
#: widths of a 7-pixel digit (source: ECMA-376 18.3.1.13, Calibri 11).
COLUMN_PADDING = 5 / 7
#: The height of a row that gives none, when the sheet says none (source: Excel, Calibri 11).
DEFAULT_ROW_HEIGHT = 15.0


class ColumnWidths:
    """The widths of a sheet's columns in characters as Excel shows them (its
    ColumnWidth: a <col> width less its padding), from the <cols>: 0 for a hidden
    column, the sheet's default width for a column no <col> sizes."""

    def __init__(self, root: Any) -> None:
        fmt = root.find(MAIN + "sheetFormatPr")
        default = _number(fmt.get("defaultColWidth") if fmt is not None else None)
        if default is None:
            base = _number(fmt.get("baseColWidth") if fmt is not None else None)
            default = DEFAULT_COLUMN_WIDTH if base is None else base + DEFAULT_COLUMN_WIDTH - 8
        self.default: float = default
        self.ranges: list[tuple[int, int, float]] = []
        for col in root.iter(MAIN + "col"):
            first, last = _number(col.get("min")), _number(col.get("max"))
            if first is None or last is None:
                continue
            hidden = col.get("hidden", "0").strip().lower() in ("1", "true")
            width = 0.0 if hidden else _number(col.get("width"))
            shown = self.default if width is None else round(max(0.0, width - COLUMN_PADDING), 2)
            self.ranges.append((int(first), int(last), shown))
        self._found: dict[int, float] = {}

    def width(self, column: int) -> float:
        """Column ``column``'s width (0 when it is hidden)."""
        found = self._found.get(column)
        if found is None:
            found = next((width for first, last, width in self.ranges if first <= column <= last), self.default)
            self._found[column] = found
        return found


def row_default_height(root: Any) -> float:
    """The height of the sheet's rows that give none (its sheetFormatPr's defaultRowHeight)."""
    fmt = root.find(MAIN + "sheetFormatPr")
    height = _number(fmt.get("defaultRowHeight") if fmt is not None else None)
    return DEFAULT_ROW_HEIGHT if height is None else height


def _number(text: str | None) -> float | None:
    """An attribute's number, None when it has none (or one that is not a finite number)."""
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and 0 <= value < 1e6 else None


def _column_styles(root: Any) -> list[ColumnStyle]:
    """The <col> elements of the sheet that give their columns a style."""
    out = []
    for col in root.iter(MAIN + "col"):
        try:
            first, last = int(col.get("min", "0")), int(col.get("max", "0"))
        except ValueError:
            continue
        style = col.get("style")
        if style and style.isdigit():
            out.append(ColumnStyle(first, last, int(style)))
    return out


class SheetStream:
    """The rebuilt sheet's rows, written in order into ``sink`` (a compressing zip member)
    while they are edited: a rewritten row replaces its old bytes, a new row goes before
    the first row below it, and everything between is copied byte for byte. No full copy
    of the sheet is ever held (for a big sheet that would cost its size again).

    :meth:`find` walks the sheet's rows forward, so the rows must be asked for in
    ascending order."""

    def __init__(self, sheet: SheetXml, sink: Member) -> None:
        self.sheet, self.sink = sheet, sink
        self.view = memoryview(sheet.body)
        self.pos = sheet.body_start
        self._rows = sheet.iter_rows()
        self._started = False  # the first row is scanned when first asked for, so that a
        self._ahead: RowSpan | None = None  # malformed one is reported where the others are

    def _start(self) -> None:
        if not self._started:
            self._started = True
            self._ahead = next(self._rows, None)

    def find(self, number: int) -> RowSpan | None:
        """Row ``number`` of the sheet, or None when it has no <row> element."""
        self._start()
        while self._ahead is not None and self._ahead.number < number:
            self._ahead = next(self._rows, None)
        if self._ahead is not None and self._ahead.number == number:
            return self._ahead
        return None

    def _copy_to(self, at: int) -> None:
        if at > self.pos:
            self.sink.write(self.view[self.pos:at])
            self.pos = at

    def replace_row(self, row: RowSpan, piece: bytes) -> None:
        """``piece`` in place of ``row``."""
        self._copy_to(row.start)
        self.sink.write(piece)
        self.pos = row.end

    def insert_row(self, piece: bytes) -> None:
        """A new row, before the first row below it (the one :meth:`find` stopped at)."""
        self._start()
        self._copy_to(self._ahead.start if self._ahead is not None else self.sheet.body_end)
        self.sink.write(piece)

    def close(self, head: bytes) -> None:
        """Finish the sheet; ``head`` (everything up to <sheetData>, which holds the
        dimension) goes first, and is given last because the dimension depends on
        every row written."""
        self._start()
        for _ in self._rows:  # the rows not written must be in order too: a new row went before them
            pass
        self._copy_to(self.sheet.body_end)
        self.sink.write(self.sheet.tail)
        self.sink.close(head)


def open_sheet(data: bytes, src: Path, sheet_name: str) -> SheetXml:
    """The worksheet part ``data`` ready to be edited; one with comments, processing
    instructions or CDATA among its rows goes through lxml first, which drops them.
    WorkbookError when it still cannot be edited safely."""
    try:
        return SheetXml(data)
    except UnusualXml:
        try:
            return SheetXml(_normalize_through_lxml(data))
        except UnusualXml as exc:
            raise WorkbookError(src, f"sheet {sheet_name!r} has XML that cannot be edited safely ({exc})",
                                "open it in Excel and save it again") from None


def head_with_dimension(sheet: SheetXml, written: Rect | None) -> bytes:
    """The sheet's head with its <dimension> grown to cover ``written`` (the cells given
    a value) and every cell the sheet held before (a source whose dimension is too small
    would have read-only readers drop columns), or as it was when that changes nothing.
    A dimension of A1 on a sheet with no cells is replaced rather than grown."""
    head = sheet.head
    dimension = sheet.root.find(MAIN + "dimension")
    if dimension is None:
        return head
    cover = [rect for rect in (written, sheet.cell_extent()) if rect is not None]
    if not cover:
        return head
    old = parse_range(dimension.get("ref", ""))
    if old is not None and not (old == (1, 1, 1, 1) and not sheet.has_cells()):
        cover.append(old)
    new_ref = range_text(min(rect.top for rect in cover), min(rect.left for rect in cover),
                         max(rect.bottom for rect in cover), max(rect.right for rect in cover))
    if new_ref == dimension.get("ref"):
        return head
    return set_dimension(sheet, new_ref)


def set_dimension(sheet: SheetXml, new_ref: str) -> bytes:
    """The sheet's head with the ref of its <dimension> set to ``new_ref`` (as it was
    when it has no dimension with a ref)."""
    head = sheet.head
    tag = re.search(b"<" + re.escape(sheet.prefix) + rb"dimension(?=[\s/>])" + _ATTRS + rb"(/?)>", head)
    if tag is None:
        return head
    attrs = tag.group(1)
    ref = re.search(rb"(\sref\s*=\s*)([\"'])[^\"']*\2", attrs)
    if ref is None:
        return head
    quote = ref.group(2)
    attrs = attrs[: ref.start()] + ref.group(1) + quote + new_ref.encode() + quote + attrs[ref.end():]
    return head[: tag.start()] + b"<" + sheet.prefix + b"dimension" + attrs + tag.group(2) + b">" + head[tag.end():]


def _declared(data: bytes, at: int, prefix: bytes) -> str | None:
    """The namespace that the start tag at ``data[at]`` declares for ``prefix``
    (b"x:", or b"" for the default namespace)."""
    tag = _START_TAG_RE.match(data, at)
    if tag is None:
        return None
    want = b"xmlns:" + prefix[:-1] if prefix else b"xmlns"
    for key, raw in ATTR_RE.findall(tag.group(1)):
        if key == want:
            return unquote(raw)
    return None


def _normalize_sheet_bytes(data: bytes) -> bytes:
    """UTF-8 bytes with an XML declaration; other encodings are converted through lxml."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    declared = _ENCODING_RE.match(data)
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    if utf16 or (declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8")):
        try:
            return serialize(parse_for_edit(data))
        except XmlError as exc:
            raise UnusualXml(str(exc)) from None
    if not data.lstrip().startswith(b"<?xml"):
        data = XML_DECL + data
    return data


def _normalize_through_lxml(data: bytes) -> bytes:
    """Drop comments / processing instructions / CDATA inside <sheetData> (they carry no data)."""
    from lxml import etree

    try:
        root = parse_for_edit(data)
    except XmlError as exc:
        raise UnusualXml(str(exc)) from None
    sheet_data = root.find(MAIN + "sheetData")
    if sheet_data is not None:
        for node in list(sheet_data.iter(etree.Comment, etree.ProcessingInstruction)):
            parent = node.getparent()
            if node.tail:
                prev = node.getprevious()
                if prev is not None:
                    prev.tail = (prev.tail or "") + node.tail
                else:
                    parent.text = (parent.text or "") + node.tail
            parent.remove(node)
    return serialize(root)
