"""The hyperlinks a refresh manages on a sheet: real cell hyperlinks (a <hyperlink> in the
sheet's <hyperlinks> and an external relationship in the sheet's relationships part),
never a HYPERLINK() formula.

The caller names the columns it manages and the link it wants on each planned row's
cell there (`LinkPlan`). Ours are the hyperlinks on those columns, below the header,
whose target is a `tel:` or `mailto:` URI and that the caller claims (by their tooltip:
`LinkPlan.ours`): exactly that set is made the one wanted (new ones added with fresh
relationship ids, changed ones updated, those no longer wanted removed with their
relationships). Every other hyperlink (the user's own, links to a place in the
workbook, links on other columns, web links on our columns, a `tel:` link with a
tooltip of the user's) and every other relationship stays as it was, byte for byte: the
parts are edited as bytes, the XML parsers only read them. A cell that holds a
hyperlink of the user's, or lies inside the range of one, gets none of ours.

`<hyperlinks>` goes where CT_Worksheet puts it (after the conditional formats and data
validations, before the print settings, drawings, tables and extLst); the sheet's root
gets the relationships namespace when it lacks it, and a sheet without a relationships
part gets one (and the package a content type for it when it has none).
"""

from __future__ import annotations

import re
import zipfile
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from workbook_tools.a1 import Rect, column_number, parse_range, parse_ref
from workbook_tools.errors import WorkbookError
from workbook_tools.xlsx.package import A_RID, CT_NS, MAIN, PKG_REL_NS, REL_NS, T_REL, Package, SheetLocation
from workbook_tools.xlsx.sheet import ATTR_RE, SheetXml, unquote
from workbook_tools.xlsx.xml import XML_DECL, XmlError, parse, serialize

#: ECMA-376 Part 1, 15.3: the relationship type of a hyperlink.
HYPERLINK_REL = REL_NS + "/hyperlink"
#: ours: the schemes of the links a refresh writes (RFC 3966 tel, RFC 6068 mailto).
OUR_SCHEMES = ("tel:", "mailto:")
#: Excel: the longest hyperlink address it accepts (XlsxWriter's max_url_length).
MAX_URL = 2079
#: Excel: the longest tooltip (ScreenTip) of a hyperlink.
MAX_TOOLTIP = 255
#: Excel: at most this many hyperlinks on one worksheet (XlsxWriter's limit).
MAX_SHEET_LINKS = 65530
#: LibreOffice (seen with 7.4): saving an xlsx, it keeps the first 255 characters of a
#: hyperlink's target and drops its tooltip.
LIBREOFFICE_KEPT_URL = 255
#: ECMA-376 Part 1, 18.3.1.99 (CT_Worksheet): the elements that come after <hyperlinks>;
#: mc:AlternateContent wraps the controls and OLE objects among them.
AFTER_HYPERLINKS = frozenset({
    b"printOptions", b"pageMargins", b"pageSetup", b"headerFooter", b"rowBreaks", b"colBreaks",
    b"customProperties", b"cellWatches", b"ignoredErrors", b"smartTags", b"drawing", b"legacyDrawing",
    b"legacyDrawingHF", b"drawingHF", b"picture", b"oleObjects", b"controls", b"webPublishItems",
    b"tableParts", b"extLst",
})
ALTERNATE_CONTENT = b"AlternateContent"
#: The content type of a relationships part (ECMA-376 Part 2, Annex F).
RELS_CONTENT_TYPE = "application/vnd.openxmlformats-package.relationships+xml"

#: One markup token of a part: a comment, CDATA, a processing instruction or a DOCTYPE
#: (skipped), or a tag (groups: "/" of an end tag, the name, the attributes).
_TOKEN = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE[^>]*>|"
                    rb"<(/?)([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
#: Characters XML 1.0 does not allow (C0 controls but tab, CR, LF; U+FFFE, U+FFFF; surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class SheetLink(NamedTuple):
    """A hyperlink wanted on a cell: its target URI and its tooltip."""

    url: str
    tooltip: str


