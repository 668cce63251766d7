"""The macro-enabled tracker: a VBA project built on xlwings' own, the Refresh button, the
runner beside the workbook, and the naming rule.

The VBA source is read straight from vbaProject.bin (`tests.support.vba`).
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support.vba import vba_modules
from tests.support.xlsx_parts import members
from workbook_tools import contract as C
from workbook_tools.adapters.file import refresh_file
from workbook_tools.errors import WorkbookError
from workbook_tools.template import runner as tm
from workbook_tools.template import vba
from workbook_tools.template.sample import CALLS, CONTACTS, INTERVIEWS, SAMPLE_TODAY, SETTINGS
from workbook_tools.template.workbook import build_tracker
from workbook_tools.xlsx import vba_project as vp

xlwings_spec = importlib.util.find_spec("xlwings")
needs_xlwings = pytest.mark.skipif(xlwings_spec is None, reason='xlwings is not installed (pip install -e ".[test]")')


def vba_of(workbook: Path) -> bytes:
    with zipfile.ZipFile(workbook) as zf:
        return zf.read("xl/vbaProject.bin")


# --- Tests --------------------------------------------------------------------------------

@needs_xlwings
def test_new_macro_tracker_writes_the_workbook_and_its_runner(tmp_path):
    files = tm.new_macro_tracker(tmp_path / "tracker.xlsm")
    assert files == [tmp_path / "tracker.xlsm", tmp_path / "tracker.py"]
    parts = members(files[0])
    assert b"macroEnabled.main+xml" in parts["[Content_Types].xml"]
    runner = files[1].read_text(encoding="utf-8")
    tree = ast.parse(runner)
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert any(n.module == "workbook_tools.excel" and [a.name for a in n.names] == ["main"] for n in imports)
    assert "set_mock_caller()" in runner and "'tracker.xlsm'" in runner


@needs_xlwings
def test_the_vba_project_holds_the_installed_xlwings_modules_unchanged_and_of_its_version(tmp_path):
    import xlwings

    (workbook, _) = tm.new_macro_tracker(tmp_path / "tracker.xlsm")
    with zipfile.ZipFile(Path(xlwings.__file__).parent / vba.QUICKSTART) as zf:
        theirs = vba_modules(zf.read("xl/vbaProject.bin"))
    modules = vba_modules(vba_of(workbook))
    for name in ("xlwings", "Dictionary", "Module1"):  # xlwings' standard and class modules, as they were
        assert modules[name] == theirs[name], name
    version = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', modules["xlwings"])
    assert version and version.group(1) == xlwings.__version__
    assert re.search(r"^Public Function RunPython\(", modules["xlwings"], re.M)


@needs_xlwings
def test_every_sheet_and_the_workbook_have_the_document_module_of_their_code_name(tmp_path):
    (workbook, _) = tm.new_macro_tracker(tmp_path / "tracker.xlsm")
    parts = members(workbook)
    code_names = [re.search(rb'<sheetPr codeName="(\w+)"', parts[f"xl/worksheets/sheet{i}.xml"]).group(1).decode()
                  for i in range(1, len(C.SHEET_ORDER) + 2)]  # the contract's sheets and the hidden Lists
    assert code_names == [f"Sheet{i}" for i in range(1, len(C.SHEET_ORDER) + 2)]
    assert b'<workbookPr codeName="ThisWorkbook"' in parts["xl/workbook.xml"]
    modules = vba_modules(vba_of(workbook))
    documents = sorted(name for name, source in modules.items() if "Attribute VB_Base" in source
                       and "VB_PredeclaredId = True" in source)
    assert documents == sorted(["ThisWorkbook", *code_names])
    assert sorted(modules) == sorted(["ThisWorkbook", *code_names, "Module1", "xlwings", "Dictionary",
                                      vba.REFRESH_MODULE])


@needs_xlwings
def test_two_builds_give_the_same_vba_project(tmp_path):
    first, _ = tm.new_macro_tracker(tmp_path / "one.xlsm")
    second, _ = tm.new_macro_tracker(tmp_path / "two.xlsm")
    assert vba_of(first) == vba_of(second)


@needs_xlwings
def test_the_buttons_run_a_macro_of_that_project_which_imports_the_runner(tmp_path):
    (workbook, _) = tm.new_macro_tracker(tmp_path / "tracker.xlsm")
    modules = vba_modules(vba_of(workbook))
    macro = [name for name, src in modules.items() if re.search(rf"^(Public )?Sub {vba.BUTTON_MACRO}\(\)", src, re.M)]
    assert macro == [vba.REFRESH_MODULE]
    body = modules[vba.REFRESH_MODULE].split(f"Sub {vba.BUTTON_MACRO}()")[1].split("End Sub")[0]
    # the module name is the workbook's name up to its last dot; it imports it and runs main()
    assert 'InStrRev(ThisWorkbook.Name, "."' in body
    assert 'RunPython "import " & runner & ";" & runner & ".main()"' in body
    # on any error, a message naming the upgrade command with this workbook's full path
    assert body.index("On Error GoTo CannotStart") < body.index("RunPython")
    assert '"    workbook-tools upgrade-macro """ & ThisWorkbook.FullName & """"' in body
    assert 'pip install ""workbook-tools[excel]""' in body and "Refresh could not start Python" in body
    parts = members(workbook)
    wb_xml = parts["xl/workbook.xml"].decode()
    assert 'codeName="ThisWorkbook"' in wb_xml
    sheet_names = re.findall(r'<sheet name="([^"]+)"', wb_xml)
    buttons = {}
    for i, name in enumerate(sheet_names, start=1):
        rels = parts.get(f"xl/worksheets/_rels/sheet{i}.xml.rels", b"").decode()
        for target in re.findall(r'Target="\.\./drawings/(vmlDrawing\d+\.vml)"', rels):
            vml = parts[f"xl/drawings/{target}"].decode()
            buttons[name] = re.findall(r"<x:FmlaMacro>\[0\]!([\w.]+)</x:FmlaMacro>", vml)
            assert vba.BUTTON_CAPTION in vml
    # the button names our macro with its module, so that a Refresh of the user's cannot shadow it
    qualified = f"{vba.REFRESH_MODULE}.{vba.BUTTON_MACRO}"
    assert buttons == {C.INTERVIEWS: [qualified], C.CALLS: [qualified]}
    assert vba.macro_definers(f"[0]!{qualified}", vp.read_vba_project(vba_of(workbook)).modules) == (
        vba.REFRESH_MODULE,)


@needs_xlwings
def test_a_refresh_from_the_command_line_keeps_the_vba_and_the_buttons_byte_identical(tmp_path):
    path = tmp_path / "tracker.xlsm"
    build_tracker(path, interviews=INTERVIEWS, calls=CALLS, contacts=CONTACTS, settings=SETTINGS, macro=True)
    before = members(path)
    report = refresh_file(path, SAMPLE_TODAY)
    assert report.written and report.changed
    after = members(path)
    kept = [n for n in before if n == "xl/vbaProject.bin" or n.startswith("xl/drawings/")]
    assert "xl/vbaProject.bin" in kept and len(kept) == 3
    for name in kept:
        assert after[name] == before[name], name
    assert after["[Content_Types].xml"] == before["[Content_Types].xml"]


@needs_xlwings
@pytest.mark.parametrize("name, why", [
    ("my tracker.xlsm", "module name"),
    ("my-tracker.xlsm", "module name"),
    ("2026.xlsm", "module name"),
    ("tracker.v2.xlsm", "module name"),
    ("class.xlsm", "module name"),
    ("json.xlsm", "already the name of a Python module"),
    ("xlwings.xlsm", "already the name of a Python module"),
    ("workbook_tools.xlsm", "already the name of a Python module"),
])
def test_a_name_the_button_could_not_import_is_refused_with_the_rule_and_a_fix(tmp_path, name, why):
    with pytest.raises(WorkbookError) as err:
        tm.new_macro_tracker(tmp_path / name)
    assert why in err.value.message and "import" in err.value.message
    assert err.value.fix.startswith(("name it ", "choose another name"))
    suggested = re.search(r"(\w+\.xlsm)", err.value.fix).group(1)
    tm.check_name(tmp_path / suggested)  # the fix is itself a good name
    assert list(tmp_path.iterdir()) == []


@needs_xlwings
def test_an_existing_runner_or_workbook_is_never_overwritten(tmp_path):
    (tmp_path / "tracker.py").write_text("# mine\n")
    with pytest.raises(WorkbookError, match="already exists"):
        tm.new_macro_tracker(tmp_path / "tracker.xlsm")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tracker.py"]
    with pytest.raises(WorkbookError, match="must be named .xlsm"):
        tm.new_macro_tracker(tmp_path / "other.xlsx")
    with pytest.raises(WorkbookError, match="does not exist"):
        tm.new_macro_tracker(tmp_path / "missing" / "tracker.xlsm")


def test_without_xlwings_the_macro_tracker_is_refused_with_the_install_command(tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "xlwings" else real(name, *a))
    with pytest.raises(WorkbookError) as err:
        tm.new_macro_tracker(tmp_path / "tracker.xlsm")
    assert "xlwings" in str(err.value) and 'pip install "workbook-tools[excel]"' in err.value.fix
    assert list(tmp_path.iterdir()) == []


@needs_xlwings
def test_macros_are_refused_in_a_workbook_not_named_xlsm(tmp_path):
    with pytest.raises(ValueError, match=".xlsm"):
        build_tracker(tmp_path / "t.xlsx", macro=True)


def test_write_runner_serves_a_plain_xlsx_through_the_add_in(tmp_path):
    workbook = tmp_path / "tracker.xlsx"
    build_tracker(workbook)
    runner = tm.write_runner(workbook)
    assert runner == tmp_path / "tracker.py"
    text = runner.read_text(encoding="utf-8")
    assert "'tracker.xlsx'" in text
    compile(text, str(runner), "exec")
    doc = ast.get_docstring(ast.parse(text))
    assert '"Run main"' in doc and "Refresh button" not in doc  # a plain .xlsx has no button


def test_the_runner_of_an_xlsm_names_its_refresh_button():
    doc = ast.get_docstring(ast.parse(tm.runner_source("tracker.xlsm")))
    assert doc.startswith("The Refresh button of tracker.xlsm runs main()") and "Run main" not in doc


def test_write_runner_refuses_a_missing_workbook_a_bad_name_and_an_existing_file(tmp_path):
    with pytest.raises(WorkbookError, match="no such file") as err:
        tm.write_runner(tmp_path / "tracker.xlsx")
    assert "workbook-tools new tracker.xlsx --runner" in err.value.fix
    with pytest.raises(WorkbookError, match="not a tracker workbook"):
        tm.write_runner(tmp_path / "notes.csv")
    bad = tmp_path / "my tracker.xlsx"
    build_tracker(bad)
    with pytest.raises(WorkbookError) as err:
        tm.write_runner(bad)
    assert "Run main" in err.value.message and err.value.fix == "name it my_tracker.xlsx, for example"
    good = tmp_path / "tracker.xlsx"
    build_tracker(good)
    (tmp_path / "tracker.py").write_text("# mine\n")
    with pytest.raises(WorkbookError, match="already exists; not overwritten"):
        tm.write_runner(good)
    assert (tmp_path / "tracker.py").read_text() == "# mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my tracker.xlsx", "tracker.py", "tracker.xlsx"]


def test_new_tracker_with_runner_writes_a_plain_xlsx_and_its_runner(tmp_path):
    files = tm.new_tracker_with_runner(tmp_path / "tracker.xlsx")
    assert files == [tmp_path / "tracker.xlsx", tmp_path / "tracker.py"]
    assert "xl/vbaProject.bin" not in members(files[0])  # no macros: a plain workbook
    assert "'tracker.xlsx'" in files[1].read_text(encoding="utf-8")
    problems = refresh_file(files[0], SAMPLE_TODAY).problems  # a tracker the command line reads
    assert [p.message for p in problems] == [f"{s} is blank, so the scripts leave it out"
                                              for s in (C.YOUR_NAME, C.YOUR_PHONE, C.YOUR_EMAIL)]
    with pytest.raises(WorkbookError, match="already exists"):
        tm.new_tracker_with_runner(tmp_path / "tracker.xlsx")
    with pytest.raises(WorkbookError, match="module name"):
        tm.new_tracker_with_runner(tmp_path / "my-tracker.xlsx")
    (tmp_path / "other.py").write_text("# mine\n")
    with pytest.raises(WorkbookError, match="already exists"):
        tm.new_tracker_with_runner(tmp_path / "other.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.py", "tracker.py", "tracker.xlsx"]


@pytest.mark.parametrize("name", [
    "pythoncom", "pywintypes", "win32api", "win32com", "win32timezone",  # pywin32, imported on Windows
    "appscript", "aem", "osax", "psutil",  # imported on macOS
    "numpy", "pandas", "polars", "PIL",  # xlwings' optional imports
    "sitecustomize", "usercustomize",  # Python's start-up
])
def test_a_module_xlwings_or_python_imports_first_is_refused_on_every_platform(tmp_path, name):
    with pytest.raises(WorkbookError) as err:
        tm.check_name(tmp_path / f"{name}.xlsm")
    assert "already the name of a Python module" in err.value.message
    assert err.value.fix == f"choose another name, such as {name}_tracker.xlsm"
    tm.check_name(tmp_path / f"{name}_tracker.xlsm")


@needs_xlwings
def test_the_deny_list_holds_every_module_xlwings_imports_when_it_is_imported():
    """Read the installed xlwings' own imports (module level, any platform's branch, the
    optional ones in try blocks): every one outside the standard library is listed."""
    root = Path(xlwings_spec.origin).parent
    files = ["__init__.py", "main.py", "utils.py", "conversion/__init__.py", "_xlwindows.py", "_win32patch.py",
             "_xlmac.py", "com_server.py", "udfs.py"]
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
            for field in ("body", "orelse", "finalbody", "handlers"):
                visit(getattr(node, field, None) or [])

    for name in files:
        visit(ast.parse((root / name).read_text(encoding="utf-8")).body)
    third_party = {m for m in found if m not in sys.stdlib_module_names}
    assert {"pythoncom", "appscript", "numpy"} <= third_party  # the reading works
    assert third_party <= tm.PRELOADED_MODULES
