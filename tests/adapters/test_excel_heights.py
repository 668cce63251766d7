"""Row heights on the live path (`adapters.excel.prepare_heights`): the same heights as
the file path, on an engine that reads column widths and sets row heights (desktop
Excel), and none on the remote engine, which does neither.

Desktop Excel is modelled by `DesktopBook`: xlwings' remote-engine Book (as in
test_excel.py) whose ranges also answer ``column_width`` (as Excel's ColumnWidth: the
file's <col> width less its padding) and record the ``row_height`` they are given."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

xw = pytest.importorskip("xlwings")

from tests.support.trackers import SAMPLE, small_tracker  # noqa: E402
from tests.support.vba_client import vba_payload  # noqa: E402
from tests.support.xlsx_parts import members  # noqa: E402
from workbook_tools.adapters import excel  # noqa: E402
from workbook_tools.adapters.file import refresh_file  # noqa: E402
from workbook_tools.core.layout import LINE_POINTS  # noqa: E402
from workbook_tools.template.sample import SAMPLE_TODAY  # noqa: E402
from workbook_tools.xlsx.sheet import ColumnWidths  # noqa: E402
from workbook_tools.xlsx.xml import parse  # noqa: E402

INTERVIEWS_PART = "xl/worksheets/sheet1.xml"


@pytest.fixture(scope="module", autouse=True)
def remote_engine():
    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.main.Engine(impl=_xlremote.engine))
    yield


class DesktopRange:
    """A range that reads its column width and records the row heights set on it."""

    def __init__(self, inner: Any, sheet: DesktopSheet) -> None:
        object.__setattr__(self, "inner", inner)
        object.__setattr__(self, "sheet", sheet)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "row_height":
            for row in range(self.inner.row, self.inner.row + self.inner.shape[0]):
                self.sheet.heights[row] = value
        else:
            setattr(self.inner, name, value)

    @property
    def column_width(self) -> float:
        return self.sheet.widths.width(self.inner.column)


class DesktopSheet:
    def __init__(self, inner: Any, widths: ColumnWidths) -> None:
        self.inner, self.widths, self.heights = inner, widths, {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def range(self, *args: Any) -> DesktopRange:
        return DesktopRange(self.inner.range(*args), self)


class DesktopBook:
    def __init__(self, inner: Any, widths: ColumnWidths) -> None:
        self.inner = inner
        self.sheets = [DesktopSheet(s, widths) if s.name == "Interviews" else s for s in inner.sheets]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def file_heights(path: Path) -> dict[int, float]:
    xml = members(path)[INTERVIEWS_PART].decode()
    out = {}
    for tag in re.finditer(r'<row r="(\d+)"[^>]*>', xml):
        ht = re.search(r'\sht="([^"]+)"', tag[0])
        out[int(tag[1])] = float(ht[1]) if ht else LINE_POINTS
    return out


@pytest.mark.parametrize("source", ["sample", "small"])
def test_the_live_path_sets_the_heights_the_file_path_writes(tmp_path: Path, source: str) -> None:
    path = tmp_path / "t.xlsx"
    if source == "sample":
        shutil.copyfile(SAMPLE, path)
    else:
        small_tracker(path, interviews=[{"Company": "Acme", "Event Date": SAMPLE_TODAY, "Notes": "a\nb\nc\nd"},
                                        {"Company": "Globex", "Event Date": SAMPLE_TODAY}])
    widths = ColumnWidths(parse(members(path)[INTERVIEWS_PART]))
    book = DesktopBook(xw.Book(json=json.loads(json.dumps(vba_payload(path)))), widths)
    excel.refresh(book, SAMPLE_TODAY)
    live = book.sheets[0].heights
    refresh_file(path, SAMPLE_TODAY)
    on_file = file_heights(path)
    assert live and live == {row: on_file[row] for row in live}
    assert 1 not in live  # the header row is not the processor's


def test_the_remote_engine_gets_no_heights(tmp_path: Path) -> None:
    path = small_tracker(tmp_path / "t.xlsx")
    book = xw.Book(json=json.loads(json.dumps(vba_payload(path))))
    excel.refresh(book, SAMPLE_TODAY)
    assert "setRowHeight" not in {a["func"] for a in book.json()["actions"]}
