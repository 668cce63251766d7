"""The package side of writing a workbook: zip members, relationships, cell
references, the Excel lock check, and the atomic replace of the file."""

from __future__ import annotations

import os
import posixpath
import re
import stat
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from .errors import WorkbookError


MAX_ROW = 1048576
MAX_COL = 16384
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOC_REL = REL_NS + "/officeDocument"
STRICT_OFFICE_DOC_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
TABLE_REL = REL_NS + "/table"
CALC_CHAIN_REL = REL_NS + "/calcChain"
_M = "{%s}" % MAIN_NS
T_REL = "{%s}Relationship" % PKG_REL_NS
A_RID = "{%s}id" % REL_NS
_XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REF_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})\Z")
_COL_CACHE: dict[bytes, int] = {}
_STR_COL_CACHE: dict[str, int] = {}


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


_LETTERS_CACHE: dict[int, str] = {}


def _col_letters(n: int) -> str:
    cached = _LETTERS_CACHE.get(n)
    if cached is not None:
        return cached
    out, k = "", n
    while k:
        k, rem = divmod(k - 1, 26)
        out = chr(65 + rem) + out
    if 1 <= n <= MAX_COL:
        _LETTERS_CACHE[n] = out
    return out


def _parse_ref(ref: str) -> tuple[int, int] | None:
    """'P7' -> (row 7, column 16); None when it is not a valid single-cell reference."""
    m = _REF_RE.match(ref) if isinstance(ref, str) else None
    if not m:
        return None
    letters = m.group(1)
    col = _STR_COL_CACHE.get(letters)
    if col is None:
        col = _STR_COL_CACHE[letters] = _col_number(letters)
    row = int(m.group(2))
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
        return None
    return row, col


def _parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """'A1:C3' (or 'B2') -> (row1, col1, row2, col2); None when unreadable."""
    parts = (ref or "").split(":")
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2:
        return None
    a, b = _parse_ref(parts[0]), _parse_ref(parts[1])
    if a is None or b is None:
        return None
    return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])


def _range_text(r1: int, c1: int, r2: int, c2: int) -> str:
    a = f"{_col_letters(c1)}{r1}"
    b = f"{_col_letters(c2)}{r2}"
    return a if a == b else f"{a}:{b}"


