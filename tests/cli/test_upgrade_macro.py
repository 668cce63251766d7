"""`workbook-tools upgrade-macro`: an .xlsm tracker's VBA project replaced by one built
from the installed xlwings, every other zip member byte for byte as it was, and the
refusals (exact messages, exit code 1, the file untouched)."""

from __future__ import annotations

import importlib.util
import re
import struct
import zipfile
from pathlib import Path

import olefile
import pytest
from click.testing import CliRunner
from oletools.olevba import VBA_Parser, decompress_stream

from tests.support.vba import olevba_modules
from workbook_tools.cli import main
from workbook_tools.template import vba
from workbook_tools.xlsx import vba_project as vp

pytestmark = pytest.mark.skipif(importlib.util.find_spec("xlwings") is None, reason="xlwings is not installed")
OLD_VERSION = "0.30.0"
CODE_NAMES = [f"Sheet{i}" for i in range(1, 9)]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def old_project() -> bytes:
    """A project like one an older xlwings gave: its module naming another version, and
    document modules for two sheets only."""
    base = vp.read_vba_project(vba.xlwings_vba_project())
    modules = tuple(m._replace(source=re.sub(r"\d+\.\d+\.\d+", OLD_VERSION, m.source)) if m.name == "xlwings" else m
                    for m in base.modules if m.kind != "document")
    return vp.build_vba_project(base._replace(modules=modules), ["Sheet1", "Sheet2"])


def rewrite(path: Path, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> None:
    """Rewrite the zip at ``path`` with some members' bytes replaced, the others kept, and
    the members of ``add`` added at the end."""
    with zipfile.ZipFile(path) as zf:
        members = [(info, replace.get(info.filename, zf.read(info))) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)
        for name, data in (add or {}).items():
            zf.writestr(name, data)


def raw_members(path: Path) -> dict[str, tuple[bytes, int, int]]:
    """Each member's bytes with its CRC and compressed size, in zip order."""
    with zipfile.ZipFile(path) as zf:
        return {i.filename: (zf.read(i), i.CRC, i.compress_size) for i in zf.infolist()}




@pytest.fixture
def old_tracker(tmp_path: Path) -> Path:
    """A tracker made by `new`, with an older xlwings' project in it."""
    path = tmp_path / "tracker.xlsm"
    code, _, err = invoke("new", str(path))
    assert code == 0, err
    rewrite(path, {"xl/vbaProject.bin": old_project()})
    return path


def test_upgrade_replaces_only_the_vba_project(old_tracker):
    before = raw_members(old_tracker)
    code, out, err = invoke("upgrade-macro", str(old_tracker))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{old_tracker}: VBA project rebuilt from xlwings {vba.xlwings_version()}, with a module for the workbook and "
        "8 sheets; nothing else in the file changed.",
        f"{old_tracker}: modules upgraded to the installed versions: Module1, xlwings, Dictionary, WorkbookTools.",
        f"{old_tracker}: modules kept as they were: ThisWorkbook, Sheet1, Sheet2.",
    ]
    after = raw_members(old_tracker)
    assert list(after) == list(before)
    assert [name for name in before if after[name] != before[name]] == ["xl/vbaProject.bin"]
    # the project is the one `new` builds today
    fresh = old_tracker.with_name("fresh.xlsm")
    assert invoke("new", str(fresh))[0] == 0
    assert after["xl/vbaProject.bin"][0] == raw_members(fresh)["xl/vbaProject.bin"][0]
    modules = olevba_modules(after["xl/vbaProject.bin"][0])
    assert OLD_VERSION not in modules["xlwings"] and f'"{vba.xlwings_version()}"' in modules["xlwings"]


def test_the_button_names_a_macro_of_the_new_project_and_every_code_name_has_its_module(old_tracker):
    assert invoke("upgrade-macro", str(old_tracker))[0] == 0
    with zipfile.ZipFile(old_tracker) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    macros = {m for name, data in parts.items() if name.endswith(".vml")
              for m in re.findall(rb"<x:FmlaMacro>\[0\]!([\w.]+)</x:FmlaMacro>", data)}
    assert macros == {f"{vba.REFRESH_MODULE}.{vba.BUTTON_MACRO}".encode()}
    modules = olevba_modules(parts["xl/vbaProject.bin"])
    defining = [name for name, code in modules.items()
                if re.search(rf"^(Public )?Sub {vba.BUTTON_MACRO}\(\)", code, re.M)]
    assert defining == [vba.REFRESH_MODULE]
    sheet_code_names = [re.search(rb'<sheetPr codeName="(\w+)"', data).group(1).decode()
                        for name, data in sorted(parts.items()) if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name)]
    workbook_code_name = re.search(rb'<workbookPr codeName="(\w+)"', parts["xl/workbook.xml"]).group(1).decode()
    assert sorted(sheet_code_names) == sorted(CODE_NAMES) and workbook_code_name == "ThisWorkbook"
    with olefile.OleFileIO(parts["xl/vbaProject.bin"]) as ole:
        project = ole.openstream("PROJECT").read().decode("cp1252")
        for name in [workbook_code_name, *sheet_code_names]:
            assert ole.exists(f"VBA/{name}") and f"\r\nDocument={name}/&H00000000\r\n" in project, name


