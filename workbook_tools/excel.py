"""The Excel entry point: what a tracker's Refresh button (through its runner file) calls.

Runner files written by `workbook-tools new` and `workbook-tools runner` say
``from workbook_tools.excel import main``; users' own scripts call `refresh` on an
xlwings Book. Both live in `workbook_tools.adapters.excel`; this module is their
stable public address.
"""

from __future__ import annotations

from workbook_tools.adapters.excel import main, refresh

__all__ = ["main", "refresh"]
