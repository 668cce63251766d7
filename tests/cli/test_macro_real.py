"""An independent tester's look at the .xlsm and `workbook-tools upgrade-macro`, from
outside: a tracker from `new` checked with oletools' olevba and olefile (every code name
in the sheet XML has its document module, the workbook's too, and the button's macro
exists), then upgraded after the workbook was edited as Excel edits it (a sheet added, a
code name renamed, a sheet deleted, sheets reordered; the project changed to match, with
an event handler in it), and the file-system and hostile cases: a symlink, a hard link,
a read-only folder, NUL bytes and 10,000 characters in the path, an .xlsx renamed .xlsm,
a zip bomb or something else than a compound file as vbaProject.bin. Also LibreOffice
opening the upgraded file headless.

The last tests are the defects the tester found, now fixed: a symlink to a workbook open
in Excel, and a tracker saved by LibreOffice."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import zipfile
from pathlib import Path

import olefile
import pytest
from click.testing import CliRunner

from tests.support.vba import olevba_modules
from workbook_tools.cli import main
from workbook_tools.render import missing_tools, render
from workbook_tools.template import vba
from workbook_tools.xlsx import vba_project as vp

pytestmark = pytest.mark.skipif(importlib.util.find_spec("xlwings") is None, reason="xlwings is not installed")
VBA_PART = "xl/vbaProject.bin"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HANDLER = ("Private Sub Worksheet_Activate()\r\n"
           "    Range(\"A1\").Select ' kept by the upgrade, caf\u00e9\r\n"
           "End Sub\r\n")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def raw_members(path: Path) -> dict[str, tuple[bytes, int, int]]:
    """Each member's bytes, CRC and compressed size, in zip order."""
    with zipfile.ZipFile(path) as zf:
        return {i.filename: (zf.read(i), i.CRC, i.compress_size) for i in zf.infolist()}


