"""The runner: the Python file beside a tracker that its Refresh button (or the
xlwings add-in's "Run main") imports, and the naming rule it imposes.

The button runs our macro (`template.vba.BUTTON_MACRO`, ``Refresh``, in the module
`template.vba.REFRESH_MODULE`), which does what xlwings' quickstart macro ``SampleCall``
does:

    RunPython "import <name>; <name>.main()"

where ``<name>`` is the workbook's file name without its extension, and RunPython puts
the workbook's folder first on ``sys.path``. So, as in ``xlwings quickstart``, the
workbook comes with a Python file of the same name beside it (the *runner*), whose
``main`` is `workbook_tools.excel.main`. The naming rule follows: the name before the
extension must be usable as a Python module name, and not one Python would find
elsewhere first or has imported already. `check_name` enforces it; the ribbon's
"Run main" of the xlwings add-in uses the same rule, which is how a plain ``.xlsx`` is
refreshed from Excel (`new_tracker_with_runner`, `write_runner`).

Before the runner runs, xlwings' command line has imported ``xlwings.utils``, and xlwings
imports numpy and pandas whenever they are installed: the runner itself needs neither, so
the interpreter the button uses is best installed with the ``excel`` extra alone, which
leaves them out and spares every click their import (README, "Use from Excel").
"""

from __future__ import annotations

import importlib.util
import keyword
import sys
from pathlib import Path

from workbook_tools import contract as C
from workbook_tools.errors import WorkbookError
from workbook_tools.template.vba import xlwings_vba_project
from workbook_tools.template.workbook import build_tracker

#: Modules that Python or xlwings import before the runner, on some platform, whether or
#: not they are installed here: a runner with one of these names would never run (Python
#: keeps the module it has) or would replace the one xlwings needs. From the imports at
#: the top of xlwings' __init__.py, main.py, utils.py and conversion/ (its optional
#: numpy, pandas, polars, matplotlib, plotly, PIL), _xlwindows.py, _win32patch.py,
#: com_server.py and udfs.py on Windows (pywin32), _xlmac.py on macOS (appscript,
#: psutil), plus Python's own start-up hooks and the packages the runner imports.
PRELOADED_MODULES = frozenset({
    "xlwings", "xlwingslib", "workbook_tools",
    "numpy", "pandas", "polars", "matplotlib", "plotly", "PIL",
    "pythoncom", "pywintypes", "win32api", "win32con", "win32gui", "win32process", "win32timezone",
    "win32com", "win32event", "pywin32_bootstrap",
    "appscript", "aem", "osax", "mactypes", "psutil",
    "sitecustomize", "usercustomize", "_distutils_hack",
})


def module_name(path: str | Path) -> str:
    """The module the button imports: the file name up to its last dot, as VBA's
    ``Left(Name, InStrRev(Name, ".") - 1)`` in the button's macro computes it."""
    name = Path(path).name
    return name.rsplit(".", 1)[0] if "." in name else name


def check_name(path: str | Path) -> str:
    """The module name for a workbook at ``path``; WorkbookError when the button could
    not import it. The rule: letters, digits and underscores (ASCII), not starting with a
    digit, not a Python keyword, not the name of a module Python already has, and not
    one that Python or xlwings imports before the runner on any platform."""
    path = Path(path)
    name = module_name(path)
    suggestion = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "_") else "_" for ch in name) or "tracker"
    if suggestion[0].isdigit():
        suggestion = "tracker_" + suggestion
    button = "the Refresh button" if path.suffix.lower() == ".xlsm" else "the add-in's \"Run main\""
    rule = (f"{button} runs `import {name}` (a Python file named like the workbook, "
            "beside it), so the name before the extension must work as a Python module name")
    if not (name.isascii() and name.isidentifier()) or keyword.iskeyword(name):
        if keyword.iskeyword(name) or suggestion == name:
            suggestion = f"{name}_tracker"
        raise WorkbookError(path, rule + ": ASCII letters, digits and underscores, not starting with a digit",
                            f"name it {suggestion}{path.suffix}, for example")
    if (name in sys.stdlib_module_names or name in sys.builtin_module_names or name in PRELOADED_MODULES
            or _importable(name)):
        raise WorkbookError(path, f"{rule}, and {name!r} is already the name of a Python module, "
                                  "which would be imported instead",
                            f"choose another name, such as {name}_tracker{path.suffix}")
    return name


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return True