def _where(sheet: str, ref: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return f"{sheet}!{ref}"
    return "'" + sheet.replace("'", "''") + "'!" + ref


def check_not_open(path: str | os.PathLike[str]) -> None:
    """Raise :class:`WorkbookError` when Excel has ``path`` open (its ``~$`` owner file exists).

    Excel names the owner file ``~$`` + the file name; for long names it drops the
    first two characters of the name, so both spellings are checked.
    """
    p = Path(path)
    candidates = ["~$" + p.name]
    if len(p.name) > 2:
        candidates.append("~$" + p.name[2:])
    for name in candidates:
        if (p.parent / name).exists():
            raise WorkbookError(
                p,
                f"is open in Excel (owner file {name})",
                "close it in Excel first, or use the Refresh button inside the workbook",
            )


class _Package:
    """The zip members of a workbook, read once; edited members are kept as bytes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with open(path, "rb") as fh:
                head = fh.read(8)
        except FileNotFoundError:
            raise WorkbookError(path, "does not exist", "check the file name and folder") from None
        except OSError as exc:
            raise WorkbookError(path, f"cannot be read ({exc.strerror or exc})", "check the file's permissions") from None
        if head == _OLE_MAGIC:
            raise WorkbookError(
                path,
                "is password-protected or an old .xls workbook, which cannot be written",
                "open it in Excel, remove the password (File > Info > Protect Workbook) and save it as "
                "an Excel Workbook (.xlsx)",
            )
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError):
            raise WorkbookError(
                path, "is not an Excel workbook (it is not a zip file)", "open it in Excel and save it as .xlsx"
            ) from None
        except OSError as exc:
            raise WorkbookError(path, f"cannot be read ({exc})", "check the file's permissions") from None
        self.zip = zf
        self.infos = zf.infolist()
        self.names = {i.filename: i for i in self.infos}
        # Edited members: bytes, or for a rebuilt sheet the chunks it is streamed from.
        self.changed: dict[str, bytes | list[bytes]] = {}
        self.removed: set[str] = set()

    def close(self) -> None:
        self.zip.close()

    def has(self, name: str) -> bool:
        return name in self.names and name not in self.removed

    def read(self, name: str) -> bytes:
        if name in self.changed:
            data = self.changed[name]
            return data if isinstance(data, bytes) else b"".join(data)
        try:
            return self.zip.read(self.names[name])
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise WorkbookError(self.path, f"is damaged: part {name} cannot be read ({exc})",
                                "open it in Excel, let Excel repair it, and save it again") from None

    def xml(self, name: str) -> etree._Element:
        data = self.read(name)
        try:
            return etree.fromstring(data, parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise WorkbookError(self.path, f"is damaged: part {name} is not valid XML ({exc})",
                                "open it in Excel, let Excel repair it, and save it again") from None

    def rels(self, part: str) -> list[etree._Element]:
        folder, base = posixpath.split(part)
        name = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(name):
            return []
        return list(self.xml(name).iter(T_REL))

    def rels_name(self, part: str) -> str:
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")


_PARSER = etree.XMLParser(remove_blank_text=False, resolve_entities=False, huge_tree=True, no_network=True)


def _resolve_target(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def _serialize(root: etree._Element) -> bytes:
    return _XML_DECL + etree.tostring(root, encoding="UTF-8", xml_declaration=False)


def _remove_part(pkg: _Package, owner_part: str, part: str) -> None:
    pkg.removed.add(part)
    ct_name = "[Content_Types].xml"
    if pkg.has(ct_name):
        ct = pkg.xml(ct_name)
        for el in list(ct.iterchildren("{%s}Override" % CT_NS)):
            if el.get("PartName", "").lstrip("/") == part:
                ct.remove(el)
        pkg.changed[ct_name] = _serialize(ct)
    rels_name = pkg.rels_name(owner_part)
    if pkg.has(rels_name):
        rels = pkg.xml(rels_name)
        for el in list(rels.iter(T_REL)):
            if el.get("TargetMode") != "External" and _resolve_target(owner_part, el.get("Target", "")) == part:
                el.getparent().remove(el)
        pkg.changed[rels_name] = _serialize(rels)


def _write_package(pkg: _Package, src: Path, dest: Path) -> None:
    folder = dest.parent if str(dest.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix="." + dest.name + ".", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WorkbookError(dest, f"cannot be written: no temporary file can be made in {folder} ({exc.strerror or exc})",
                            "check that the folder exists and that you may write to it") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zout:
                for info in pkg.infos:
                    name = info.filename
                    if name in pkg.removed:
                        continue
                    out = zipfile.ZipInfo(name, date_time=info.date_time)
                    out.compress_type = (zipfile.ZIP_STORED if info.compress_type == zipfile.ZIP_STORED
                                         else zipfile.ZIP_DEFLATED)
                    out.external_attr = info.external_attr
                    out.create_system = info.create_system
                    out.comment = info.comment
                    chunks = pkg.changed.get(name)
                    if isinstance(chunks, list):
                        out.file_size = sum(map(len, chunks))  # lets zipfile choose zip64 only if needed
                        with zout.open(out, "w") as member:
                            for chunk in chunks:
                                member.write(chunk)
                    else:
                        zout.writestr(out, pkg.read(name))
                zout.comment = pkg.zip.comment
            fh.flush()
            os.fsync(fh.fileno())
        mode = _target_mode(src, dest)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, dest)
    except BaseException as exc:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass
        if isinstance(exc, WorkbookError) or not isinstance(exc, OSError):
            raise
        raise WorkbookError(dest, f"could not be written ({exc.strerror or exc})",
                            "check the disk space and that you may write to the folder; the file was not changed"
                            ) from exc
    _fsync_dir(folder)


def _target_mode(src: Path, dest: Path) -> int | None:
    for p in (dest, src):
        try:
            return stat.S_IMODE(os.stat(p).st_mode)
        except OSError:
            continue
    return None


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
