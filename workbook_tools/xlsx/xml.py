"""The XML parts of a workbook, parsed two ways.

To read (the workbook part, relationships, styles, tables, a sheet's head), the
standard library's ElementTree: it costs a fraction of lxml's start-up and memory
(about 0.7 MB against 5.8 MB), and most refreshes only read these parts. To edit a
part and write it back (a new date style, a table grown, calc chain entries
dropped), lxml, imported then: only lxml writes a part back with its namespace
prefixes and declarations as they were, and Excel depends on them (mc:Ignorable
names prefixes; ElementTree would rename them ns0, ns1...).

A part with a DOCTYPE, which no Office application writes, is read with lxml too,
so that its entities are never expanded (ElementTree's expat would expand them).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


class XmlError(Exception):
    """A part is not well-formed XML (from either parser)."""


def parse(data: bytes) -> Any:
    """A part to read: an element with find, findall, iter and get (ElementTree's, or
    lxml's for a part with a DOCTYPE). XmlError when it is not well-formed."""
    if data.find(b"<!DOCTYPE", 0, 1 << 16) >= 0:
        return parse_for_edit(data)
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise XmlError(str(exc)) from None


def parse_for_edit(data: bytes) -> Any:
    """A part to change and write back with :func:`serialize`: an lxml element."""
    from lxml import etree

    try:
        return etree.fromstring(data, parser=_lxml_parser())
    except etree.XMLSyntaxError as exc:
        raise XmlError(str(exc)) from None


def serialize(root: Any) -> bytes:
    """An lxml element (from :func:`parse_for_edit`) as a part, with Excel's declaration."""
    from lxml import etree

    data: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return XML_DECL + data


def namespace(el: Any) -> str:
    """The namespace URI of an element's tag ("" when it has none)."""
    tag = el.tag
    return tag[1:tag.index("}")] if isinstance(tag, str) and tag.startswith("{") else ""


_PARSER: Any = None


def _lxml_parser() -> Any:
    global _PARSER
    if _PARSER is None:
        from lxml import etree

        _PARSER = etree.XMLParser(remove_blank_text=False, resolve_entities=False, huge_tree=True,
                                  no_network=True)
    return _PARSER
