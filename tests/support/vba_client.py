"""A model of xlwings' VBA client (``addin/Remote.bas``): the payload it sends for a
workbook, and how it applies the actions that come back, down to how Excel takes a
value typed into a cell. The live path's tests run the refresh on xlwings' remote
engine and apply its actions with this model."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import NamedTuple

import openpyxl
import xlwings as xw

from tests.support.xlsx_parts import col_letters as column_letters

REMOTE_BAS = Path(xw.__file__).parent / "addin" / "Remote.bas"


def vba_client_functions() -> set[str]:
    """The actions the installed xlwings' VBA client implements (its Subs taking
    ``(wb As Workbook, action As Dictionary)``, run by ``Application.Run action("func")``)."""
    text = REMOTE_BAS.read_text(encoding="utf-8", errors="replace")
    found = set(re.findall(r"^Sub (\w+)\(wb As Workbook, action As Dictionary\)", text, re.M))
    assert "setValues" in found and "alert" in found, f"{REMOTE_BAS} changed shape: read it again"
    return found


# --- The payload, as the VBA client builds it --------------------------------------------

def _json_value(value: object) -> object:
    """A cell value as WebHelpers.ConvertToJson writes it (dates: local ISO with a Z)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, date):
        return f"{value.isoformat()}T00:00:00.000Z"
    if isinstance(value, time):
        return f"1899-12-30T{value:%H:%M:%S}.000Z"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def vba_payload(path: Path) -> dict:
    """The JSON the VBA client (RunServerPython) sends for the workbook at ``path``:
    every worksheet's values from A1 to the end of its used range, its tables, names."""
    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        values = [[_json_value(c.value) for c in row]
                  for row in ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column)]
        tables = []
        for t in ws.tables.values():
            tables.append({
                "name": t.displayName, "range_address": re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", t.ref),
                "header_row_range_address": None, "data_body_range_address": None,
                "total_row_range_address": None, "show_headers": True, "show_totals": False,
                "table_style": "TableStyleMedium2", "show_autofilter": True,
            })
        sheets.append({"name": ws.title, "pictures": [], "tables": tables, "values": values or [[]]})
    # The workbook-scope names as the client lists them (a constant has no range).
    names = [{"name": name, "sheet_index": None, "address": None, "book_scope": True, "scope_sheet_name": None,
              "scope_sheet_index": None, "refers_to": "=" + dn.attr_text}
             for name, dn in wb.defined_names.items()]
    return {
        "client": "VBA", "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": names, "sheets": sheets,
    }


# --- A model of the VBA client applying the actions --------------------------------------

class Formula(str):
    """What Excel makes of a value that starts like a formula."""


_ISO = re.compile(r"^(\d{1,4})-(\d{1,2})-(\d{1,2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z?)?$")


def excel_input(value: object) -> object:
    """One value of a setValues action as it lands in the cell: the VBA client first tries
    WebHelpers.ParseIso on every value; then Excel reads the value as if typed (a leading
    apostrophe marks text and is not stored; "=", "+", "-", "@" start a formula; text
    that reads as a number, a date or TRUE/FALSE becomes one)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value
    m = _ISO.match(value)
    if m:
        y, mo, d = (int(g) for g in m.groups()[:3])
        return date(y, mo, d) if not m.group(4) or m.group(4, 5, 6) == ("00", "00", "00") else \
            datetime(y, mo, d, *(int(g) for g in m.groups()[3:]))
    if value.startswith("'"):
        return value[1:]
    if value[0] in "=+-@":
        return Formula(value)
    stripped = value.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE"
    try:
        return float(stripped)
    except ValueError:
        pass
    if re.fullmatch(r"\d{1,4}[/.]\d{1,2}([/.]\d{1,4})?|\d{1,2}:\d{2}(:\d{2})?( ?[ap]m)?", stripped, re.I):
        return Formula(value)  # a date or a time: not text either
    return value


def apply_actions(payload: dict, actions: list[dict]) -> tuple[dict[str, dict[str, object]], list[dict]]:
    """The cells each action writes ({sheet: {A1: value}}) and the alerts shown."""
    names = [s["name"] for s in payload["sheets"]]
    written: dict[str, dict[str, object]] = {}
    alerts = []
    for action in actions:
        func = action["func"]
        if func == "setValues":
            sheet = written.setdefault(names[action["sheet_position"]], {})
            values = action["values"]
            assert len(values) == action["row_count"] and all(len(r) == action["column_count"] for r in values)
            for i, row in enumerate(values):
                for j, value in enumerate(row):
                    ref = f"{column_letters(action['start_column'] + j + 1)}{action['start_row'] + i + 1}"
                    sheet[ref] = excel_input(value)
        elif func == "addHyperlink":  # Hyperlinks.Add with TextToDisplay: the cell shows that text
            sheet = written.setdefault(names[action["sheet_position"]], {})
            sheet[_action_ref(action)] = excel_input(action["args"][1])
        elif func == "alert":
            prompt, title, buttons, mode, callback = action["args"]
            alerts.append({"prompt": prompt, "title": title, "mode": mode})
    return written, alerts


class AddedLink(NamedTuple):
    """What one addHyperlink action asks Excel for."""

    address: str
    text_to_display: str
    screen_tip: str


def _action_ref(action: dict) -> str:
    """The one cell a range action names ("T2")."""
    assert action["row_count"] == 1 and action["column_count"] == 1, action
    return f"{column_letters(action['start_column'] + 1)}{action['start_row'] + 1}"


def applied_links(payload: dict, actions: list[dict]) -> dict[str, dict[str, AddedLink]]:
    """The links the actions add, by sheet and cell, as the VBA client's addHyperlink
    passes them to Hyperlinks.Add (a second link on a cell replaces the first)."""
    names = [s["name"] for s in payload["sheets"]]
    links: dict[str, dict[str, AddedLink]] = {}
    for action in actions:
        if action["func"] == "addHyperlink":
            address, text, tip = action["args"]
            links.setdefault(names[action["sheet_position"]], {})[_action_ref(action)] = AddedLink(address, text, tip)
    return links
