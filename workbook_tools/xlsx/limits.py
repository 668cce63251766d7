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
#: A grid beyond SHEET_GRID_CELLS more than this many times its cells of values is a far
#: cell's doing (ours: a real sheet fills most of its grid).
SPARSE_GRID = Bound(4, "ours")
#: Cells of values in one sheet beyond which it is not a tracker (ours: 1,000,000 calls of
#: the seven Calls columns is 7,000,000).
DENSE_GRID_CELLS = Bound(20_000_000, "ours")

_CHUNK = 1 << 20
_REPAIR = "open it in Excel, let Excel repair it, and save it again"


def check_members(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """WorkbookError when two members share a name (ignoring case and the slash's
    direction), or a member (or all of them) is
    bigger, or compresses further, than a workbook ever does (by the zip directory)."""
    seen: set[str] = set()
    total = 0
    for info in infos:
        # Part names match ignoring case, and "\" is "/" to some readers (OPC, calamine).
        name = info.filename.replace("\\", "/").casefold()
        if name in seen:
            raise WorkbookError(path, f"is damaged: two parts named {info.filename}", _REPAIR)
        seen.add(name)
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

# A <row> or <c> start tag: its name, its attributes, and "/" when it is self-closing
# (a cell with no value, which the reader skips).
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
# An r attribute: a cell's column letters and row number, or a row's number (any length:
# "XFD0001048576" and "A1000000000" are far cells too).
_R_ATTR = re.compile(rb"\sr\s*=\s*[\"']\$?([A-Za-z]*)\$?([0-9]+)[\"']")
_LETTERS_KEPT = 8  # more column letters than this is far beyond XFD in any case

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


def scan_cells(chunks: Iterable[bytes]) -> _Farthest:
    """Every cell holding a value, by its address (given, or implied by its place)."""
    farthest = _Farthest()
    row = column = 0
    for window in tag_windows(chunks):
        for tag in _TAG.finditer(window):
            ref = _R_ATTR.search(tag.group(2))
            if tag.group(1) == b"row":
                row, column = (int(ref.group(2)) if ref is not None else row + 1), 0
                continue
            if ref is not None:
                letters = ref.group(1)[:_LETTERS_KEPT].decode("ascii")
                column = column_number(letters) if letters else column + 1
                row = int(ref.group(2)) if ref.group(2) else row
            else:
                column += 1
            if not tag.group(3):  # <c r="XFD1048576" s="1"/>: no value, the reader skips it
                farthest.add(Cell(row, column))
    return farthest


class _Farthest:
    """The extent of the cells holding a value, with the two farthest cells down and right."""

    def __init__(self) -> None:
        self.top = self.left = 1 << 40
        self.count = 0  # the cells holding a value
        self.down: list[Cell] = []  # the two lowest cells, lowest first
        self.right: list[Cell] = []  # the two rightmost cells, rightmost first

    def add(self, cell: Cell) -> None:
        self.count += 1
        if cell.row < self.top:
            self.top = cell.row
        if cell.column < self.left:
            self.left = cell.column
        down, right = self.down, self.right
        if not down or cell.row > down[0].row:
            self.down = [cell, *down[:1]]
        elif len(down) == 1 or cell.row > down[1].row:
            self.down = [down[0], cell]
        if not right or cell.column > right[0].column:
            self.right = [cell, *right[:1]]
        elif len(right) == 1 or cell.column > right[1].column:
            self.right = [right[0], cell]

    def extent(self, without: Cell | None = None) -> Extent:
        """The extent, or what it would be without the cell ``without``."""
        down = [c for c in self.down if c != without] or self.down
        right = [c for c in self.right if c != without] or self.right
        return Extent(self.top, self.left, down[0].row, right[0].column)


def farthest_cell(chunks: Iterable[bytes]) -> Cell | None:
    """The cell holding a value whose removal shrinks the sheet's grid most, when the
    grid of the cells holding a value is too big for them (`too_sparse`); else None."""
    return _far_cell(scan_cells(chunks))


def _far_cell(farthest: _Farthest) -> Cell | None:
    """`farthest_cell` of the cells already scanned."""
    if not farthest.down or not too_sparse(farthest):
        return None
    candidates = [farthest.down[0], farthest.right[0]]
    return min(candidates, key=lambda cell: farthest.extent(without=cell).cells())


def too_sparse(farthest: _Farthest) -> bool:
    """A grid the reader would allocate whole for far fewer values: beyond
    `SHEET_GRID_CELLS` and more than `SPARSE_GRID` times the cells that hold a value (a
    far cell). A dense sheet (a million calls of seven columns) is not refused."""
    grid = farthest.extent().cells()
    return grid > SHEET_GRID_CELLS.value and grid > SPARSE_GRID.value * farthest.count


# The fast path reads cells as Excel writes them: "<c r=" and "<row r=" with r first, no
# prefix; any other spelling sends the sheet to `scan_cells`.
_PLAIN_REF = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_C_START = re.compile(rb"<c[\s/>]")
_PREFIXED_C = re.compile(rb":c[\s/>]")


def plainly_small(chunks: Iterable[bytes]) -> bool:
    """True when every cell and row names its place plainly ("B7", no leading zeros, at
    most seven digits) and their extent is within `SHEET_GRID_CELLS`: no cell can be far.
    False means "look closer" (`scan_cells`), not that the sheet is refused."""
    top = left = 1 << 40
    bottom = right = 0
    for window in tag_windows(chunks):
        refs = _PLAIN_REF.findall(window)
        if (len(refs) != len(_C_START.findall(window)) or window.count(b"<row") != window.count(b'<row r="')
                or _PREFIXED_C.search(window)):
            return False
        if not refs:
            continue
        rows = [int(n) for n in {n for _, n in refs}]
        columns = [column_number(a.decode("ascii")) for a in {a for a, _ in refs}]
        top, bottom = min(top, min(rows)), max(bottom, max(rows))
        left, right = min(left, min(columns)), max(right, max(columns))
    return not bottom or (bottom - top + 1) * (right - left + 1) <= SHEET_GRID_CELLS.value


def check_sheet_extent(path: Path, sheet: str, source: BinaryIO, info: zipfile.ZipInfo) -> None:
    """ProblemsError when sheet ``sheet`` (member ``info``) would make the reader allocate
    a grid out of proportion to its values: a far cell (named), or more cells of values
    than any tracker holds."""
    if plainly_small(verified_chunks(path, source, info)):
        return  # the common case, at the speed of a regular expression
    farthest = scan_cells(verified_chunks(path, source, info))
    if not farthest.down:
        return
    if farthest.count > DENSE_GRID_CELLS.value:
        raise ProblemsError(path, [Problem(sheet, "", f"holds {farthest.count:,} cells of values, more than a "
                                           f"tracker ever holds (at most {DENSE_GRID_CELLS.value:,})",
                                           "move old rows to a workbook of their own, then save it")])
    far = _far_cell(farthest)
    if far is None:
        return
    ref = cell_ref(far.row, far.column) if far.column <= 16384 and far.row <= 1048576 else (
        f"row {far.row}, column {far.column}")
    raise ProblemsError(path, [Problem(sheet, ref, "holds a value far outside the table",
                                       "delete it, then save the workbook")])
