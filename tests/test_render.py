"""The refreshed sample in LibreOffice: it opens headless, prints to PDF, and the first
page shows the colours. Runs where LibreOffice and poppler are installed (.ci/run
installs them from Debian); skipped with the reason elsewhere."""

from __future__ import annotations

import re
import shutil
import zlib
from datetime import date
from pathlib import Path

import pytest

from workbook_tools import contract as C
from workbook_tools.refresh import refresh_file
from workbook_tools.render import missing_tools, render
from workbook_tools.template import CLOSED_COLOURS, OVERDUE_COLOURS

from .conftest import SAMPLE

pytestmark = pytest.mark.skipif(bool(missing_tools()), reason=f"needs {', '.join(missing_tools())} "
                                "(Debian packages libreoffice-calc and poppler-utils)")


def png_colours(path: Path) -> set[tuple[int, int, int]]:
    """The distinct RGB colours of an 8-bit RGB PNG as pdftoppm writes it (no Pillow needed)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            assert body[8:10] == b"\x08\x02", "expected 8-bit RGB"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, prev = zlib.decompress(idat), width * 3, bytearray(width * 3)
    colours: set[tuple[int, int, int]] = set()
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0
            b = prev[i]
            c = prev[i - 3] if i >= 3 else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        colours.update(zip(line[0::3], line[1::3], line[2::3]))
        prev = line
    return colours


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def test_refreshed_sample_renders_with_its_colours(tmp_path):
    tracker = tmp_path / "tracker.xlsx"
    # The real date, so that the flags written agree with TODAY() in LibreOffice.
    today = date.today()
    report = refresh_file(SAMPLE, today, output=tracker)
    flags = {r.flag for r in report.result.rows}
    out = render(tracker, tmp_path / "out", dpi=40)
    assert out.pdf.stat().st_size > 10_000 and out.pdf.read_bytes().startswith(b"%PDF")
    # "Without complaint": no error lines from LibreOffice (it may note the Java runtime).
    assert not [line for line in out.stderr.splitlines() if re.search(r"(?i)\berror\b|exception", line)]
    colours = png_colours(out.png)
    expected = {rgb(CLOSED_COLOURS["bg_color"])}
    if C.OVERDUE in flags:
        expected.add(rgb(OVERDUE_COLOURS["bg_color"]))
    assert expected <= colours, f"missing fills {expected - colours} on page 1"
    shutil.rmtree(tmp_path / "out" / "lo-profile", ignore_errors=True)
