"""The child process of bench_button.py: one click of the Refresh button, Python side.

Run: python button_child.py MODE PAYLOAD.json TODAY RESULT.json
  MODE "refresh": what a click costs: xlwings imported (pandas and numpy blocked, as on an
      install without them), the remote engine registered, ``xw.Book(json=payload)``,
      ``workbook_tools.excel.refresh(book, today)`` and ``book.json()`` (the actions sent back);
  MODE "reference": the same imports and the engine registration, and the payload parsed,
      but no Book and no refresh: what starting Python and the xlwings a click needs costs.
Writes to RESULT.json which blocked packages anything tried to import, whether pandas or
numpy ended up in ``sys.modules``, and the number of actions and of the cells they set. With BUTTON_BLOCK=0 in the
environment nothing is blocked (the install as it is: then the JSON says what was loaded).

The remote engine (``xlwings.pro``, PolyForm Noncommercial) is enabled by
``XLWINGS_LICENSE_KEY=noncommercial`` and registered as tests/adapters/test_excel.py does:
a benchmark-only set-up, as in the tests; the product never imports ``xlwings.pro``.
"""

from __future__ import annotations

import importlib.abc
import json
import os
import sys

BLOCKED = ("pandas", "numpy")
tried: list[str] = []


class Absent(importlib.abc.MetaPathFinder):
    """Behaves as an install without pandas and numpy: importing them fails."""

    def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
        if name.split(".")[0] in BLOCKED:
            tried.append(name)
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def main(mode: str, payload_path: str, today: str, result_path: str) -> None:
    if os.environ.get("BUTTON_BLOCK", "1") != "0":
        sys.meta_path.insert(0, Absent())
    os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
    import xlwings as xw

    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.main.Engine(impl=_xlremote.engine))
    with open(payload_path, encoding="utf-8") as fh:
        payload = json.load(fh)
    actions = cells = 0
    if mode == "refresh":
        from datetime import date

        from workbook_tools.excel import refresh

        book = xw.Book(json=payload)
        refresh(book, date.fromisoformat(today))
        sent = book.json()["actions"]
        actions = len(sent)
        cells = sum(len(row) for a in sent if isinstance(a.get("values"), list) for row in a["values"]
                    if isinstance(row, list))
    with open(result_path, "w", encoding="utf-8") as fh:
        json.dump({"tried": sorted(set(tried)), "loaded": sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED
                                                                  and sys.modules[m] is not None),
                   "actions": actions, "cells": cells}, fh)


if __name__ == "__main__":
    main(*sys.argv[1:5])
