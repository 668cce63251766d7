"""Date styles for written cells: find or add a cellXfs entry with a date format."""

from __future__ import annotations

import copy
import datetime as _dt

from typing import Any

from workbook_tools.xlsx.package import _M, _Package


T_XF = _M + "xf"
_DATE_BUILTIN_IDS = frozenset(range(14, 23)) | {45, 46, 47}
_DATE_FMT_ID = 14  # m/d/yyyy (shown in the user's locale)
_DATETIME_FMT_ID = 22  # m/d/yyyy h:mm
_EPOCH_1900 = _dt.datetime(1899, 12, 30)
_EPOCH_1904 = _dt.datetime(1904, 1, 1)


class _Styles:
    """Just enough of xl/styles.xml: cellXfs, custom number formats, protection.

    Read with ElementTree; parsed again with lxml only when a date style must be
    added (see `xlsx_xml`), which keeps the order and so the indices of the xfs."""

    def __init__(self, pkg: _Package, part: str | None) -> None:
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
        self.cell_xfs_el = None if root is None else root.find(_M + "cellXfs")
        self.xfs: list[Any] = [] if self.cell_xfs_el is None else list(self.cell_xfs_el.findall(T_XF))
        self.num_fmts: dict[int, str] = {}
        nf = None if root is None else root.find(_M + "numFmts")
        if nf is not None:
            for el in nf.findall(_M + "numFmt"):
                try:
                    self.num_fmts[int(el.get("numFmtId", ""))] = el.get("formatCode", "")
                except ValueError:
                    pass

    def _edit(self) -> None:
        if not self._editable and self.root is not None and self.part:
            self._load(self.pkg.xml_for_edit(self.part))
            self._editable = True

    def xf(self, idx: int) -> Any:
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
        self._edit()
        if self.cell_xfs_el is None:
            raise _NoStyles()
        from lxml import etree

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


def _canonical(el: Any) -> bytes:
    """An lxml xf element in canonical form (C14N, attributes sorted, blank text dropped)."""
    from lxml import etree

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
