"""Hostile packages built from a real tracker by the test itself (no binary files kept):
a cell far outside the table, a zip bomb, a zip directory that lies about a size, two
members of one name."""

from __future__ import annotations

import struct
import warnings
import zipfile
import zlib
from pathlib import Path

from tests.support.xlsx_parts import members

INTERVIEWS_PART = "xl/worksheets/sheet1.xml"


def rewrite(path: Path, items: dict[str, bytes]) -> Path:
    """Write ``items`` (name -> bytes, in order) as the zip at ``path``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in items.items():
            zf.writestr(name, data)
    return path


def with_rows(path: Path, rows: bytes, part: str = INTERVIEWS_PART) -> Path:
    """The tracker with ``rows`` (XML of <row> elements) added at the end of a sheet's data."""
    items = members(path)
    items[part] = items[part].replace(b"</sheetData>", rows + b"</sheetData>")
    return rewrite(path, items)


def with_sheet(path: Path, transform, part: str = INTERVIEWS_PART) -> Path:
    """The tracker with a sheet's XML passed through ``transform`` (bytes -> bytes)."""
    items = members(path)
    items[part] = transform(items[part])
    return rewrite(path, items)


def with_duplicate(path: Path, name: str) -> Path:
    """The tracker with a second member called ``name`` appended (a copy of the first)."""
    data = members(path)[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate it is asked to write
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(name, data)
    return path


def lying_about_size(path: Path, name: str, padding: int, said: int) -> Path:
    """The tracker with member ``name`` padded by ``padding`` spaces (before its last
    tag), its zip headers saying it holds only ``said`` bytes (with the CRC of those)."""
    items = members(path)
    data = items[name]
    cut = data.rindex(b"<")
    items[name] = data[:cut] + b" " * padding + data[cut:]
    rewrite(path, items)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    raw = bytearray(path.read_bytes())
    _patch_sizes(raw, info, said, zlib.crc32(items[name][:said]))
    path.write_bytes(bytes(raw))
    return path


def _patch_sizes(raw: bytearray, info: zipfile.ZipInfo, said: int, crc: int) -> None:
    """Set the uncompressed size (and CRC) of ``info`` in its local header and central directory."""
    struct.pack_into("<I", raw, info.header_offset + 14, crc)
    struct.pack_into("<I", raw, info.header_offset + 22, said)
    encoded = info.filename.encode()
    at = raw.index(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", raw, at + 28)[0]
        if bytes(raw[at + 46: at + 46 + name_len]) == encoded:
            struct.pack_into("<I", raw, at + 16, crc)
            struct.pack_into("<I", raw, at + 24, said)
            return
        at = raw.find(b"PK\x01\x02", at + 46)
    raise AssertionError(f"no central directory entry for {info.filename}")
