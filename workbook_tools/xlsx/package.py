"""The package side of a workbook: its zip members read once (edited ones kept apart),
relationships, the workbook part and the worksheet located in it, and the calc chain."""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from workbook_tools.errors import UnsafeWriteError, WorkbookError
from workbook_tools.files import check_regular_file
from workbook_tools.xlsx.limits import check_members
from workbook_tools.xlsx.member import Member
from workbook_tools.xlsx.xml import XmlError, namespace, parse, parse_for_edit, serialize

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOC_REL = REL_NS + "/officeDocument"
STRICT_OFFICE_DOC_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
TABLE_REL = REL_NS + "/table"
CALC_CHAIN_REL = REL_NS + "/calcChain"
#: The SpreadsheetML namespace in ElementTree's notation, to put before a tag: MAIN + "row".
MAIN = f"{{{MAIN_NS}}}"
T_REL = f"{{{PKG_REL_NS}}}Relationship"
A_RID = f"{{{REL_NS}}}id"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Package:
    """The zip members of a workbook, read once; edited members are kept as bytes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        check_regular_file(path)
        try:
            with open(path, "rb") as fh:
                head = fh.read(8)
        except FileNotFoundError:
            raise WorkbookError(path, "does not exist", "check the file name and folder") from None
        except OSError as exc:
            raise WorkbookError(path, f"cannot be read ({exc.strerror or exc})",
                                "check the file's permissions") from None
        if head == _OLE_MAGIC:
            raise WorkbookError(
                path,
                "is password-protected or an old .xls workbook, which cannot be written",
                "open it in Excel, remove the password (File > Info > Protect Workbook) and save it as "
                "an Excel Workbook (.xlsx)",
            )
        try:
            zip_file = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError):
            raise WorkbookError(
                path, "is not an Excel workbook (it is not a zip file)", "open it in Excel and save it as .xlsx"
            ) from None
        except OSError as exc:
            raise WorkbookError(path, f"cannot be read ({exc})", "check the file's permissions") from None
        self.zip = zip_file
        self.infos = zip_file.infolist()
        try:  # two parts of one name (one would be lost), or a zip bomb
            check_members(path, self.infos)
        except WorkbookError:
            zip_file.close()
            raise
        self.names = {i.filename: i for i in self.infos}
        # Edited members: bytes, or for a rebuilt sheet the member already compressed.
        self.changed: dict[str, bytes | Member] = {}
        self.removed: set[str] = set()
        self._rels: dict[str, list[Any]] = {}  # relationships parts as parsed (`rels`)

    def close(self) -> None:
        """Close the workbook file."""
        self.zip.close()

    def has(self, name: str) -> bool:
        """Whether member ``name`` is in the package (and not removed)."""
        return name in self.names and name not in self.removed

    def read(self, name: str) -> bytes:
        """Member ``name``'s bytes, as edited when it was; WorkbookError when it cannot be read."""
        if name in self.changed:
            data = self.changed[name]
            return data if isinstance(data, bytes) else data.data()
        try:
            return self.zip.read(self.names[name])
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError,
                zlib.error) as exc:
            raise WorkbookError(self.path, f"is damaged: part {name} cannot be read ({exc})",
                                "open it in Excel, let Excel repair it, and save it again") from None

    def xml(self, name: str) -> Any:
        """Part ``name`` parsed to be read (see `xlsx_xml`)."""
        return self._parse(name, parse)

    def xml_for_edit(self, name: str) -> Any:
        """Part ``name`` parsed to be changed and written back with `xml.serialize`."""
        return self._parse(name, parse_for_edit)

    def _parse(self, name: str, how: Callable[[bytes], Any]) -> Any:
        try:
            return how(self.read(name))
        except XmlError as exc:
            raise WorkbookError(self.path, f"is damaged: part {name} is not valid XML ({exc})",
                                "open it in Excel, let Excel repair it, and save it again") from None

    def rels(self, part: str) -> list[Any]:
        """The relationships of ``part`` (none when it has no relationships part); parsed
        once while the part is not edited (a refresh asks for the workbook's a few times)."""
        name = self.rels_name(part)
        if not self.has(name):
            return []
        if name in self.changed:
            return list(self.xml(name).iter(T_REL))
        found = self._rels.get(name)
        if found is None:
            found = self._rels[name] = list(self.xml(name).iter(T_REL))
        return list(found)

    def rels_name(self, part: str) -> str:
        """The name of the relationships part of ``part``."""
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")


def resolve_target(source_part: str, target: str) -> str:
    """The part a relationship of ``source_part`` points to (its Target made absolute)."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def workbook_part(pkg: Package, src: Path) -> str:
    """The name of the package's workbook part, from its relationships (else the usual name)."""
    part = None
    if pkg.has("_rels/.rels"):
        for rel in pkg.rels(""):
            rel_type = rel.get("Type", "")
            if rel_type == STRICT_OFFICE_DOC_REL:
                raise _strict_error(src)
            if rel_type == OFFICE_DOC_REL:
                part = resolve_target("", rel.get("Target", ""))
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


def _remove_part(pkg: Package, owner_part: str, part: str) -> None:
    pkg.removed.add(part)
    types_name = "[Content_Types].xml"
    if pkg.has(types_name):
        types = pkg.xml_for_edit(types_name)
        for element in list(types.iterchildren(f"{{{CT_NS}}}Override")):
            if element.get("PartName", "").lstrip("/") == part:
                types.remove(element)
        pkg.changed[types_name] = serialize(types)
    rels_name = pkg.rels_name(owner_part)
    if pkg.has(rels_name):
        rels = pkg.xml_for_edit(rels_name)
        for rel in list(rels.iter(T_REL)):
            if rel.get("TargetMode") != "External" and resolve_target(owner_part, rel.get("Target", "")) == part:
                rel.getparent().remove(rel)
        pkg.changed[rels_name] = serialize(rels)


