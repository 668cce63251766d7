"""Render a workbook to PDF and PNG with LibreOffice (headless), for checks and docs.

Optional tooling: it needs `soffice` (Debian: libreoffice-calc) and, for PNG pages,
`pdftoppm` (Debian: poppler-utils). Nothing in the product depends on it.
"""

from __future__ import annotations

import shutil
import subprocess
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