class LinkPlan(NamedTuple):
    """The hyperlinks a writer manages on a sheet: on ``columns`` (letters), from row
    ``first_row`` down, the link wanted on each cell named in ``wanted`` (A1 ref -> link,
    None for none; a cell not named wants none). ``wanted`` may be filled while the rows
    are written: it is read once they all are. ``ours`` tells, from a `tel:` or `mailto:`
    link's target and tooltip, whether the caller wrote it (None: every such link there
    is the caller's); a link it does not claim is the user's, kept, and its cell gets none."""

    columns: frozenset[str]
    first_row: int
    wanted: Mapping[str, SheetLink | None]
    ours: Callable[[str, str | None], bool] | None = None


class Element(NamedTuple):
    """An element of a part, found by `children`: its tag name (with any prefix), where it
    starts and ends in the bytes, where its start tag ends, and that tag's attributes."""

    name: bytes
    start: int
    tag_end: int
    end: int
    attrs: bytes

    @property
    def local(self) -> bytes:
        return self.name.rpartition(b":")[2]


class Children(NamedTuple):
    """The elements directly inside ``data[start:]``, and where the element holding them
    closes (the end of the data when it does not)."""

    elements: list[Element]
    close: int


class Unusual(Exception):
    """A part holds markup the byte editor does not edit: the links are left as they are."""


def children(data: bytes, start: int, end: int) -> Children:
    """The elements one level down from ``start``, up to the end tag that closes their
    parent (or ``end``). Linear in the bytes read; the part is well-formed XML (it was
    parsed first)."""
    out: list[Element] = []
    depth = 0
    opened: tuple[bytes, int, int, bytes] | None = None
    for token in _TOKEN.finditer(data, start, end):
        name = token.group(2)
        if name is None:
            continue  # a comment, CDATA, processing instruction or DOCTYPE
        attrs = token.group(3)
        if token.group(1):  # an end tag
            depth -= 1
            if depth < 0:
                return Children(out, token.start())
            if depth == 0 and opened is not None:
                out.append(Element(opened[0], opened[1], opened[2], token.end(), opened[3]))
                opened = None
        elif attrs.rstrip().endswith(b"/"):
            if depth == 0:
                out.append(Element(name, token.start(), token.end(), token.end(), attrs.rstrip()[:-1]))
        else:
            if depth == 0:
                opened = (name, token.start(), token.end(), attrs)
            depth += 1
    return Children(out, end)


def _attrs(raw: bytes) -> dict[bytes, str]:
    return {key: unquote(value) for key, value in ATTR_RE.findall(raw)}


