"""The worksheet XML edited as bytes: rows are located by a scanner, only the rows
that are written are rebuilt, and everything else is copied byte for byte."""

from __future__ import annotations

import re
from collections.abc import Iterator

from workbook_tools.a1 import column_number
from workbook_tools.xlsx.package import MAIN_NS, _M, _XML_DECL, _serialize
from workbook_tools.xlsx.xml import XmlError, namespace, parse, parse_for_edit
from workbook_tools.xlsx.zip import _Member

#: Column numbers by the letters of a cell reference as bytes (b"P" -> 16), filled as met.
_COLUMN_BY_LETTERS: dict[bytes, int] = {}


# Characters XML 1.0 forbids (plus lone surrogates and U+FFFE/U+FFFF, which cannot be stored).
_BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# OOXML escapes characters as _xHHHH_; a literal "_x0041_" must have its "_" escaped.
_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _clean_text(text: str) -> str:
    return _BAD_XML_CHARS.sub("", text)


# A start tag's attributes, allowing ">" inside quoted values.
_ATTRS = rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)"
_ATTR_RE = re.compile(rb"([^\s=/>]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
_ROOT_RE = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet(?=[\s/>])")
_CELL_R_RE = re.compile(rb"\sr\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?(\d+)[\"']")
# The usual attributes of a cell: r, then optionally s and t.
_SIMPLE_CELL_ATTRS = re.compile(rb'\s+r="[A-Z]{1,3}\d+"(?:\s+s="(\d+)")?(?:\s+t="[a-zA-Z]+")?\s*\Z')
_ROW_R_RE = re.compile(rb"\sr\s*=\s*[\"'](\d+)[\"']")
_SPANS_RE = re.compile(rb"(\sspans\s*=\s*)([\"'])(\d+):(\d+)\2")
_TAG_END = frozenset({b" ", b"\t", b"\r", b"\n", b"/", b">"})
_ENCODING_RE = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']+)[\"']")
_XML_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'"}


def _unquote(raw: bytes) -> str:
    text = raw[1:-1].decode("utf-8")
    if "&" in text:
        text = re.sub(r"&(?:amp|lt|gt|quot|apos);", lambda m: _XML_ENTITIES[m.group(0)], text)
    return text


def _attr(attrs: bytes, name: bytes) -> str | None:
    for key, raw in _ATTR_RE.findall(attrs):
        if key == name:
            return _unquote(raw)
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


class _UnusualXml(Exception):
    pass


