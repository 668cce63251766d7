"""Render a workbook to PDF and PNG with LibreOffice (headless), for checks and docs.

Optional tooling: it needs `soffice` (Debian: libreoffice-calc) and, for PNG pages,
`pdftoppm` (Debian: poppler-utils). Nothing in the product depends on it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Rendered:
    pdf: Path
    png: Path | None
    stderr: str


def missing_tools(png: bool = True) -> list[str]:
    """The tools this machine lacks for rendering (empty when all are there)."""
    wanted = ["soffice"] + (["pdftoppm"] if png else [])
    return [tool for tool in wanted if shutil.which(tool) is None]


def render(workbook: Path, outdir: Path, *, png: bool = True, dpi: int = 60, timeout: int = 240,
           crop: tuple[int, int, int, int] | None = None) -> Rendered:
    """Convert ``workbook`` to PDF in ``outdir`` and, with ``png``, its first page to PNG.

    LibreOffice runs with a private profile in ``outdir`` so that parallel runs and a
    user's own LibreOffice never clash. Raises CalledProcessError or TimeoutExpired.
    ``crop`` is (x, y, width, height) in pixels of the page image.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (outdir / "lo-profile").resolve().as_uri()
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(outdir), str(workbook)],
        capture_output=True, text=True, timeout=timeout, check=True,
    )
    pdf = outdir / (workbook.stem + ".pdf")
    if not pdf.exists():
        raise FileNotFoundError(f"LibreOffice wrote no PDF for {workbook}: {proc.stdout} {proc.stderr}")
    page = None
    if png:
        box = [f"-{k}" for k in "xyWH"] if crop else []
        args = [a for pair in zip(box, map(str, crop or ())) for a in pair]
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-singlefile", *args,
                        str(pdf), str(outdir / workbook.stem)], check=True, timeout=timeout)
        page = outdir / (workbook.stem + ".png")
    return Rendered(pdf, page, proc.stderr)


#: A <sheet> element of xl/workbook.xml: its attributes.
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s([^>]*?)/?>")
_NAME_ATTR = re.compile(rb'\sname="([^"]*)"')
_STATE_ATTR = re.compile(rb'\sstate="[^"]*"')
#: The one-sheet copy's workbook view: the first tab active (it is the sheet shown, hidden sheets aside).
_ACTIVE_TAB = re.compile(rb'\s(?:activeTab|firstSheet)="\d+"')
_TAB_SELECTED = re.compile(rb'\stabSelected="(?:1|true)"')
_WORKBOOK_VIEW = re.compile(rb"<(?:\w+:)?workbookView(?=[\s/>])")


def only_sheet(workbook: Path, sheet: str, copy: Path) -> Path:
    """A copy of ``workbook`` at ``copy`` in which every sheet but ``sheet`` is hidden, so
    that LibreOffice prints that sheet alone. KeyError when the workbook has no such sheet."""
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = _hide_all_but(data, sheet.encode("utf-8"))
            elif info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                data = _TAB_SELECTED.sub(b"", data)  # LibreOffice prints a selected sheet, hidden or not
            target.writestr(info, data)
    return copy


def _hide_all_but(workbook_xml: bytes, wanted: bytes) -> bytes:
    seen: list[bytes] = []

    def visibility(tag: re.Match[bytes]) -> bytes:
        attrs = _STATE_ATTR.sub(b"", tag.group(1).rstrip(b"/ "))
        name = _NAME_ATTR.search(b" " + attrs)
        seen.append(name.group(1) if name is not None else b"")
        return b"<sheet " + attrs + (b"/>" if seen[-1] == wanted else b' state="hidden"/>')

    out = _SHEET_TAG.sub(visibility, workbook_xml)
    if wanted not in seen:
        raise KeyError(wanted.decode("utf-8"))
    # The sheet shown is the one printed with it: make it the wanted one.
    out = _ACTIVE_TAB.sub(b"", out)
    return _WORKBOOK_VIEW.sub(lambda view: view.group(0) + b' activeTab="%d"' % seen.index(wanted), out, count=1)


def render_sheet(workbook: Path, sheet: str, outdir: Path, *, timeout: int = 240) -> Rendered:
    """The PDF of one sheet of ``workbook`` as LibreOffice prints it (`only_sheet`), in ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    copy = only_sheet(workbook, sheet, outdir / (re.sub(r"[^\w-]+", "_", sheet) + workbook.suffix))
    return render(copy, outdir, png=False, timeout=timeout)
