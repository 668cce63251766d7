"""The macro-enabled tracker's VBA project and Refresh button.

The project is built from the one inside the quickstart workbook that ships with the
installed xlwings (``quickstart_standalone.xlsm``), so the workbook's VBA and the Python
side are always the same xlwings version (its module loads a DLL named after that
version). Built, not copied: `xlsx.vba_project.build_vba_project` keeps xlwings'
standard and class modules with their sources unchanged, gives the workbook and every
sheet the document module its code name calls for (so Excel has nothing to add when
it opens the file), and adds our module, `REFRESH_MODULE`, whose `BUTTON_MACRO` the
button runs, named with its module (`BUTTON_MACRO_REFERENCE`, ``WorkbookTools.Refresh``) so
that a ``Refresh`` macro of the user's own, in another module, cannot make it ambiguous:

    RunPython "import <name>; <name>.main()"

where ``<name>`` is the workbook's file name up to its last dot (see `template.runner`),
inside an error handler whose message names ``workbook-tools upgrade-macro`` (the
command that rebuilds the project from a newer xlwings, `app.macro`). That command builds
with `upgraded_vba_project`: from the workbook's own project, whose modules are kept
but for xlwings' and ours, which it replaces with the installed versions.

xlwings itself is never imported here (importing it costs half a second); its files
are found with `importlib.util.find_spec`.
"""

from __future__ import annotations

import importlib.util
import zipfile
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from workbook_tools import contract as C
from workbook_tools.errors import WorkbookError

if TYPE_CHECKING:  # imported where used, so that importing this module costs nothing more
    from workbook_tools.xlsx.vba_project import VbaModule, VbaProject

#: The quickstart workbook inside the xlwings package whose VBA project we build on.
QUICKSTART = "quickstart_standalone.xlsm"
VBA_MEMBER = "xl/vbaProject.bin"
#: Our module in the project, and its macro that the button runs.
REFRESH_MODULE = "WorkbookTools"
BUTTON_MACRO = "Refresh"
#: What the button names: our macro qualified by its module (ours: Excel's "Module.Macro"
#: form, which an unqualified macro of the same name elsewhere cannot shadow).
BUTTON_MACRO_REFERENCE = f"{REFRESH_MODULE}.{BUTTON_MACRO}"
BUTTON_CAPTION = "Refresh"
#: The command that rebuilds a workbook's project from the installed xlwings.
UPGRADE_COMMAND = "workbook-tools upgrade-macro"
#: Sheets that get the button.
BUTTON_SHEETS = (C.INTERVIEWS, C.CALLS)
#: The header row is made taller, and its text sits at the bottom of it
#: (`template.workbook` aligns the headers so), so the button above covers none of it.
HEADER_ROW_HEIGHT = 42
BUTTON = {"width": 92, "height": 24, "x_offset": 4, "y_offset": 3}
INSTALL_FIX = 'install it with: pip install "workbook-tools[excel]"'

#: The source of our module (VBA, CRLF line ends as the editor stores them). The runner's
#: name is computed as xlwings' quickstart macro computes it; any error on the way to
#: Python (xlwings' DLL missing after an upgrade, Python not found) ends in a message
#: saying what to run.
REFRESH_SOURCE = f'''Attribute VB_Name = "{REFRESH_MODULE}"
' The Refresh button of this tracker: runs main() of the Python file named like the
' workbook, beside it. Written by workbook-tools; `{UPGRADE_COMMAND}` rebuilds it.
Option Explicit

Public Sub {BUTTON_MACRO}()
    Dim runner As String
    runner = Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, vbTextCompare) - 1))
    On Error GoTo CannotStart
    RunPython "import " & runner & ";" & runner & ".main()"
    Exit Sub
CannotStart:
    MsgBox "Refresh could not start Python through xlwings (" & Err.Description & ")." & vbCrLf & vbCrLf & _
        "If xlwings was upgraded, rebuild this workbook's macros from a terminal:" & vbCrLf & _
        "    {UPGRADE_COMMAND} """ & ThisWorkbook.FullName & """" & vbCrLf & vbCrLf & _
        "If Python or xlwings is missing, install them first:" & vbCrLf & _
        "    pip install ""workbook-tools[excel]""", vbExclamation, "{BUTTON_CAPTION}"
End Sub
'''.replace("\n", "\r\n")


