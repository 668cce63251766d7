"""Make docs/report.png: the report's charts for the sample tracker, as LibreOffice
prints the Charts sheet.

Run: python tools/render_report.py   (needs soffice and pdftoppm)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from workbook_tools.app.report import make_report, write_report
from workbook_tools.render import missing_tools, render
from workbook_tools.template.sample import SAMPLE_TODAY

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    if missing_tools():
        print(f"needs {', '.join(missing_tools())} (Debian: libreoffice-calc poppler-utils)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        workbook = work / "report.xlsx"
        write_report(make_report([ROOT / "sample_data" / "tracker.xlsx"], SAMPLE_TODAY), workbook)
        pdf = render(workbook, work, png=False).pdf
        pages = int(next(line.split()[-1] for line in subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
            if line.startswith("Pages:")))
        subprocess.run(["pdftoppm", "-r", "110", "-f", str(pages), "-l", str(pages), "-png", "-singlefile",
                        "-x", "40", "-y", "40", "-W", "1120", "-H", "640", str(pdf), str(work / "charts")], check=True)
        shutil.copyfile(work / "charts.png", ROOT / "docs" / "report.png")
    print(f"wrote {ROOT / 'docs' / 'report.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
