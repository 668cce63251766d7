"""What a workbook package may cost to read, checked before anything big is read.

A hostile or broken package can make a reader spend gigabytes: a zip member that
inflates a thousandfold (a zip bomb), a zip directory that understates a member's
size, two members of one name, or one cell at the last address of a sheet (the
reader builds a dense grid from A1 to it: 16,384 x 1,048,576 cells). Each is refused
here with a message that names the file, the part or the cell, and the fix.

The sizes come from the zip directory, and a member big enough to hide a bomb is
inflated in bounded chunks to verify them (never trusting the header alone).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from workbook_tools.a1 import cell_ref, column_number
from workbook_tools.errors import Problem, ProblemsError, WorkbookError


class Bound(NamedTuple):
    """A limit and where it comes from."""

    value: int
    source: str


#: The largest uncompressed part. Source: ours (a 100,000-row x 40-column tracker's
#: sheet is about 200 MB of XML; a tracker is never gigabytes).
MEMBER_BYTES = Bound(512 * 2**20, "ours")
#: The largest sum of every part's uncompressed size. Source: ours.
PACKAGE_BYTES = Bound(2**30, "ours")
#: The largest compression ratio of a part over `RATIO_FROM` bytes. Source: ours (sheet
#: XML compresses 10 to 50 times; a bomb nears deflate's limit of 1032:1).
RATIO = Bound(500, "ours")
#: Parts smaller than this may compress as much as they like. Source: ours.
RATIO_FROM = Bound(4 * 2**20, "ours")
#: Deflate's largest possible expansion: 1032 bytes out per byte in. Source: zlib's
#: technical details ("the limit is 1032:1").
DEFLATE_EXPANSION = Bound(1032, "zlib")
#: The largest grid a sheet may span (rows x columns from its first to its last cell
#: holding a value). Source: ours (a real tracker: 100,000 rows x 40 columns, 4,000,000).
SHEET_GRID_CELLS = Bound(5_000_000, "ours")

_CHUNK = 1 << 20
_REPAIR = "open it in Excel, let Excel repair it, and save it again"


def check_members(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """WorkbookError when two members share a name, or a member (or all of them) is
    bigger, or compresses further, than a workbook ever does (by the zip directory)."""
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.filename in seen:
            raise WorkbookError(path, f"is damaged: two parts named {info.filename}", _REPAIR)
        seen.add(info.filename)
        check_member_size(path, info.filename, info.file_size, info.compress_size)
        total += info.file_size
    if total > PACKAGE_BYTES.value:
        raise WorkbookError(path, f"is too big to be a tracker: its parts hold {_size(total)} uncompressed "
                                  f"(at most {_size(PACKAGE_BYTES.value)})",
                            "open it in Excel and save it again; if it is not a tracker, name the right file")


def check_member_size(path: Path, name: str, file_size: int, compress_size: int) -> None:
    """WorkbookError when part ``name`` inflates beyond `MEMBER_BYTES` or by more than `RATIO`."""
    if file_size > MEMBER_BYTES.value:
        raise WorkbookError(path, f"is too big to be a tracker: part {name} holds {_size(file_size)} "
                                  f"uncompressed (at most {_size(MEMBER_BYTES.value)})",
                            "open it in Excel and save it again; if it is not a tracker, name the right file")
    if file_size > RATIO_FROM.value and file_size > RATIO.value * max(compress_size, 1):
        raise WorkbookError(path, f"is damaged or hostile: part {name} inflates {file_size // max(compress_size, 1)} "
                                  f"times (a zip bomb; a workbook part inflates at most {RATIO.value} times)",
                            "do not open it; if it should be a tracker, save it again from Excel")


def may_hide_size(info: zipfile.ZipInfo) -> bool:
    """Whether the member's compressed bytes could inflate beyond what its header allows
    before a check would notice: then it is inflated to verify its size."""
    return info.compress_size * DEFLATE_EXPANSION.value > RATIO_FROM.value


def verified_chunks(path: Path, source: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes, inflated in bounded chunks from the open zip file ``source``.
    WorkbookError as soon as they pass the size its zip directory gives (a lying header)
    or do not end where it says, before more than a chunk beyond is held."""
    name = info.filename
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
        yield from _plain_chunks(path, info, source)
        return
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    given = 0
    for raw in _raw_chunks(path, source, info):
        pending = raw
        while pending:
            if inflate is None:
                out, pending = pending, b""
            else:
                out = inflate.decompress(pending, _CHUNK)
                pending = inflate.unconsumed_tail
            given += len(out)
            if given > info.file_size:
                raise _lying(path, name, info.file_size)
            if out:
                yield out
            if inflate is not None and inflate.eof:
                pending = b""
    if given != info.file_size or (inflate is not None and not inflate.eof):
        raise WorkbookError(path, f"is damaged: part {name} does not hold the {info.file_size} bytes "
                                  "its zip directory gives", _REPAIR)


def _plain_chunks(path: Path, info: zipfile.ZipInfo, source: BinaryIO) -> Iterator[bytes]:
    """A member of another compression, through zipfile (which stops at its header's size)."""
    try:
        with zipfile.ZipFile(source) as zf, zf.open(info) as member:
            while chunk := member.read(_CHUNK):
                yield chunk
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error) as exc:
        raise WorkbookError(path, f"is damaged: part {info.filename} cannot be read ({exc})", _REPAIR) from None


def _lying(path: Path, name: str, size: int) -> WorkbookError:
    return WorkbookError(path, f"is damaged or hostile: part {name} inflates beyond the {size} bytes "
                               "its zip directory gives", "do not open it; if it should be a tracker, "
                                                          "save it again from Excel")