def xlwings_dir() -> Path:
    """The folder of the installed xlwings package, found without importing it."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.origin:
        raise WorkbookError("xlwings", "is not installed; the macro-enabled tracker (.xlsm) needs it", INSTALL_FIX)
    return Path(spec.origin).parent


def xlwings_version() -> str:
    """The installed xlwings' version (its package metadata), "unknown" when it has none."""
    from importlib.metadata import PackageNotFoundError, version

    xlwings_dir()
    try:
        return version("xlwings")
    except PackageNotFoundError:
        return "unknown"


def quickstart_path() -> Path:
    path = xlwings_dir() / QUICKSTART
    if not path.is_file():
        raise WorkbookError(path, "is missing from the installed xlwings", "reinstall xlwings: " + INSTALL_FIX)
    return path


def xlwings_vba_project() -> bytes:
    """The installed xlwings' own vbaProject.bin (from its standalone quickstart workbook)."""
    path = quickstart_path()
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.read(VBA_MEMBER)
    except (KeyError, zipfile.BadZipFile, OSError) as exc:
        raise WorkbookError(path, f"holds no VBA project ({exc})", "reinstall xlwings: " + INSTALL_FIX) from exc


def _installed_project() -> VbaProject:
    """The installed xlwings' project, read (a `VbaProject`); WorkbookError when it cannot be."""
    from workbook_tools.xlsx.vba_project import VbaProjectError, read_vba_project

    source = xlwings_vba_project()
    try:
        return read_vba_project(source)
    except VbaProjectError as exc:
        raise WorkbookError(quickstart_path(), f"holds a VBA project that cannot be read ({exc})",
                            "reinstall xlwings: " + INSTALL_FIX) from None


def _refresh_module() -> VbaModule:
    from workbook_tools.xlsx.vba_project import VbaModule

    return VbaModule(REFRESH_MODULE, "standard", REFRESH_SOURCE)


def _build(base: VbaProject, sheet_code_names: Sequence[str], workbook_code_name: str | None, workbook: object,
           **options: Any) -> bytes:
    """`build_vba_project`, its VbaProjectError a WorkbookError naming ``workbook``."""
    from workbook_tools.xlsx.vba_project import VbaProjectError, VbaTooLargeError, build_vba_project

    try:
        return build_vba_project(base, sheet_code_names, workbook_code_name=workbook_code_name, **options)
    except VbaTooLargeError as exc:
        raise WorkbookError(workbook, f"cannot be given a VBA project ({exc}); its macros were left alone",
                            SHRINK_FIX) from None
    except VbaProjectError as exc:
        raise WorkbookError(workbook, f"cannot be given a VBA project ({exc})",
                            "in Excel's VBA editor, give each sheet a (Name) of its own, of letters, digits and "
                            f"underscores, other than those of xlwings' modules and {REFRESH_MODULE}") from None


def tracker_vba_project(sheet_code_names: Sequence[str], workbook_code_name: str | None = "ThisWorkbook",
                        workbook: object = "the new workbook") -> bytes:
    """The tracker's vbaProject.bin: the installed xlwings' modules, a document module for
    the workbook and each sheet code name, and our Refresh module. WorkbookError when
    xlwings' project cannot be read, or (naming ``workbook``) when a code name cannot name
    a module of the project."""
    return _build(_installed_project(), sheet_code_names, workbook_code_name, workbook, modules=[_refresh_module()])


class UpgradedProject(NamedTuple):
    """What `upgraded_vba_project` built: the project, and the names of its modules in two
    groups, each in the project's order."""

    data: bytes
    #: xlwings' modules and ours, as the installed versions have them (replaced or added).
    upgraded: tuple[str, ...]
    #: The workbook's own modules (document modules included), kept as they were.
    kept: tuple[str, ...]
    #: Those modules themselves, kept ones first (the empty document modules added left out).
    modules: tuple[VbaModule, ...] = ()


