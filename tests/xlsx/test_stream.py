"""The streaming side of the cell writer: `write_rows` (rows handed over one at a
time, as a refresh makes them), the compressing zip member and its CRC combine."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from tests.support.xlsx_books import make_rich_workbook, no_temp_files
from workbook_tools.errors import UnsafeWriteError
from workbook_tools.xlsx.member import Member, crc32_combine
from workbook_tools.xlsx.write import write_cells, write_rows


def cells(path: Path, sheet: str = "Interviews") -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


@pytest.mark.parametrize("len_a, len_b", [(0, 0), (0, 5), (5, 0), (1, 1), (100, 3), (3, 70_000), (1 << 20, 12_345)])
def test_crc32_combine_is_the_crc_of_both(len_a: int, len_b: int) -> None:
    a, b = os.urandom(len_a), os.urandom(len_b)
    assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


@pytest.mark.parametrize("deflate", [True, False])
def test_a_member_given_its_head_last_reads_head_first(deflate: bool) -> None:
    body = b"<row r='2'><c r='A2'><v>1</v></c></row>" * 20_000  # several flushes
    member = Member(deflate)
    for i in range(0, len(body), 4099):
        member.write(memoryview(body)[i:i + 4099])
    member.close(b"<worksheet><dimension ref='A1:A20001'/><sheetData>")
    data = member.data()
    assert data == b"<worksheet><dimension ref='A1:A20001'/><sheetData>" + body
    assert (member.crc, member.file_size) == (zlib.crc32(data), len(data))
    assert member.compress_size == sum(map(len, member.chunks))


def test_rows_written_one_at_a_time_match_write_cells(tmp_path: Path) -> None:
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    make_rich_workbook(one)
    make_rich_workbook(two)
    given = {"E2": "x", "F2": 3, "E5": dt.date(2026, 11, 23), "A7": None, "E40": "new row"}
    write_cells(one, "Interviews", given)

    def rows() -> Iterator[tuple[int, list[tuple[int, object, str, str]]]]:
        yield 2, [(6, 3, "F2", "F2"), (5, "x", "E2", "E2")]  # any order within a row
        yield 5, [(5, dt.date(2026, 11, 23), "E5", "E5")]
        yield 7, [(1, None, "A7", "A7")]
        yield 40, [(5, "new row", "E40", "E40")]

    assert write_rows(two, "Interviews", rows()) == 5
    assert cells(one) == cells(two)
    with zipfile.ZipFile(one) as a, zipfile.ZipFile(two) as b:
        assert a.read("xl/worksheets/sheet1.xml") == b.read("xl/worksheets/sheet1.xml")


def test_nothing_to_write_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    before = path.read_bytes()
    assert write_rows(path, "Interviews", iter(())) == 0
    assert write_rows(path, "Interviews", [], output=tmp_path / "out.xlsx") == 0
    assert path.read_bytes() == before and not (tmp_path / "out.xlsx").exists()


def test_a_failure_while_rows_stream_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    before = path.read_bytes()

    def rows() -> Iterator[tuple[int, list[tuple[int, object, str, str]]]]:
        yield 2, [(5, "fine", "E2", "E2")]
        raise RuntimeError("the planner broke")

    with pytest.raises(RuntimeError, match="planner"):
        write_rows(path, "Interviews", rows())
    assert path.read_bytes() == before and no_temp_files(tmp_path, {"t.xlsx"})

    late = [(2, [(5, "fine", "E2", "E2")]), (3, [(5, float("nan"), "E3", "E3")])]  # a bad value, second row
    with pytest.raises(UnsafeWriteError, match=r"Interviews!E3: nan is not a number"):
        write_rows(path, "Interviews", late)
    assert path.read_bytes() == before and no_temp_files(tmp_path, {"t.xlsx"})


def test_rows_must_come_in_order(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    make_rich_workbook(path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="ascending"):
        write_rows(path, "Interviews", [(3, [(5, "a", "E3", "E3")]), (2, [(5, "b", "E2", "E2")])])
    assert path.read_bytes() == before and no_temp_files(tmp_path, {"t.xlsx"})
