"""A VBA project (the ``vbaProject.bin`` inside an .xlsm) read and written again.

Three formats, each from its Microsoft specification:

- VBA's compression ([MS-OVBA] 2.4.1): `compress` and `decompress`. Module sources and
  the ``dir`` stream are stored compressed.
- The project itself ([MS-OVBA] 2.3): `read_vba_project` takes the modules (name, kind,
  source) and the project-wide records out of an existing project (at most `MAX_MODULES`
  modules and `MAX_SOURCE_BYTES` of source, so a hostile one costs little); `build_vba_project`
  writes a new one from them, with one document module per sheet code name (the
  project's own kept, with ``keep_documents``). `project_references` and
  `with_references` read a project's references and add those another project needs.
- The container, a compound file ([MS-CFB]): read with `olefile`, written by
  `compound_file` (version 3, 512-byte sectors).

No library on PyPI writes these well enough to depend on (checked: ms-cfb and ms-ovba
write scratch files into the current folder, cfbwrite is AGPL and only rewrites an
existing file, ms-ovba-compression fails its own round trip), so the writers are here,
small, and tested against two independent readers (olefile and oletools' olevba).

What is written is what Excel can open without adding anything: a ``_VBA_PROJECT``
stream of the seven bytes the specification says to write and no performance cache
(Excel compiles the project again from the sources), no ``__SRP_*`` caches, module
sources at offset 0 of their streams. This module knows nothing of workbooks (no
OOXML): the caller gives it the code names.
"""

from __future__ import annotations

import codecs
import io
import struct
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple

ModuleKind = Literal["standard", "class", "document"]
#: The Excel object a document module belongs to.
DocumentHost = Literal["workbook", "worksheet", "chart"]


class VbaProjectError(ValueError):
    """The bytes are not a VBA project this module can read, or a name cannot be written."""


class UnsupportedVbaError(VbaProjectError):
    """A project that can be read but holds what a project built from it would not carry over
    faithfully: forms (designer storages), licensed controls, references of an unknown kind."""


class VbaTooLargeError(VbaProjectError):
    """A project larger than this module reads (too many modules, too much source) or than the
    compound file it writes can hold; the message names the size and the limit."""


#: The most modules `read_vba_project` reads (ours: Excel's own projects hold tens; a dir stream
#: listing thousands is damaged or hostile, and each module costs a stream read).
MAX_MODULES = 1000
#: The most source, decompressed, `read_vba_project` reads in all (ours: xlwings' project holds
#: about 60 kB; this bounds the memory a hostile project can make it use).
MAX_SOURCE_BYTES = 32 * 2**20


# --- [MS-OVBA] 2.4.1: compression -----------------------------------------------------------

CHUNK = 4096  # decompressed bytes per chunk ([MS-OVBA] 2.4.1.1.4)
_SIGNATURE = 0x01  # the container's first byte ([MS-OVBA] 2.4.1.1.1)
_COMPRESSED_FLAG, _CHUNK_SIGNATURE = 0x8000, 0x3000  # chunk header bits ([MS-OVBA] 2.4.1.1.5)
#: How many earlier positions with the same three bytes a match is looked for at (ours: more
#: costs time and gains little on source text).
_MATCH_CANDIDATES = 48


def _offset_bits(position_in_chunk: int) -> int:
    """The bits of a copy token that hold the offset at this position ([MS-OVBA] 2.4.1.3.19.1)."""
    return max((position_in_chunk - 1).bit_length(), 4)


def compress(data: bytes) -> bytes:
    """``data`` as a compressed container ([MS-OVBA] 2.4.1.3.6): chunks of 4096 bytes, each
    of literals and copy tokens, or stored raw where that is shorter. A last chunk stored
    raw is padded with zero bytes to 4096, as the specification does; text never needs it."""
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data[start:start + CHUNK])
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    body = _tokens(chunk)
    if len(body) > CHUNK:  # incompressible: a raw chunk ([MS-OVBA] 2.4.1.3.10)
        return struct.pack("<H", _CHUNK_SIGNATURE | (CHUNK - 1)) + chunk.ljust(CHUNK, b"\0")
    return struct.pack("<H", _COMPRESSED_FLAG | _CHUNK_SIGNATURE | (len(body) + 2 - 3)) + body


def _tokens(chunk: bytes) -> bytes:
    """A chunk's token sequences: a flag byte, then eight literals or copy tokens."""
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos, flags_at, token_count = 0, 0, 8
    while pos < len(chunk):
        if token_count == 8:
            flags_at, token_count = len(out), 0
            out.append(0)
        offset, length = _longest_match(chunk, pos, seen)
        if length:
            bits = _offset_bits(pos)
            out += struct.pack("<H", ((offset - 1) << (16 - bits)) | (length - 3))
            out[flags_at] |= 1 << token_count
        else:
            out.append(chunk[pos])
            length = 1
        for at in range(pos, min(pos + length, len(chunk) - 2)):
            seen.setdefault(chunk[at:at + 3], []).append(at)
        pos += length
        token_count += 1
    return bytes(out)


