"""Test helpers for reading .xlsx packages independently of workbook_tools.xlsx_write."""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
M = f"{{{MAIN}}}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

CORPUS = Path(__file__).resolve().parents[2].parent / "shared/corpus/excel-reference"


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid RGB PNG made with zlib/struct only."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def members(path: Path) -> dict[str, bytes]:
    """name -> bytes, in zip order."""
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def col_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def split_ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref.upper())
    assert m, ref
    return int(m.group(2)), col_number(m.group(1))


def parse_range(ref: str) -> tuple[int, int, int, int]:
    a, _, b = ref.partition(":")
    r1, c1 = split_ref(a)
    r2, c2 = split_ref(b or a)
    return r1, c1, r2, c2


def first_worksheet(path: Path) -> tuple[str, str] | None:
    """(sheet name, part name) of the first sheet whose part is a worksheet."""
    with zipfile.ZipFile(path) as zf:
        wb = etree.fromstring(zf.read("xl/workbook.xml"))
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iter(REL):
        target = rel.get("Target")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        targets[rel.get("Id")] = (rel.get("Type").rsplit("/", 1)[-1], part)
    for sheet in wb.iter(M + "sheet"):
        kind, part = targets[sheet.get(RID)]
        if kind == "worksheet":
            return sheet.get("name"), part
    return None


def canon(el: etree._Element) -> bytes:
    el = etree.fromstring(etree.tostring(el))
    el.tail = None
    return etree.tostring(el, method="c14n")


def sheet_cells(xml: bytes) -> dict[str, bytes]:
    """A1 ref -> canonical XML of its <c> element."""
    root = etree.fromstring(xml)
    return {c.get("r"): canon(c) for c in root.iter(M + "c") if c.getparent().tag == M + "row"}


def sheet_other_parts(xml: bytes) -> list[bytes]:
    """Canonical XML of every worksheet child except <dimension> and <sheetData>."""
    root = etree.fromstring(xml)
    return [canon(ch) for ch in root if ch.tag not in (M + "dimension", M + "sheetData")]


def rows_attrs(xml: bytes) -> dict[str, dict[str, str]]:
    root = etree.fromstring(xml)
    return {r.get("r"): {k: v for k, v in r.attrib.items() if k != "spans"} for r in root.iter(M + "row")}


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """Largest row and column used by cells, merges, or formula ranges (not the dimension)."""
    root = etree.fromstring(xml)
    max_r = max_c = 1
    refs = [c.get("r") for c in root.iter(M + "c") if c.get("r")]
    refs += [el.get("ref") for el in root.iter(M + "mergeCell", M + "f") if el.get("ref")]
    for ref in refs:
        for part in ref.split(":"):
            if re.fullmatch(r"\$?[A-Za-z]+\$?\d+", part):
                r, c = split_ref(part)
                max_r, max_c = max(max_r, r), max(max_c, c)
    return max_r, max_c


def blocked_ranges(xml: bytes) -> list[tuple[str, tuple[int, int, int, int]]]:
    """('merged'|'array', rect) for every merged range and array formula range of more than one cell."""
    root = etree.fromstring(xml)
    out = []
    for m in root.iter(M + "mergeCell"):
        out.append(("merged", parse_range(m.get("ref"))))
    for f in root.iter(M + "f"):
        if f.get("t") == "array" and f.get("ref"):
            out.append(("array", parse_range(f.get("ref"))))
    return out


def is_protected(xml: bytes) -> bool:
    root = etree.fromstring(xml)
    p = root.find(M + "sheetProtection")
    return p is not None and p.get("sheet") in ("1", "true")


def style_locked(styles_xml: bytes, idx: int) -> bool:
    root = etree.fromstring(styles_xml)
    xfs = root.find(M + "cellXfs").findall(M + "xf")
    prot = xfs[idx].find(M + "protection")
    return prot is None or prot.get("locked", "1") not in ("0", "false")


def new_cell_style(xml: bytes, row: int, col: int) -> int:
    """The style Excel gives a new cell: the row's (customFormat) or the column's, else 0."""
    root = etree.fromstring(xml)
    for r in root.iter(M + "row"):
        if r.get("r") == str(row) and r.get("customFormat") in ("1", "true"):
            return int(r.get("s", "0"))
    for c in root.iter(M + "col"):
        if int(c.get("min")) <= col <= int(c.get("max")) and c.get("style"):
            return int(c.get("style"))
    return 0


def replace_member(path: Path, name: str, data: bytes) -> None:
    """Rewrite ``path`` with member ``name`` replaced (test fixture building only)."""
    items = members(path)
    items[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in items.items():
            zf.writestr(n, d)


def defined_names(workbook_xml: bytes) -> dict[str, str]:
    """The workbook-scope defined names of a workbook part: name -> formula."""
    root = etree.fromstring(workbook_xml)
    return {el.get("name"): el.text or "" for el in root.iter(M + "definedName") if el.get("localSheetId") is None}


def without_name(workbook_xml: bytes, name: str) -> bytes:
    """The workbook part canonicalised (C14N), with the defined name ``name`` taken out:
    equal for two parts that differ only by that name."""
    root = etree.fromstring(workbook_xml)
    for el in list(root.iter(M + "definedName")):
        if el.get("name") == name:
            el.getparent().remove(el)
    for names in list(root.iter(M + "definedNames")):
        if len(names) == 0:
            names.getparent().remove(names)
    return etree.tostring(root, method="c14n")


# --- Hyperlinks, read back without workbook_tools ----------------------------------------------

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HYPERLINK_TYPE = f"{REL_NS}/hyperlink"
#: CT_Worksheet's children in schema order (ECMA-376 Part 1, 18.3.1.99).
SCHEMA_ORDER = ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
                "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
                "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations",
                "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
                "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
                "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
                "extLst"]


class Link(NamedTuple):
    """A hyperlink as the package holds it: its relationship's target (None for a place in
    the workbook), its location, its tooltip, its relationship id."""

    target: str | None
    location: str | None
    tooltip: str | None
    rid: str | None


def rels_name(part: str) -> str:
    """The relationships part of ``part``."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def first_sheet_links(path: Path) -> dict[str, Link]:
    """Every hyperlink of the workbook's first worksheet by ref, each with its
    relationship's target; fails on a dangling relationship id, two links on one cell,
    two relationships of one id, or a hyperlink relationship that is not external."""
    found = first_worksheet(path)
    assert found is not None
    parts = members(path)
    root = etree.fromstring(parts[found[1]])
    rels = parts.get(rels_name(found[1]), b"")
    targets: dict[str, str] = {}
    if rels:
        for rel in etree.fromstring(rels).iter(REL):
            if rel.get("Type") == HYPERLINK_TYPE:
                assert rel.get("TargetMode") == "External", rel.get("Id")
            assert rel.get("Id") not in targets, f"two relationships {rel.get('Id')}"
            targets[rel.get("Id")] = rel.get("Target")
    out: dict[str, Link] = {}
    for el in root.iter(M + "hyperlink"):
        rid = el.get(RID)
        assert rid is None or rid in targets, f"{rid} has no relationship"
        assert el.get("ref") not in out, f"two links on {el.get('ref')}"
        out[el.get("ref")] = Link(targets.get(rid) if rid else None, el.get("location"), el.get("tooltip"), rid)
    return out
