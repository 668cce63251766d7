"""Printouts read back: the words of each PDF page with their boxes (poppler's
pdftotext -bbox-layout), to tell whether text is drawn over other text; and whether
LibreOffice has the font the row heights are estimated for."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple


class Word(NamedTuple):
    """A word of a PDF page and the line it belongs to."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    line: int


class Page(NamedTuple):
    width: float
    height: float
    words: list[Word]


_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>')


def pdf_pages(pdf: Path) -> list[Page]:
    """Every page of ``pdf`` with its words."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        words = [Word(*map(float, w.groups()[:4]), w[5], n)
                 for n, line in enumerate(re.finditer(r"<line[ >].*?</line>", page[3], re.S))
                 for w in _WORD.finditer(line[0])]
        pages.append(Page(float(page[1]), float(page[2]), words))
    return pages


def overlapping(words: list[Word], tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of words of different lines drawn over each other: their boxes meet across
    more than half the height of the shorter one (a line's box reaches a little into the
    lines next to it, by the font's ascent and descent)."""
    found = []
    ordered = sorted(words, key=lambda w: w.y0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.y0 >= a.y1:
                break
            across = min(a.y1, b.y1) - max(a.y0, b.y0)
            if (a.line != b.line and b.x0 < a.x1 - tolerance and a.x0 < b.x1 - tolerance
                    and across > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0)):
                found.append((a.text, b.text))
    return found


def has_carlito() -> bool:
    """Whether fontconfig knows Carlito (LibreOffice sets Calibri text in it)."""
    if shutil.which("fc-list") is None:
        return False
    fonts = subprocess.run(["fc-list", ":family=Carlito", "family"], capture_output=True, text=True, timeout=60)
    return "Carlito" in fonts.stdout
