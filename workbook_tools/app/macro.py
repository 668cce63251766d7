"""The upgrade-macro command without click: a macro-enabled tracker's VBA project rebuilt
from the installed xlwings, and nothing else changed.

After ``pip install -U xlwings`` the button of an older tracker looks for the DLL of
the xlwings it was made with, and fails. This puts in a project built from the old one
(`template.vba.upgraded_vba_project`): xlwings' modules and ours as installed, the
user's own modules and document modules (event handlers) kept as they were, and a
document module for each code name of the workbook, its sheets and chart sheets that has
none. Every other zip member is copied still compressed, byte for byte, and the file is
replaced atomically, with the same refusals as a refresh (open in Excel or LibreOffice,
also when named through a symlink, read-only, saved by someone else meanwhile, another run
at work), and more: a signed project (the signature would no longer match), and VBA that
cannot be carried over. A file whose project is already the one it would build is left
as it is. The buttons' macros are checked against the new project (their drawings are
never changed): a button naming a macro the project lacks, or one two modules define, is
reported with the fix.
"""

from __future__ import annotations

import os
import re
import stat
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from workbook_tools.adapters.file import check_is_tracker
from workbook_tools.errors import WorkbookError
from workbook_tools.files import (
    check_not_open,
    check_replaceable,
    file_identity,
    refresh_lock,
    resolved_target,
)
from workbook_tools.template.vba import (
    UPGRADE_COMMAND,
    VBA_MEMBER,
    macro_definers,
    upgraded_vba_project,
    xlwings_version,
)
from workbook_tools.xlsx.package import (
    A_RID,
    MAIN,
    MAIN_NS,
    Package,
    resolve_target,
    workbook_part,
)
from workbook_tools.xlsx.vba_project import is_module_name
from workbook_tools.xlsx.xml import namespace
from workbook_tools.xlsx.zip import write_package

if TYPE_CHECKING:
    from workbook_tools.xlsx.vba_project import VbaModule

__all__ = ["ButtonProblem", "MacroUpgrade", "upgrade_macro"]

#: The relationship from the workbook to its VBA project (Office's own type).
VBA_PROJECT_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
#: How much of a sheet part is read to find its code name: it is in <sheetPr>, the first
#: thing in the part, so far less than this (ours).
SHEET_HEAD_BYTES = 1 << 20
#: The relationships from a VBA project to its signatures ([MS-OFFCRYPTO] and [MS-OVBA] 2.3.2:
#: the legacy, the agile and the V3 signature), and the parts' usual names, matched by name
#: too so that a signature is found even with its relationships part gone.
SIGNATURE_RELS = tuple(f"http://schemas.microsoft.com/office/2006/relationships/{kind}"
                       for kind in ("vbaProjectSignature", "vbaProjectSignatureAgile", "vbaProjectSignatureV3"))
SIGNATURE_NAMES = ("vbaprojectsignature.bin", "vbaprojectsignatureagile.bin", "vbaprojectsignaturev3.bin")
FIX_REPAIR = "open it in Excel, let Excel repair it, and save it again as an Excel Macro-Enabled Workbook (.xlsm)"
#: Where a sheet's button names its macro: the legacy drawing (VML, ``<x:FmlaMacro>``), and
#: the form control's properties Excel 2010 and LibreOffice add (``fmlaMacro``) ([MS-OI29500]).
VML_REL, CTRL_PROP_REL = "/vmlDrawing", "/ctrlProp"
VML_MACRO = re.compile(rb"<(?:\w+:)?FmlaMacro>([^<]*)</(?:\w+:)?FmlaMacro>")
CTRL_PROP_MACRO = re.compile(rb'\bfmlaMacro="([^"]*)"')


class ButtonProblem(NamedTuple):
    """A button whose macro the upgraded project does not run as meant: none of its modules
    defines it (``definers`` empty), or several do (Excel cannot tell which)."""

    sheet: str
    #: The macro as the button names it (``[0]!Refresh``).
    macro: str
    definers: tuple[str, ...]


