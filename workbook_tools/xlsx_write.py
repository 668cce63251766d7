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

import copy
import datetime as _dt
import math
import os
import posixpath
import re
import stat
import tempfile
import zipfile
from bisect import bisect_left
from collections.abc import Mapping
from pathlib import Path
from typing import Union

from lxml import etree

from .errors import UnsafeWriteError, WorkbookError

__all__ = ["CellValue", "write_cells", "check_not_open", "MAX_CELL_TEXT"]

CellValue = Union[str, int, float, _dt.date, _dt.datetime, bool, None]

#: Excel's limit on the characters in one cell.
MAX_CELL_TEXT = 32767
MAX_ROW = 1048576
MAX_COL = 16384

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOC_REL = REL_NS + "/officeDocument"
STRICT_OFFICE_DOC_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
TABLE_REL = REL_NS + "/table"
CALC_CHAIN_REL = REL_NS + "/calcChain"

_M = "{%s}" % MAIN_NS
T_XF = _M + "xf"
T_REL = "{%s}Relationship" % PKG_REL_NS
A_RID = "{%s}id" % REL_NS

_XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_REF_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})\Z")
# Characters XML 1.0 forbids (plus lone surrogates and U+FFFE/U+FFFF, which cannot be stored).
_BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# OOXML escapes characters as _xHHHH_; a literal "_x0041_" must have its "_" escaped.
_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_DATE_BUILTIN_IDS = frozenset(range(14, 23)) | {45, 46, 47}
_DATE_FMT_ID = 14  # m/d/yyyy (shown in the user's locale)
_DATETIME_FMT_ID = 22  # m/d/yyyy h:mm
_EPOCH_1900 = _dt.datetime(1899, 12, 30)
_EPOCH_1904 = _dt.datetime(1904, 1, 1)


# --------------------------------------------------------------------------- A1 helpers


_COL_CACHE: dict[bytes, int] = {}
_STR_COL_CACHE: dict[str, int] = {}


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


_LETTERS_CACHE: dict[int, str] = {}


def _col_letters(n: int) -> str:
    cached = _LETTERS_CACHE.get(n)
    if cached is not None:
        return cached
    out, k = "", n
    while k:
        k, rem = divmod(k - 1, 26)
        out = chr(65 + rem) + out
    if 1 <= n <= MAX_COL:
        _LETTERS_CACHE[n] = out
    return out


def _parse_ref(ref: str) -> tuple[int, int] | None:
    """'P7' -> (row 7, column 16); None when it is not a valid single-cell reference."""
    m = _REF_RE.match(ref) if isinstance(ref, str) else None
    if not m:
        return None
    letters = m.group(1)
    col = _STR_COL_CACHE.get(letters)
    if col is None:
        col = _STR_COL_CACHE[letters] = _col_number(letters)
    row = int(m.group(2))
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
        return None
    return row, col


def _parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """'A1:C3' (or 'B2') -> (row1, col1, row2, col2); None when unreadable."""
    parts = (ref or "").split(":")
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2:
        return None
    a, b = _parse_ref(parts[0]), _parse_ref(parts[1])
    if a is None or b is None:
        return None
    return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])


def _range_text(r1: int, c1: int, r2: int, c2: int) -> str:
    a = f"{_col_letters(c1)}{r1}"
    b = f"{_col_letters(c2)}{r2}"
    return a if a == b else f"{a}:{b}"


