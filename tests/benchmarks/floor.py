"""The floor: a prototype of "read everything, write one sheet" with no engine at all, the
cost a refresh is compared with (bench_refresh.py, bench_scale.py).

Run: python tests/benchmarks/floor.py TRACKER.xlsx

What it does, and nothing more:
1. reads every sheet of the workbook with python-calamine
   (``CalamineWorkbook.from_path(p)``, then ``get_sheet_by_name(n).to_python()`` for every
   sheet name): all the values a refresh needs, read by a fast reader written in Rust;
2. finds the Interviews sheet's part (``xl/workbook.xml`` and its relationships, by two
   regular expressions) and reads that part's XML bytes;
3. regenerates that sheet's ``<sheetData>`` from the values read, by plain string building
   (inline strings, numbers, booleans, dates as serial numbers; no styles, no planning,
   no comparison with what was there), keeping the XML before and after ``<sheetData>``
   (columns, views, colour rules, table parts) as it was;
4. writes a new zip: every other member copied as it is (its compressed bytes, never
   decompressed), the new sheet deflated at level 1 (stored if the original was stored),
   to a temporary file beside the workbook, then ``os.replace``.

No plan is computed and no owned cell is filled: the figure is the reading and writing a
refresh cannot avoid. Classic zip only (no ZIP64: trackers are far below 4 GB).
"""

from __future__ import annotations

import os
import re
import struct
import sys
import zipfile
import zlib
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

SHEET = "Interviews"
EPOCH = datetime(1899, 12, 30)


def read_all(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's values, by name (python-calamine)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def sheet_part(zf: zipfile.ZipFile, name: str) -> str:
    """The zip member of the sheet called ``name``."""
    workbook = zf.read("xl/workbook.xml").decode("utf-8")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    sheet = re.search(rf'<sheet\b[^>]*\bname="{re.escape(name)}"[^>]*>', workbook)
    if sheet is None:
        raise SystemExit(f"no sheet {name!r}")
    rid = re.search(r'\br:id="([^"]+)"', sheet.group(0)).group(1)  # type: ignore[union-attr]
    rel = re.search(rf'<Relationship\b[^>]*\bId="{re.escape(rid)}"[^>]*>', rels)
    target = re.search(r'\bTarget="([^"]+)"', rel.group(0)).group(1)  # type: ignore[union-attr]
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cell(ref: str, value: object) -> str:
    """One ``<c>`` element (empty text for an empty cell)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, datetime):
        return f'<c r="{ref}"><v>{(value - EPOCH) / timedelta(days=1)!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}"><v>{(value - EPOCH.date()).days}</v></c>'
    if isinstance(value, time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return f'<c r="{ref}"><v>{seconds / 86400!r}</v></c>'
    if isinstance(value, timedelta):
        return f'<c r="{ref}"><v>{value / timedelta(days=1)!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def sheet_data(values: list[list[object]]) -> str:
    width = max((len(row) for row in values), default=0)
    columns = [letters(j + 1) for j in range(width)]
    parts = ["<sheetData>"]
    for i, row in enumerate(values, 1):
        parts.append(f'<row r="{i}">')
        parts.extend(cell(f"{columns[j]}{i}", v) for j, v in enumerate(row))
        parts.append("</row>")
    parts.append("</sheetData>")
    return "".join(parts)


def rewrite(xml: bytes, values: list[list[object]]) -> bytes:
    """The sheet's XML with its ``<sheetData>`` regenerated from ``values``."""
    found = re.search(rb"<sheetData\s*/>|<sheetData\b.*?</sheetData>", xml, re.S)
    if found is None:
        raise SystemExit("the sheet has no <sheetData>")
    return xml[:found.start()] + sheet_data(values).encode("utf-8") + xml[found.end():]


def _dos(info: zipfile.ZipInfo) -> tuple[int, int]:
    y, mo, d, h, mi, s = info.date_time
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


def _raw(src, info: zipfile.ZipInfo) -> bytes:  # type: ignore[no-untyped-def]
    """A member's compressed bytes as they are in the file."""
    src.seek(info.header_offset)
    head = src.read(30)
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    src.seek(info.header_offset + 30 + name_len + extra_len)
    return bytes(src.read(info.compress_size))


def write_zip(src_path: Path, dest: Path, replaced: str, data: bytes) -> None:
    """Copy the zip at ``src_path`` to ``dest``, member ``replaced`` holding ``data``."""
    central = []
    with zipfile.ZipFile(src_path) as zf, open(src_path, "rb") as src, open(dest, "wb") as out:
        for info in zf.infolist():
            method, crc, size = info.compress_type, info.CRC, info.file_size
            if info.filename == replaced:
                crc, size = zlib.crc32(data), len(data)
                if method == zipfile.ZIP_STORED:
                    body = data
                else:
                    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
                    body, method = packer.compress(data) + packer.flush(), zipfile.ZIP_DEFLATED
            else:
                body = _raw(src, info)
            name, flags = info.filename.encode("utf-8"), info.flag_bits & 0x800
            dos_time, dos_date = _dos(info)
            offset = out.tell()
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, dos_time, dos_date, crc,
                                  len(body), size, len(name), 0) + name)
            out.write(body)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, method, dos_time,
                                       dos_date, crc, len(body), size, len(name), 0, 0, 0, 0,
                                       info.external_attr, offset) + name)
        start = out.tell()
        out.write(b"".join(central))
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start,
                              start, 0))


def floor(path: Path) -> None:
    values = read_all(path)
    with zipfile.ZipFile(path) as zf:
        part = sheet_part(zf, SHEET)
        xml = zf.read(part)
    temporary = path.with_name(f".{path.name}.floor-tmp")
    write_zip(path, temporary, part, rewrite(xml, values[SHEET]))
    os.replace(temporary, path)


if __name__ == "__main__":
    floor(Path(sys.argv[1]))