def runner_source(workbook_name: str) -> str:
    """The Python file beside the workbook that the button (or the ribbon's "Run main")
    imports: xlwings' quickstart layout, with ``main`` from `workbook_tools.excel`."""
    if workbook_name.lower().endswith(".xlsm"):
        who = f"The Refresh button of {workbook_name} runs main() from this file."
    else:
        who = f'The xlwings add-in\'s "Run main" (on its ribbon tab) runs main() from this file\non {workbook_name}.'
    return f'''"""{who}

xlwings' RunPython imports the module named like the workbook, from the workbook's
folder: keep this file beside {workbook_name}, and rename both together.
From a terminal, `python {module_name(workbook_name)}.py` refreshes the workbook open in Excel.
"""

from pathlib import Path

from workbook_tools.excel import main

if __name__ == "__main__":
    import xlwings as xw

    xw.Book(Path(__file__).with_name({workbook_name!r})).set_mock_caller()
    main()
'''


def runner_path(workbook: str | Path) -> Path:
    workbook = Path(workbook)
    return workbook.with_name(module_name(workbook) + ".py")


def write_runner(workbook: str | Path) -> Path:
    """Write the runner beside an existing tracker ``workbook`` (a plain .xlsx refreshed
    with the add-in's "Run main", or an .xlsm whose runner was lost). Refuses a missing
    workbook, a bad name and an existing file; returns the runner's path."""
    workbook = Path(workbook)
    if workbook.suffix.lower() not in C.WORKBOOK_SUFFIXES:
        raise WorkbookError(workbook, "is not a tracker workbook (.xlsx or .xlsm)",
                            "name the workbook the runner is for, such as tracker.xlsx")
    if not workbook.is_file():
        raise WorkbookError(workbook, "no such file",
                            f"check the path, or make the tracker and its runner with "
                            f"`workbook-tools new {workbook.name} --runner`")
    runner = _check_new(workbook, workbook_too=False)
    runner.write_text(runner_source(workbook.name), encoding="utf-8")
    return runner


def new_tracker_with_runner(path: str | Path) -> list[Path]:
    """Write a tracker at ``path`` with its runner beside it: for an .xlsm, the
    macro-enabled tracker (`new_macro_tracker`); for a plain .xlsx, the template and the
    runner that the add-in's "Run main" imports. Returns the files written; nothing is
    written when the name breaks the naming rule or a file is in the way."""
    path = Path(path)
    if path.suffix.lower() == ".xlsm":
        return new_macro_tracker(path)
    if path.suffix.lower() != ".xlsx":
        raise WorkbookError(path, "a tracker must be named .xlsx or .xlsm", f"name it {path.stem}.xlsx")
    runner = _check_new(path, workbook_too=True)
    build_tracker(path)
    _write_or_undo(path, runner)
    return [path, runner]


def _check_new(workbook: Path, *, workbook_too: bool) -> Path:
    """The runner's path once the name follows the rule, the files to write are not in
    the way and the folder exists; WorkbookError otherwise."""
    check_name(workbook)
    runner = runner_path(workbook)
    for target in (workbook, runner) if workbook_too else (runner,):
        if target.exists():
            fix = ("choose another name, or move the old file away" if workbook_too
                   else "move it away, or check it holds `from workbook_tools.excel import main`")
            raise WorkbookError(target, "already exists; not overwritten", fix)
    if not workbook.parent.is_dir():
        raise WorkbookError(workbook, f"the folder {workbook.parent} does not exist", "create it first")
    return runner


def _write_or_undo(workbook: Path, runner: Path) -> None:
    """Write the runner for the workbook just written; remove the workbook if that fails."""
    try:
        runner.write_text(runner_source(workbook.name), encoding="utf-8")
    except OSError as exc:
        workbook.unlink(missing_ok=True)
        raise WorkbookError(runner, f"could not be written ({exc.strerror or exc})",
                            "check the folder is writable; nothing was written") from exc


def new_macro_tracker(path: str | Path) -> list[Path]:
    """Write a macro-enabled tracker at ``path`` (.xlsm) with its runner beside it.

    Returns the files written (the workbook, then the runner). Raises WorkbookError,
    with the fix, when the name breaks the naming rule, a file is in the way, the
    folder is missing or xlwings is not installed; nothing is written then.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        raise WorkbookError(path, "a tracker with a Refresh button must be named .xlsm",
                            f"name it {path.stem}.xlsm")
    runner = _check_new(path, workbook_too=True)
    xlwings_vba_project()  # fail before writing anything when xlwings is missing
    build_tracker(path, macro=True)
    _write_or_undo(path, runner)
    return [path, runner]