class _SheetXml:
    """A worksheet part split into head / sheetData rows / tail, edited as bytes."""

    def __init__(self, data: bytes) -> None:
        data = _normalize_sheet_bytes(data)
        m = _ROOT_RE.search(data)
        if m is None:
            raise _UnusualXml("no <worksheet> element")
        p = m.group(1) or b""
        self.prefix = p
        sd = re.compile(b"<" + re.escape(p) + rb"sheetData(?=[\s/>])" + _ATTRS + rb"(/?)>").search(data, m.end())
        if sd is None:
            raise _UnusualXml("no <sheetData> element")
        if sd.group(2):  # <sheetData/>
            self.head = data[: sd.start()] + b"<" + p + b"sheetData" + sd.group(1).rstrip() + b">"
            self.body, self.bstart, self.bend = b"", 0, 0
            self.tail = b"</" + p + b"sheetData>" + data[sd.end():]
        else:
            close = b"</" + p + b"sheetData>"
            end = data.find(close, sd.end())
            if end < 0:
                raise _UnusualXml("<sheetData> is not closed")
            self.head = data[: sd.end()]
            # The rows are read in place (offsets into data) rather than copied.
            self.body, self.bstart, self.bend = data, sd.end(), end
            self.tail = data[end:]
        if any(self.body.find(mark, self.bstart, self.bend) >= 0 for mark in (b"<!--", b"<![CDATA[", b"<?")):
            raise _UnusualXml("comments or CDATA inside <sheetData>")
        try:
            self.root = parse(self.head + self.tail)  # read only: the rows are edited as bytes
        except XmlError as exc:
            raise _UnusualXml(str(exc)) from None
        sheet_data = self.root.find(_M + "sheetData")
        if namespace(self.root) != MAIN_NS or sheet_data is None:
            raise _UnusualXml("<sheetData> is not in the SpreadsheetML namespace")
        if _declared(data, m.start(), p) != MAIN_NS:
            raise _UnusualXml("mixed namespace prefixes")
        self._row_start = re.compile(b"<" + re.escape(p) + rb"row(?=[\s/>])" + _ATTRS + rb"(/?)>")
        self._cell_start = re.compile(b"<" + re.escape(p) + rb"c(?=[\s/>])" + _ATTRS + rb"(/?)>")
        # Every cell start; the groups are empty unless r="A1" comes first (the usual case).
        self._fast_cell = re.compile(b"<" + re.escape(p) + rb'c(?:\s+r="(([A-Z]{1,3})[0-9]+)")?(?=[\s/>])')
        self._cell_head = b"<" + p + b'c r="'
        self._c_tag = b"<" + p + b"c"
        self._formula = re.compile(b"<" + re.escape(p) + rb"f(?=[\s/>])" + _ATTRS + rb"(/?)>")
        self._row_close = b"</" + p + b"row>"
        self._cell_close = b"</" + p + b"c>"
        self._ext = b"<" + p + b"extLst"
        self.cols: list[tuple[int, int, int]] = []
        for col in self.root.iter(_M + "col"):
            try:
                lo, hi = int(col.get("min", "0")), int(col.get("max", "0"))
            except ValueError:
                continue
            s = col.get("style")
            if s and s.isdigit():
                self.cols.append((lo, hi, int(s)))

    # -- reading

    def iter_rows(self) -> Iterator[tuple[int, int, int, int, int, bytes]]:
        """(row number, start, start-tag end, close-tag start, end, start-tag attributes)
        per row, scanned as they are asked for (a writer needs only the rows up to the
        last it writes, and never a list of them all)."""
        body = self.body
        search, close = self._row_start.search, self._row_close
        pos, last, bend = self.bstart, 0, self.bend
        while True:
            m = search(body, pos, bend)
            if m is None:
                return
            attrs = m.group(1)
            if m.group(2):
                close_start = end = m.end()
            else:
                close_start = body.find(close, m.end(), bend)
                if close_start < 0:
                    raise _UnusualXml("a <row> is not closed")
                end = close_start + len(close)
            rm = _ROW_R_RE.search(attrs)
            num = int(rm.group(1)) if rm else last + 1
            if num <= last:
                raise _UnusualXml(f"rows out of order (row {num} after row {last})")
            yield num, m.start(), m.end(), close_start, end, attrs
            last, pos = num, end

    def formulas(self) -> list[tuple[str, str, tuple[int, int] | None]]:
        """(t, ref, master cell) for every array / dataTable / shared formula with a ref."""
        out = []
        body = self.body
        for m in self._formula.finditer(body, self.bstart, self.bend):
            attrs = m.group(1)
            if b"ref" not in attrs:
                continue
            t = _attr(attrs, b"t")
            ref = _attr(attrs, b"ref")
            if t not in ("array", "dataTable", "shared") or not ref:
                continue
            master = None
            start = body.rfind(b"<" + self.prefix + b"c", self.bstart, m.start())
            if start >= 0:
                cm = self._cell_start.match(body, start)
                if cm is not None:
                    rm = _CELL_R_RE.search(cm.group(1))
                    if rm:
                        master = (int(rm.group(2)), column_number(rm.group(1).decode()))
            out.append((t, ref, master))
        return out

    def has_cells(self) -> bool:
        return self._cell_start.search(self.body, self.bstart, self.bend) is not None

    def col_style(self, col: int) -> int:
        for lo, hi, s in self.cols:
            if lo <= col <= hi:
                return s
        return 0

    def cells_of(self, row: tuple[int, int, int, int, int, bytes]) -> list[tuple[int, int, int, bytes, bool, bool]]:
        """(column, start, start-tag end, attributes, self-closing, has r) per cell of a row."""
        out = []
        last = 0
        cache = _COLUMN_BY_LETTERS
        for m in self._cell_start.finditer(self.body, row[2], row[3]):
            attrs = m.group(1)
            rm = _CELL_R_RE.search(attrs)
            if rm is not None:
                letters = rm.group(1)
                col = cache.get(letters)
                if col is None:
                    col = cache[letters] = column_number(letters.decode())
                if col <= last:
                    raise _UnusualXml(f"cells out of order in row {row[0]}")
            else:
                col = last + 1
            out.append((col, m.start(), m.end(), attrs, m.group(2) == b"/", rm is not None))
            last = col
        return out

    def cell_index(self, row: tuple[int, int, int, int, int, bytes]
                   ) -> tuple[list[int], list[int] | list[bytes], dict[int, tuple[int, int, bytes, bool]]]:
        """A row's cells: column numbers, then start offsets or (fast path) the bytes that
        begin each cell, ``<c r="P7"``, to be located with :meth:`locate`; plus the cells
        that have no r attribute (offset -> (column, start-tag end, attributes, self-closing))."""
        body, a, b = self.body, row[2], row[3]
        found = self._fast_cell.findall(body, a, b)
        letters_list = [letters for _, letters in found]
        if b"" not in letters_list:
            cache = _COLUMN_BY_LETTERS
            try:
                cols = [cache[letters] for letters in letters_list]
            except KeyError:
                cols = [cache.get(letters) or cache.setdefault(letters, column_number(letters.decode()))
                        for letters in letters_list]
            if all(x < y for x, y in zip(cols, cols[1:])):
                return cols, [ref for ref, _ in found], {}
            raise _UnusualXml(f"cells out of order in row {row[0]}")
        cells = self.cells_of(row)
        no_r = {cs: (col, cte, attrs, sc) for col, cs, cte, attrs, sc, has_r in cells if not has_r}
        return [c[0] for c in cells], [c[1] for c in cells], no_r

    def last_column(self, row: tuple[int, int, int, int, int, bytes]) -> int | None:
        """The column of the row's last cell (0 when it has none), when that is plain to
        see: the cell's tag starts <c r="P7" and the row has no extLst. Else None."""
        body, a, b = self.body, row[2], row[3]
        tag = self._c_tag
        at = body.rfind(tag, a, b)
        while at >= 0 and body[at + len(tag): at + len(tag) + 1] not in _TAG_END:
            at = body.rfind(tag, a, at)  # <color>, <charset>... inside rich text
        if at < 0:
            return 0 if body.find(self._ext, a, b) < 0 and not body[a:b].strip() else None
        m = self._fast_cell.match(body, at)
        if m is None or not m.group(2) or body.find(self._ext, a, b) >= 0:
            return None
        letters = m.group(2)
        col = _COLUMN_BY_LETTERS.get(letters)
        if col is None:
            col = _COLUMN_BY_LETTERS[letters] = column_number(letters.decode())
        return col

    def all_cells_have_r(self, row: tuple[int, int, int, int, int, bytes]) -> bool:
        body, a, b = self.body, row[2], row[3]
        start = b"<" + self.prefix + b"c"
        every = sum(body.count(start + ch, a, b) for ch in (b" ", b">", b"/", b"\t", b"\n", b"\r"))
        return every == body.count(self._cell_head, a, b)

    def locate(self, key: int | bytes, row: tuple[int, int, int, int, int, bytes]) -> int:
        if isinstance(key, int):
            return key
        pos = self.body.find(self._cell_head + key + b'"', row[2], row[3])
        if pos < 0:
            raise _UnusualXml("a cell could not be located")
        return pos

    def cell_start(self, start: int) -> re.Match[bytes]:
        m = self._cell_start.match(self.body, start)
        if m is None:
            raise _UnusualXml("an unreadable <c> tag")
        return m

    def cell_end(self, tag_end: int, self_closing: bool, limit: int) -> int:
        if self_closing:
            return tag_end
        end = self.body.find(self._cell_close, tag_end, limit)
        if end < 0:
            raise _UnusualXml("a <c> is not closed")
        return end + len(self._cell_close)


