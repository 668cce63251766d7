"""Workbooks and checks shared by the cell writer's tests."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import warnings
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter

from tests.support.xlsx_parts import tiny_png


def copy_writable(src: Path, folder: Path) -> Path:
    dest = folder / src.name
    shutil.copyfile(src, dest)
    os.chmod(dest, 0o644)
    return dest


def load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path)


def sheet_xml(path: Path, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(part)


def assert_only_changed(before: dict[str, bytes], after: dict[str, bytes], allowed: set[str]) -> None:
    assert list(after) == [n for n in before if n in after], "member order changed"
    assert set(before) - set(after) <= allowed, f"members removed: {set(before) - set(after)}"
    assert set(after) <= set(before), f"members added: {set(after) - set(before)}"
    for name, data in before.items():
        if name not in allowed:
            assert after[name] == data, f"{name} changed"


def no_temp_files(folder: Path, keep: set[str]) -> bool:
    return {p.name for p in folder.iterdir()} == keep


def make_rich_workbook(path: Path, **options: object) -> None:
    """An XlsxWriter workbook with a chart, an image, comments, names, validation and conditional formats."""
    wb = xlsxwriter.Workbook(str(path), options or None)
    ws = wb.add_worksheet("Interviews")
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, ["Company", "Applied", "Score", "Next"], bold)
    for i in range(1, 11):
        ws.write_string(i, 0, f"Company {i}")
        ws.write_datetime(i, 1, dt.datetime(2024, 1, i), wb.add_format({"num_format": "yyyy-mm-dd"}))
        ws.write_number(i, 2, i * 1.5)
        ws.write_formula(i, 3, f"=C{i + 1}*2", None, i * 3.0)
    ws.write_comment("A2", "first company")
    ws.data_validation("C2:C11", {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 100})
    ws.conditional_format("C2:C11", {"type": "cell", "criteria": ">", "value": 5, "format": bold})
    wb.define_name("Scores", "=Interviews!$C$2:$C$11")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Interviews!$C$2:$C$11"})
    ws.insert_chart("F2", chart)
    png = path.parent / "tiny.png"
    png.write_bytes(tiny_png())
    ws.insert_image("F20", str(png))
    wb.add_worksheet("Notes").write("A1", "notes")
    wb.close()
    png.unlink()