def _longest_match(chunk: bytes, pos: int, seen: dict[bytes, list[int]]) -> tuple[int, int]:
    """(offset, length) of the longest earlier copy of the bytes at ``pos`` (at least 3, at
    most what a token at ``pos`` can say), or (0, 0)."""
    candidates = seen.get(chunk[pos:pos + 3])
    if not candidates:
        return 0, 0
    most = min((0xFFFF >> _offset_bits(pos)) + 3, len(chunk) - pos)
    best_at, best = 0, 0
    for at in reversed(candidates[-_MATCH_CANDIDATES:]):
        if best >= most:
            break
        if chunk[at + best:at + best + 1] != chunk[pos + best:pos + best + 1]:
            continue  # cannot be longer than the best so far
        low, high = 3, most  # the match is at least 3 long: find its length by halving
        while low < high:
            mid = (low + high + 1) // 2
            if chunk[at:at + mid] == chunk[pos:pos + mid]:
                low = mid
            else:
                high = mid - 1
        if low > best:
            best_at, best = at, low
    return (pos - best_at, best) if best >= 3 else (0, 0)


def decompress(data: bytes, max_size: int | None = None) -> bytes:
    """A compressed container's bytes ([MS-OVBA] 2.4.1.3.1); VbaProjectError when malformed,
    VbaTooLargeError when it holds more than ``max_size`` bytes (when given)."""
    if not data or data[0] != _SIGNATURE:
        raise VbaProjectError("not a compressed container (its first byte is not 1)")
    out = bytearray()
    pos = 1
    while pos + 2 <= len(data):
        if max_size is not None and len(out) > max_size:
            raise VbaTooLargeError(f"its source holds more than {_megabytes(max_size)}, more than this tool reads")
        header = struct.unpack_from("<H", data, pos)[0]
        end = min(pos + (header & 0x0FFF) + 3, len(data))
        pos += 2
        if header & 0x7000 != _CHUNK_SIGNATURE:
            raise VbaProjectError(f"a chunk header at byte {pos - 2} has the wrong signature")
        if not header & _COMPRESSED_FLAG:
            out += data[pos:pos + CHUNK]
            pos += CHUNK
            continue
        _expand_chunk(data, pos, end, out)
        pos = end
    if pos != len(data):
        raise VbaProjectError("the compressed container is cut short")
    if max_size is not None and len(out) > max_size:
        raise VbaTooLargeError(f"its source holds more than {_megabytes(max_size)}, more than this tool reads")
    return bytes(out)


def _megabytes(size: int) -> str:
    """A size as people read it: in MB to one decimal, or in kB below a megabyte."""
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size // 1024} kB"