class _SheetStream:
    """The rebuilt sheet's rows, written in order into ``sink`` (a compressing zip member)
    while they are edited: a rewritten row replaces its old bytes, a new row goes before
    the first row below it, and everything between is copied byte for byte. No full copy
    of the sheet is ever held (for a big sheet that would cost its size again).

    :meth:`find` walks the sheet's rows forward, so the rows must be asked for in
    ascending order."""

    def __init__(self, ws: _SheetXml, sink: _Member) -> None:
        self.ws, self.sink = ws, sink
        self.view = memoryview(ws.body)
        self.pos = ws.bstart
        self._rows = ws.iter_rows()
        self._ahead: tuple[int, int, int, int, int, bytes] | None = next(self._rows, None)

    def find(self, num: int) -> tuple[int, int, int, int, int, bytes] | None:
        """Row ``num`` of the sheet, or None when it has no <row> element."""
        while self._ahead is not None and self._ahead[0] < num:
            self._ahead = next(self._rows, None)
        if self._ahead is not None and self._ahead[0] == num:
            return self._ahead
        return None

    def _copy_to(self, at: int) -> None:
        if at > self.pos:
            self.sink.write(self.view[self.pos:at])
            self.pos = at

    def replace_row(self, row: tuple[int, int, int, int, int, bytes], piece: bytes) -> None:
        self._copy_to(row[1])
        self.sink.write(piece)
        self.pos = row[4]

    def insert_row(self, piece: bytes) -> None:
        """A new row, before the first row below it (the one :meth:`find` stopped at)."""
        self._copy_to(self._ahead[1] if self._ahead is not None else self.ws.bend)
        self.sink.write(piece)

    def close(self, head: bytes) -> None:
        """Finish the sheet; ``head`` (everything up to <sheetData>, which holds the
        dimension) goes first, and is given last because the dimension depends on
        every row written."""
        for _ in self._rows:  # the rows not written must be in order too: a new row went before them
            pass
        self._copy_to(self.ws.bend)
        self.sink.write(self.ws.tail)
        self.sink.close(head)


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



