"""Date styles for written cells: find or add a cellXfs entry with a date format."""

from __future__ import annotations

import copy
import datetime as _dt
from typing import Any

from workbook_tools.xlsx.package import MAIN, Package

_XF = MAIN + "xf"
_DATE_BUILTIN_IDS = frozenset(range(14, 23)) | {45, 46, 47}
#: The built-in number format m/d/yyyy (shown in the user's locale), for a date.
DATE_FMT_ID = 14
#: The built-in number format m/d/yyyy h:mm, for a date with a time.
DATETIME_FMT_ID = 22
#: The built-in number format General, for a number in a workbook whose default style shows dates.
GENERAL_FMT_ID = 0
_EPOCH_1900 = _dt.datetime(1899, 12, 30)
_EPOCH_1904 = _dt.datetime(1904, 1, 1)
#: The last moment Excel stores, to the millisecond (its precision): later ones in the last
#: microseconds of 9999 would round to 10000-01-01, which no reader takes (source: Excel, ours).
_LAST_MOMENT = _dt.datetime(9999, 12, 31, 23, 59, 59, 999000)


class Styles:
    """Just enough of xl/styles.xml: cellXfs, custom number formats, protection.

    Read with ElementTree; parsed again with lxml only when a date style must be
    added (see `xlsx_xml`), which keeps the order and so the indices of the xfs."""

    def __init__(self, pkg: Package, part: str | None) -> None:
        self.pkg = pkg
        self.part = part
        self._editable = False
        self._load(pkg.xml(part) if part and pkg.has(part) else None)
        self.modified = False
        self._date_cache: dict[int, bool] = {}
        self._derived: dict[tuple[int, int], int] = {}
        self._canon: dict[bytes, int] | None = None

    def _load(self, root: Any) -> None:
        self.root = root
        self.cell_xfs_el = None if root is None else root.find(MAIN + "cellXfs")
        self.xfs: list[Any] = [] if self.cell_xfs_el is None else list(self.cell_xfs_el.findall(_XF))
        self.num_fmts: dict[int, str] = {}
        formats = None if root is None else root.find(MAIN + "numFmts")
        if formats is not None:
            for element in formats.findall(MAIN + "numFmt"):
                try:
                    self.num_fmts[int(element.get("numFmtId", ""))] = element.get("formatCode", "")
                except ValueError:
                    pass

    def _edit(self) -> None:
        if not self._editable and self.root is not None and self.part:
            self._load(self.pkg.xml_for_edit(self.part))
            self._editable = True

    def xf(self, idx: int) -> Any:
        """The cellXfs entry ``idx``, or None when there is none."""
        return self.xfs[idx] if 0 <= idx < len(self.xfs) else None

    def is_locked(self, idx: int) -> bool:
        """Whether style ``idx`` locks its cells (the default, also for a style that is missing)."""
        xf = self.xf(idx)
        if xf is None:
            return True
        protection = xf.find(MAIN + "protection")
        if protection is None:
            return True
        return protection.get("locked", "1").lower() not in ("0", "false")

    def is_date_style(self, idx: int) -> bool:
        """Whether style ``idx`` shows a number as a date or time."""
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
        """Index of an xf like ``idx`` but with the date format ``fmt_id``; appended if new.
        NoStyles when the workbook has no cellXfs."""
        return self.format_style(idx, fmt_id)

    def format_style(self, idx: int, fmt_id: int) -> int:
        """Index of an xf like ``idx`` but with the built-in number format ``fmt_id`` (a date
        format, or `GENERAL_FMT_ID`); appended if new. NoStyles when the workbook has no cellXfs."""
        key = (idx, fmt_id)
        if key in self._derived:
            return self._derived[key]
        self._edit()
        if self.cell_xfs_el is None:
            raise NoStyles()
        from lxml import etree

        base = self.xf(idx) if self.xf(idx) is not None else self.xf(0)
        if base is None:
            new = etree.Element(_XF, nsmap=None)
            new.set("numFmtId", "0")
        else:
            new = copy.deepcopy(base)
            new.tail = None
        new.set("numFmtId", str(fmt_id))
        new.set("applyNumberFormat", "1")
        canon = _canonical(new)
        if self._canon is None:
            self._canon = {}
            for i, element in enumerate(self.xfs):
                self._canon.setdefault(_canonical(element), i)
        if canon in self._canon:
            found = self._canon[canon]
        else:
            self.cell_xfs_el.append(new)
            self.xfs.append(new)
            found = len(self.xfs) - 1
            self._canon[canon] = found
            self.cell_xfs_el.set("count", str(len(self.xfs)))
            self.modified = True
            self._date_cache[found] = fmt_id in _DATE_BUILTIN_IDS
        self._derived[key] = found
        return found


class NoStyles(Exception):
    """The workbook has no cellXfs to add a date style to."""


class LazyStyles:
    """The styles of a workbook, read from the package the first time they are needed
    (most writes need none)."""

    def __init__(self, pkg: Package, part: str | None) -> None:
        #: The workbook's package (also read for the sheet's tables, see `cells.SheetCells`).
        self.pkg = pkg
        self._part = part
        self.loaded: Styles | None = None

    def get(self) -> Styles:
        """The styles, read now if they have not been."""
        if self.loaded is None:
            self.loaded = Styles(self.pkg, self._part)
        return self.loaded


def _canonical(element: Any) -> bytes:
    """An lxml xf element in canonical form (C14N, attributes sorted, blank text dropped)."""
    from lxml import etree

    clone = copy.deepcopy(element)
    clone.tail = None
    for sub in clone.iter():
        if sub.tail is not None and not sub.tail.strip():
            sub.tail = None
        if sub.text is not None and not sub.text.strip() and len(sub):
            sub.text = None
        attrs = sorted(sub.attrib.items())
        sub.attrib.clear()
        for name, value in attrs:
            sub.set(name, value)
    canonical: bytes = etree.tostring(clone, method="c14n")
    return canonical


def _is_date_format_code(code: str) -> bool:
    """Whether a number format code shows a date or a time (a d, m, y, h or s outside
    quotes, brackets and escapes, or an elapsed time [h], [mm], [ss])."""
    # Only the first section (positive numbers) decides how a date shows.
    section = code.split(";", 1)[0] if code else ""
    out = []
    i, size = 0, len(section)
    while i < size:
        char = section[i]
        if char == '"':
            close = section.find('"', i + 1)
            i = size if close < 0 else close + 1
            continue
        if char == "[":
            close = section.find("]", i + 1)
            inner = section[i + 1 : close if close >= 0 else size].lower()
            # Elapsed-time codes [h], [mm], [ss] are time formats.
            if inner and set(inner) <= set("hms"):
                return True
            i = size if close < 0 else close + 1
            continue
        if char in "\\_*":
            i += 2
            continue
        out.append(char)
        i += 1
    text = "".join(out).lower()
    if "general" in text:
        text = text.replace("general", "")
    return any(char in text for char in "dmyhs")


def excel_serial(value: _dt.date, date1904: bool) -> float | int | None:
    """The Excel serial number of a date (a whole number) or datetime, counted from the
    workbook's epoch; None when it is before the first date the workbook can store. A
    moment in the last millisecond of 9999 is written as 23:59:59.999."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)  # Excel has no time zones: keep the wall-clock time.
        moment = min(value, _LAST_MOMENT)
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