def test_a_sheet_without_a_code_name_gets_no_module_and_is_named(old_tracker):
    with zipfile.ZipFile(old_tracker) as zf:
        sheet = zf.read("xl/worksheets/sheet3.xml")
    rewrite(old_tracker, {"xl/worksheets/sheet3.xml": sheet.replace(b' codeName="Sheet3"', b"")})
    before = raw_members(old_tracker)
    code, out, err = invoke("upgrade-macro", str(old_tracker))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{old_tracker}: VBA project rebuilt from xlwings {vba.xlwings_version()}, with a module for the workbook "
        "and 7 sheets; nothing else in the file changed.",
        f"{old_tracker}: modules upgraded to the installed versions: Module1, xlwings, Dictionary, WorkbookTools.",
        f"{old_tracker}: modules kept as they were: ThisWorkbook, Sheet1, Sheet2.",
        f"{old_tracker}: no code name in the file for 'Contacts' (LibreOffice leaves them out when it saves; a sheet "
        "neither a worksheet nor a chart sheet has none), so no document module was made or matched for them; Excel "
        "gives them code names when it opens the workbook. Fix: save it once from Excel, then run "
        "`workbook-tools upgrade-macro` again.",
    ]
    after = raw_members(old_tracker)
    assert [name for name in before if after[name] != before[name]] == ["xl/vbaProject.bin"]
    modules = olevba_modules(after["xl/vbaProject.bin"][0])
    assert "Sheet3" not in modules and "Sheet4" in modules


def not_a_tracker(path: Path) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Budget").write_string(0, 0, "Item")
    wb.add_vba_project(__import__("io").BytesIO(vba.xlwings_vba_project()), is_stream=True)
    wb.close()
    return path


def refusal_cases(tmp_path: Path, old: Path) -> dict[str, tuple[Path, str]]:
    xlsx = tmp_path / "plain.xlsx"
    assert invoke("new", str(xlsx))[0] == 0
    no_vba = tmp_path / "novba.xlsm"
    no_vba.write_bytes(xlsx.read_bytes())
    damaged = tmp_path / "damaged.xlsm"
    damaged.write_bytes(old.read_bytes()[:4000])
    read_only = tmp_path / "readonly.xlsm"
    read_only.write_bytes(old.read_bytes())
    read_only.chmod(0o444)
    in_excel = tmp_path / "inexcel.xlsm"
    in_excel.write_bytes(old.read_bytes())
    (tmp_path / "~$inexcel.xlsm").write_bytes(b"")
    in_lo = tmp_path / "inlo.xlsm"
    in_lo.write_bytes(old.read_bytes())
    (tmp_path / ".~lock.inlo.xlsm#").write_bytes(b"")
    bad_code = tmp_path / "badcode.xlsm"
    bad_code.write_bytes(old.read_bytes())
    with zipfile.ZipFile(bad_code) as zf:
        sheet = zf.read("xl/worksheets/sheet2.xml")
    rewrite(bad_code, {"xl/worksheets/sheet2.xml": sheet.replace(b'codeName="Sheet2"', b'codeName="Sheet1"')})
    repair = "open it in Excel, let Excel repair it, and save it again as an Excel Macro-Enabled Workbook (.xlsm)"
    return {
        "xlsx": (xlsx, f"{xlsx}: is not a macro-enabled workbook (.xlsm), so it has no macros to upgrade. "
                       "Fix: name the .xlsm tracker whose Refresh button to upgrade"),
        "missing": (tmp_path / "missing.xlsm", f"{tmp_path / 'missing.xlsm'}: does not exist. "
                                                "Fix: check the file name and folder"),
        "no vba": (no_vba, f"{no_vba}: has no VBA project (xl/vbaProject.bin), so no macros to upgrade. "
                           "Fix: make a tracker with a Refresh button with `workbook-tools new NAME.xlsm`"),
        "not a tracker": (not_a_tracker(tmp_path / "budget.xlsm"),
                          f"{tmp_path / 'budget.xlsm'}: is not a tracker (no Interviews sheet with the Company and "
                          "Event Date headers); its macros were left alone. "
                          "Fix: name a tracker made by `workbook-tools new`"),
        "damaged": (damaged, f"{damaged}: is damaged: it is not a readable zip file, as every .xlsm is. "
                             f"Fix: {repair}"),
        "read-only": (read_only, f"{read_only}: is read-only; its macros were not upgraded. Fix: make it writable "
                                 "(clear Read-only in its properties, or chmod u+w), then run the command again"),
        "in Excel": (in_excel, f"{in_excel}: is open in Excel (owner file ~$inexcel.xlsm). "
                               "Fix: close it there first, then run the command again"),
        "in LibreOffice": (in_lo, f"{in_lo}: is open in LibreOffice (lock file .~lock.inlo.xlsm#). "
                                  "Fix: close it there first, then run the command again"),
        "code names clash": (bad_code, f"{bad_code}: cannot be given a VBA project (two modules would be named "
                                       "'Sheet1'). Fix: in Excel's VBA editor, give each sheet a (Name) of its own, "
                                       "of letters, digits and underscores, other than those of xlwings' modules "
                                       "and WorkbookTools"),
    }