def drop_calc_chain_entries(pkg: Package, wb_part: str, calc_part: str, sheet_id: str | None,
                             refs: set[str]) -> None:
    """Remove the calcChain entries of cells on this sheet whose formula was overwritten.

    Entries inherit ``i`` (sheet id) and ``s`` (child chain) from the entry before them,
    so the entry after a removed one gets its inherited values written out.
    """
    root = pkg.xml_for_edit(calc_part)
    cur_i: str | None = None  # the sheet id and child-chain flag each entry inherits
    cur_s = "0"
    after_removed = False
    level_pending = False
    removed_any = False
    for element in list(root.iterchildren(MAIN + "c")):
        if element.get("i") is not None:
            cur_i = element.get("i")
        if element.get("s") is not None:
            cur_s = element.get("s", "0")
        if cur_i == sheet_id and element.get("r", "").replace("$", "").upper() in refs:
            if element.get("l") in ("1", "true"):
                level_pending = True
            root.remove(element)
            removed_any = after_removed = True
            continue
        if after_removed:
            if element.get("i") is None and cur_i is not None:
                element.set("i", cur_i)
            if element.get("s") is None and cur_s not in ("0", "false"):
                element.set("s", cur_s)
            if level_pending and element.get("l") is None:
                element.set("l", "1")
            after_removed = level_pending = False
    if not removed_any:
        return
    if len(root.findall(MAIN + "c")) == 0:
        _remove_part(pkg, wb_part, calc_part)
    else:
        pkg.changed[calc_part] = serialize(root)


class SheetLocation(NamedTuple):
    """A worksheet and the parts a write to it needs (see :func:`locate_sheet`)."""

    wb_part: str
    name: str  # as the workbook spells it
    sheet_id: str | None
    part: str
    styles_part: str | None
    calc_part: str | None
    date1904: bool


class _SheetEntry(NamedTuple):
    """A <sheet> of the workbook part."""

    name: str
    rel_id: str | None
    sheet_id: str | None


class _SheetParts(NamedTuple):
    """What the workbook's relationships say of one sheet and of the parts every sheet shares."""

    part: str | None
    rel_type: str
    styles_part: str | None
    calc_part: str | None


def locate_sheet(pkg: Package, src: Path, sheet: str) -> SheetLocation:
    """Worksheet ``sheet`` (exact name, else case-insensitive) and the parts a write needs.
    WorkbookError when it is missing, UnsafeWriteError when it is not a worksheet."""
    wb_part = workbook_part(pkg, src)
    workbook = pkg.xml(wb_part)
    if namespace(workbook) == STRICT_MAIN_NS:
        raise _strict_error(src)
    if namespace(workbook) != MAIN_NS:
        raise WorkbookError(src, f"is not an Excel workbook ({wb_part} is not a SpreadsheetML workbook)",
                            "open it in Excel and save it as an Excel Workbook (.xlsx)")
    entry = _sheet_entry(workbook, src, sheet)
    workbook_pr = workbook.find(MAIN + "workbookPr")
    date1904 = workbook_pr is not None and workbook_pr.get("date1904", "0").lower() in ("1", "true")
    parts = _sheet_parts(pkg, wb_part, entry.rel_id)
    if parts.part is None or not pkg.has(parts.part):
        raise WorkbookError(src, f"is damaged: the part of sheet {entry.name!r} is missing",
                            "open it in Excel, let Excel repair it, and save it again")
    kind = parts.rel_type.rsplit("/", 1)[-1]
    if kind != "worksheet":
        what = {"chartsheet": "a chart sheet", "dialogsheet": "a dialog sheet", "macrosheet": "a macro sheet"}
        raise UnsafeWriteError(src, f"{entry.name!r} is {what.get(kind, 'not a worksheet')}, not a worksheet",
                               "write to a worksheet instead")
    return SheetLocation(wb_part, entry.name, entry.sheet_id, parts.part, parts.styles_part, parts.calc_part,
                         date1904)


def _sheet_entry(workbook: Any, src: Path, sheet: str) -> _SheetEntry:
    """The workbook's <sheet> named ``sheet`` (exactly, else ignoring case); WorkbookError when none is."""
    sheets = [_SheetEntry(element.get("name", ""), element.get(A_RID), element.get("sheetId"))
              for element in workbook.iter(MAIN + "sheet")]
    match = ([entry for entry in sheets if entry.name == sheet]
             or [entry for entry in sheets if entry.name.lower() == sheet.lower()])
    if not match:
        names = ", ".join(repr(entry.name) for entry in sheets) or "none"
        raise WorkbookError(src, f"has no sheet named {sheet!r} (its sheets are: {names})",
                            "check the sheet name, or rename the sheet in Excel")
    return match[0]


def _sheet_parts(pkg: Package, wb_part: str, rel_id: str | None) -> _SheetParts:
    """The part of the sheet whose relationship is ``rel_id``, with the styles and calc chain parts."""
    sheet_part = None
    styles_part = None
    calc_part = None
    sheet_rel_type = ""
    for rel in pkg.rels(wb_part):
        rel_type = rel.get("Type", "")
        if rel.get("TargetMode") == "External":
            continue
        if rel.get("Id") == rel_id:
            sheet_part = resolve_target(wb_part, rel.get("Target", ""))
            sheet_rel_type = rel_type
        if rel_type.endswith("/styles"):
            styles_part = resolve_target(wb_part, rel.get("Target", ""))
        if rel_type == CALC_CHAIN_REL:
            calc_part = resolve_target(wb_part, rel.get("Target", ""))
    return _SheetParts(sheet_part, sheet_rel_type, styles_part, calc_part)
