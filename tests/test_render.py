"""The refreshed sample in LibreOffice: it opens headless, prints to PDF, the first
page shows the colours, and the printouts of Interviews, Calls and Contacts read whole
(the pages they take, no text over other text, no word cut at a page's edge). Runs
where LibreOffice and poppler are installed (.ci/run installs them from Debian, with
Carlito, the font metric-compatible with Calibri); skipped with the reason elsewhere."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from tests.support.pdf import has_carlito, overlapping, pdf_pages
from tests.support.png import png_colours
from tests.support.trackers import SAMPLE
from workbook_tools import contract as C
from workbook_tools.adapters.file import refresh_file
from workbook_tools.render import missing_tools, render, render_sheet
from workbook_tools.template.sample import SAMPLE_TODAY
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

    # Every coloured row is on the first pages of Interviews (its first pages down,
    # the first of its three pages across, hold the Company column and the inputs)...
    first_band = first_pages_down(out.pdf)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", str(first_band), str(out.pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    words = " ".join(text.split())
    missing = [co for cos in expected.values() for co in cos if " ".join(co.split()) not in words]
    assert not missing, f"coloured rows not on pages 1-{first_band}: {missing}"
    # ...and those pages carry exactly the fills the rules call for today.
    assert out.png is not None
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", str(first_band), "-png", str(out.pdf),
                    str(tmp_path / "band")], check=True, timeout=180)
    colours: dict[tuple[int, int, int], int] = {}
    for image in sorted(tmp_path.glob("band*.png")):
        for colour, n in png_colours(image).items():
            colours[colour] = colours.get(colour, 0) + n
    for name, companies in expected.items():
        seen = pixels_near(colours, rgb(FILLS[name]["bg_color"]))
        if companies:
            assert seen >= 50, f"{name} fill missing on pages 1-{first_band} (rows: {companies})"
        else:
            assert seen < 5, f"{name} fill on pages 1-{first_band} though no row is {name} on {today}"


def first_pages_down(pdf: Path) -> int:
    """How many pages down Interviews (the first sheet) prints before its second page
    across: the pages up to the first whose header row shows no input column's header."""
    count = 0
    for page in pdf_pages(pdf):
        if "Position" not in {w.text for w in page.words}:
            break
        count += 1
    return max(count, 1)


#: Pages each printout takes, measured with LibreOffice 7.4 and Carlito for the sample
#: refreshed on SAMPLE_TODAY. Interviews: three pages across (fitted, Company repeated),
#: four down for its 17 rows of scripts; Calls and Contacts: one landscape page.
PRINTOUT_PAGES = {C.INTERVIEWS: 12, C.CALLS: 1, C.CONTACTS: 1}


@pytest.mark.skipif(not has_carlito(), reason="needs the Carlito font (Debian fonts-crosextra-carlito): "
                    "page counts depend on Calibri's metrics")
@pytest.mark.parametrize(("sheet", "pages"), sorted(PRINTOUT_PAGES.items()))
def test_printouts_read_whole(tmp_path: Path, sheet: str, pages: int) -> None:
    tracker = tmp_path / "tracker.xlsx"
    refresh_file(SAMPLE, SAMPLE_TODAY, output=tracker)
    printed = pdf_pages(render_sheet(tracker, sheet, tmp_path / "out", timeout=180).pdf)
    assert len(printed) == pages
    for number, page in enumerate(printed, start=1):
        words = " ".join(w.text for w in page.words)
        assert C.HEADERS[sheet][0] in words.split(), f"page {number}: the header row is not repeated"
        assert not overlapping(page.words), f"page {number}: text drawn over text {overlapping(page.words)[:5]}"
        cut = [w.text for w in page.words if w.x0 < 0 or w.y0 < 0 or w.x1 > page.width or w.y1 > page.height]
        assert not cut, f"page {number}: words cut at the page's edge: {cut[:5]}"
