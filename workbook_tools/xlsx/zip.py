"""Writing the zip: rebuilt members (`xlsx.member.Member`) copied as compressed,
unchanged members copied still compressed, and the atomic replace of the file
(temporary file, fsync, rename)."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import IO, BinaryIO

from workbook_tools.errors import WorkbookError
from workbook_tools.files import FileIdentity, TemporaryFileError, check_still_the_file_read, write_atomically
from workbook_tools.xlsx.member import Member
from workbook_tools.xlsx.package import Package


def write_package(pkg: Package, src: Path, dest: Path, expect: FileIdentity | None = None) -> None:
    """Write the package to ``dest`` atomically (see `files.write_atomically`), with the
    permissions of the file it replaces, else of the source. With ``expect`` (the
    identity of the source when it was read), the write is refused, ``dest`` untouched,
    when the source is no longer that file just before the replace."""
    def still_the_source() -> None:
        if expect is not None:
            check_still_the_file_read(src, expect)

    try:
        write_atomically(dest, lambda out_file: _write_members(pkg, src, out_file), like=src,
                         before_replace=still_the_source)
    except TemporaryFileError as exc:
        raise WorkbookError(dest, f"cannot be written: no temporary file can be made in {exc.filename} "
                                  f"({exc.strerror or exc})",
                            "check that the folder exists and that you may write to it") from None
    except zipfile.BadZipFile as exc:
        raise WorkbookError(src, f"is damaged ({exc})",
                            "open it in Excel, let Excel repair it, and save it again") from None
    except WorkbookError:
        raise
    except OSError as exc:
        raise WorkbookError(dest, f"could not be written ({exc.strerror or exc})",
                            "check the disk space and that you may write to the folder; the file was not changed"
                            ) from exc


def _write_members(pkg: Package, src: Path, out_file: BinaryIO) -> None:
    """Every member of the package, in its order, into the open file ``out_file``: rebuilt
    members as compressed, unchanged ones copied still compressed where they can be. The
    compressed bytes come from the file the package opened (never the path opened again,
    which may by now be another file)."""
    opened = pkg.zip.fp
    with zipfile.ZipFile(out_file, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zout, \
            (nullcontext(opened) if opened is not None else open(src, "rb")) as raw_src:
        for info in pkg.infos:
            if info.filename not in pkg.removed:
                _write_member(pkg, zout, raw_src, info)
        zout.comment = pkg.zip.comment


def _write_member(pkg: Package, zout: zipfile.ZipFile, raw_src: IO[bytes], info: zipfile.ZipInfo) -> None:
    name = info.filename
    out = zipfile.ZipInfo(name, date_time=info.date_time)
    out.compress_type = zipfile.ZIP_STORED if info.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
    out.external_attr = info.external_attr
    out.create_system = info.create_system
    out.comment = info.comment
    data = pkg.changed.get(name)
    if isinstance(data, Member):
        out.compress_type = data.compress_type
        out.CRC, out.file_size, out.compress_size = data.crc, data.file_size, data.compress_size
        write_raw(zout, out, data.chunks)
    elif data is None and _can_copy_raw(info):
        out.compress_type = info.compress_type
        out.CRC, out.file_size, out.compress_size = info.CRC, info.file_size, info.compress_size
        write_raw(zout, out, _raw_chunks(raw_src, info))
    else:
        zout.writestr(out, data if data is not None else pkg.read(name))


def _can_copy_raw(info: zipfile.ZipInfo) -> bool:
    """An unchanged member can be copied still compressed (no inflate and deflate again)
    when it is stored or deflated, not encrypted, and its sizes are in the central directory."""
    return (info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) and not info.flag_bits & 0x1
            and (info.compress_type == zipfile.ZIP_DEFLATED or info.compress_size == info.file_size))


def _raw_chunks(source: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The compressed bytes of ``info`` as they are in the source file."""
    source.seek(info.header_offset)
    head = source.read(30)
    if len(head) != 30 or head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header of {info.filename}")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    source.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    while left > 0:
        chunk = source.read(min(left, 1 << 20))
        if not chunk:
            raise zipfile.BadZipFile(f"{info.filename} is truncated")
        left -= len(chunk)
        yield chunk


def write_raw(zout: zipfile.ZipFile, zinfo: zipfile.ZipInfo, chunks: Iterable[bytes]) -> None:
    """Add a member whose compressed bytes, CRC and sizes are already known.

    zipfile has no public call for this, so it does what ``ZipFile.open(..., "w")`` does
    (local header, data, central directory entry) without compressing anything."""
    with zout._lock:  # type: ignore[attr-defined]
        zout._writecheck(zinfo)  # type: ignore[attr-defined]
        zout._didModify = True  # type: ignore[attr-defined]
        out_file = zout.fp
        assert out_file is not None
        zinfo.header_offset = out_file.tell()
        zinfo.flag_bits = 0
        out_file.write(zinfo.FileHeader(None))
        written = 0
        for chunk in chunks:
            out_file.write(chunk)
            written += len(chunk)
        if written != zinfo.compress_size:
            raise zipfile.BadZipFile(f"{zinfo.filename}: {written} bytes copied, {zinfo.compress_size} expected")
        zout.start_dir = out_file.tell()
        zout.filelist.append(zinfo)
        zout.NameToInfo[zinfo.filename] = zinfo