class MacroUpgrade(NamedTuple):
    """What `upgrade_macro` did: the file, the xlwings its project now comes from, the code
    names that have a document module (the workbook's, when it has one, and the sheets' and
    chart sheets'), and the project's modules in two groups."""

    path: Path
    xlwings_version: str
    workbook_code_name: str | None
    code_names: tuple[str, ...]
    #: Sheets with no code name (or neither worksheets nor chart sheets), given no module:
    #: Excel adds one on open.
    sheets_without_code_name: tuple[str, ...]
    #: xlwings' modules and ours, now as installed.
    upgraded: tuple[str, ...] = ()
    #: The workbook's own modules (document modules included), kept as they were.
    kept: tuple[str, ...] = ()
    #: False when the project was already the one built, and the file was left as it was.
    rewritten: bool = True
    #: The buttons whose macro the project lacks or defines twice.
    button_problems: tuple[ButtonProblem, ...] = ()


class _CodeNames(NamedTuple):
    workbook: str | None
    sheets: tuple[str, ...]
    without: tuple[str, ...]
    #: Those of ``sheets`` that are chart sheets'.
    charts: tuple[str, ...] = ()


def upgrade_macro(path: str | Path) -> MacroUpgrade:
    """Upgrade the VBA project of the tracker at ``path`` (.xlsm): xlwings' modules and ours
    as installed, the workbook's own modules kept, a document module for each code name
    that has none. Every other member of the file stays byte-identical. WorkbookError, the
    file untouched, when it is not an .xlsm, is missing, damaged, has no VBA project or a
    signed one, is not a tracker, is open, read-only or changed meanwhile, when its VBA
    cannot be carried over (forms, references, a module named like xlwings' or ours, a
    project that cannot be read, is damaged or too large), when a code name cannot name a
    VBA module, or when xlwings is missing. The file is not rewritten when its project is
    already the one built (``rewritten`` False); the buttons whose macro the new project
    lacks or has twice are in ``button_problems``."""
    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        raise WorkbookError(path, "is not a macro-enabled workbook (.xlsm), so it has no macros to upgrade",
                            "name the .xlsm tracker whose Refresh button to upgrade")
    _check_can_replace(path)
    target = resolved_target(path)
    with refresh_lock(target):
        identity = file_identity(path)
        if identity is None:
            raise WorkbookError(path, "does not exist", "check the file name and folder")
        _check_zip(path)
        pkg = Package(path)
        try:
            vba_part, names = _read_package(pkg, path)
            old = _read_part(pkg, path, vba_part)
            project = upgraded_vba_project(old, names.sheets, names.workbook, charts=names.charts, workbook=path)
            problems = _button_problems(pkg, path, project.modules)
            rewritten = project.data != old
            if rewritten:
                pkg.changed[vba_part] = project.data
                write_package(pkg, path, target, expect=identity)
        finally:
            pkg.close()
    return MacroUpgrade(path, xlwings_version(), names.workbook, names.sheets, names.without, project.upgraded,
                        project.kept, rewritten, problems)


def _check_can_replace(path: Path) -> None:
    """Refuse, before anything is read, a file that is open, read-only or not ours to replace:
    Excel's owner file and LibreOffice's lock are looked for beside ``path`` and, for a
    symlink, beside the file it points at."""
    try:
        check_not_open(path)
    except WorkbookError as exc:
        raise WorkbookError(path, exc.message, "close it there first, then run the command again") from None
    try:
        target = resolved_target(path)
        if target != path:
            _check_target_not_open(path, target)
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        raise WorkbookError(path, "does not exist", "check the file name and folder") from None
    except (OSError, ValueError) as exc:  # a name too long, a NUL in it
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise WorkbookError(path, f"cannot be read ({reason})", "check the file name and folder") from None
    if stat.S_ISREG(mode) and (not os.access(target, os.W_OK) or not mode & 0o222):
        raise WorkbookError(path, "is read-only; its macros were not upgraded",
                            "make it writable (clear Read-only in its properties, or chmod u+w), then run the "
                            "command again")
    check_replaceable(target)