def rewrite(path: Path, items: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in items.items():
            zf.writestr(name, data)




def sheet_code_names(parts: dict[str, bytes]) -> list[str]:
    """The code names of the workbook's sheets, in sheet order, from workbook.xml and its rels."""
    rels = dict(re.findall(rb'<Relationship Id="(\w+)" Type="[^"]*/worksheet" Target="([^"]+)"',
                           parts["xl/_rels/workbook.xml.rels"]))
    names = []
    for rid in re.findall(rb'<sheet [^>]*r:id="(\w+)"', parts["xl/workbook.xml"]):
        sheet = parts["xl/" + rels[rid].decode()]
        names.append(re.search(rb'<sheetPr[^>]* codeName="(\w+)"', sheet).group(1).decode())
    return names


def check_consistent(path: Path) -> dict[str, str]:
    """What Excel needs to add nothing on open: a document module for the workbook's code
    name and for every sheet's (read with olevba and olefile), and the button's macro a
    Sub of the project. The modules by name, from olevba."""
    parts = members(path)
    project = parts[VBA_PART]
    modules = olevba_modules(project)
    workbook = re.search(rb'<workbookPr[^>]* codeName="(\w+)"', parts["xl/workbook.xml"]).group(1).decode()
    with olefile.OleFileIO(project) as ole:
        listed = ole.openstream("PROJECT").read().decode("cp1252")
        for name in [workbook, *sheet_code_names(parts)]:
            assert ole.exists(f"VBA/{name}") and f"\r\nDocument={name}/&H00000000\r\n" in listed, name
            assert "Attribute VB_Base = \"0{000208" in modules[name], name
    macros = {m.decode() for name, data in parts.items() if name.endswith(".vml")
              for m in re.findall(rb"<x:FmlaMacro>\[0\]!([\w.]+)</x:FmlaMacro>", data)}
    assert macros == {f"{vba.REFRESH_MODULE}.{vba.BUTTON_MACRO}"}
    defining = [n for n, code in modules.items() if re.search(rf"^(Public )?Sub {vba.BUTTON_MACRO}\(\)", code, re.M)]
    assert defining == [vba.REFRESH_MODULE]
    return modules


def older_project(code_names: list[str], handled: str | None = None) -> bytes:
    """A project as an older xlwings gave it (its version number changed), with a document
    module for the workbook and each of ``code_names``, ``handled``'s holding `HANDLER`."""
    base = vp.read_vba_project(vba.xlwings_vba_project())
    modules = tuple(m._replace(source=re.sub(r"\d+\.\d+\.\d+", "0.30.0", m.source)) if m.name == "xlwings" else m
                    for m in base.modules if m.kind != "document")
    documents = tuple(vp.VbaModule(n, "document", vp.document_module(n).source + (HANDLER if n == handled else ""))
                      for n in code_names)
    return vp.build_vba_project(base._replace(modules=documents + modules), code_names, keep_documents=True)


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    path = tmp_path / "tracker.xlsm"
    code, _, err = invoke("new", str(path))
    assert code == 0, err
    return path


def test_a_new_tracker_has_a_module_for_every_code_name_and_the_buttons_macro(tracker: Path) -> None:
    modules = check_consistent(tracker)
    assert sorted(m for m in modules if m.startswith("Sheet")) == [f"Sheet{i}" for i in range(1, 9)]
    assert vba.UPGRADE_COMMAND in modules[vba.REFRESH_MODULE]


# --- the workbook edited as Excel edits it, then upgraded ------------------------------------

EIGHT = [f"Sheet{i}" for i in range(1, 9)]


def added_sheet(parts: dict[str, bytes]) -> tuple[list[str], str]:
    parts["xl/worksheets/sheet9.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main"><sheetPr codeName="Sheet9"/><dimension ref="A1"/><sheetData/></worksheet>')
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>", b'<sheet name="My Notes" sheetId="9" r:id="rId99"/></sheets>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rId99" Type="{REL_NS}/worksheet" '
                             'Target="worksheets/sheet9.xml"/></Relationships>'.encode())
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/worksheets/sheet9.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.worksheet+xml"/></Types>')
    return [*EIGHT, "Sheet9"], "Sheet9"


def renamed_code_name(parts: dict[str, bytes]) -> tuple[list[str], str]:
    sheet = "xl/worksheets/sheet3.xml"
    parts[sheet] = parts[sheet].replace(b'codeName="Sheet3"', b'codeName="ContactList"')
    return [n if n != "Sheet3" else "ContactList" for n in EIGHT], "ContactList"


def deleted_sheet(parts: dict[str, bytes]) -> tuple[list[str], str]:
    """The Guide (Sheet7) deleted: its <sheet>, relationship, part, content type and names."""
    workbook = parts["xl/workbook.xml"]
    workbook = re.sub(rb'<sheet name="Guide" [^>]*/>', b"", workbook)
    workbook = re.sub(rb'<definedName [^>]*localSheetId="6"[^>]*>[^<]*</definedName>', b"", workbook)
    parts["xl/workbook.xml"] = workbook.replace(b'localSheetId="7"', b'localSheetId="6"')
    rels = parts["xl/_rels/workbook.xml.rels"]
    rid = re.search(rb'<Relationship Id="(\w+)" [^>]*Target="worksheets/sheet7.xml"', rels).group(1)
    parts["xl/_rels/workbook.xml.rels"] = re.sub(rb'<Relationship Id="' + rid + rb'" [^>]*/>', b"", rels)
    parts["[Content_Types].xml"] = re.sub(rb'<Override PartName="/xl/worksheets/sheet7.xml"[^>]*/>', b"",
                                          parts["[Content_Types].xml"])
    del parts["xl/worksheets/sheet7.xml"]
    return [n for n in EIGHT if n != "Sheet7"], "Sheet2"


def reordered_sheets(parts: dict[str, bytes]) -> tuple[list[str], str]:
    """Contacts dragged before Calls."""
    workbook = parts["xl/workbook.xml"]
    calls = re.search(rb'<sheet name="Calls" [^>]*/>', workbook).group(0)
    contacts = re.search(rb'<sheet name="Contacts" [^>]*/>', workbook).group(0)
    parts["xl/workbook.xml"] = workbook.replace(calls + contacts, contacts + calls)
    assert parts["xl/workbook.xml"] != workbook
    return ["Sheet1", "Sheet3", "Sheet2", *EIGHT[3:]], "Sheet3"


EDITS = {"sheet added": added_sheet, "code name renamed": renamed_code_name, "sheet deleted": deleted_sheet,
         "sheets reordered": reordered_sheets}


@pytest.mark.parametrize("edit", list(EDITS))
def test_after_excels_edits_the_upgrade_keeps_handlers_and_every_other_member(tracker: Path, edit: str) -> None:
    parts = members(tracker)
    code_names, handled = EDITS[edit](parts)
    parts[VBA_PART] = older_project(code_names, handled)
    rewrite(tracker, parts)
    before = raw_members(tracker)
    code, out, err = invoke("upgrade-macro", str(tracker))
    assert (code, err) == (0, "")
    assert f"with a module for the workbook and {len(code_names)} sheets;" in out
    after = raw_members(tracker)
    assert list(after) == list(before)
    assert [name for name in before if after[name] != before[name]] == [VBA_PART]
    modules = check_consistent(tracker)
    assert modules[handled].endswith(HANDLER)
    assert "0.30.0" not in modules["xlwings"] and f"'Version: {vba.xlwings_version()}" in modules["xlwings"]
    assert sorted(n for n, m in modules.items() if "VB_Base = \"0{00020820" in m) == sorted(code_names)
    once = tracker.read_bytes()
    assert invoke("upgrade-macro", str(tracker))[0] == 0
    assert tracker.read_bytes() == once


# --- where the file is, and what it is -------------------------------------------------------


def old_tracker(tracker: Path) -> Path:
    parts = members(tracker)
    parts[VBA_PART] = older_project(EIGHT)
    rewrite(tracker, parts)
    return tracker


def test_a_symlink_is_upgraded_through_to_its_target_and_stays_a_link(tracker: Path, tmp_path: Path) -> None:
    target = old_tracker(tracker)
    link = tmp_path / "elsewhere" / "mine.xlsm"
    link.parent.mkdir()
    link.symlink_to(target)
    before = raw_members(target)
    code, _, err = invoke("upgrade-macro", str(link))
    assert (code, err) == (0, "") and link.is_symlink() and link.resolve() == target.resolve()
    after = raw_members(target)
    assert [name for name in before if after[name] != before[name]] == [VBA_PART]


def refusal(tmp_path: Path, tracker: Path, case: str) -> Path:
    """The file for each refusal case, made from an older tracker."""
    old_tracker(tracker)
    if case == "hard link":
        os.link(tracker, tmp_path / "second-name.xlsm")
        return tracker
    if case == "read-only folder":
        folder = tmp_path / "locked"
        folder.mkdir()
        moved = folder / "tracker.xlsm"
        shutil.move(tracker, moved)
        folder.chmod(0o555)
        return moved
    if case == "xlsx renamed":
        plain = tmp_path / "plain.xlsx"
        assert invoke("new", str(plain))[0] == 0
        return plain.rename(tmp_path / "plain.xlsm")
    parts = members(tracker)
    parts[VBA_PART] = {"zip bomb": b"\0" * (300 * 2**20), "not a compound file": b"Sub Refresh()\r\nEnd Sub\r\n",
                       "empty project": b"", "a zip as project": (tracker.read_bytes())}[case]
    rewrite(tracker, parts)
    return tracker


@pytest.mark.parametrize(("case", "says"), [
    ("hard link", "has 2 hard links"),
    ("read-only folder", "is read-only"),
    ("xlsx renamed", "has no VBA project (xl/vbaProject.bin)"),
    ("zip bomb", "part xl/vbaProject.bin inflates"),
    ("not a compound file", "has a VBA project this tool cannot read"),
    ("empty project", "has a VBA project this tool cannot read"),
    ("a zip as project", "has a VBA project this tool cannot read"),
])
def test_each_refusal_names_the_file_what_and_the_fix_and_changes_nothing(tmp_path: Path, tracker: Path, case: str,
                                                                          says: str) -> None:
    path = refusal(tmp_path, tracker, case)
    before = path.read_bytes()
    try:
        code, out, err = invoke("upgrade-macro", str(path))
        assert (code, out) == (1, "") and err.startswith(f"{path}: ") and says in err
        assert err.count("\n") == 1 and ". Fix: " in err
        assert path.read_bytes() == before
        assert not [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp") or "workbook-tools.lock" in p.name]
    finally:
        path.parent.chmod(0o755)


@pytest.mark.parametrize("name", ["a\x00b.xlsm", "x" * 10_000 + ".xlsm", "/".join(["y" * 200] * 50) + ".xlsm",
                                  "tracker.xlsm/inner.xlsm", "../../etc/passwd.xlsm"])
def test_any_path_is_one_line_and_exit_1(tmp_path: Path, tracker: Path, monkeypatch: pytest.MonkeyPatch,
                                         name: str) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("upgrade-macro", "--", name)
    assert (code, out) == (1, "") and err.count("\n") == 1 and ". Fix: " in err and "Traceback" not in err


@pytest.mark.skipif(bool(missing_tools(png=False)), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_upgraded_file_without_complaint(tmp_path: Path, tracker: Path) -> None:
    old_tracker(tracker)
    assert invoke("upgrade-macro", str(tracker))[0] == 0
    rendered = render(tracker, tmp_path / "render", png=False)
    assert rendered.pdf.stat().st_size > 10_000
    complaints = [line for line in rendered.stderr.splitlines() if line.strip() and "javaldx" not in line]
    assert complaints == []


# --- defects ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lock", ["~${name}", ".~lock.{name}#"])
def test_a_symlink_to_a_workbook_open_in_excel_is_refused(tracker: Path, tmp_path: Path, lock: str) -> None:
    target = old_tracker(tracker)
    (target.parent / lock.format(name=target.name)).write_bytes(b"")
    link = tmp_path / "elsewhere" / "mine.xlsm"
    link.parent.mkdir()
    link.symlink_to(target)
    before = target.read_bytes()
    code, _, err = invoke("upgrade-macro", str(link))
    where = "Excel" if lock.startswith("~$") else "LibreOffice"
    assert code == 1 and err.startswith(f"{link}: links to {target}, which is open in {where} (") and ". Fix: " in err
    assert target.read_bytes() == before


@pytest.mark.skipif(bool(missing_tools(png=False)), reason="LibreOffice (soffice) is not installed")
def test_a_tracker_saved_by_libreoffice_can_be_upgraded(tmp_path: Path, tracker: Path) -> None:
    import subprocess

    profile = (tmp_path / "lo-profile").resolve().as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to",
                    "xlsm:Calc MS Excel 2007 VBA XML", "--outdir", str(tmp_path / "saved"), str(tracker)],
                   capture_output=True, check=True, timeout=240)
    saved = tmp_path / "saved" / tracker.name
    parts = members(saved)
    code, out, err = invoke("upgrade-macro", str(saved))
    assert "of its own named 'Dictionary'" not in err
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[1] == (f"{saved}: modules upgraded to the installed versions: Module1, xlwings, Dictionary, "
                        "WorkbookTools.")
    # LibreOffice left no code name: said so, and the sheets' XML was not changed to add them
    assert f"{saved}: no code name in the file for the workbook, 'Interviews', 'Calls'," in lines[3]
    assert "LibreOffice leaves them out when it saves" in lines[3]
    assert not any("the button on" in line for line in lines)  # LibreOffice wrote WorkbookTools.Refresh: found
    after = members(saved)
    assert [name for name in parts if after[name] != parts[name]] == [VBA_PART]
    modules = olevba_modules(after[VBA_PART])
    assert "Option ClassModule" not in modules["Dictionary"]  # xlwings' class as installed, its attributes back
    assert 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"' in modules["Dictionary"]