def xml_attr(text: str) -> bytes:
    """``text`` as the quoted value of an attribute: characters XML cannot hold left out,
    the special ones escaped (line breaks too, so they stay line breaks)."""
    text = _NOT_XML.sub("", text)
    text = (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;"))
    return b'"' + text.encode("utf-8") + b'"'


def clean_tooltip(text: str) -> str:
    """A tooltip as written: what XML can hold, at most `MAX_TOOLTIP` characters."""
    return _NOT_XML.sub("", text)[:MAX_TOOLTIP]


def usable_url(url: str) -> bool:
    """Whether ``url`` can be written as ours: one of our schemes, printable ASCII, short enough."""
    return (url[:7].lower().startswith(OUR_SCHEMES) and url.isascii() and url.isprintable()
            and len(url) <= MAX_URL)


# --- What the sheet holds -----------------------------------------------------------------

class Relationship(NamedTuple):
    """A relationship of the sheet, and where its element is in the part's bytes."""

    rid: str
    type: str
    target: str
    external: bool
    element: Element


class ExistingLink(NamedTuple):
    """A <hyperlink> of the sheet: its attributes as read, and its bytes' place."""

    ref: str | None
    rid: str | None
    tooltip: str | None
    element: Element


class Rels(NamedTuple):
    """The sheet's relationships part: its name, bytes (None: there is none), the
    relationships by id, and where its root closes (the root element, when it is empty)."""

    name: str
    data: bytes | None
    by_id: dict[str, Relationship]
    close: int
    root: Element | None


def read_rels(pkg: Package, src: Path, sheet_part: str) -> Rels:
    """The relationships of the sheet part. WorkbookError when the part is not XML."""
    name = pkg.rels_name(sheet_part)
    if not pkg.has(name):
        return Rels(name, None, {}, 0, None)
    data = pkg.read(name)
    try:
        root = parse(data)
    except XmlError as exc:
        raise WorkbookError(src, f"is damaged: part {name} is not valid XML ({exc})",
                            "open it in Excel, let Excel repair it, and save it again") from None
    tops = children(data, 0, len(data)).elements
    if len(tops) != 1:
        raise Unusual("a relationships part without one root")
    top = tops[0]
    inner = children(data, top.tag_end, top.end) if top.tag_end < top.end else Children([], top.end)
    parsed = [el for el in root if isinstance(el.tag, str)]
    if len(parsed) != len(inner.elements):
        raise Unusual("relationships the byte reader does not see")
    by_id = {}
    for rel, element in zip(parsed, inner.elements):
        if rel.tag == T_REL:
            rid = rel.get("Id", "")
            by_id[rid] = Relationship(rid, rel.get("Type", ""), rel.get("Target", ""),
                                      rel.get("TargetMode") == "External", element)
    return Rels(name, data, by_id, inner.close, top)


class SheetTail(NamedTuple):
    """The end of a worksheet part after </sheetData>: its top-level elements, where the
    root closes, and the <hyperlinks> element with its links (None: it has none) and
    where its end tag starts."""

    tops: list[Element]
    close: int
    hyperlinks: Element | None
    links: list[ExistingLink]
    hyperlinks_close: int = 0


def read_tail(tail: bytes, prefix: bytes, root: Any) -> SheetTail:
    """The top-level elements of a sheet's tail (``tail`` starts with </sheetData>), and its
    hyperlinks as ``root`` (the sheet parsed) reads them."""
    start = tail.find(b">") + 1
    found = children(tail, start, len(tail))
    tops = found.elements
    mine = [el for el in tops if el.local == b"hyperlinks" and el.name == prefix + b"hyperlinks"]
    parsed = root.findall(MAIN + "hyperlinks")
    if len(mine) > 1 or len(parsed) != len(mine):
        raise Unusual("more than one <hyperlinks>")
    if not mine:
        return SheetTail(tops, found.close, None, [])
    element = mine[0]
    if b"xmlns" in element.attrs:
        raise Unusual("namespaces declared on <hyperlinks>")
    inner = children(tail, element.tag_end, element.end) if element.tag_end < element.end else Children([], 0)
    links = [el for el in parsed[0] if isinstance(el.tag, str)]
    if len(links) != len(inner.elements) or any(el.local != b"hyperlink" for el in inner.elements):
        raise Unusual("a <hyperlinks> element the byte reader does not see")
    existing = [ExistingLink(el.get("ref"), el.get(A_RID), el.get("tooltip"), span)
                for el, span in zip(links, inner.elements)]
    return SheetTail(tops, found.close, element, existing, inner.close)


# --- What changes -----------------------------------------------------------------------

class Covered:
    """The cells the kept hyperlinks cover on the managed columns: a cell there gets none of ours."""

    def __init__(self, columns: frozenset[int]) -> None:
        self.columns = columns
        self.cells: set[tuple[int, int]] = set()
        self.spans: dict[int, list[tuple[int, int]]] = {}

    def add(self, rect: Rect) -> None:
        for column in self.columns:
            if rect.left <= column <= rect.right:
                if rect.top == rect.bottom:
                    self.cells.add((rect.top, column))
                else:
                    self.spans.setdefault(column, []).append((rect.top, rect.bottom))

    def done(self) -> None:
        """Merge each column's spans (sorted, overlapping ones joined) for `covers`."""
        for column, spans in self.spans.items():
            merged: list[tuple[int, int]] = []
            for top, bottom in sorted(spans):
                if merged and top <= merged[-1][1] + 1:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
                else:
                    merged.append((top, bottom))
            self.spans[column] = merged

    def covers(self, row: int, column: int) -> bool:
        if (row, column) in self.cells:
            return True
        spans = self.spans.get(column)
        if not spans:
            return False
        at = bisect_right(spans, (row, 1 << 30)) - 1
        return at >= 0 and spans[at][0] <= row <= spans[at][1]


@dataclass
class LinkEdit:
    """The edits that make the sheet's links the ones wanted (see `plan_links`)."""

    changes: int = 0
    tail_edits: list[tuple[int, int, bytes]] = field(default_factory=list)
    rels_edits: list[tuple[int, int, bytes]] = field(default_factory=list)
    new_rels: list[bytes] = field(default_factory=list)
    namespace: bytes = b""  # an xmlns attribute the root must get (b"" when it has one)
    rel_prefix: bytes = b"r"


def _ours(link: ExistingLink, rels: Rels, columns: frozenset[int], plan: LinkPlan) -> tuple[int, int] | None:
    """(row, column) of a hyperlink of ours, None for any other: one cell of a managed
    column below the header, an external `tel:` or `mailto:` target, and (`LinkPlan.ours`)
    one the caller claims, whatever Excel added to it when it saved (xr:uid, display, new
    relationship ids)."""
    cell = parse_ref(link.ref)
    rel = rels.by_id.get(link.rid or "")
    if cell is None or rel is None or cell[1] not in columns or cell[0] < plan.first_row:
        return None
    if not (rel.external and rel.type == HYPERLINK_REL and rel.target[:7].lower().startswith(OUR_SCHEMES)):
        return None
    if plan.ours is not None and not plan.ours(rel.target, link.tooltip) and not _as_saved(rel, link, cell, plan):
        return None
    return cell


def _as_saved(rel: Relationship, link: ExistingLink, cell: tuple[int, int], plan: LinkPlan) -> bool:
    """Whether a link without a tooltip is the one wanted on its cell, as LibreOffice saves
    it (no tooltip, the target cut: `LIBREOFFICE_KEPT_URL`) or whole: taking it for ours
    and making it whole loses nothing of the user's."""
    from workbook_tools.a1 import cell_ref

    want = plan.wanted.get(cell_ref(*cell)) if link.tooltip is None else None
    if want is None:
        return False
    return rel.target == want.url or (len(rel.target) == LIBREOFFICE_KEPT_URL and want.url.startswith(rel.target))


def _wanted(plan: LinkPlan, covered: Covered, room: int) -> dict[tuple[int, int], SheetLink]:
    """The links to have, by (row, column): the usable ones on managed cells no kept link
    covers, at most ``room`` of them (the first rows first)."""
    out: dict[tuple[int, int], SheetLink] = {}
    for ref, link in plan.wanted.items():
        cell = parse_ref(ref) if link is not None else None
        if cell is None or link is None or cell[1] not in covered.columns or cell[0] < plan.first_row:
            continue
        if usable_url(link.url) and not covered.covers(*cell):
            out[cell] = SheetLink(link.url, clean_tooltip(link.tooltip))
    if len(out) > room:
        out = dict(sorted(out.items())[:max(room, 0)])
    return out


def plan_links(plan: LinkPlan, tail: SheetTail, rels: Rels, head: bytes, prefix: bytes) -> LinkEdit:
    """The edits of the sheet's tail and relationships that make our links ``plan``'s."""
    columns = frozenset(column_number(c) for c in plan.columns if c.isascii() and c.isalpha() and len(c) <= 3)
    covered = Covered(columns)
    ours: list[tuple[ExistingLink, tuple[int, int]]] = []
    uses: dict[str, int] = {}
    for link in tail.links:
        cell = _ours(link, rels, columns, plan)
        if cell is not None:
            ours.append((link, cell))
        else:
            rect = parse_range(link.ref)
            if rect is not None:
                covered.add(rect)
        if link.rid:
            uses[link.rid] = uses.get(link.rid, 0) + 1
    covered.done()
    wanted = _wanted(plan, covered, MAX_SHEET_LINKS - (len(tail.links) - len(ours)))
    binding = rel_binding(head, prefix)
    edit = LinkEdit(namespace=binding.declaration, rel_prefix=binding.prefix)
    ids = _RelIds(rels)
    kept = 0
    for link, cell in ours:
        want = wanted.pop(cell, None)
        rel = rels.by_id[link.rid or ""]
        if want is None:  # no longer wanted, or a second link of ours on the cell
            edit.tail_edits.append((link.element.start, link.element.end, b""))
            uses[rel.rid] -= 1
            if uses[rel.rid] == 0:
                edit.rels_edits.append((rel.element.start, rel.element.end, b""))
            edit.changes += 1
            continue
        kept += 1
        if rel.target == want.url and (link.tooltip or "") == want.tooltip:
            continue  # as wanted: its bytes stay
        rid = rel.rid
        if rel.target != want.url:
            if uses[rel.rid] == 1:
                edit.rels_edits.append((rel.element.start, rel.element.end, _relationship(rel.element, rid, want.url)))
            else:  # shared with another hyperlink: ours gets its own
                uses[rel.rid] -= 1
                rid = ids.fresh()
                edit.new_rels.append(_relationship(None, rid, want.url))
        edit.tail_edits.append((link.element.start, link.element.end,
                                _hyperlink(prefix, edit.rel_prefix, cell, rid, want.tooltip)))
        edit.changes += 1
    for cell, want in sorted(wanted.items()):
        rid = ids.fresh()
        edit.new_rels.append(_relationship(None, rid, want.url))
        edit.tail_edits.append((-1, -1, _hyperlink(prefix, edit.rel_prefix, cell, rid, want.tooltip)))
        edit.changes += 1
    _place_hyperlinks(edit, tail, prefix, kept + len(tail.links) - len(ours))
    return edit


class _RelIds:
    """Fresh relationship ids for a part: "rId" and a number above every one it holds."""

    def __init__(self, rels: Rels) -> None:
        numbers = [int(rid[3:]) for rid in rels.by_id if rid[:3] == "rId" and rid[3:].isdigit() and len(rid) < 12]
        self.next = max(numbers, default=0) + 1
        self.taken = set(rels.by_id)

    def fresh(self) -> str:
        while f"rId{self.next}" in self.taken:
            self.next += 1
        rid = f"rId{self.next}"
        self.taken.add(rid)
        return rid


class RelBinding(NamedTuple):
    """The prefix of the relationships namespace on the sheet's root, and the
    declaration to add to the root for it (b"" when the root declares it already)."""

    prefix: bytes
    declaration: bytes


def rel_binding(head: bytes, prefix: bytes) -> RelBinding:
    """The prefix the sheet's root binds to the relationships namespace; when it binds
    none, a free one ("r", else "r1"...) and its declaration."""
    root = re.search(b"<" + re.escape(prefix) + rb"worksheet(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", head)
    declared = _attrs(root.group(1)) if root is not None else {}
    for key, value in declared.items():
        if key.startswith(b"xmlns:") and value == REL_NS:
            return RelBinding(key[6:], b"")
    name, n = b"r", 0
    while b"xmlns:" + name in declared:
        n += 1
        name = b"r%d" % n
    return RelBinding(name, b" xmlns:" + name + b"=" + xml_attr(REL_NS))


def _hyperlink(prefix: bytes, rel_prefix: bytes, cell: tuple[int, int], rid: str, tooltip: str) -> bytes:
    from workbook_tools.a1 import cell_ref

    tip = b" tooltip=" + xml_attr(tooltip) if tooltip else b""
    return (b"<" + prefix + b'hyperlink ref="' + cell_ref(*cell).encode() + b'" ' + rel_prefix + b":id="
            + xml_attr(rid) + tip + b"/>")


def _relationship(like: Element | None, rid: str, url: str) -> bytes:
    """A hyperlink relationship element, named as ``like`` is (its prefix), else plainly."""
    name = like.name if like is not None else b"Relationship"
    return (b"<" + name + b" Id=" + xml_attr(rid) + b" Type=" + xml_attr(HYPERLINK_REL) + b" Target="
            + xml_attr(url) + b' TargetMode="External"/>')


def _place_hyperlinks(edit: LinkEdit, tail: SheetTail, prefix: bytes, remaining: int) -> None:
    """Where the new <hyperlink> elements go: before </hyperlinks>, or in a new
    <hyperlinks> at its schema position; and the element dropped when none remains."""
    new = [piece for start, _, piece in edit.tail_edits if start < 0]
    edit.tail_edits = [e for e in edit.tail_edits if e[0] >= 0]
    element = tail.hyperlinks
    if element is not None and remaining + len(new) == 0:
        edit.tail_edits = [(element.start, element.end, b"")]  # no link left: no <hyperlinks>
        return
    if not new:
        return
    if element is not None and element.tag_end < element.end:
        edit.tail_edits.append((tail.hyperlinks_close, tail.hyperlinks_close, b"".join(new)))
    elif element is not None:  # <hyperlinks/>
        edit.tail_edits.append((element.start, element.end, b"<" + prefix + b"hyperlinks>" + b"".join(new)
                                + b"</" + prefix + b"hyperlinks>"))
    else:
        at = next((el.start for el in tail.tops if el.local in AFTER_HYPERLINKS and el.name == prefix + el.local
                   or el.local == ALTERNATE_CONTENT), tail.close)
        edit.tail_edits.append((at, at, b"<" + prefix + b"hyperlinks>" + b"".join(new)
                                + b"</" + prefix + b"hyperlinks>"))


def edited(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """``data`` with each (start, end, piece) in place of its bytes (edits never overlap)."""
    pieces = []
    pos = 0
    for start, end, piece in sorted(edits, key=lambda e: (e[0], e[1])):
        pieces.append(data[pos:start])
        pieces.append(piece)
        pos = end
    pieces.append(data[pos:])
    return b"".join(pieces)


# --- Applying it ----------------------------------------------------------------------------

class SheetLinks(NamedTuple):
    """A sheet's links made the wanted ones: the number of links added, changed or
    removed; the namespace declaration its root must get (b"" for none), its new tail, and
    the other parts to store (`store_parts`)."""

    changes: int
    declaration: bytes
    tail: bytes
    parts: dict[str, bytes]


def sheet_links(pkg: Package, src: Path, location: SheetLocation, sheet: SheetXml, plan: LinkPlan) -> SheetLinks:
    """Our links on ``sheet`` (the worksheet part of ``location``, being rebuilt) made
    ``plan``'s: the changes counted, and the edits. A sheet whose links the byte editor
    cannot read (`Unusual`) keeps them as they are: nothing changes. WorkbookError when
    the sheet's relationships part is not XML."""
    try:
        rels = read_rels(pkg, src, location.part)
        found = read_tail(sheet.tail, sheet.prefix, sheet.root)
        edit = plan_links(plan, found, rels, sheet.head, sheet.prefix)
    except Unusual:
        return SheetLinks(0, b"", sheet.tail, {})
    if not edit.changes:
        return SheetLinks(0, b"", sheet.tail, {})
    parts = {rels.name: _rels_bytes(rels, edit)}
    if rels.data is None:
        parts.update(_content_types(pkg))
    tail = edited(sheet.tail, edit.tail_edits)
    declaration = edit.namespace if b" " + edit.rel_prefix + b":id=" in tail else b""
    return SheetLinks(edit.changes, declaration, tail, parts)


def with_declaration(head: bytes, prefix: bytes, declaration: bytes) -> bytes:
    """The sheet's head with ``declaration`` (an xmlns attribute) added to its root."""
    root_tag = re.search(b"<" + re.escape(prefix) + rb"worksheet(?=[\s/>])", head) if declaration else None
    if root_tag is None:
        return head
    return head[:root_tag.end()] + declaration + head[root_tag.end():]


def _rels_bytes(rels: Rels, edit: LinkEdit) -> bytes:
    """The sheet's relationships part with the edits made (a new part when it had none)."""
    new = b"".join(edit.new_rels)
    if rels.data is None:
        return XML_DECL + b"<Relationships xmlns=" + xml_attr(PKG_REL_NS) + b">" + new + b"</Relationships>"
    edits = list(edit.rels_edits)
    root = rels.root
    if new and root is not None and root.tag_end == root.end:  # <Relationships .../>
        open_tag = rels.data[root.start:root.end].rstrip()[:-2].rstrip() + b">"
        edits.append((root.start, root.end, open_tag + new + b"</" + root.name + b">"))
    elif new:
        edits.append((rels.close, rels.close, new))
    return edited(rels.data, edits)


def _content_types(pkg: Package) -> dict[str, bytes]:
    """The content types with a Default for .rels parts, when they have none."""
    name = "[Content_Types].xml"
    if not pkg.has(name):
        return {}
    types = pkg.xml_for_edit(name)
    for default in types.iterchildren(f"{{{CT_NS}}}Default"):
        if default.get("Extension", "").lower() == "rels":
            return {}
    from lxml import etree

    element = etree.Element(f"{{{CT_NS}}}Default", Extension="rels", ContentType=RELS_CONTENT_TYPE)
    types.insert(0, element)
    return {name: serialize(types)}


def store_parts(pkg: Package, parts: Mapping[str, bytes]) -> None:
    """Put the edited parts in the package; a part it lacks is added as a new member."""
    for name, data in parts.items():
        if name not in pkg.names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            pkg.infos.append(info)
            pkg.names[name] = info
        pkg.removed.discard(name)
        pkg.changed[name] = data