def _expand_chunk(data: bytes, pos: int, end: int, out: bytearray) -> None:
    start = len(out)
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
            if pos + 2 > end:
                raise VbaProjectError("a copy token is cut short")
            token = struct.unpack_from("<H", data, pos)[0]
            pos += 2
            bits = _offset_bits(len(out) - start)
            offset, length = (token >> (16 - bits)) + 1, (token & (0xFFFF >> bits)) + 3
            if offset > len(out) - start:
                raise VbaProjectError("a copy token points before its chunk")
            copied = out[-offset:]  # an overlapping copy repeats these bytes ([MS-OVBA] 2.4.1.3.19.3)
            out += (copied * (length // offset + 1))[:length]


# --- [MS-CFB]: the compound file, written ----------------------------------------------------

SECTOR, MINI_SECTOR, MINI_CUTOFF = 512, 64, 4096  # version 3 ([MS-CFB] 2.2)
_FREE, _END, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_HEADER_FAT_SLOTS = 109  # FAT sector numbers the header holds (the DIFAT's first part)
_ROOT, _STORAGE, _STREAM = 5, 1, 2  # directory entry object types
_RED, _BLACK = 0, 1
_FORBIDDEN_IN_NAMES = set("/\\:!")  # [MS-CFB] 2.6.1


class _Entry:
    """A directory entry while the file is laid out."""

    def __init__(self, name: str, kind: int, data: bytes = b"") -> None:
        self.name, self.kind, self.data = name, kind, data
        self.children: list[_Entry] = []
        self.index = 0
        self.start, self.left, self.right, self.child, self.colour = _END, _NO_STREAM, _NO_STREAM, _NO_STREAM, _BLACK


def _check_name(name: str) -> None:
    if not name or len(name) > 31 or _FORBIDDEN_IN_NAMES & set(name) or any(ord(c) < 32 for c in name):
        raise VbaProjectError(f"{name!r} cannot name a stream (1 to 31 characters, none of / \\ : ! or controls)")


def _tree(streams: Mapping[str, bytes]) -> _Entry:
    """The storages and streams named by "STORAGE/STREAM" paths, under the root entry."""
    root = _Entry("Root Entry", _ROOT)
    for path, data in streams.items():
        *folders, leaf = path.split("/")
        node = root
        for folder in folders:
            _check_name(folder)
            found = [c for c in node.children if c.name.upper() == folder.upper()]
            if found and found[0].kind != _STORAGE:
                raise VbaProjectError(f"{path!r}: {folder!r} is a stream, not a storage")
            node = found[0] if found else _add(node, _Entry(folder, _STORAGE))
        _check_name(leaf)
        if any(c.name.upper() == leaf.upper() for c in node.children):
            raise VbaProjectError(f"{path!r} is named twice")
        _add(node, _Entry(leaf, _STREAM, bytes(data)))
    return root


def _add(parent: _Entry, child: _Entry) -> _Entry:
    parent.children.append(child)
    return child


def _flatten(root: _Entry) -> list[_Entry]:
    """Every entry, the root first, each storage's children after it (breadth first)."""
    entries: list[_Entry] = []
    queue = [root]
    while queue:
        node = queue.pop(0)
        node.index = len(entries)
        entries.append(node)
        queue += node.children
    return entries


def _order_key(entry: _Entry) -> tuple[int, str]:
    """Siblings' order ([MS-CFB] 2.6.4): shorter names first, then by upper-cased code points."""
    return len(entry.name.encode("utf-16-le")) // 2, entry.name.upper()


def _link_siblings(parent: _Entry) -> None:
    """A storage's children as a balanced binary search tree coloured as a valid red-black
    tree: every level black but the last one when it is not the root (all paths then hold
    the same number of black nodes, and no red node has a red child)."""
    ordered = sorted(parent.children, key=_order_key)
    depth_of: dict[int, int] = {}

    def build(items: list[_Entry], depth: int) -> int:
        if not items:
            return _NO_STREAM
        mid = len(items) // 2
        node = items[mid]
        depth_of[node.index] = depth
        node.left, node.right = build(items[:mid], depth + 1), build(items[mid + 1:], depth + 1)
        return node.index

    parent.child = build(ordered, 0)
    deepest = max(depth_of.values(), default=0)
    for node in ordered:
        node.colour = _RED if deepest and depth_of[node.index] == deepest else _BLACK


def _chain(fat: list[int], first: int, count: int) -> None:
    """Sectors ``first`` .. ``first + count - 1`` linked into one chain of the table."""
    fat.extend(range(first + 1, first + count))
    fat.append(_END)


def _sectors(size: int, unit: int) -> int:
    return -(-size // unit)


def compound_file(streams: Mapping[str, bytes]) -> bytes:
    """A compound file (version 3) holding ``streams``, keyed by "STORAGE/NAME" paths; the
    storages are made as the paths need them. Deterministic: no times, no class ids, the
    entries in the order given. VbaProjectError for a name the format cannot hold."""
    root = _tree(streams)
    entries = _flatten(root)
    for entry in entries:
        if entry.kind != _STREAM:
            _link_siblings(entry)
    big = [e for e in entries if e.kind == _STREAM and len(e.data) >= MINI_CUTOFF]
    small = [e for e in entries if e.kind == _STREAM and 0 < len(e.data) < MINI_CUTOFF]
    fat: list[int] = []
    body = bytearray()
    for entry in big:
        entry.start = len(fat)
        _chain(fat, entry.start, _sectors(len(entry.data), SECTOR))
        body += entry.data.ljust(_sectors(len(entry.data), SECTOR) * SECTOR, b"\0")
    minifat: list[int] = []
    ministream = bytearray()
    for entry in small:
        entry.start = len(minifat)
        _chain(minifat, entry.start, _sectors(len(entry.data), MINI_SECTOR))
        ministream += entry.data.ljust(_sectors(len(entry.data), MINI_SECTOR) * MINI_SECTOR, b"\0")
    if ministream:
        root.data = bytes(ministream)
        root.start = len(fat)
        _chain(fat, root.start, _sectors(len(ministream), SECTOR))
        body += ministream.ljust(_sectors(len(ministream), SECTOR) * SECTOR, b"\0")
    first_minifat = _END
    if minifat:
        table = _table(minifat, SECTOR)
        first_minifat = len(fat)
        _chain(fat, first_minifat, len(table) // SECTOR)
        body += table
    directory = _directory(entries)
    first_directory = len(fat)
    _chain(fat, first_directory, len(directory) // SECTOR)
    body += directory
    fat_sectors = _fat_sectors(len(fat), len(body))
    fat_start = len(fat)
    fat += [_FAT_SECTOR] * fat_sectors
    body += _table(fat, SECTOR * fat_sectors)
    header = _header(fat_start, fat_sectors, first_directory, first_minifat, _sectors(len(minifat) * 4, SECTOR))
    return header + bytes(body)


def _fat_sectors(used: int, size: int) -> int:
    """The FAT sectors needed for ``used`` sectors (``size`` bytes) and the FAT's own;
    VbaTooLargeError when the header cannot list them all."""
    count = 1
    while (used + count) > count * (SECTOR // 4):
        count += 1
    if count > _HEADER_FAT_SLOTS:
        most = _HEADER_FAT_SLOTS * (SECTOR // 4) * SECTOR
        raise VbaTooLargeError(f"the project would take {_megabytes(size)}, more than the {_megabytes(most)} a "
                               "compound file without DIFAT sectors holds")
    return count


def _table(values: list[int], size: int) -> bytes:
    """A FAT or mini FAT: the entries, then free entries up to whole sectors (at least ``size``)."""
    count = max(_sectors(len(values) * 4, SECTOR) * SECTOR, size) // 4
    return struct.pack(f"<{count}I", *values, *[_FREE] * (count - len(values)))


def _directory(entries: list[_Entry]) -> bytes:
    out = bytearray()
    for entry in entries:
        name = (entry.name + "\0").encode("utf-16-le")
        size = len(entry.data) if entry.kind != _STORAGE else 0
        start = entry.start if size or entry.kind == _ROOT else (0 if entry.kind == _STORAGE else _END)
        out += name.ljust(64, b"\0") + struct.pack(
            "<HBBIII16sIQQIQ", len(name), entry.kind, entry.colour, entry.left, entry.right, entry.child,
            b"\0" * 16, 0, 0, 0, start, size)
    while len(out) % SECTOR:  # unused entries ([MS-CFB] 2.6.3): no name, no siblings
        out += b"\0" * 64 + struct.pack("<HBBIII16sIQQIQ", 0, 0, 0, _NO_STREAM, _NO_STREAM, _NO_STREAM,
                                        b"\0" * 16, 0, 0, 0, 0, 0)
    return bytes(out)


def _header(fat_start: int, fat_sectors: int, first_directory: int, first_minifat: int,
            minifat_sectors: int) -> bytes:
    """The 512-byte header ([MS-CFB] 2.2), its DIFAT part listing every FAT sector."""
    difat = list(range(fat_start, fat_start + fat_sectors)) + [_FREE] * (_HEADER_FAT_SLOTS - fat_sectors)
    return (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
            + struct.pack("<HHHHH6sIIIIIIIII", 0x003E, 0x0003, 0xFFFE, 9, 6, b"\0" * 6, 0, fat_sectors,
                          first_directory, 0, MINI_CUTOFF, first_minifat, minifat_sectors, _END, 0)
            + struct.pack(f"<{_HEADER_FAT_SLOTS}I", *difat))


# --- [MS-OVBA] 2.3: the project --------------------------------------------------------------

class VbaModule(NamedTuple):
    """One module of a project: its name, kind and VBA source (attribute lines included,
    line ends as stored)."""

    name: str
    kind: ModuleKind
    source: str
    doc_string: str = ""
    help_context: int = 0
    read_only: bool = False
    private: bool = False


class VbaProject(NamedTuple):
    """What `read_vba_project` takes from a project to build another from it."""

    #: The ``dir`` stream's PROJECTINFORMATION and PROJECTREFERENCES records, as they were.
    information: bytes
    code_page: int
    #: The PROJECT stream's properties other than its module lines (ID, Name, CMG, ...).
    properties: tuple[str, ...]
    #: Its [Host Extender Info] lines.
    host_extenders: tuple[str, ...]
    modules: tuple[VbaModule, ...]


# dir stream record ids ([MS-OVBA] 2.3.4.2)
_PROJECTCODEPAGE, _PROJECTVERSION, _PROJECTMODULES, _PROJECTCOOKIE, _DIR_END = 0x03, 0x09, 0x0F, 0x13, 0x10
_MODULENAME, _MODULENAMEUNICODE, _MODULESTREAMNAME, _MODULESTREAMNAMEUNICODE = 0x19, 0x47, 0x1A, 0x32
_MODULEDOCSTRING, _MODULEDOCSTRINGUNICODE, _MODULEOFFSET, _MODULEHELPCONTEXT = 0x1C, 0x48, 0x31, 0x1E
_MODULECOOKIE, _PROCEDURAL, _NON_PROCEDURAL, _READONLY, _PRIVATE, _MODULE_END = 0x2C, 0x21, 0x22, 0x25, 0x28, 0x2B
#: The _VBA_PROJECT stream as [MS-OVBA] 2.3.4.1 and 3.1.1 say to write it: Reserved1 0x61CC,
#: Version 0xFFFF, Reserved2 0x00, Reserved3 0x0001, and no performance cache.
VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000100")
#: The PROJECT stream's line for each kind of module ([MS-OVBA] 2.3.1.5 - 2.3.1.8).
_PROJECT_LINE = {"document": "Document={}/&H00000000", "standard": "Module={}", "class": "Class={}"}
_MODULE_LINES = ("Document=", "Module=", "Class=", "BaseClass=", "Package=")
#: The attributes of a document module, as Excel writes them (the xlwings quickstart's
#: and the Excel reference corpus's vbaProject01.bin): the type of the host object, then flags.
_DOCUMENT_BASE: dict[str, str] = {
    "workbook": "0{00020819-0000-0000-C000-000000000046}",  # Excel's Workbook class
    "worksheet": "0{00020820-0000-0000-C000-000000000046}",  # Excel's Worksheet class
    "chart": "0{00020821-0000-0000-C000-000000000046}",  # Excel's Chart class (a chart sheet's module)
}
#: What a compound file holds at its top besides the PROJECT streams and the VBA storage
#: ([MS-OVBA] 2.2.1): a storage per form (its designer), and PROJECTlk, the licences of
#: ActiveX controls. None of it is carried over, so a project holding any is refused.
_PROJECT_TOP = {"PROJECT", "PROJECTWM", "VBA"}
_DOCUMENT_FLAGS = (("VB_GlobalNameSpace", "False"), ("VB_Creatable", "False"), ("VB_PredeclaredId", "True"),
                   ("VB_Exposed", "True"), ("VB_TemplateDerived", "False"), ("VB_Customizable", "True"))
MAX_NAME = 31  # VBA's longest module name (ours: the VBE refuses longer ones)


class _Record(NamedTuple):
    id: int
    start: int
    body: bytes


def _records(data: bytes) -> list[_Record]:
    """The ``dir`` stream's records: an id (2 bytes), a size (4) and that many bytes;
    PROJECTVERSION says 4 and holds 6 ([MS-OVBA] 2.3.4.2.1.11)."""
    out, pos = [], 0
    while pos + 6 <= len(data):
        record_id, size = struct.unpack_from("<HI", data, pos)
        if record_id == _PROJECTVERSION:
            size = 6
        if pos + 6 + size > len(data):
            raise VbaProjectError(f"the dir stream's record {record_id:#06x} runs past its end")
        out.append(_Record(record_id, pos, data[pos + 6:pos + 6 + size]))
        pos += 6 + size
        if record_id == _DIR_END:
            return out
    raise VbaProjectError("the dir stream has no terminator")


def _codec(code_page: int) -> str:
    name = {65001: "utf-8", 10000: "mac_roman"}.get(code_page, f"cp{code_page}")
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise VbaProjectError(f"the project's code page {code_page} is unknown here") from None


def read_vba_project(data: bytes) -> VbaProject:
    """The modules and project-wide records of a vbaProject.bin; VbaProjectError when it is
    not one or is damaged (two modules stored in one stream), UnsupportedVbaError (a
    VbaProjectError) when it holds forms or licensed controls, which a project built from it
    would not carry over, VbaTooLargeError (one too) when it lists more than `MAX_MODULES`
    modules or holds more than `MAX_SOURCE_BYTES` of source."""
    import olefile  # type: ignore[import-untyped]  # here: only the commands that build a project pay for it

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            _check_top_level(ole)
            dir_bytes = decompress(ole.openstream("VBA/dir").read(), MAX_SOURCE_BYTES)
            records = _records(dir_bytes)
            info_end = next(r.start for r in records if r.id == _PROJECTMODULES)
            page = next((struct.unpack("<H", r.body[:2])[0] for r in records if r.id == _PROJECTCODEPAGE), 1252)
            codec = _codec(page)
            properties, extenders, kinds = _project_text(ole.openstream("PROJECT").read().decode(codec))
            raw = _module_records(records)
            _check_module_records(raw, codec)
            budget = [MAX_SOURCE_BYTES]
            modules = tuple(_module(ole, fields, kinds, codec, budget) for fields in raw)
    except VbaProjectError:
        raise
    except (OSError, ValueError, KeyError, IndexError, StopIteration, struct.error, UnicodeError) as exc:
        raise VbaProjectError(f"not a VBA project that can be read ({exc})") from None
    return VbaProject(dir_bytes[:info_end], page, properties, extenders, modules)


def _check_top_level(ole: Any) -> None:
    """UnsupportedVbaError for anything at the top of the compound file but the project's own
    streams and the VBA storage: a form's designer storage or the controls' licences."""
    for path in ole.listdir(streams=True, storages=True):
        if len(path) == 1 and path[0].upper() not in _PROJECT_TOP:
            raise UnsupportedVbaError(f"the project holds {path[0]!r}, a form's designer or the licences of "
                                      "ActiveX controls, which cannot be carried over")


def _project_text(text: str) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    """The PROJECT stream's properties without module lines, its host extender lines, and
    each module's kind by name. VbaProjectError for a project with forms (designers)."""
    lines = text.replace("\r\n", "\n").split("\n")
    properties: list[str] = []
    extenders: list[str] = []
    kinds: dict[str, str] = {}
    section = ""
    for line in lines:
        if line.startswith("["):
            section = line.strip()
            continue
        if not line.strip():
            continue
        if section == "[Host Extender Info]":
            extenders.append(line)
        elif section:
            continue  # [Workspace]: window positions, written anew
        elif line.startswith(("BaseClass=", "Package=")):
            raise UnsupportedVbaError("the project holds forms (designer modules), which cannot be carried over")
        elif line.startswith(_MODULE_LINES):
            key, _, value = line.partition("=")
            kind = {"Document": "document", "Module": "standard", "Class": "class"}[key]
            kinds[value.split("/")[0].casefold()] = kind
        else:
            properties.append(line)
    if not properties or not properties[0].startswith("ID="):
        raise VbaProjectError("the PROJECT stream does not start with the project's ID")
    return tuple(properties), tuple(extenders), kinds


def _module_records(records: list[_Record]) -> list[dict[int, bytes]]:
    """Each module's records by id, in the order of the dir stream."""
    modules: list[dict[int, bytes]] = []
    current: dict[int, bytes] | None = None
    for record in records:
        if record.id == _MODULENAME:
            current = {}
            modules.append(current)
        if current is not None:
            current[record.id] = record.body
        if record.id == _MODULE_END:
            current = None
    return modules


def _check_module_records(modules: list[dict[int, bytes]], codec: str) -> None:
    """VbaProjectError (damaged) for two modules stored in one stream (stream names ignore
    case, [MS-CFB] 2.6.4); VbaTooLargeError for more modules than `MAX_MODULES`."""
    seen: dict[str, str] = {}
    for fields in modules:
        name, stream = _module_name(fields, codec), fields[_MODULESTREAMNAME].decode(codec)
        if stream.upper() in seen:
            raise VbaProjectError(f"the project is damaged: its modules {seen[stream.upper()]!r} and {name!r} are "
                                  f"both stored in the stream {stream!r}")
        seen[stream.upper()] = name
    if len(modules) > MAX_MODULES:
        raise VbaTooLargeError(f"its dir stream lists {len(modules):,} modules, more than the {MAX_MODULES:,} this "
                               "tool reads")


def _module_name(fields: dict[int, bytes], codec: str) -> str:
    return (fields[_MODULENAMEUNICODE].decode("utf-16-le") if _MODULENAMEUNICODE in fields
            else fields[_MODULENAME].decode(codec))


def _module(ole: Any, fields: dict[int, bytes], kinds: dict[str, str], codec: str, budget: list[int]) -> VbaModule:
    """One module read; ``budget`` holds the source bytes still allowed, and is lowered by this one's."""
    name = _module_name(fields, codec)
    stream = fields[_MODULESTREAMNAME].decode(codec)
    offset = struct.unpack("<I", fields[_MODULEOFFSET])[0]
    raw = ole.openstream(f"VBA/{stream}").read()
    try:
        data = decompress(raw[offset:], budget[0])
    except VbaTooLargeError:
        raise VbaTooLargeError(f"its modules' source holds more than {_megabytes(MAX_SOURCE_BYTES)}, more than "
                               "this tool reads") from None
    budget[0] -= len(data)
    source = data.decode(codec)
    procedural = _PROCEDURAL in fields
    kind = "standard" if procedural else kinds.get(name.casefold(), "class")
    if kind == "standard" and not procedural:
        kind = "class"
    return VbaModule(name, kind, source,  # type: ignore[arg-type]
                     doc_string=fields.get(_MODULEDOCSTRING, b"").decode(codec),
                     help_context=struct.unpack("<I", fields.get(_MODULEHELPCONTEXT, b"\0\0\0\0"))[0],
                     read_only=_READONLY in fields, private=_PRIVATE in fields)


# --- [MS-OVBA] 2.3.4.2.2: the project's references ------------------------------------------

#: The records a reference is made of: its name (and the name in UTF-16), then a registered
#: type library, another project, or a control's type library (its "original" record
#: first, when it has one; its own name and extended part inside).
_REFERENCENAME, _REFERENCENAMEUNICODE, _REFERENCEREGISTERED, _REFERENCEPROJECT = 0x16, 0x3E, 0x0D, 0x0E
_REFERENCECONTROL, _REFERENCEORIGINAL, _REFERENCEEXTENDED = 0x2F, 0x33, 0x30
_PROJECTCONSTANTSUNICODE = 0x3C  # the last record of PROJECTINFORMATION, before the references
_NO_GUID = "{00000000-0000-0000-0000-000000000000}"


class VbaReference(NamedTuple):
    """One reference of a project (Tools > References in the VBA editor)."""

    #: Its name, as the VBA editor shows it ("" when it has none).
    name: str
    #: What it refers to: the type library's GUID, or the path of the project it names.
    library: str
    #: Its records in the dir stream, as they were.
    records: bytes


def project_references(project: VbaProject) -> tuple[VbaReference, ...]:
    """The references in ``project``'s dir stream records. UnsupportedVbaError when they
    hold a record this module does not know, so it could not carry them over."""
    records = _records(project.information + _record(_DIR_END))[:-1]
    starts = [i for i, r in enumerate(records) if r.id == _PROJECTCONSTANTSUNICODE]
    position = starts[0] + 1 if starts else len(records)
    references: list[VbaReference] = []
    ends = [r.start for r in records[1:]] + [len(project.information)]
    while position < len(records):
        first = position
        name = ""
        if records[position].id == _REFERENCENAME:
            name = records[position].body.decode(_codec(project.code_page), "replace")
            position += 1 + _at(records, position + 1, _REFERENCENAMEUNICODE)
        position = _reference_end(records, position)
        data = project.information[records[first].start:ends[position - 1]]
        references.append(VbaReference(name, _library(records[first:position]), data))
    return tuple(references)


def _at(records: list[_Record], position: int, *ids: int) -> int:
    """1 when the record at ``position`` is one of ``ids``, else 0."""
    return 1 if position < len(records) and records[position].id in ids else 0


def _reference_end(records: list[_Record], position: int) -> int:
    """The position after the reference body that starts at ``position``."""
    kind = records[position].id if position < len(records) else None
    if kind in (_REFERENCEREGISTERED, _REFERENCEPROJECT):
        return position + 1
    position += _at(records, position, _REFERENCEORIGINAL)
    if not _at(records, position, _REFERENCECONTROL):
        found = f"{records[position].id:#06x}" if position < len(records) else "nothing"
        raise UnsupportedVbaError(f"the project's references hold a record this tool does not know ({found}), "
                                  "so they cannot be carried over")
    position += 1
    position += _at(records, position, _REFERENCENAME)
    position += _at(records, position, _REFERENCENAMEUNICODE)
    if not _at(records, position, _REFERENCEEXTENDED):
        raise UnsupportedVbaError("a control's reference in the project ends early, so it cannot be carried over")
    return position + 1


def _library(records: list[_Record]) -> str:
    """What a reference refers to: the first type library GUID in it, else its libid."""
    import re

    body = b"".join(r.body for r in records if r.id not in (_REFERENCENAME, _REFERENCENAMEUNICODE))
    text = body.decode("latin-1")
    guids = [g.upper() for g in re.findall(r"\{[0-9A-Fa-f-]{36}\}", text) if g != _NO_GUID]
    return guids[0] if guids else text.casefold()


def with_references(project: VbaProject, references: Iterable[VbaReference]) -> VbaProject:
    """``project`` with those of ``references`` it does not have (by library) added after its
    own, its own kept as they were. UnsupportedVbaError when its references cannot be read,
    or when one to add has the name of one of its own that refers to another library."""
    own = project_references(project)
    libraries = {r.library for r in own}
    names = {r.name.casefold(): r.library for r in own if r.name}
    added = bytearray()
    for reference in references:
        if reference.library in libraries:
            continue
        if names.get(reference.name.casefold(), reference.library) != reference.library:
            raise UnsupportedVbaError(f"the project has a reference named {reference.name!r} to another library "
                                      "than the one of that name the new modules need")
        added += reference.records
        libraries.add(reference.library)
    return project._replace(information=project.information + bytes(added)) if added else project


def document_module(code_name: str, host: DocumentHost = "worksheet") -> VbaModule:
    """The empty document module of the worksheet, chart sheet or workbook (``host``) whose
    code name is ``code_name``, with the attributes Excel gives it."""
    lines = [f'Attribute VB_Name = "{code_name}"', f'Attribute VB_Base = "{_DOCUMENT_BASE[host]}"']
    lines += [f"Attribute {name} = {value}" for name, value in _DOCUMENT_FLAGS]
    return VbaModule(code_name, "document", "\r\n".join(lines) + "\r\n")


def is_module_name(name: object) -> bool:
    """Whether ``name`` can name a VBA module (and so be a code name): a letter, then letters,
    digits and underscores, at most 31 in all."""
    return (isinstance(name, str) and 0 < len(name) <= MAX_NAME and name[0].isalpha()
            and all(c.isalnum() or c == "_" for c in name))


def build_vba_project(base: VbaProject, sheet_code_names: Sequence[str], *,
                      workbook_code_name: str | None = "ThisWorkbook",
                      modules: Iterable[VbaModule] = (), charts: Collection[str] = (),
                      keep_documents: bool = False) -> bytes:
    """A vbaProject.bin: a document module for the workbook (unless None) and for each sheet
    code name (a chart sheet's for those in ``charts``), ``base``'s standard and class
    modules with their sources unchanged, then ``modules``. ``base``'s document modules are
    left out, unless ``keep_documents``: then each is kept as it is, in place of the empty
    one of its code name, and those of no code name given follow the others. The project's
    information, references and properties are ``base``'s. VbaProjectError for a name that
    is not a module name, a name given twice (ignoring case), or one the project's code
    page cannot write."""
    documents = _documents(base, sheet_code_names, workbook_code_name, charts, keep_documents)
    kept = [m for m in base.modules if m.kind != "document"]
    every = documents + kept + list(modules)
    _check_names(every, _codec(base.code_page))
    codec = _codec(base.code_page)
    streams: dict[str, bytes] = {
        "PROJECT": _project_stream(base, every).encode(codec),
        "PROJECTwm": _project_wm(every, codec),
        "VBA/_VBA_PROJECT": VBA_PROJECT_STREAM,
        "VBA/dir": compress(_dir_stream(base, every, codec)),
    }
    for module in every:
        streams[f"VBA/{module.name}"] = compress(module.source.encode(codec))
    return compound_file(streams)


def _documents(base: VbaProject, sheet_code_names: Sequence[str], workbook_code_name: str | None,
               charts: Collection[str], keep: bool) -> list[VbaModule]:
    """The document modules of a project: the workbook's, then each sheet's in order, then
    (when ``keep``) the base's that no code name called for."""
    wanted: list[tuple[str, DocumentHost]] = []
    if workbook_code_name is not None:
        wanted.append((workbook_code_name, "workbook"))
    wanted += [(name, "chart" if name in charts else "worksheet") for name in sheet_code_names]
    old = {m.name.casefold(): m for m in base.modules if m.kind == "document"} if keep else {}
    made = [old.pop(name.casefold()) if name.casefold() in old else document_module(name, host)
            for name, host in wanted]
    return made + list(old.values())


def _check_names(modules: list[VbaModule], codec: str) -> None:
    seen: set[str] = set()
    for module in modules:
        if not is_module_name(module.name):
            raise VbaProjectError(f"{module.name!r} cannot name a VBA module (a letter, then letters, digits "
                                  f"or underscores, at most {MAX_NAME})")
        if module.name.casefold() in seen:
            raise VbaProjectError(f"two modules would be named {module.name!r}")
        seen.add(module.name.casefold())
        try:
            module.name.encode(codec)
            module.source.encode(codec)
            module.doc_string.encode(codec)
        except UnicodeError:
            raise VbaProjectError(f"module {module.name!r} cannot be written in the project's code page "
                                  f"({codec})") from None


def _project_stream(base: VbaProject, modules: list[VbaModule]) -> str:
    """The PROJECT stream ([MS-OVBA] 2.3.1): the ID, a line per module, the other properties,
    the host extenders, and a workspace line per module (the editor's windows, closed)."""
    lines = [base.properties[0]] + [_PROJECT_LINE[m.kind].format(m.name) for m in modules]
    lines += list(base.properties[1:]) + ["", "[Host Extender Info]", *base.host_extenders, "", "[Workspace]"]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return "\r\n".join(lines) + "\r\n"


def _project_wm(modules: list[VbaModule], codec: str) -> bytes:
    """The PROJECTwm stream ([MS-OVBA] 2.3.3): each name in the code page and in UTF-16."""
    out = b"".join(m.name.encode(codec) + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in modules)
    return out + b"\0\0"


def _record(record_id: int, body: bytes = b"") -> bytes:
    return struct.pack("<HI", record_id, len(body)) + body


def _dir_stream(base: VbaProject, modules: list[VbaModule], codec: str) -> bytes:
    """The dir stream, uncompressed ([MS-OVBA] 2.3.4.2): the base's information and
    references, then the modules, each source at offset 0 of its stream. Cookies are
    0xFFFF, as the specification says to write them."""
    out = bytearray(base.information)
    out += _record(_PROJECTMODULES, struct.pack("<H", len(modules))) + _record(_PROJECTCOOKIE, b"\xff\xff")
    for m in modules:
        out += _record(_MODULENAME, m.name.encode(codec)) + _record(_MODULENAMEUNICODE, m.name.encode("utf-16-le"))
        out += _record(_MODULESTREAMNAME, m.name.encode(codec))
        out += _record(_MODULESTREAMNAMEUNICODE, m.name.encode("utf-16-le"))
        out += _record(_MODULEDOCSTRING, m.doc_string.encode(codec))
        out += _record(_MODULEDOCSTRINGUNICODE, m.doc_string.encode("utf-16-le"))
        out += _record(_MODULEOFFSET, struct.pack("<I", 0))
        out += _record(_MODULEHELPCONTEXT, struct.pack("<I", m.help_context))
        out += _record(_MODULECOOKIE, b"\xff\xff")
        out += _record(_PROCEDURAL if m.kind == "standard" else _NON_PROCEDURAL)
        out += (_record(_READONLY) if m.read_only else b"") + (_record(_PRIVATE) if m.private else b"")
        out += _record(_MODULE_END)
    return bytes(out + _record(_DIR_END))