_START_TAG_RE = re.compile(rb"<[^\s/>]+" + _ATTRS + rb"/?>")


def _declared(data: bytes, at: int, prefix: bytes) -> str | None:
    """The namespace that the start tag at ``data[at]`` declares for ``prefix``
    (b"x:", or b"" for the default namespace)."""
    m = _START_TAG_RE.match(data, at)
    if m is None:
        return None
    want = b"xmlns:" + prefix[:-1] if prefix else b"xmlns"
    for key, raw in _ATTR_RE.findall(m.group(1)):
        if key == want:
            return _unquote(raw)
    return None


def _normalize_sheet_bytes(data: bytes) -> bytes:
    """UTF-8 bytes with an XML declaration; other encodings are converted through lxml."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    m = _ENCODING_RE.match(data)
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    if utf16 or (m and m.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8")):
        try:
            return _serialize(parse_for_edit(data))
        except XmlError as exc:
            raise _UnusualXml(str(exc)) from None
    if not data.lstrip().startswith(b"<?xml"):
        data = _XML_DECL + data
    return data


def _normalize_through_lxml(data: bytes) -> bytes:
    """Drop comments / processing instructions / CDATA inside <sheetData> (they carry no data)."""
    from lxml import etree

    try:
        root = parse_for_edit(data)
    except XmlError as exc:
        raise _UnusualXml(str(exc)) from None
    sheet_data = root.find(_M + "sheetData")
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
    return _serialize(root)


class _Ranges:
    """Rectangles bucketed by row so that lookups do not scan every range."""

    _TALL = 2000

    def __init__(self) -> None:
        self.by_row: dict[int, list[tuple[int, int, int, int, str]]] = {}
        self.tall: list[tuple[int, int, int, int, str]] = []

    def add(self, rect: tuple[int, int, int, int], label: str) -> None:
        r1, c1, r2, c2 = rect
        item = (r1, c1, r2, c2, label)
        if r2 - r1 >= self._TALL:
            self.tall.append(item)
            return
        for r in range(r1, r2 + 1):
            self.by_row.setdefault(r, []).append(item)

    def find(self, row: int, col: int) -> tuple[int, int, int, int, str] | None:
        for item in self.by_row.get(row, ()):
            if item[1] <= col <= item[3]:
                return item
        for item in self.tall:
            if item[0] <= row <= item[2] and item[1] <= col <= item[3]:
                return item
        return None
