"""``python -m workbook_tools.template``: rebuild the committed template and sample workbooks."""

from __future__ import annotations

from pathlib import Path

from workbook_tools.template.sample import build_sample
from workbook_tools.template.workbook import build_tracker

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH, SAMPLE_PATH = Path("templates/tracker.xlsx"), Path("sample_data/tracker.xlsx")


def rebuild(root: Path = ROOT) -> list[Path]:
    """Rebuild the committed template and sample workbooks under ``root``."""
    written = [root / TEMPLATE_PATH, root / SAMPLE_PATH]
    for target, build in zip(written, (build_tracker, build_sample)):
        target.parent.mkdir(parents=True, exist_ok=True)
        build(target)
    return written


if __name__ == "__main__":
    for path in rebuild():
        print(f"wrote {path}")
