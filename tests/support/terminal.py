"""Reading back what rich drew in a terminal: the body rows of one table."""

from __future__ import annotations


def table_rows(text: str, title: str) -> list[list[str]]:
    """The body rows of the table titled ``title`` in ``text`` (rich's box drawing), each
    as its list of cells with their padding stripped."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if title in line)
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("\u2514"):
            break
        if line.startswith("\u2502"):
            rows.append([c.strip() for c in line.strip("\u2502").split("\u2502")])
    return rows