#: How many lines of a module, after its Attribute lines, tell whose it is (ours): xlwings'
#: modules of different versions begin alike but for their version numbers.
OPENING_LINES = 3
#: What to do with VBA that cannot be carried into a new project (ours).
EXPORT_FIX = (f"in Excel's VBA editor, export those modules (File > Export File) and remove them, run "
              f"`{UPGRADE_COMMAND}` again, then import them back (File > Import File)")
#: What to do with a project too large to read or to write (ours).
SHRINK_FIX = ("in Excel's VBA editor, export the modules you can do without (File > Export File) and remove them, "
              f"or move them into an add-in, then run `{UPGRADE_COMMAND}` again")
#: Lines a module's first lines are compared without: its attributes, and the options
#: LibreOffice writes in their place when it saves a workbook (``Option ClassModule`` for a
#: class, ``Option VBASupport 1`` and ``Option Compatible``; seen in LibreOffice 7.4's files).
IGNORED_OPENING = ("Attribute ", "Option ClassModule", "Option VBASupport", "Option Compatible")


def upgraded_vba_project(old: bytes, sheet_code_names: Sequence[str], workbook_code_name: str | None, *,
                         charts: Collection[str] = (), workbook: object = "the workbook") -> UpgradedProject:
    """The project of a workbook whose project is ``old``, upgraded: xlwings' modules and our
    Refresh module replaced by (or added as) the installed versions; every other module of
    ``old`` kept with its source, attributes and flags, its document modules included (an
    empty one added for each code name that has none: the workbook's, the sheets', the
    chart sheets' in ``charts``); ``old``'s name, properties and references kept, and the
    references xlwings' modules need added. WorkbookError naming ``workbook`` when ``old``
    cannot be read or holds what cannot be carried over (forms, unknown references), when
    a module of its own has the name of xlwings' or ours, or when a code name cannot name
    a module."""
    from workbook_tools.xlsx.vba_project import VbaProjectError, project_references, with_references

    installed = _installed_project()
    replacements = [m for m in installed.modules if m.kind != "document"] + [_refresh_module()]
    project = _read_old(old, workbook)
    by_name = {m.name.casefold(): m for m in replacements}
    kept: list[VbaModule] = []
    for module in project.modules:
        replacement = by_name.get(module.name.casefold())
        if replacement is None or module.kind == "document":
            kept.append(module)
        elif not _same_module(module, replacement):
            whose = "workbook-tools'" if replacement.name == REFRESH_MODULE else "xlwings'"
            raise WorkbookError(workbook, f"has a VBA module of its own named {module.name!r}, like {whose} module, "
                                          "which the upgrade would replace; its macros were left alone",
                                f"in Excel's VBA editor, rename your module {module.name} (its (Name) in the "
                                f"Properties window), then run `{UPGRADE_COMMAND}` again")
    try:
        base = with_references(project._replace(modules=tuple(kept)), project_references(installed))
    except VbaProjectError as exc:  # mostly UnsupportedVbaError: a reference of a kind not known here
        raise WorkbookError(workbook, f"has a VBA project that cannot be carried over ({exc}); its macros were left "
                                      "alone", "in Excel's VBA editor, remove that reference (Tools > References), "
                                               f"run `{UPGRADE_COMMAND}` again, then add it back") from None
    data = _build(base, sheet_code_names, workbook_code_name, workbook, modules=replacements, charts=charts,
                  keep_documents=True)
    return UpgradedProject(data, tuple(m.name for m in replacements), tuple(m.name for m in kept),
                           tuple(kept + replacements))


def _read_old(old: bytes, workbook: object) -> VbaProject:
    """The workbook's project, read; WorkbookError when it cannot be, or not carried over."""
    from workbook_tools.xlsx.vba_project import (
        UnsupportedVbaError,
        VbaProjectError,
        VbaTooLargeError,
        read_vba_project,
    )

    try:
        return read_vba_project(old)
    except UnsupportedVbaError as exc:
        raise WorkbookError(workbook, f"has VBA that cannot be carried over into a new project ({exc}); its macros "
                                      "were left alone", EXPORT_FIX) from None
    except VbaTooLargeError as exc:
        raise WorkbookError(workbook, f"has a VBA project too large for this tool ({exc}); its macros were left alone",
                            SHRINK_FIX) from None
    except VbaProjectError as exc:
        raise WorkbookError(workbook, f"has a VBA project this tool cannot read: {exc}; its macros were left alone",
                            "open it in Excel and save it again, so that Excel writes its VBA project anew, then run "
                            f"`{UPGRADE_COMMAND}` again") from None