def _raw_chunks(path: Path, source: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's compressed bytes as they are in the file, in chunks."""
    try:
        source.seek(info.header_offset)
        head = source.read(30)
        if len(head) != 30 or head[:4] != b"PK\x03\x04":
            raise OSError("bad local header")
        name_len, extra_len = struct.unpack("<HH", head[26:30])
        source.seek(info.header_offset + 30 + name_len + extra_len)
        left = info.compress_size
        while left > 0:
            chunk = source.read(min(left, _CHUNK))
            if not chunk:
                raise OSError("truncated")
            left -= len(chunk)
            yield chunk
    except OSError as exc:
        raise WorkbookError(path, f"is damaged: part {info.filename} cannot be read ({exc})", _REPAIR) from None


def inflate_to_verify(path: Path, source: BinaryIO, info: zipfile.ZipInfo) -> None:
    """Inflate the member, holding one chunk at a time, to verify its size (`verified_chunks`)."""
    for _ in verified_chunks(path, source, info):
        pass


def _size(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


# -- a sheet's extent

# A <c> start tag with an r attribute: its column letters and row number.
_CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])[^>]*?"
                       rb"\sr\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?([0-9]{1,9})[\"']")
# A <c> start tag: its attributes and "/" when it is self-closing (a cell with no value).
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])([^>]*?)(/?)>")
_R_ATTR = re.compile(rb"\sr\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?([0-9]{1,9})[\"']")


class Cell(NamedTuple):
    """A cell of a sheet: its row and column numbers."""

    row: int
    column: int


class Extent(NamedTuple):
    """The rectangle from a sheet's first to its last cell."""

    top: int
    left: int
    bottom: int
    right: int

    def cells(self) -> int:
        """How many cells a dense grid of the rectangle holds."""
        return (self.bottom - self.top + 1) * (self.right - self.left + 1)


def tag_windows(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The chunks cut so that no tag is split between two of them."""
    carry = b""
    for chunk in chunks:
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"<")
        if cut < 0:
            carry = b""
            continue
        if cut:
            yield data[:cut]
        carry = data[cut:]
    if carry:
        yield carry


def quick_extent(chunks: Iterable[bytes]) -> Extent | None:
    """The extent of every <c> with an r attribute (with a value or not), None when none has one."""
    top = left = 1 << 40
    bottom = right = 0
    for window in tag_windows(chunks):
        refs = _CELL_REF.findall(window)
        if not refs:
            continue
        rows = [int(number) for number in {number for _, number in refs}]
        columns = [column_number(letters.decode("ascii")) for letters in {letters for letters, _ in refs}]
        top, bottom = min(top, min(rows)), max(bottom, max(rows))
        left, right = min(left, min(columns)), max(right, max(columns))
    return Extent(top, left, bottom, right) if bottom else None


class _Farthest:
    """The extent of the cells holding a value, with the two farthest cells down and right."""

    def __init__(self) -> None:
        self.top = self.left = 1 << 40
        self.down: list[Cell] = []  # the two lowest cells, lowest first
        self.right: list[Cell] = []  # the two rightmost cells, rightmost first

    def add(self, cell: Cell) -> None:
        if cell.row < self.top:
            self.top = cell.row
        if cell.column < self.left:
            self.left = cell.column
        if len(self.down) < 2 or cell.row > self.down[1].row:
            self.down = sorted([*self.down, cell], key=lambda c: -c.row)[:2]
        if len(self.right) < 2 or cell.column > self.right[1].column:
            self.right = sorted([*self.right, cell], key=lambda c: -c.column)[:2]

    def extent(self, without: Cell | None = None) -> Extent:
        """The extent, or what it would be without the cell ``without``."""
        down = [c for c in self.down if c != without] or self.down
        right = [c for c in self.right if c != without] or self.right
        return Extent(self.top, self.left, down[0].row, right[0].column)


def farthest_cell(chunks: Iterable[bytes]) -> Cell | None:
    """The cell holding a value whose removal shrinks the sheet's grid most, when the
    grid of the cells holding a value is beyond `SHEET_GRID_CELLS`; else None."""
    farthest = _Farthest()
    for window in tag_windows(chunks):
        for tag in _CELL_TAG.finditer(window):
            if tag.group(2):  # <c r="XFD1048576" s="1"/>: no value, the reader skips it
                continue
            ref = _R_ATTR.search(tag.group(1))
            if ref is not None:
                farthest.add(Cell(int(ref.group(2)), column_number(ref.group(1).decode("ascii"))))
    if not farthest.down or farthest.extent().cells() <= SHEET_GRID_CELLS.value:
        return None
    candidates = [farthest.down[0], farthest.right[0]]
    return min(candidates, key=lambda cell: farthest.extent(without=cell).cells())


def check_sheet_extent(path: Path, sheet: str, source: BinaryIO, info: zipfile.ZipInfo) -> None:
    """ProblemsError naming the cell when sheet ``sheet`` (member ``info``) spans a grid
    beyond `SHEET_GRID_CELLS`: one far cell would make the reader allocate it whole."""
    extent = quick_extent(verified_chunks(path, source, info))
    if extent is None or extent.cells() <= SHEET_GRID_CELLS.value:
        return
    far = farthest_cell(verified_chunks(path, source, info))
    if far is None:
        return
    ref = cell_ref(far.row, far.column)
    raise ProblemsError(path, [Problem(sheet, ref, "holds a value far outside the table",
                                       "delete it, then save the workbook")])
