"""Regenerate the golden outputs: `python tests/golden/regenerate.py`.

The golden file holds what the engine computes for the sample tracker's rows on the
sample's date, as readable JSON: one object a row, the owned columns by name. After a
deliberate rule change, run this and read the diff: it shows every cell the change moves.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from workbook_tools import contract as C
from workbook_tools.core.engine import compute
from workbook_tools.core.grid import tracker_data
from workbook_tools.core.model import Result
from workbook_tools.template.sample import CALLS, CONTACTS, INTERVIEWS, SAMPLE_TODAY, SETTINGS
from workbook_tools.template.workbook import default_settings

GOLDEN = Path(__file__).with_name("sample_cells.json")


def sample_settings() -> dict[str, object]:
    settings = dict(default_settings())
    settings.update(SETTINGS)
    return settings


def sample_result() -> Result:
    data = tracker_data(INTERVIEWS, CALLS, CONTACTS, sample_settings())
    return compute(data, SAMPLE_TODAY)


def as_json(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def golden_rows(rows_cells: list[tuple[int, str, dict[str, object]]]) -> list[dict[str, object]]:
    """(sheet row, company, owned cells by column name) -> the golden JSON shape."""
    return [{"row": row, "Company": company, **{h: as_json(cells.get(h)) for h in C.OWNED_COLUMNS}}
            for row, company, cells in rows_cells]


def engine_golden() -> list[dict[str, object]]:
    result = sample_result()
    companies = [r["Company"] for r in INTERVIEWS]
    return golden_rows([(res.row, companies[res.row - 2], res.cells()) for res in result.rows])


def main() -> int:
    GOLDEN.write_text(json.dumps(engine_golden(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