def _check_target_not_open(path: Path, target: Path) -> None:
    """WorkbookError naming ``path`` when the file its link points at is open."""
    try:
        check_not_open(target)
    except WorkbookError as exc:
        raise WorkbookError(path, f"links to {target}, which {exc.message}",
                            "close it there first, then run the command again") from None


def _read_part(pkg: Package, path: Path, part: str) -> bytes:
    """A member's bytes; WorkbookError naming the repair when its compressed data is damaged."""
    try:
        return pkg.read(part)
    except zlib.error as exc:
        raise WorkbookError(path, f"is damaged: part {part} cannot be read ({exc})", FIX_REPAIR) from None


def _check_zip(path: Path) -> None:
    """WorkbookError naming the repair when the file is not a readable zip."""
    try:
        with zipfile.ZipFile(path):
            return
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise WorkbookError(path, "is damaged: it is not a readable zip file, as every .xlsm is", FIX_REPAIR) from None
    except OSError as exc:
        raise WorkbookError(path, f"cannot be read ({exc.strerror or exc})", "check the file's permissions") from None


def _read_package(pkg: Package, path: Path) -> tuple[str, _CodeNames]:
    """The VBA project's member and the code names; refuses a file with no project or that
    is not a tracker."""
    wb_part = workbook_part(pkg, path)
    vba_part = next((resolve_target(wb_part, rel.get("Target", "")) for rel in pkg.rels(wb_part)
                     if rel.get("Type") == VBA_PROJECT_REL and rel.get("TargetMode") != "External"), VBA_MEMBER)
    if not pkg.has(vba_part):
        raise WorkbookError(path, f"has no VBA project ({vba_part}), so no macros to upgrade",
                            "make a tracker with a Refresh button with `workbook-tools new NAME.xlsm`")
    _check_not_signed(pkg, path, vba_part)
    try:
        check_is_tracker(path)
    except WorkbookError:
        raise WorkbookError(path, "is not a tracker (no Interviews sheet with the Company and Event Date headers); "
                                  "its macros were left alone",
                            "name a tracker made by `workbook-tools new`") from None
    return vba_part, _code_names(pkg, path, wb_part)


def _check_not_signed(pkg: Package, path: Path, vba_part: str) -> None:
    """Refuse a package whose VBA project is signed: found through the project's
    relationships, or by the signature parts' names anywhere in the package."""
    signatures = [resolve_target(vba_part, rel.get("Target", "")) for rel in pkg.rels(vba_part)
                  if rel.get("Type") in SIGNATURE_RELS]
    signatures += [name for name in pkg.names if name.rsplit("/", 1)[-1].casefold() in SIGNATURE_NAMES]
    if signatures:
        raise WorkbookError(path, f"has a digitally signed VBA project ({signatures[0]}); a new project would no "
                                  "longer match its signature, so its macros were left alone",
                            "remove the signature in Excel's VBA editor (Tools > Digital Signature > Remove) and "
                            f"save, run `{UPGRADE_COMMAND}` again, then sign the project again")


def _code_names(pkg: Package, path: Path, wb_part: str) -> _CodeNames:
    """The workbook's code name (``workbookPr codeName``) and each worksheet's and chart
    sheet's (``sheetPr codeName``), in sheet order; the sheets without one apart."""
    workbook = pkg.xml(wb_part)
    if namespace(workbook) != MAIN_NS:
        raise WorkbookError(path, f"is not an Excel workbook ({wb_part} is not a SpreadsheetML workbook)", FIX_REPAIR)
    workbook_pr = workbook.find(MAIN + "workbookPr")
    workbook_name = workbook_pr.get("codeName") if workbook_pr is not None else None
    parts = {rel.get("Id"): (rel.get("Type", ""), resolve_target(wb_part, rel.get("Target", "")))
             for rel in pkg.rels(wb_part) if rel.get("TargetMode") != "External"}
    names: list[str] = []
    charts: list[str] = []
    without: list[str] = []
    for sheet in workbook.iter(MAIN + "sheet"):
        kind, part = parts.get(sheet.get(A_RID), ("", ""))
        has_module = kind.endswith(("/worksheet", "/chartsheet")) and pkg.has(part)
        code = _sheet_code_name(pkg, path, part) if has_module else None
        if code is None:
            without.append(sheet.get("name", ""))
            continue
        names.append(code)
        if kind.endswith("/chartsheet"):
            charts.append(code)
    _check_code_names(path, [workbook_name] if workbook_name is not None else [], "the workbook")
    _check_code_names(path, names, "a sheet")
    return _CodeNames(workbook_name, tuple(names), tuple(without), tuple(charts))