def _same_module(old: VbaModule, installed: VbaModule) -> bool:
    """Whether the workbook's module ``old`` is a version of ``installed``: the same kind, and
    the same first lines after the Attribute lines (and the options LibreOffice writes in
    their place, `IGNORED_OPENING`), numbers aside (the whole source the same when the
    installed one has no such lines)."""
    import re

    def opening(source: str) -> list[str]:
        lines = [line.rstrip() for line in source.splitlines() if not line.startswith(IGNORED_OPENING)]
        return [re.sub(r"\d+", "0", line) for line in lines[:OPENING_LINES]]

    if old.kind != installed.kind:
        return False
    expected = opening(installed.source)
    return opening(old.source) == expected if any(expected) else old.source == installed.source


def add_macro_parts(wb: Any) -> None:
    """Called by `template.workbook.build_tracker` before it closes an XlsxWriter workbook:
    give the workbook and every sheet a code name, add the VBA project built for them,
    and a Refresh button on Interviews and Calls."""
    import io

    if not str(wb.filename).lower().endswith(".xlsm"):
        raise ValueError(f"{wb.filename}: a workbook with macros must be named .xlsm")
    wb.set_vba_name("ThisWorkbook")
    for ws in wb.worksheets():
        ws.set_vba_name()  # XlsxWriter's default: Sheet1, Sheet2... by position, as Excel names new sheets
    project = tracker_vba_project([ws.vba_codename for ws in wb.worksheets()], wb.vba_codename)
    wb.add_vba_project(io.BytesIO(project), is_stream=True)
    for sheet in BUTTON_SHEETS:
        ws = wb.get_worksheet_by_name(sheet)
        ws.set_row(0, HEADER_ROW_HEIGHT)
        ws.insert_button(0, 0, {"macro": BUTTON_MACRO_REFERENCE, "caption": BUTTON_CAPTION, **BUTTON})


#: A macro a button can run: ``Macro`` or ``Module.Macro``, after any ``[0]!`` or workbook
#: name and ``!`` (Excel's and LibreOffice's spellings of a macro of the workbook itself).
_MACRO_NAME = r"(?:(?P<module>[A-Za-z]\w*)\.)?(?P<macro>[A-Za-z]\w*)"


def macro_definers(reference: str, modules: Sequence[VbaModule]) -> tuple[str, ...] | None:
    """The modules among ``modules`` whose public argument-less Sub is the macro a button
    names with ``reference`` (``[0]!Refresh``, ``WorkbookTools.Refresh``): for a qualified
    name, that module (a standard or document one); for a bare name, every standard module
    that has it (more than one makes it ambiguous to Excel). None when ``reference`` is no
    macro name of this workbook's (empty, another workbook's, or not a name at all)."""
    import re

    if not isinstance(reference, str) or len(reference) > 300:
        return None
    book, bang, name = reference.strip().rpartition("!")
    if bang and re.fullmatch(r"\[\d+\]", book) and book != "[0]":
        return None  # an external workbook's macro
    match = re.fullmatch(_MACRO_NAME, name.strip())
    if match is None:
        return None
    wanted = match["module"]
    found = []
    for module in modules:
        if module.kind == "class" or (wanted is None and module.kind != "standard"):
            continue
        if wanted is not None and module.name.casefold() != wanted.casefold():
            continue
        sub = rf"^[ \t]*(?:Public[ \t]+)?Sub[ \t]+{re.escape(match['macro'])}[ \t]*\([ \t]*\)"
        if re.search(sub, module.source, re.IGNORECASE | re.MULTILINE):
            found.append(module.name)
    return tuple(found)
