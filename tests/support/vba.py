"""VBA source read straight from a vbaProject.bin: a small reader of the compound file
format ([MS-CFB]) and of VBA's compression ([MS-OVBA] 2.4.1), so the tests need no
Excel and no extra package."""

from __future__ import annotations

import struct


def cfb_streams(data: bytes) -> dict[str, bytes]:
    """Every stream of a compound file, by name (names are unique in a VBA project)."""
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini = 1 << struct.unpack_from("<H", data, 0x20)[0]
    first_dir, cutoff, first_minifat = struct.unpack_from("<I4xII", data, 0x30)
    difat = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < 0xFFFFFFFA]
    assert struct.unpack_from("<I", data, 0x48)[0] == 0, "more than 109 FAT sectors: not needed here"

    def sec(i: int) -> bytes:
        return data[(i + 1) * sector:(i + 2) * sector]

    fat = [v for i in difat for v in struct.unpack(f"<{sector // 4}I", sec(i))]

    def chain(start: int, table: list[int]) -> list[int]:
        out = []
        while start < 0xFFFFFFFA:
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sec(i) for i in chain(first_dir, fat))
    minifat_bytes = b"".join(sec(i) for i in chain(first_minifat, fat))
    minifat = list(struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes))
    entries = []
    for off in range(0, len(directory), 128):
        e = directory[off:off + 128]
        size = struct.unpack_from("<H", e, 0x40)[0]
        name = e[:max(size - 2, 0)].decode("utf-16-le")
        kind = e[0x42]
        start, length = struct.unpack_from("<II", e, 0x74)
        entries.append((name, kind, start, length))
    root = entries[0]
    ministream = b"".join(sec(i) for i in chain(root[2], fat))
    streams = {}
    for name, kind, start, length in entries[1:]:
        if kind != 2:
            continue
        if length < cutoff:
            raw = b"".join(ministream[i * mini:(i + 1) * mini] for i in chain(start, minifat))
        else:
            raw = b"".join(sec(i) for i in chain(start, fat))
        streams[name] = raw[:length]
    return streams


def ovba_decompress(data: bytes) -> bytes:
    """[MS-OVBA] 2.4.1: a compressed container to bytes."""
    assert data[0] == 1
    out = bytearray()
    pos = 1
    while pos < len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        pos += 2
        end = min(pos + (header & 0x0FFF) + 1, len(data))
        chunk_start = len(out)
        if not header & 0x8000:  # an uncompressed chunk
            out += data[pos:pos + 4096]
            pos += 4096
            continue
        while pos < end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags >> bit & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", data, pos)[0]
                pos += 2
                bits = max((len(out) - chunk_start - 1).bit_length(), 4)
                offset, length = (token >> (16 - bits)) + 1, (token & (0xFFFF >> bits)) + 3
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)


def vba_modules(vba_project: bytes) -> dict[str, str]:
    """Module name -> VBA source."""
    streams = cfb_streams(vba_project)
    d = ovba_decompress(streams["dir"])
    pos, name, out = 0, None, {}
    while pos < len(d):
        rid, size = struct.unpack_from("<HI", d, pos)
        pos += 6
        if rid == 0x0009:  # PROJECTVERSION: its size field says 4, 6 bytes follow
            size = 6
        body = d[pos:pos + size]
        pos += size
        if rid == 0x0019:
            name = body.decode("latin-1")
        elif rid == 0x0031:
            offset = struct.unpack("<I", body)[0]
            out[name] = ovba_decompress(streams[name][offset:]).decode("latin-1")
    return out


def olevba_modules(data: bytes) -> dict[str, str]:
    """Module name -> source, as oletools' olevba reads a vbaProject.bin (its own parser
    and decompression: a reader independent of ours)."""
    from pathlib import Path

    from oletools.olevba import VBA_Parser

    parser = VBA_Parser("vbaProject.bin", data=data)
    try:
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
