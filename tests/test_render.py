"""The refreshed sample in LibreOffice: it opens headless, prints to PDF, and the first
page shows the colours. Runs where LibreOffice and poppler are installed (.ci/run
installs them from Debian); skipped with the reason elsewhere."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from tests.support.png import png_colours
from tests.support.trackers import SAMPLE
from workbook_tools import contract as C
from workbook_tools.adapters.file import refresh_file
from workbook_tools.render import missing_tools, render
from workbook_tools.template.workbook import CLOSED_COLOURS, DUE_TODAY_COLOURS, OVERDUE_COLOURS

MISSING = missing_tools() + [t for t in ("pdftotext",) if shutil.which(t) is None]
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"needs {', '.join(MISSING)} on PATH "
                                "(Debian packages libreoffice-calc and poppler-utils)")


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


FILLS = {"Closed": CLOSED_COLOURS, "Overdue": OVERDUE_COLOURS, "Due today": DUE_TODAY_COLOURS}
#: LibreOffice's stderr lines that say nothing about the workbook (no Java on CI machines).
BENIGN = re.compile(r"(?i)javaldx|java may not function|fontconfig|dbus|dconf")


def expected_fills(path: Path, today: date) -> dict[str, list[str]]:
    """The companies each colour rule must paint, from the refreshed cells and ``today``.

    Mirrors the template's rules in order (the first that holds wins): Closed when Flag
    is Closed or Status is a closing one; Overdue when Next Call is before today and Flag
    is not Closed or Waiting; Due today when Next Call is today and Flag is not Waiting.
    """
    ws = openpyxl.load_workbook(path, read_only=True)[C.INTERVIEWS]
    rows = ws.iter_rows(values_only=True)
    index = {str(h).strip(): k for k, h in enumerate(next(rows)) if h is not None}
    closing = {s.casefold() for s in C.CLOSED_STATUSES}
    found: dict[str, list[str]] = {name: [] for name in FILLS}
    for row in rows:
        company, flag, status, nxt = (row[index[h]] for h in ("Company", "Flag", "Status", "Next Call"))
        if not company:
            continue
        flag, status = str(flag or ""), str(status or "").strip().casefold()
        day = nxt.date() if isinstance(nxt, datetime) else nxt if isinstance(nxt, date) else None
        if flag == C.FLAG_CLOSED or status in closing:
            found["Closed"].append(company)
        elif day is not None and day < today and flag not in (C.FLAG_CLOSED, C.WAITING):
            found["Overdue"].append(company)
        elif day == today and flag != C.WAITING:
            found["Due today"].append(company)
    return found


def pixels_near(colours: dict[tuple[int, int, int], int], target: tuple[int, int, int],
                tolerance: int = 3) -> int:
    return sum(n for c, n in colours.items() if max(abs(a - b) for a, b in zip(c, target)) <= tolerance)


def test_refreshed_sample_renders_with_its_colours(tmp_path: Path) -> None:
    tracker = tmp_path / "tracker.xlsx"
    # The real date, so that the flags written agree with TODAY() in LibreOffice.
    today = date.today()
    refresh_file(SAMPLE, today, output=tracker)
    expected = expected_fills(tracker, today)
    assert expected["Closed"], "the sample has closed rows: the grey must always show"

    out = render(tracker, tmp_path / "out", dpi=40, timeout=180)
    if date.today() != today:
        pytest.skip("the date changed while LibreOffice ran; its TODAY() no longer matches")
    assert out.pdf.stat().st_size > 10_000 and out.pdf.read_bytes().startswith(b"%PDF")
    # "Without complaint": LibreOffice exited 0 (render checks) and printed nothing on
    # stderr but the known notes about its environment. It repairs damaged files
    # silently when headless, so the PDF's content is checked below as well.
    complaints = [ln for ln in out.stderr.splitlines() if ln.strip() and not BENIGN.search(ln)]
    assert not complaints, complaints

    # Every coloured row is on the first page...
    page1 = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(out.pdf), "-"], capture_output=True,
                           text=True, check=True, timeout=60).stdout
    words = " ".join(page1.split())
    missing = [co for cos in expected.values() for co in cos if " ".join(co.split()) not in words]
    assert not missing, f"coloured rows not on page 1: {missing}"
    # ...and the page carries exactly the fills the rules call for today.
    assert out.png is not None
    colours = png_colours(out.png)
    for name, companies in expected.items():
        seen = pixels_near(colours, rgb(FILLS[name]["bg_color"]))
        if companies:
            assert seen >= 50, f"{name} fill missing on page 1 (rows: {companies})"
        else:
            assert seen < 5, f"{name} fill on page 1 though no row is {name} on {today}"
