"""Make docs/sample.png: the sample tracker, refreshed, as LibreOffice prints its first page.

Run: python tools/render_sample.py [--today YYYY-MM-DD] [--dpi N] [--output PATH]

The picture shows what Refresh does: it prints a copy of the refreshed tracker whose
Interviews sheet shows Company and Contact, then what Refresh wrote (Next Call, Call
Window, Next Action, Call Script, Flag), the other columns hidden, one row of each flag
(the others hidden; the rows as tall as the shown columns need), fitted to one page
wide; the copy alone is changed, and only in its Interviews sheet's column, row and page
settings.

The refresh uses the real date by default, as a user's would: the workbook's colours come
from rules comparing Next Call with TODAY(), which in LibreOffice is always the real date,
so refreshing with any other date makes the colours disagree with the Flag column.
The picture is the printed area of page 1 (the table, without margins and footer),
found from the positions of the words on the page. Needs soffice and poppler-utils.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from workbook_tools import contract as C
from workbook_tools.adapters.file import read_tracker, refresh_file
from workbook_tools.core.layout import WRAPPED_HEADERS, row_height
from workbook_tools.render import missing_tools, render_sheet
from workbook_tools.template.workbook import WIDTHS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "tracker.xlsx"
PNG = ROOT / "docs" / "sample.png"
PAD = 6.0  # points around the table
FOOTER = 0.6 * 72  # the Interviews sheet's bottom margin, in points: the footer sits in it
#: The Interviews columns the picture shows: who, then what Refresh wrote.
SHOWN = ("Company", "Contact", "Next Call", "Call Window", "Next Action", "Call Script", "Flag")
INTERVIEWS_PART = "xl/worksheets/sheet1.xml"  # the template's first sheet


#: The flags the picture shows a row of, in this order (the first row of each).
FLAGS = (C.OVERDUE, C.DUE_TODAY, C.UPCOMING, C.WAITING, C.FLAG_CLOSED)


def picture_rows(tracker: Path) -> dict[int, float | None]:
    """Interviews row -> its height in the picture for the :data:`SHOWN` columns, or None
    for a row left out: the first row of each flag is shown, the others hidden."""
    rows = read_tracker(tracker).interviews.rows
    first: dict[str, int] = {}
    for number, values in rows:
        first.setdefault(str(values.get("Flag")), number)
    shown = {first[flag] for flag in FLAGS if flag in first}
    wrapped = [h for h in SHOWN if h in WRAPPED_HEADERS]
    return {number: row_height([(values.get(h), WIDTHS[h]) for h in wrapped]) if number in shown else None
            for number, values in rows}


def _row_tag(heights: dict[int, float | None], row: re.Match[bytes]) -> bytes:
    """A <row> start tag with the picture's height, or hidden."""
    number = int(row.group(1))
    if number not in heights:
        return row.group(0)
    rest = re.sub(rb'\s(?:ht|customHeight|hidden)="[^"]*"', b"", row.group(2))
    height = heights[number]
    extra = b' hidden="1"' if height is None else b' ht="%g" customHeight="1"' % height
    return b'<row r="%d"%s%s>' % (number, rest, extra)


def picture_copy(tracker: Path, copy: Path) -> Path:
    """A copy of ``tracker`` whose Interviews sheet shows only the :data:`SHOWN` columns
    and a row of each flag (`picture_rows`), printed one page wide."""
    hidden = {k + 1 for k, h in enumerate(C.INTERVIEW_HEADERS) if h not in SHOWN}
    heights = picture_rows(tracker)

    def hide(col: re.Match[bytes]) -> bytes:
        """The <col> of columns min..max as one <col> per column, hidden or not."""
        rest = re.sub(rb'\shidden="[^"]*"', b"", col.group(3))
        return b"".join(b'<col min="%d" max="%d"%s%s/>' % (k, k, b' hidden="1"' if k in hidden else b"", rest)
                        for k in range(int(col.group(1)), int(col.group(2)) + 1))

    with zipfile.ZipFile(tracker) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == INTERVIEWS_PART:
                data = re.sub(rb'<col min="(\d+)" max="(\d+)"([^>]*?)/>', hide, data)
                data = re.sub(rb'fitToWidth="\d+"', b'fitToWidth="1"', data)
                data = re.sub(rb'<row r="(\d+)"([^>]*?)>', lambda m: _row_tag(heights, m), data)
            target.writestr(info, data)
    return copy


def content_box(pdf: Path) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) in points of page 1's table: its words, right to the margin."""
    xml = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', xml)
    assert page, "pdftotext gave no page"
    width, height = float(page[1]), float(page[2])
    boxes = [tuple(map(float, m)) for m in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', xml)]
    body = [b for b in boxes if b[1] < height - FOOTER]
    assert body, "page 1 has no text"
    x0, y0 = min(b[0] for b in body), min(b[1] for b in body)
    y1 = max(b[3] for b in body)
    x1 = width - x0  # the sheet fills the page's width: symmetric margins
    return max(0.0, x0 - PAD), max(0.0, y0 - PAD), min(width, x1 + PAD), min(height, y1 + PAD)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", type=date.fromisoformat, default=date.today(),
                        help="refresh date (default: the real date, which LibreOffice's TODAY() uses)")
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--output", type=Path, default=PNG)
    args = parser.parse_args(argv)
    missing = missing_tools() + [t for t in ("pdftotext",) if shutil.which(t) is None]
    if missing:
        print(f"needs {', '.join(missing)} (Debian: libreoffice-calc poppler-utils)", file=sys.stderr)
        return 1
    if args.today != date.today():
        print(f"note: LibreOffice colours rows by the real date, not {args.today}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tracker = work / "tracker.xlsx"
        refresh_file(SAMPLE, args.today, output=tracker)
        picture = picture_copy(tracker, work / "picture.xlsx")
        pdf = render_sheet(picture, C.INTERVIEWS, work / "pdf", timeout=180).pdf
        scale = args.dpi / 72
        x0, y0, x1, y1 = (round(v * scale) for v in content_box(pdf))
        subprocess.run(["pdftoppm", "-r", str(args.dpi), "-f", "1", "-l", "1", "-png", "-singlefile",
                        "-x", str(x0), "-y", str(y0), "-W", str(x1 - x0), "-H", str(y1 - y0),
                        str(pdf), str(work / "page")], check=True, timeout=180)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(work / "page.png", args.output)
    print(f"wrote {args.output} ({args.output.stat().st_size // 1024} KB, refreshed for {args.today})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
