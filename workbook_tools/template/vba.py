"""The macro-enabled tracker's VBA project and Refresh button.

The VBA is not ours: it is the project inside the quickstart workbook that ships with
the installed xlwings (``quickstart_standalone.xlsm``), copied byte for byte, so the
workbook's VBA and the Python side are always the same xlwings version. That project
holds xlwings' RunPython module and its quickstart macro, ``SampleCall``, which runs
``RunPython "import <name>; <name>.main()"`` (see `template.runner`).

xlwings itself is never imported here (importing it costs half a second); its files
are found with `importlib.util.find_spec`.
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path
from typing import Any

from workbook_tools import contract as C
from workbook_tools.errors import WorkbookError

#: The quickstart workbook inside the xlwings package whose VBA project we use.
QUICKSTART = "quickstart_standalone.xlsm"
VBA_MEMBER = "xl/vbaProject.bin"
#: The macro of that project that the button runs (xlwings' quickstart convention).
BUTTON_MACRO = "SampleCall"
BUTTON_CAPTION = "Refresh"
#: Sheets that get the button.
BUTTON_SHEETS = (C.INTERVIEWS, C.CALLS)
#: The header row is made taller so the button sits above the header text.
HEADER_ROW_HEIGHT = 42
BUTTON = {"width": 92, "height": 24, "x_offset": 4, "y_offset": 3}
INSTALL_FIX = 'install it with: pip install "workbook-tools[excel]"'

def xlwings_dir() -> Path:
    """The folder of the installed xlwings package, found without importing it."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.origin:
        raise WorkbookError("xlwings", "is not installed; the macro-enabled tracker (.xlsm) needs it", INSTALL_FIX)
    return Path(spec.origin).parent


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


def add_macro_parts(wb: Any) -> None:
    """Called by `template.workbook.build_tracker` before it closes an XlsxWriter workbook: add
    xlwings' VBA project and a Refresh button on Interviews and Calls."""
    if not str(wb.filename).lower().endswith(".xlsm"):
        raise ValueError(f"{wb.filename}: a workbook with macros must be named .xlsm")
    wb.add_vba_project(io.BytesIO(xlwings_vba_project()), is_stream=True)
    wb.set_vba_name("ThisWorkbook")  # the project's document module for the workbook
    for sheet in BUTTON_SHEETS:
        ws = wb.get_worksheet_by_name(sheet)
        ws.set_row(0, HEADER_ROW_HEIGHT)
        ws.insert_button(0, 0, {"macro": BUTTON_MACRO, "caption": BUTTON_CAPTION, **BUTTON})