def _where(sheet: str, ref: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return f"{sheet}!{ref}"
    return "'" + sheet.replace("'", "''") + "'!" + ref


# --------------------------------------------------------------------------- lock file


def check_not_open(path: str | os.PathLike[str]) -> None:
    """Raise :class:`WorkbookError` when Excel has ``path`` open (its ``~$`` owner file exists).

    Excel names the owner file ``~$`` + the file name; for long names it drops the
    first two characters of the name, so both spellings are checked.
    """
    p = Path(path)
    candidates = ["~$" + p.name]
    if len(p.name) > 2:
        candidates.append("~$" + p.name[2:])
    for name in candidates:
        if (p.parent / name).exists():
            raise WorkbookError(
                p,
                f"is open in Excel (owner file {name})",
                "close it in Excel first, or use the Refresh button inside the workbook",
            )


# --------------------------------------------------------------------------- package helpers


class _Package:
    """The zip members of a workbook, read once; edited members are kept as bytes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with open(path, "rb") as fh:
                head = fh.read(8)
        except FileNotFoundError:
            raise WorkbookError(path, "does not exist", "check the file name and folder") from None
        except OSError as exc:
            raise WorkbookError(path, f"cannot be read ({exc.strerror or exc})", "check the file's permissions") from None
        if head == _OLE_MAGIC:
            raise WorkbookError(
                path,
                "is password-protected or an old .xls workbook, which cannot be written",
                "open it in Excel, remove the password (File > Info > Protect Workbook) and save it as "
                "an Excel Workbook (.xlsx)",
            )
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError):
            raise WorkbookError(
                path, "is not an Excel workbook (it is not a zip file)", "open it in Excel and save it as .xlsx"
            ) from None
        except OSError as exc:
            raise WorkbookError(path, f"cannot be read ({exc})", "check the file's permissions") from None
        self.zip = zf
        self.infos = zf.infolist()
        self.names = {i.filename: i for i in self.infos}
        # Edited members: bytes, or for a rebuilt sheet the chunks it is streamed from.
        self.changed: dict[str, bytes | list[bytes]] = {}
        self.removed: set[str] = set()

    def close(self) -> None:
        self.zip.close()

    def has(self, name: str) -> bool:
        return name in self.names and name not in self.removed

    def read(self, name: str) -> bytes:
        if name in self.changed:
            data = self.changed[name]
            return data if isinstance(data, bytes) else b"".join(data)
        try:
            return self.zip.read(self.names[name])
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise WorkbookError(self.path, f"is damaged: part {name} cannot be read ({exc})",
                                "open it in Excel, let Excel repair it, and save it again") from None

    def xml(self, name: str) -> etree._Element:
        data = self.read(name)
        try:
            return etree.fromstring(data, parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise WorkbookError(self.path, f"is damaged: part {name} is not valid XML ({exc})",
                                "open it in Excel, let Excel repair it, and save it again") from None

    def rels(self, part: str) -> list[etree._Element]:
        folder, base = posixpath.split(part)
        name = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(name):
            return []
        return list(self.xml(name).iter(T_REL))

    def rels_name(self, part: str) -> str:
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")


_PARSER = etree.XMLParser(remove_blank_text=False, resolve_entities=False, huge_tree=True, no_network=True)


def _resolve_target(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def _serialize(root: etree._Element) -> bytes:
    return _XML_DECL + etree.tostring(root, encoding="UTF-8", xml_declaration=False)


# --------------------------------------------------------------------------- styles


class _Styles:
    """Just enough of xl/styles.xml: cellXfs, custom number formats, protection."""

    def __init__(self, pkg: _Package, part: str | None) -> None:
        self.part = part
        self.root = pkg.xml(part) if part and pkg.has(part) else None
        self.cell_xfs_el = None if self.root is None else self.root.find(_M + "cellXfs")
        self.xfs: list[etree._Element] = (
            [] if self.cell_xfs_el is None else list(self.cell_xfs_el.iterchildren(T_XF))
        )
        self.num_fmts: dict[int, str] = {}
        if self.root is not None:
            nf = self.root.find(_M + "numFmts")
            if nf is not None:
                for el in nf.iterchildren(_M + "numFmt"):
                    try:
                        self.num_fmts[int(el.get("numFmtId", ""))] = el.get("formatCode", "")
                    except ValueError:
                        pass
        self.modified = False
        self._date_cache: dict[int, bool] = {}
        self._derived: dict[tuple[int, int], int] = {}
        self._canon: dict[bytes, int] | None = None

    def xf(self, idx: int) -> etree._Element | None:
        return self.xfs[idx] if 0 <= idx < len(self.xfs) else None

    def is_locked(self, idx: int) -> bool:
        xf = self.xf(idx)
        if xf is None:
            return True
        prot = xf.find(_M + "protection")
        if prot is None:
            return True
        return prot.get("locked", "1").lower() not in ("0", "false")

    def is_date_style(self, idx: int) -> bool:
        if idx in self._date_cache:
            return self._date_cache[idx]
        xf = self.xf(idx)
        result = False
        if xf is not None:
            try:
                fmt_id = int(xf.get("numFmtId", "0"))
            except ValueError:
                fmt_id = 0
            if fmt_id in self.num_fmts:
                result = _is_date_format_code(self.num_fmts[fmt_id])
            else:
                result = fmt_id in _DATE_BUILTIN_IDS
        self._date_cache[idx] = result
        return result

    def date_style(self, idx: int, fmt_id: int) -> int:
        """Index of an xf like ``idx`` but with number format ``fmt_id``; appended if new."""
        key = (idx, fmt_id)
        if key in self._derived:
            return self._derived[key]
        if self.cell_xfs_el is None:
            raise _NoStyles()
        base = self.xf(idx) if self.xf(idx) is not None else self.xf(0)
        if base is None:
            new = etree.Element(T_XF, nsmap=None)
            new.set("numFmtId", "0")
        else:
            new = copy.deepcopy(base)
            new.tail = None
        new.set("numFmtId", str(fmt_id))
        new.set("applyNumberFormat", "1")
        canon = _canonical(new)
        if self._canon is None:
            self._canon = {}
            for i, el in enumerate(self.xfs):
                self._canon.setdefault(_canonical(el), i)
        if canon in self._canon:
            found = self._canon[canon]
        else:
            self.cell_xfs_el.append(new)
            self.xfs.append(new)
            found = len(self.xfs) - 1
            self._canon[canon] = found
            self.cell_xfs_el.set("count", str(len(self.xfs)))
            self.modified = True
            self._date_cache[found] = True
        self._derived[key] = found
        return found


class _NoStyles(Exception):
    pass


def _canonical(el: etree._Element) -> bytes:
    c = copy.deepcopy(el)
    c.tail = None
    for sub in c.iter():
        if sub.tail is not None and not sub.tail.strip():
            sub.tail = None
        if sub.text is not None and not sub.text.strip() and len(sub):
            sub.text = None
        attrs = sorted(sub.attrib.items())
        sub.attrib.clear()
        for k, v in attrs:
            sub.set(k, v)
    return etree.tostring(c, method="c14n")


def _is_date_format_code(code: str) -> bool:
    # Only the first section (positive numbers) decides how a date shows.
    section = code.split(";", 1)[0] if code else ""
    out = []
    i, n = 0, len(section)
    while i < n:
        ch = section[i]
        if ch == '"':
            j = section.find('"', i + 1)
            i = n if j < 0 else j + 1
            continue
        if ch == "[":
            j = section.find("]", i + 1)
            inner = section[i + 1 : j if j >= 0 else n].lower()
            # Elapsed-time codes [h], [mm], [ss] are time formats.
            if inner and set(inner) <= set("hms"):
                return True
            i = n if j < 0 else j + 1
            continue
        if ch in "\\_*":
            i += 2
            continue
        out.append(ch)
        i += 1
    text = "".join(out).lower()
    if "general" in text:
        text = text.replace("general", "")
    return any(ch in text for ch in "dmyhs")


# --------------------------------------------------------------------------- values


def _clean_text(text: str) -> str:
    return _BAD_XML_CHARS.sub("", text)


def _excel_serial(value: _dt.date, date1904: bool) -> float | int | None:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)  # Excel has no time zones: keep the wall-clock time.
        moment = value
    else:
        moment = _dt.datetime(value.year, value.month, value.day)
    if date1904:
        delta = moment - _EPOCH_1904
        if delta.days < 0:
            return None
    else:
        if moment < _dt.datetime(1900, 1, 1):
            return None
        delta = moment - _EPOCH_1900
        if moment < _dt.datetime(1900, 3, 1):
            # Excel counts the non-existent 1900-02-29, so dates before March 1900 are one less.
            delta -= _dt.timedelta(days=1)
    if delta.seconds == 0 and delta.microseconds == 0:
        return delta.days
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400.0


# --------------------------------------------------------------------------- the worksheet XML
#
# A big worksheet parsed into an lxml tree costs far more time and memory than the
# refresh may take, so the sheet is edited as bytes: the small parts before and after
# <sheetData> are parsed with lxml (dimension, cols, merges, protection, namespaces);
# rows are located with a scanner and only the rows that receive cells are rebuilt.
# Untouched rows are copied byte for byte.

# A start tag's attributes, allowing ">" inside quoted values.
_ATTRS = rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)"
_ATTR_RE = re.compile(rb"([^\s=/>]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
_ROOT_RE = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet(?=[\s/>])")
_CELL_R_RE = re.compile(rb"\sr\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?(\d+)[\"']")
# The usual attributes of a cell: r, then optionally s and t.
_SIMPLE_CELL_ATTRS = re.compile(rb'\s+r="[A-Z]{1,3}\d+"(?:\s+s="(\d+)")?(?:\s+t="[a-zA-Z]+")?\s*\Z')
_ROW_R_RE = re.compile(rb"\sr\s*=\s*[\"'](\d+)[\"']")
_SPANS_RE = re.compile(rb"(\sspans\s*=\s*)([\"'])(\d+):(\d+)\2")
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
            self.root = etree.fromstring(self.head + self.tail, parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise _UnusualXml(str(exc)) from None
        sheet_data = self.root.find(_M + "sheetData")
        if etree.QName(self.root).namespace != MAIN_NS or sheet_data is None:
            raise _UnusualXml("<sheetData> is not in the SpreadsheetML namespace")
        ns = self.root.nsmap.get(p[:-1].decode() if p else None)
        if ns != MAIN_NS:
            raise _UnusualXml("mixed namespace prefixes")
        self._row_start = re.compile(b"<" + re.escape(p) + rb"row(?=[\s/>])" + _ATTRS + rb"(/?)>")
        self._cell_start = re.compile(b"<" + re.escape(p) + rb"c(?=[\s/>])" + _ATTRS + rb"(/?)>")
        # Every cell start; the groups are empty unless r="A1" comes first (the usual case).
        self._fast_cell = re.compile(b"<" + re.escape(p) + rb'c(?:\s+r="(([A-Z]{1,3})[0-9]+)")?(?=[\s/>])')
        self._cell_head = b"<" + p + b'c r="'
        self._formula = re.compile(b"<" + re.escape(p) + rb"f(?=[\s/>])" + _ATTRS + rb"(/?)>")
        self._row_close = b"</" + p + b"row>"
        self._cell_close = b"</" + p + b"c>"
        self._ext = b"<" + p + b"extLst"
        self.rows = self._scan_rows()
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

    def _scan_rows(self) -> list[tuple[int, int, int, int, int, bytes]]:
        """(row number, start, start-tag end, close-tag start, end, start-tag attributes) per row."""
        body, rows = self.body, []
        search, close = self._row_start.search, self._row_close
        pos, last, bend = self.bstart, 0, self.bend
        while True:
            m = search(body, pos, bend)
            if m is None:
                break
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
            rows.append((num, m.start(), m.end(), close_start, end, attrs))
            last, pos = num, end
        return rows

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
                        master = (int(rm.group(2)), _col_number(rm.group(1).decode()))
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
        cache = _COL_CACHE
        for m in self._cell_start.finditer(self.body, row[2], row[3]):
            attrs = m.group(1)
            rm = _CELL_R_RE.search(attrs)
            if rm is not None:
                letters = rm.group(1)
                col = cache.get(letters)
                if col is None:
                    col = cache[letters] = _col_number(letters.decode())
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
            cache = _COL_CACHE
            try:
                cols = [cache[letters] for letters in letters_list]
            except KeyError:
                cols = [cache.get(letters) or cache.setdefault(letters, _col_number(letters.decode()))
                        for letters in letters_list]
            if all(x < y for x, y in zip(cols, cols[1:])):
                return cols, [ref for ref, _ in found], {}
            raise _UnusualXml(f"cells out of order in row {row[0]}")
        cells = self.cells_of(row)
        no_r = {cs: (col, cte, attrs, sc) for col, cs, cte, attrs, sc, has_r in cells if not has_r}
        return [c[0] for c in cells], [c[1] for c in cells], no_r

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

    # -- writing

    def build(self, new_head: bytes, row_pieces: dict[int, bytes], new_rows: list[tuple[int, bytes]]) -> list[bytes]:
        """The sheet with rows in ``row_pieces`` (index -> bytes) replaced and ``new_rows`` inserted in
        order, as chunks to stream into the zip (a joined copy of a big sheet costs its size again)."""
        body = self.body
        out = [new_head]
        pos = self.bstart
        ni = 0
        for idx, (num, start, _, _, end, _) in enumerate(self.rows):
            if ni < len(new_rows) and new_rows[ni][0] < num:
                out.append(body[pos:start])
                pos = start
                while ni < len(new_rows) and new_rows[ni][0] < num:
                    out.append(new_rows[ni][1])
                    ni += 1
            piece = row_pieces.get(idx)
            if piece is not None:
                out.append(body[pos:start])
                out.append(piece)
                pos = end
        out.append(body[pos:self.bend])
        out.extend(piece for _, piece in new_rows[ni:])
        out.append(self.tail)
        return out


def _normalize_sheet_bytes(data: bytes) -> bytes:
    """UTF-8 bytes with an XML declaration; other encodings are converted through lxml."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    m = _ENCODING_RE.match(data)
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    if utf16 or (m and m.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8")):
        root = etree.fromstring(data, parser=_PARSER)
        return _serialize(root)
    if not data.lstrip().startswith(b"<?xml"):
        data = _XML_DECL + data
    return data


def _normalize_through_lxml(data: bytes) -> bytes:
    """Drop comments / processing instructions / CDATA inside <sheetData> (they carry no data)."""
    root = etree.fromstring(data, parser=_PARSER)
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


# --------------------------------------------------------------------------- range index


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


# --------------------------------------------------------------------------- main entry


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


def _remove_part(pkg: _Package, owner_part: str, part: str) -> None:
    pkg.removed.add(part)
    ct_name = "[Content_Types].xml"
    if pkg.has(ct_name):
        ct = pkg.xml(ct_name)
        for el in list(ct.iterchildren("{%s}Override" % CT_NS)):
            if el.get("PartName", "").lstrip("/") == part:
                ct.remove(el)
        pkg.changed[ct_name] = _serialize(ct)
    rels_name = pkg.rels_name(owner_part)
    if pkg.has(rels_name):
        rels = pkg.xml(rels_name)
        for el in list(rels.iter(T_REL)):
            if el.get("TargetMode") != "External" and _resolve_target(owner_part, el.get("Target", "")) == part:
                el.getparent().remove(el)
        pkg.changed[rels_name] = _serialize(rels)


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


# --------------------------------------------------------------------------- output


def _write_package(pkg: _Package, src: Path, dest: Path) -> None:
    folder = dest.parent if str(dest.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix="." + dest.name + ".", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WorkbookError(dest, f"cannot be written: no temporary file can be made in {folder} ({exc.strerror or exc})",
                            "check that the folder exists and that you may write to it") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zout:
                for info in pkg.infos:
                    name = info.filename
                    if name in pkg.removed:
                        continue
                    out = zipfile.ZipInfo(name, date_time=info.date_time)
                    out.compress_type = (zipfile.ZIP_STORED if info.compress_type == zipfile.ZIP_STORED
                                         else zipfile.ZIP_DEFLATED)
                    out.external_attr = info.external_attr
                    out.create_system = info.create_system
                    out.comment = info.comment
                    chunks = pkg.changed.get(name)
                    if isinstance(chunks, list):
                        out.file_size = sum(map(len, chunks))  # lets zipfile choose zip64 only if needed
                        with zout.open(out, "w") as member:
                            for chunk in chunks:
                                member.write(chunk)
                    else:
                        zout.writestr(out, pkg.read(name))
                zout.comment = pkg.zip.comment
            fh.flush()
            os.fsync(fh.fileno())
        mode = _target_mode(src, dest)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, dest)
    except BaseException as exc:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass
        if isinstance(exc, WorkbookError) or not isinstance(exc, OSError):
            raise
        raise WorkbookError(dest, f"could not be written ({exc.strerror or exc})",
                            "check the disk space and that you may write to the folder; the file was not changed"
                            ) from exc
    _fsync_dir(folder)


def _target_mode(src: Path, dest: Path) -> int | None:
    for p in (dest, src):
        try:
            return stat.S_IMODE(os.stat(p).st_mode)
        except OSError:
            continue
    return None


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
