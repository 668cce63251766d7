"""Workbook-level defined names holding a text constant (``<definedName name="N">"text"</definedName>``
in the workbook part): read one, and add one that is missing, with every other name,
attribute and element of the part kept."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from workbook_tools.xlsx.xml import namespace, parse_for_edit, serialize

#: ECMA-376 Part 1, 18.2.27 (CT_Workbook): the elements that come before definedNames.
_BEFORE_DEFINED_NAMES = ("fileVersion", "fileSharing", "workbookPr", "AlternateContent", "workbookProtection",
                         "bookViews", "sheets", "functionGroups", "externalReferences")
#: Excel's limit on a defined name's formula (ours to keep the constant well inside it).
MAX_CONSTANT = 255


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_constant(formula: object) -> str | None:
    """The text of a formula that is a text constant: in double quotes, a quote inside
    doubled, an equals sign before it or not. None for anything else (a range, a number,
    a formula, nothing)."""
    if not isinstance(formula, str):
        return None
    text = formula.strip()
    text = text[1:].strip() if text.startswith("=") else text
    if len(text) < 2 or len(text) > MAX_CONSTANT + 2 or text[0] != '"' or text[-1] != '"':
        return None
    inner = text[1:-1]
    if '"' in inner.replace('""', ""):
        return None
    return inner.replace('""', '"')


def constant_formula(text: str) -> str:
    """The formula of a text constant (quotes doubled), as a defined name holds it; the
    characters XML cannot hold (control characters, lone surrogates from a file name that
    is not UTF-8) are left out, and the text is kept to Excel's 255 characters."""
    kept = _not_in_xml().sub("", text)[:MAX_CONSTANT]
    return '"' + kept.replace('"', '""') + '"'


#: XML 1.0 (2.2): what a document may not hold, and so not a defined name either.
@cache
def _not_in_xml() -> re.Pattern[str]:
    """Compiled when first used: about 3 ms, which a refresh of a tracker that has its
    name already never needs."""
    return re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def workbook_name(workbook: Any, name: str) -> str | None:
    """The formula of the workbook-scope defined name ``name`` (any case) in a parsed
    workbook part, None when there is none."""
    wanted = name.casefold()
    for element in workbook.iter():
        if _local(element.tag) == "definedName" and element.get("localSheetId") is None \
                and (element.get("name") or "").casefold() == wanted:
            return element.text or ""
    return None


def with_name_added(data: bytes, name: str, formula: str) -> bytes | None:
    """The workbook part ``data`` with the workbook-scope name ``name`` = ``formula``
    added, None when it already has one of that name (nothing to change)."""
    root = parse_for_edit(data)
    if workbook_name(root, name) is not None:
        return None
    ns = namespace(root)
    prefix = "{" + ns + "}" if ns else ""
    names = root.find(prefix + "definedNames")
    if names is None:
        names = root.makeelement(prefix + "definedNames", {})
        root.insert(_names_position(root), names)
    element = names.makeelement(prefix + "definedName", {"name": name})
    element.text = formula
    after = [i for i, old in enumerate(names) if _sort_key(old.get("name") or "") <= _sort_key(name)]
    names.insert(after[-1] + 1 if after else 0, element)  # in Excel's order, by name
    return serialize(root)


def _sort_key(name: str) -> str:
    return name.removeprefix("_xlnm.").casefold()


def _names_position(root: Any) -> int:
    """Where a new definedNames element goes among the workbook's children."""
    position = 0
    for index, child in enumerate(root):
        if _local(child.tag) in _BEFORE_DEFINED_NAMES:
            position = index + 1
    return position
