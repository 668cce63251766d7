"""Make docs/sample.png: the sample tracker, refreshed, as LibreOffice prints its first page.

Run: python tools/render_sample.py
The refresh uses the real date, as a user's would, so that the workbook's TODAY()-based
colours agree with the flags the processor wrote.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from workbook_tools.refresh import refresh_file
from workbook_tools.render import missing_tools, render

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    missing = missing_tools()
    if missing:
        print(f"needs {', '.join(missing)} (Debian: libreoffice-calc poppler-utils)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tracker = work / "tracker.xlsx"
        refresh_file(ROOT / "sample_data" / "tracker.xlsx", date.today(), output=tracker)
        page = render(tracker, work, dpi=150, crop=(60, 80, 1500, 310)).png
        assert page is not None
        shutil.copyfile(page, ROOT / "docs" / "sample.png")
    print(f"wrote {ROOT / 'docs' / 'sample.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