@pytest.mark.parametrize("case", ["xlsx", "missing", "no vba", "not a tracker", "damaged", "read-only", "in Excel",
                                  "in LibreOffice", "code names clash"])
def test_refusals_say_why_and_leave_the_file_alone(tmp_path, old_tracker, case):
    path, message = refusal_cases(tmp_path, old_tracker)[case]
    before = path.read_bytes() if path.exists() else None
    code, out, err = invoke("upgrade-macro", str(path))
    assert (code, out, err) == (1, "", message + "\n")
    assert (path.read_bytes() if path.exists() else None) == before
    assert not [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp") or ".workbook-tools.lock" in p.name]


def test_an_invalid_code_name_is_refused_naming_it(old_tracker):
    with zipfile.ZipFile(old_tracker) as zf:
        sheet = zf.read("xl/worksheets/sheet2.xml")
    rewrite(old_tracker, {"xl/worksheets/sheet2.xml": sheet.replace(b'codeName="Sheet2"', b'codeName="2 bad"')})
    before = old_tracker.read_bytes()
    code, out, err = invoke("upgrade-macro", str(old_tracker))
    assert (code, out) == (1, "")
    assert err == (f"{old_tracker}: a sheet has the code name '2 bad', which cannot name a VBA module. Fix: in "
                   "Excel's VBA editor, give it a (Name) of letters, digits and underscores, starting with a letter\n")
    assert old_tracker.read_bytes() == before


@pytest.mark.parametrize("name", [
    "../../etc/passwd.xlsm",
    "x" * 300 + ".xlsm",
    "nul\x00byte.xlsm",
    "-.xlsm",
    "tracker.XLSM",
    " .xlsm",
    "tracker",
])
def test_any_path_gets_a_message_and_exit_1_never_a_traceback(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("upgrade-macro", "--", name)
    assert code == 1 and out == "" and err.count("\n") == 1 and "Fix: " in err


def test_the_command_is_listed_in_the_help():
    code, out, _ = invoke("--help")
    assert code == 0 and "upgrade-macro" in out


# --- The user's VBA ---------------------------------------------------------------------------

SHEET1_HANDLER = vp.document_module("Sheet1").source + (
    "Private Sub Worksheet_Change(ByVal Target As Range)\r\n"
    "    If Target.Column = 2 Then Target.Offset(0, 1).Value = Now ' stamped: caf\u00e9\r\n"
    "End Sub\r\n")
WORKBOOK_HANDLER = vp.document_module("ThisWorkbook", "workbook").source + (
    "Private Sub Workbook_Open()\r\n    Sheets(\"Interviews\").Activate\r\nEnd Sub\r\n")
USER_MODULE = vp.VbaModule("MyMacros", "standard", 'Attribute VB_Name = "MyMacros"\r\nOption Explicit\r\n\r\n'
                           'Public Sub Greet()\r\n    MsgBox "Bonne chance, \u00e9quipe"\r\nEnd Sub\r\n',
                           doc_string="My own macros", help_context=7, private=True)
USER_CLASS = vp.VbaModule("Contact", "class", "\r\n".join([
    'Attribute VB_Name = "Contact"', 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"',
    "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False", "Attribute VB_PredeclaredId = False",
    "Attribute VB_Exposed = False", "Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = False",
    "Public Name As String", "Public Phone As String", ""]), read_only=True)


def project_with(*user: vp.VbaModule, documents: tuple[vp.VbaModule, ...] = ()) -> bytes:
    """An older xlwings' project (see `old_project`) with the user's ``documents`` (the
    others empty) and modules."""
    base = vp.read_vba_project(old_project())
    modules = tuple(m for m in base.modules if m.kind != "document") + user
    return vp.build_vba_project(base._replace(modules=documents + modules), ["Sheet1", "Sheet2"], keep_documents=True)


def module_bytes(project: bytes) -> dict[str, bytes]:
    """Each module's source bytes as stored, read with olefile and olevba's decompression
    (not ours), the dir stream's offsets as olevba finds them."""
    parser = VBA_Parser("vbaProject.bin", data=project)
    try:
        streams = {Path(name).stem: path for _, path, name, _ in parser.extract_macros()}
    finally:
        parser.close()
    out = {}
    with olefile.OleFileIO(project) as ole:
        for name, path in streams.items():
            raw = ole.openstream(path).read()
            out[name] = bytes(decompress_stream(bytearray(raw[raw.index(b"\x01"):])))  # our offset is 0
    return out


@pytest.fixture
def users_tracker(tmp_path: Path) -> Path:
    path = tmp_path / "mine.xlsm"
    assert invoke("new", str(path))[0] == 0
    project = project_with(USER_MODULE, USER_CLASS, documents=(
        vp.VbaModule("ThisWorkbook", "document", WORKBOOK_HANDLER), vp.VbaModule("Sheet1", "document", SHEET1_HANDLER)))
    rewrite(path, {"xl/vbaProject.bin": project})
    return path


def test_the_users_modules_and_event_handlers_are_kept_byte_for_byte(users_tracker):
    before = raw_members(users_tracker)
    code, out, err = invoke("upgrade-macro", str(users_tracker))
    assert (code, err) == (0, "")
    assert out.splitlines()[1:] == [
        f"{users_tracker}: modules upgraded to the installed versions: Module1, xlwings, Dictionary, WorkbookTools.",
        f"{users_tracker}: modules kept as they were: ThisWorkbook, Sheet1, Sheet2, MyMacros, Contact.",
    ]
    after = raw_members(users_tracker)
    assert [name for name in before if after[name] != before[name]] == ["xl/vbaProject.bin"]
    project = after["xl/vbaProject.bin"][0]
    stored = module_bytes(project)
    assert stored["Sheet1"] == SHEET1_HANDLER.encode("cp1252")
    assert stored["ThisWorkbook"] == WORKBOOK_HANDLER.encode("cp1252")
    assert stored["MyMacros"] == USER_MODULE.source.encode("cp1252")
    assert stored["Contact"] == USER_CLASS.source.encode("cp1252")
    installed = {m.name: m for m in vp.read_vba_project(vba.xlwings_vba_project()).modules}
    for name in ("Module1", "xlwings", "Dictionary"):
        assert stored[name] == installed[name].source.encode("cp1252"), name
    assert stored[vba.REFRESH_MODULE] == vba.REFRESH_SOURCE.encode("cp1252")
    assert OLD_VERSION.encode() not in stored["xlwings"]
    for name in CODE_NAMES[2:]:  # the code names the old project had no module for
        assert stored[name] == vp.document_module(name).source.encode("cp1252"), name
    # flags, doc strings and kinds, as our reader reads them
    modules = {m.name: m for m in vp.read_vba_project(project).modules}
    assert (modules["MyMacros"], modules["Contact"]) == (USER_MODULE, USER_CLASS)
    with olefile.OleFileIO(project) as ole:
        text = ole.openstream("PROJECT").read().decode("cp1252")
    assert "\r\nModule=MyMacros\r\n" in text and "\r\nClass=Contact\r\n" in text


def test_an_upgraded_project_upgrades_again_to_the_same_bytes(users_tracker):
    assert invoke("upgrade-macro", str(users_tracker))[0] == 0
    once = users_tracker.read_bytes()
    code, out, _ = invoke("upgrade-macro", str(users_tracker))
    assert code == 0 and f"kept as they were: ThisWorkbook, Sheet1, Sheet2, {', '.join(CODE_NAMES[2:])}, " in out
    assert users_tracker.read_bytes() == once


def with_form(project: bytes) -> bytes:
    """``project`` with a UserForm: its line in the PROJECT stream and its designer storage."""
    with olefile.OleFileIO(project) as ole:
        streams = {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    text = streams["PROJECT"].decode("cp1252")
    streams["PROJECT"] = text.replace("\r\n", "\r\nPackage={AC9F2F90-E877-11CE-9F68-00AA00574A4F}\r\n"
                                              "BaseClass=UserForm1\r\n", 1).encode("cp1252")
    streams["UserForm1/f"], streams["UserForm1/o"] = b"\x00" * 40, b""
    return vp.compound_file(streams)


def signature_rels(target: str, kind: str = "vbaProjectSignature") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.microsoft.'
            f'com/office/2006/relationships/{kind}" Target="{target}"/></Relationships>').encode()


def with_unknown_reference(project: bytes) -> bytes:
    base = vp.read_vba_project(project)
    unknown = struct.pack("<HI", 0x16, 4) + b"Odd!" + struct.pack("<HI", 0x77, 2) + b"??"
    return vp.build_vba_project(base._replace(information=base.information + unknown), ["Sheet1"],
                                keep_documents=True)


def user_named_like(name: str, kind: str = "standard") -> bytes:
    """An old project whose module ``name`` (xlwings' or ours) is one of the user's own."""
    base = vp.read_vba_project(old_project())
    mine = vp.VbaModule(name, kind, f'Attribute VB_Name = "{name}"\r\nSub Mine()\r\nEnd Sub\r\n')
    modules = [m for m in base.modules if m.name != name] + [mine]
    return vp.build_vba_project(base._replace(modules=tuple(modules)), ["Sheet1", "Sheet2"], keep_documents=True)


SIGNATURE_FIX = ("Fix: remove the signature in Excel's VBA editor (Tools > Digital Signature > Remove) and save, run "
                 "`workbook-tools upgrade-macro` again, then sign the project again")
EXPORT = ("Fix: in Excel's VBA editor, export those modules (File > Export File) and remove them, run "
          "`workbook-tools upgrade-macro` again, then import them back (File > Import File)")


def rename_fix(name: str) -> str:
    return (f"Fix: in Excel's VBA editor, rename your module {name} (its (Name) in the Properties window), then run "
            "`workbook-tools upgrade-macro` again")


def vba_refusals() -> dict[str, tuple[dict[str, bytes], dict[str, bytes], str]]:
    """Each case: the members replaced, the members added, and the message."""
    signed = ("a new project would no longer match its signature, so its macros were left alone. "
              + SIGNATURE_FIX)
    return {
        "form": (
            {"xl/vbaProject.bin": with_form(project_with(USER_MODULE))}, {},
            "has VBA that cannot be carried over into a new project (the project holds 'UserForm1', a form's "
            "designer or the licences of ActiveX controls, which cannot be carried over); its macros were left "
            f"alone. {EXPORT}"),
        "unreadable project": (
            {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really"}, {},
            "has a VBA project this tool cannot read: not a VBA project that can be read (not an OLE2 structured "
            "storage file); its macros were left alone. Fix: open it in Excel and save it again, so that Excel "
            "writes its VBA project anew, then run `workbook-tools upgrade-macro` again"),
        "unknown reference": (
            {"xl/vbaProject.bin": with_unknown_reference(project_with(USER_MODULE))}, {},
            "has a VBA project that cannot be carried over (the project's references hold a record this tool does "
            "not know (0x0077), so they cannot be carried over); its macros were left alone. Fix: in Excel's VBA "
            "editor, remove that reference (Tools > References), run `workbook-tools upgrade-macro` again, then add "
            "it back"),
        "signed": (
            {}, {"xl/vbaProjectSignature.bin": b"signature",
                 "xl/_rels/vbaProject.bin.rels": signature_rels("vbaProjectSignature.bin")},
            f"has a digitally signed VBA project (xl/vbaProjectSignature.bin); {signed}"),
        "signed (agile, named oddly)": (
            {}, {"xl/sig/agile.bin": b"signature",
                 "xl/_rels/vbaProject.bin.rels": signature_rels("sig/agile.bin", "vbaProjectSignatureAgile")},
            f"has a digitally signed VBA project (xl/sig/agile.bin); {signed}"),
        "signed (V3, no relationship)": (
            {}, {"xl/vbaProjectSignatureV3.bin": b"signature"},
            f"has a digitally signed VBA project (xl/vbaProjectSignatureV3.bin); {signed}"),
        **{case: ({"xl/vbaProject.bin": user_named_like(name, kind)}, {},
                  f"has a VBA module of its own named {name!r}, like {whose} module, which the upgrade would "
                  f"replace; its macros were left alone. {rename_fix(name)}")
           for case, name, kind, whose in [
               ("user's Module1", "Module1", "standard", "xlwings'"),
               ("user's xlwings", "xlwings", "standard", "xlwings'"),
               ("user's xlwings, a class", "xlwings", "class", "xlwings'"),
               ("user's Dictionary, a standard module", "Dictionary", "standard", "xlwings'"),
               ("user's WorkbookTools", "WORKBOOKTOOLS", "standard", "workbook-tools'"),
           ]},
    }


@pytest.mark.parametrize("case", ["form", "unreadable project", "unknown reference", "signed",
                                  "signed (agile, named oddly)", "signed (V3, no relationship)", "user's Module1",
                                  "user's xlwings", "user's xlwings, a class", "user's Dictionary, a standard module",
                                  "user's WorkbookTools"])
def test_vba_that_cannot_be_carried_over_is_refused_and_the_file_left_alone(old_tracker, case):
    replace, add, message = vba_refusals()[case]
    rewrite(old_tracker, replace, add)
    before = old_tracker.read_bytes()
    code, out, err = invoke("upgrade-macro", str(old_tracker))
    assert (code, out, err) == (1, "", f"{old_tracker}: {message}\n")
    assert old_tracker.read_bytes() == before
    assert not [p.name for p in old_tracker.parent.iterdir() if p.name.endswith(".tmp")]


def with_chart_sheet(path: Path, code_name: str | None) -> None:
    """Add a chart sheet (code name ``code_name``) to the tracker at ``path``."""
    with zipfile.ZipFile(path) as zf:
        workbook, rels, types = (zf.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                                      "[Content_Types].xml"))
    pr = f'<sheetPr codeName="{code_name}"/>' if code_name else "<sheetPr/>"
    chart = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<chartsheet xmlns="http://schemas.'
             f'openxmlformats.org/spreadsheetml/2006/main">{pr}<sheetViews><sheetView workbookViewId="0"/>'
             '</sheetViews></chartsheet>').encode()
    rewrite(path, {
        "xl/workbook.xml": workbook.replace(b"</sheets>",
                                            b'<sheet name="Chart" sheetId="99" r:id="rIdChart"/></sheets>'),
        "xl/_rels/workbook.xml.rels": rels.replace(b"</Relationships>", b'<Relationship Id="rIdChart" Type="http://'
                                                   b'schemas.openxmlformats.org/officeDocument/2006/relationships/'
                                                   b'chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>'),
        "[Content_Types].xml": types.replace(b"</Types>", b'<Override PartName="/xl/chartsheets/sheet1.xml" '
                                             b'ContentType="application/vnd.openxmlformats-officedocument.'
                                             b'spreadsheetml.chartsheet+xml"/></Types>'),
    }, {"xl/chartsheets/sheet1.xml": chart})


@pytest.mark.parametrize("code_name", ["Chart1", None])
def test_a_chart_sheet_gets_the_document_module_of_a_chart(old_tracker, code_name):
    with_chart_sheet(old_tracker, code_name)
    code, out, err = invoke("upgrade-macro", str(old_tracker))
    assert (code, err) == (0, "")
    sheets = 9 if code_name else 8
    assert f"with a module for the workbook and {sheets} sheets;" in out
    assert ("no code name in the file for 'Chart'" in out) is (code_name is None)
    with zipfile.ZipFile(old_tracker) as zf:
        modules = olevba_modules(zf.read("xl/vbaProject.bin"))
    if code_name:
        assert modules[code_name] == vp.document_module(code_name, "chart").source
        assert 'Attribute VB_Base = "0{00020821-0000-0000-C000-000000000046}"\r\n' in modules[code_name]
    assert sorted(name for name in modules if name.startswith("Chart")) == ([code_name] if code_name else [])


@pytest.mark.parametrize("cut", [0, 8, 512, 1536, 4000, 20_000, -1])
def test_a_damaged_project_is_refused_with_a_message_never_a_traceback(old_tracker, cut):
    with zipfile.ZipFile(old_tracker) as zf:
        project = zf.read("xl/vbaProject.bin")
    rewrite(old_tracker, {"xl/vbaProject.bin": project[:cut]})
    before = old_tracker.read_bytes()
    code, out, err = invoke("upgrade-macro", str(old_tracker))
    assert (code, out) == (1, "") and err.startswith(f"{old_tracker}: has a VBA project this tool cannot read: ")
    assert err.count("\n") == 1 and old_tracker.read_bytes() == before


# --- A project already up to date, hostile and oversized projects ---------------------------

def test_a_project_already_up_to_date_is_said_so_and_the_file_not_rewritten(tmp_path):
    path = tmp_path / "fresh.xlsm"
    assert invoke("new", str(path))[0] == 0
    before, inode = path.read_bytes(), path.stat().st_ino
    code, out, err = invoke("upgrade-macro", str(path))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (f"{path}: VBA project already the one xlwings {vba.xlwings_version()} builds, with "
                                   "a module for the workbook and 8 sheets; the file was left as it was.")
    assert path.read_bytes() == before and path.stat().st_ino == inode


def one_stream_for_many(project: bytes, count: int) -> bytes:
    """``project`` with its dir stream listing ``count`` modules, all stored in the stream of
    its module Module1 (the hostile project a tester made)."""
    with olefile.OleFileIO(project) as ole:
        streams = {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    dir_bytes = vp.decompress(streams["VBA/dir"])
    first = dir_bytes.index(struct.pack("<HI", 0x19, 7) + b"Module1")
    end = dir_bytes.index(struct.pack("<HI", 0x2B, 0), first) + 6
    block = dir_bytes[first:end]
    names = [f"M{i:04}".encode() for i in range(count)]
    modules = b"".join(block.replace(struct.pack("<HI", 0x19, 7) + b"Module1", struct.pack("<HI", 0x19, 5) + name)
                       .replace(struct.pack("<HI", 0x47, 14) + "Module1".encode("utf-16-le"),
                                struct.pack("<HI", 0x47, 10) + name.decode().encode("utf-16-le"))
                       for name in names)
    start = dir_bytes.index(struct.pack("<HI", 0x0F, 2))
    header = dir_bytes[:start] + struct.pack("<HIH", 0x0F, 2, count) + struct.pack("<HIH", 0x13, 2, 0xFFFF)
    streams["VBA/dir"] = vp.compress(header + modules + struct.pack("<HI", 0x10, 0) + b"\0" * 4)
    return vp.compound_file(streams)


def test_a_project_whose_modules_share_one_stream_is_refused_as_damaged_at_once(old_tracker):
    with zipfile.ZipFile(old_tracker) as zf:
        project = zf.read("xl/vbaProject.bin")
    rewrite(old_tracker, {"xl/vbaProject.bin": one_stream_for_many(project, 2000)})
    before = old_tracker.read_bytes()
    code, out, err = invoke("upgrade-macro", str(old_tracker))
    assert (code, out) == (1, "")
    assert err == (f"{old_tracker}: has a VBA project this tool cannot read: the project is damaged: its modules "
                   "'M0000' and 'M0001' are both stored in the stream 'Module1'; its macros were left alone. Fix: "
                   "open it in Excel and save it again, so that Excel writes its VBA project anew, then run "
                   "`workbook-tools upgrade-macro` again\n")
    assert old_tracker.read_bytes() == before


SHRINK = ("Fix: in Excel's VBA editor, export the modules you can do without (File > Export File) and remove them, or "
          "move them into an add-in, then run `workbook-tools upgrade-macro` again")


BIG_MODULE = vp.VbaModule("Big", "standard", 'Attribute VB_Name = "Big"\r\n' + "' a long comment\r\n" * 20_000)


@pytest.mark.parametrize(("limit", "value", "says"), [
    ("MAX_MODULES", 10, "its dir stream lists 11 modules, more than the 10 this tool reads"),
    ("MAX_SOURCE_BYTES", 2**20, "its modules' source holds more than 1.0 MB, more than this tool reads"),
])
def test_a_project_over_the_reading_limits_is_refused_with_the_fix_that_fits(old_tracker, monkeypatch, limit, value,
                                                                            says):
    users = [USER_MODULE] * 5 if limit == "MAX_MODULES" else [BIG_MODULE] * 3  # 6 of the old project's, and these
    rewrite(old_tracker, {"xl/vbaProject.bin": project_with(*[m._replace(name=f"Mine{i}") for i, m in
                                                                enumerate(users)])})
    monkeypatch.setattr(vp, limit, value)  # above what xlwings' own project holds (6 modules, 62 kB)
    code, out, err = invoke("upgrade-macro", str(old_tracker))
    assert (code, out) == (1, "")
    assert err == (f"{old_tracker}: has a VBA project too large for this tool ({says}); its macros were left alone. "
                   f"{SHRINK}\n")


def test_a_project_too_large_for_a_compound_file_names_its_size_and_the_fix_that_fits(old_tracker, monkeypatch):
    def too_large(*args, **kwargs):
        return vp.compound_file({"VBA/big": b"\0" * (8 * 2**20)})

    monkeypatch.setattr(vp, "build_vba_project", too_large)
    code, out, err = invoke("upgrade-macro", str(old_tracker))
    assert (code, out) == (1, "")
    assert err == (f"{old_tracker}: cannot be given a VBA project (the project would take 8.0 MB, more than the 6.8 MB "
                   f"a compound file without DIFAT sectors holds); its macros were left alone. {SHRINK}\n")


# --- The buttons' macros ---------------------------------------------------------------------

USERS_REFRESH = vp.VbaModule("MyMacros", "standard", 'Attribute VB_Name = "MyMacros"\r\n'
                             "Public Sub Refresh()\r\n    MsgBox \"mine\"\r\nEnd Sub\r\n")
ASSIGN = ("upgrade-macro leaves the sheets' drawings as they were. Fix: in Excel, right-click the button, choose "
          "Assign Macro, pick WorkbookTools.Refresh and save.")


def with_button_macro(path: Path, macro: str, *user: vp.VbaModule) -> None:
    """The buttons of the tracker at ``path`` made to name ``macro``, as older trackers' did,
    and the user's modules ``user`` added to its older project."""
    with zipfile.ZipFile(path) as zf:
        drawings = {n: zf.read(n) for n in zf.namelist() if n.endswith(".vml")}
    replace = {n: re.sub(rb"<x:FmlaMacro>[^<]*</x:FmlaMacro>", f"<x:FmlaMacro>{macro}</x:FmlaMacro>".encode(), data)
               for n, data in drawings.items()}
    rewrite(path, {**replace, "xl/vbaProject.bin": project_with(*user)})


@pytest.mark.parametrize(("macro", "user", "problem"), [
    ("[0]!WorkbookTools.Refresh", (USERS_REFRESH,), None),  # today's button: never ambiguous
    ("[0]!Refresh", (), None),  # trackers made before: still ours
    ("[0]!SampleCall", (), None),  # xlwings' quickstart macro, in Module1, kept
    ("WorkbookTools.Refresh", (), None),  # as LibreOffice writes it
    ("[0]!Refresh", (USERS_REFRESH,), "which 2 modules define (MyMacros, WorkbookTools): Excel cannot tell which"),
    ("[0]!RefreshAll", (), "which the VBA project does not have"),
    ("[0]!Module9.Refresh", (), "which the VBA project does not have"),
])
def test_a_button_naming_a_macro_the_project_lacks_or_has_twice_is_reported(old_tracker, macro, user, problem):
    with_button_macro(old_tracker, macro, *user)
    code, out, err = invoke("upgrade-macro", str(old_tracker))
    assert (code, err) == (0, "")
    reported = [line for line in out.splitlines() if "the button on" in line]
    expected = [f"{old_tracker}: the button on {sheet!r} runs {macro!r}, {problem}; {ASSIGN}"
                for sheet in ("Interviews", "Calls")] if problem else []
    assert reported == expected


SOURCES = {
    "standard": vp.VbaModule("Tools", "standard", "Sub Go()\r\nEnd Sub\r\nPrivate Sub Hidden()\r\nEnd Sub\r\n"
                             "Public Sub Args(x As Long)\r\nEnd Sub\r\n  public sub lower ( )\r\nend sub\r\n"),
    "other": vp.VbaModule("More", "standard", "Sub Go()\r\nEnd Sub\r\n"),
    "document": vp.VbaModule("Sheet1", "document", "Sub OnSheet()\r\nEnd Sub\r\n"),
    "class": vp.VbaModule("Thing", "class", "Public Sub InClass()\r\nEnd Sub\r\n"),
}


@pytest.mark.parametrize(("reference", "definers"), [
    ("[0]!Go", ("Tools", "More")),
    ("[0]!Tools.Go", ("Tools",)),
    ("'tracker.xlsm'!More.Go", ("More",)),
    ("lower", ("Tools",)),
    ("[0]!Hidden", ()),  # private: no button runs it
    ("[0]!Args", ()),  # takes arguments
    ("[0]!OnSheet", ()),  # a document module's needs its module named
    ("[0]!Sheet1.OnSheet", ("Sheet1",)),
    ("[0]!Thing.InClass", ()),  # a class's never
    ("[0]!Missing.Go", ()),
    ("[1]!Go", None),  # another workbook's
    ("", None),
    ("not a name", None),
    ("../../etc", None),
    ("a\x00b", None),
    ("x" * 100_000, None),
    (None, None),
    (7, None),
])
def test_macro_definers_finds_the_modules_a_button_would_run(reference, definers):
    assert vba.macro_definers(reference, list(SOURCES.values())) == definers