def _sheet_code_name(pkg: Package, path: Path, part: str) -> str | None:
    """The code name in a worksheet's or chart sheet's <sheetPr>, reading only the part's head."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start",))
    starts: list[ET.Element] = []
    read = 0
    try:
        with pkg.zip.open(pkg.names[part]) as stream:
            while read < SHEET_HEAD_BYTES:
                chunk = stream.read(1 << 14)
                if not chunk or b"<!DOCTYPE" in chunk:
                    return None
                read += len(chunk)
                parser.feed(chunk)
                events: Iterator[Any] = parser.read_events()  # ("start", element) pairs
                starts += [element for _, element in events]
                if len(starts) >= 2:  # the root, then its first child
                    first = starts[1]
                    return first.get("codeName") if first.tag == MAIN + "sheetPr" else None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ET.ParseError, RuntimeError, NotImplementedError
            ) as exc:
        raise WorkbookError(path, f"is damaged: part {part} cannot be read ({exc})", FIX_REPAIR) from None
    return None


def _check_code_names(path: Path, names: list[str], whose: str) -> None:
    for name in names:
        if not is_module_name(name):
            raise WorkbookError(path, f"{whose} has the code name {name!r}, which cannot name a VBA module",
                                "in Excel's VBA editor, give it a (Name) of letters, digits and underscores, "
                                "starting with a letter")



def _button_problems(pkg: Package, path: Path, modules: Sequence[VbaModule]) -> tuple[ButtonProblem, ...]:
    """The buttons, sheet by sheet, whose macro ``modules`` lack or define more than once."""
    problems: list[ButtonProblem] = []
    for sheet, macro in _button_macros(pkg, path):
        definers = macro_definers(macro, modules)
        if definers is not None and len(definers) != 1:
            problems.append(ButtonProblem(sheet, macro, definers))
    return tuple(dict.fromkeys(problems))


def _button_macros(pkg: Package, path: Path) -> list[tuple[str, str]]:
    """(sheet name, macro) for each button macro named in a sheet's drawing or controls."""
    from xml.sax.saxutils import unescape

    wb_part = workbook_part(pkg, path)
    parts = {rel.get("Id"): resolve_target(wb_part, rel.get("Target", ""))
             for rel in pkg.rels(wb_part) if rel.get("TargetMode") != "External"}
    found: list[tuple[str, str]] = []
    for sheet in pkg.xml(wb_part).iter(MAIN + "sheet"):
        part = parts.get(sheet.get(A_RID))
        if part is None or not pkg.has(part):
            continue
        for rel in pkg.rels(part):
            kind, target = rel.get("Type", ""), resolve_target(part, rel.get("Target", ""))
            pattern = VML_MACRO if kind.endswith(VML_REL) else CTRL_PROP_MACRO if kind.endswith(CTRL_PROP_REL) else None
            if pattern is None or rel.get("TargetMode") == "External" or not pkg.has(target):
                continue
            for raw in pattern.findall(_read_part(pkg, path, target)):
                macro = unescape(raw.decode("utf-8", "replace"), {"&apos;": "'", "&quot;": '"'}).strip()
                if macro:
                    found.append((sheet.get("name", ""), macro))
    return found
