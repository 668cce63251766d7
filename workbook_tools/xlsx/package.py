"""The package side of a workbook: its zip members read once, relationships, the
workbook part, cell references, the Excel lock check, and the calc chain."""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from workbook_tools.errors import UnsafeWriteError, WorkbookError
from workbook_tools.xlsx.xml import XML_DECL, XmlError, namespace, parse, parse_for_edit, serialize

if TYPE_CHECKING:
    from workbook_tools.xlsx.zip import _Member


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
T_REL = "{%s}Relationship" % PKG_REL_NS
A_RID = "{%s}id" % REL_NS
_XML_DECL = XML_DECL
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
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
        # Edited members: bytes, or for a rebuilt sheet the member already compressed.
        self.changed: dict[str, bytes | _Member] = {}
        self.removed: set[str] = set()

    def close(self) -> None:
        self.zip.close()

    def has(self, name: str) -> bool:
        return name in self.names and name not in self.removed

    def read(self, name: str) -> bytes:
        if name in self.changed:
            data = self.changed[name]
            return data if isinstance(data, bytes) else data.data()
        try:
            return self.zip.read(self.names[name])
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise WorkbookError(self.path, f"is damaged: part {name} cannot be read ({exc})",
                                "open it in Excel, let Excel repair it, and save it again") from None

    def xml(self, name: str) -> Any:
        """Part ``name`` parsed to be read (see `xlsx_xml`)."""
        return self._parse(name, parse)

    def xml_for_edit(self, name: str) -> Any:
        """Part ``name`` parsed to be changed and written back with `_serialize`."""
        return self._parse(name, parse_for_edit)

    def _parse(self, name: str, how: Callable[[bytes], Any]) -> Any:
        try:
            return how(self.read(name))
        except XmlError as exc:
            raise WorkbookError(self.path, f"is damaged: part {name} is not valid XML ({exc})",
                                "open it in Excel, let Excel repair it, and save it again") from None

    def rels(self, part: str) -> list[Any]:
        folder, base = posixpath.split(part)
        name = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(name):
            return []
        return list(self.xml(name).iter(T_REL))

    def rels_name(self, part: str) -> str:
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")


def _resolve_target(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def _workbook_part(pkg: _Package, src: Path) -> str:
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


_serialize = serialize


def _remove_part(pkg: _Package, owner_part: str, part: str) -> None:
    pkg.removed.add(part)
    ct_name = "[Content_Types].xml"
    if pkg.has(ct_name):
        ct = pkg.xml_for_edit(ct_name)
        for el in list(ct.iterchildren("{%s}Override" % CT_NS)):
            if el.get("PartName", "").lstrip("/") == part:
                ct.remove(el)
        pkg.changed[ct_name] = _serialize(ct)
    rels_name = pkg.rels_name(owner_part)
    if pkg.has(rels_name):
        rels = pkg.xml_for_edit(rels_name)
        for el in list(rels.iter(T_REL)):
            if el.get("TargetMode") != "External" and _resolve_target(owner_part, el.get("Target", "")) == part:
                el.getparent().remove(el)
        pkg.changed[rels_name] = _serialize(rels)


def _drop_calc_chain_entries(pkg: _Package, wb_part: str, calc_part: str, sheet_id: str | None,
                             refs: set[str]) -> None:
    """Remove the calcChain entries of cells on this sheet whose formula was overwritten.

    Entries inherit ``i`` (sheet id) and ``s`` (child chain) from the entry before them,
    so the entry after a removed one gets its inherited values written out.
    """
    root = pkg.xml_for_edit(calc_part)
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


class _SheetLocation(NamedTuple):
    wb_part: str
    name: str  # as the workbook spells it
    sheet_id: str | None
    part: str
    styles_part: str | None
    calc_part: str | None
    date1904: bool


def _locate_sheet(pkg: _Package, src: Path, sheet: str) -> _SheetLocation:
    """Worksheet ``sheet`` (exact name, else case-insensitive) and the parts a write needs.
    WorkbookError when it is missing, UnsafeWriteError when it is not a worksheet."""
    wb_part = _workbook_part(pkg, src)
    wb = pkg.xml(wb_part)
    if namespace(wb) == STRICT_MAIN_NS:
        raise _strict_error(src)
    if namespace(wb) != MAIN_NS:
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
    return _SheetLocation(wb_part, sheet_name, sheet_id, sheet_part, styles_part, calc_part, date1904)
