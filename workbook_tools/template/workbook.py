"""The tracker template: the contract's sheets, tables, dropdowns, colour rules and Guide,
written with XlsxWriter. Building twice gives the same zip members (fixed document date).

``python -m workbook_tools.template`` rebuilds ``templates/tracker.xlsx`` (no rows) and
``sample_data/tracker.xlsx`` (the sample job search).

Dropdowns that depend on other sheets (the open companies on Calls, the cadence names)
read a small hidden helper sheet, :data:`LISTS`, filled by classic array formulas that
work in Excel 2010 and later and in LibreOffice; no dynamic-array functions are used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, NamedTuple

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import quote_sheetname, xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workbook_tools import contract as c
from workbook_tools.core import layout
from workbook_tools.core.cadences import cadence_rows
from workbook_tools.core.rules.cadences import BUILTIN_CADENCES
from workbook_tools.core.rules.lead_types import TYPE_RULES
from workbook_tools.core.rules.texts import DEFAULT_SCRIPTS
from workbook_tools.template import guide
from workbook_tools.template.vba import add_macro_parts

Row = Mapping[str, Any]

#: Hidden helper sheet holding the dropdown lists (after the contract's sheets).
LISTS = "Lists"
#: Validations and colour rules cover rows 2..LAST_ROW, so rows typed below a table get them.
LAST_ROW = 5000
OPEN_COMPANY_SLOTS = 100  # helper cells for the open-company list
CADENCE_SLOTS = 50  # helper cells for the cadence-name list
CADENCE_SOURCE_ROWS = 500  # rows of the Cadences sheet the cadence list reads
OPEN_COMPANIES_NAME = "OpenCompanies"
CADENCE_NAMES_NAME = "CadenceNames"
OUTCOMES_NAME = "OutcomeList"

DOC_DATE = datetime(2026, 1, 1)  # fixed: identical builds give identical files
DATE_FORMAT = "ddd d mmm yyyy"
TIME_FORMAT = "h:mm AM/PM"
TABLE_STYLE = "Table Style Medium 2"

# Colour rules: light fills, dark text, readable in print.
CLOSED_COLOURS = {"bg_color": "#E7E6E6", "font_color": "#595959"}
OVERDUE_COLOURS = {"bg_color": "#F8CBAD", "font_color": "#9C0006"}
DUE_TODAY_COLOURS = {"bg_color": "#FFE699", "font_color": "#7F6000"}
OWNED_HEADER = {"bold": True, "bg_color": "#E4DFEC", "font_color": "#3F3151", "border": 1}
#: Every header sits at the bottom of its cell (ours): in the taller header row of an .xlsm
#: the Refresh button sits above the text (`template.vba.HEADER_ROW_HEIGHT`), covering none.
HEADER_ALIGNMENT = {"valign": "bottom"}

#: Column widths by header (the tests check every name is a contract header).
WIDTHS: dict[str, float] = {
    "Company": 24, "Position": 24, "Contact": 20, "Type": 14, "Cadence": 14, "Status": 13,
    "Call When": 16, "Talking Point": 32, "Notes": 36, "Calls Made": 11, "Last Outcome": 22,
    "Call Window": 24, "Next Action": 48, "Why": 48, "Call Script": 60, "Email Script": 60,
    "Flag": 11, "Time": 11, "Outcome": 22, "Name": 22, "Title": 26, "Phone": 18, "Email": 30,
    "Time Zone": 20, "Country": 10, "Where We Met": 28, "Script": 26, "Text": 90, "Step": 8, "Wait": 24,
    "From": 16, "Setting": 28, "Value": 30,
}
#: Columns with long text: wrapped (Call Window too, so that it is never cut). Rows are
#: made as tall as their wrapped cells need (`core.layout.row_height`): here for the rows
#: the template writes, by refresh for the rows it fills.
WRAPPED = layout.WRAPPED_HEADERS


class Margins(NamedTuple):
    """Page margins in inches; the header and footer sit in the top and bottom ones."""

    left: float
    right: float
    top: float
    bottom: float


class PageSetup(NamedTuple):
    """How a sheet prints: ``pages_wide`` pages across (fitted to them; as many pages
    down as the rows need), in ``landscape`` or portrait, the first column repeated on
    every page across when ``repeat_first_column``, and gridlines when ``gridlines``
    (LibreOffice prints no table style: they keep the rows apart). Every table repeats
    its header row, and every sheet prints its name and page number in the footer."""

    landscape: bool
    pages_wide: int
    repeat_first_column: bool
    gridlines: bool
    source: str


NARROW = Margins(left=0.3, right=0.3, top=0.5, bottom=0.6)  # Excel's "Narrow", with room for the footer
FOOTER = "&L&A&RPage &P"
#: No sheet has a print area: Excel and LibreOffice then print every row and column in
#: use, so the rows a user types below a table, and their own columns, print too (a fixed
#: area would leave them out). The hidden Refresh Record column does not print.
PAGE_SETUP: dict[str, PageSetup] = {
    c.INTERVIEWS: PageSetup(True, 3, True, True, "ours, measured in LibreOffice: 23 columns of about 560 "
                            "character widths read at 11 pt x 0.6 on three landscape pages across (inputs, "
                            "plan, scripts), Company repeated on each"),
    c.CALLS: PageSetup(True, 1, False, True, "issue 14: one page wide, landscape"),
    c.CONTACTS: PageSetup(True, 1, False, True, "issue 14: one page wide, landscape"),
    c.SCRIPTS: PageSetup(False, 1, False, True, "ours: two columns of 116 widths fit a portrait page"),
    c.CADENCES: PageSetup(False, 1, False, True, "ours: four narrow columns"),
    c.SETTINGS: PageSetup(False, 1, False, True, "ours: two narrow columns"),
    c.GUIDE: PageSetup(False, 1, False, False, "issue 14: the Guide fits the page width"),
}
#: The Guide's one column, in character widths: it fits a portrait page in Excel and in LibreOffice (which
#: draws a column wider, by its font's digit width, and scales no Guide down: measured).
GUIDE_WIDTH = 96
#: Point sizes of the Guide's line styles (the others are Calibri 11).
GUIDE_FONT_SIZES = {guide.TITLE: 16, guide.HEADING: 12}
#: Character widths an indent level takes (ours: Excel indents by about three characters).
INDENT_CHARS = 3
DATE_WIDTH = 16
DATE_COLUMNS = {c.INTERVIEWS: c.INTERVIEW_DATE_COLUMNS, c.CALLS: c.CALL_DATE_COLUMNS}
TIME_COLUMNS = {c.CALLS: ("Time",)}

NO_SUCH_CADENCE = "No cadence of that name on the Cadences sheet yet."
#: The note Excel shows on a computed cell (at most 255 characters).
OWNED_INPUT_MESSAGE = {
    "": "Refresh writes this column. What you type here is kept and reported until you clear the cell.",
    c.NEXT_CALL: "Refresh writes this date. Type a date of your own to pin the call to it: it stays until a "
                 "call is logged on or after it.",
}


def default_settings() -> list[tuple[str, object]]:
    """The Settings rows of a new tracker, in order."""
    rows: list[tuple[str, object]] = [
        (c.YOUR_NAME, ""), (c.YOUR_PHONE, ""), (c.YOUR_EMAIL, ""), (c.COUNTRY, "US"),
        (c.SUBDIVISION, ""), (c.TIME_ZONE, "America/New_York"),
        (c.YOUR_HOURS, "7:00-21:00"),
    ]
    rows += [(c.default_cadence_setting(t), TYPE_RULES[t].cadence) for t in c.TYPES]
    rows.append((c.DAYS_AFTER_DECISION, c.DEFAULT_GRACE_DAYS))
    return rows


def col(sheet: str, header: str) -> str:
    """The column letter of a contract header on a sheet of the template."""
    letters: str = xl_col_to_name(c.HEADERS[sheet].index(header))
    return letters


def _is_closed(row: Row) -> bool:
    status = str(row.get("Status") or "").strip().casefold()
    flag = str(row.get("Flag") or "").strip().casefold()
    return status in {s.casefold() for s in c.CLOSED_STATUSES} or flag == c.FLAG_CLOSED.casefold()


def _unique(values: Iterable[object]) -> list[str]:
    seen: dict[str, str] = {}  # casefolded -> first spelling, like COUNTIF
    for v in values:
        if isinstance(v, str) and v.strip():
            seen.setdefault(v.casefold(), v)
    return list(seen.values())


class _Builder:
    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.fmt_cache: dict[tuple[tuple[str, object], ...], Format] = {}

    def fmt(self, **props: object) -> Format:
        key = tuple(sorted(props.items()))
        if key not in self.fmt_cache:
            self.fmt_cache[key] = self.wb.add_format(dict(props))
        return self.fmt_cache[key]

    def column_format(self, sheet: str, header: str) -> Format:
        props: dict[str, object] = {"valign": "top"}
        if header in DATE_COLUMNS.get(sheet, ()):
            props["num_format"] = DATE_FORMAT
        elif header in TIME_COLUMNS.get(sheet, ()):
            props["num_format"] = TIME_FORMAT
        elif sheet == c.CADENCES and header == "Step":
            props["num_format"] = "@"
        if header in WRAPPED:
            props["text_wrap"] = True
        return self.fmt(**props)

    def write(self, ws: Worksheet, r: int, k: int, value: object, f: Format) -> None:
        """Write one value as what it is; strings always as text, never as formulas."""
        if value is None or value == "":
            pass
        elif isinstance(value, bool):
            ws.write_boolean(r, k, value, f)
        elif isinstance(value, (datetime, date, time)):
            ws.write_datetime(r, k, value, f)
        elif isinstance(value, (int, float)):
            ws.write_number(r, k, value, f)
        else:
            ws.write_string(r, k, str(value), f)

    def table(self, sheet: str, rows: Iterable[Row | tuple[object, ...]]) -> Worksheet:
        """A sheet holding one Excel Table with the contract headers and the given rows."""
        headers = c.HEADERS[sheet]
        ws = self.wb.add_worksheet(sheet)
        data: list[tuple[object, ...]] = []
        for row in rows:
            if isinstance(row, Mapping):
                unknown = set(row) - set(headers)
                if unknown:
                    raise ValueError(f"{sheet}: unknown column(s) {sorted(unknown)}")
                data.append(tuple(row.get(h) for h in headers))
            else:
                data.append(tuple(row))
        columns: list[dict[str, object]] = []
        for k, header in enumerate(headers):
            f = self.column_format(sheet, header)
            is_date = header in DATE_COLUMNS.get(sheet, ())
            # The record of what refresh wrote is for refresh, not for reading: hidden.
            hidden = {"hidden": True} if header == c.REFRESH_RECORD else None
            ws.set_column(k, k, DATE_WIDTH if is_date else WIDTHS.get(header, 14), f, hidden)
            owned = sheet == c.INTERVIEWS and header in c.OWNED_COLUMNS
            spec: dict[str, object] = {"header": header, "header_format": self.fmt(
                **(OWNED_HEADER if owned else {}), **HEADER_ALIGNMENT)}
            columns.append(spec)
            for r, values in enumerate(data, start=1):
                self.write(ws, r, k, values[k], f)
        ws.add_table(0, 0, max(len(data), 1), len(headers) - 1, {
            "name": c.TABLE_NAMES[sheet], "style": TABLE_STYLE, "columns": columns,
        })
        ws.freeze_panes(1, 1 if sheet == c.INTERVIEWS else 0)
        ws.repeat_rows(0)  # printed pages repeat the header row
        set_page(ws, PAGE_SETUP[sheet])
        self.fit_rows(ws, sheet, data)
        return ws

    def fit_rows(self, ws: Worksheet, sheet: str, data: list[tuple[object, ...]]) -> None:
        """Give each row written the height its wrapped cells need (`core.layout.row_height`)."""
        headers = c.HEADERS[sheet]
        wrapped = [(k, WIDTHS.get(h, 14)) for k, h in enumerate(headers) if h in WRAPPED]
        for r, values in enumerate(data, start=1):
            height = layout.row_height(layout.WrappedCell(values[k], width) for k, width in wrapped)
            if height > layout.LINE_POINTS:
                ws.set_row(r, height)


def set_page(ws: Worksheet, page: PageSetup) -> None:
    """Print ``ws`` as ``page`` says, with narrow margins and the sheet's name and page
    number in the footer."""
    if page.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(page.pages_wide, 0)  # 0: as many pages down as the rows need
    if page.repeat_first_column:
        ws.repeat_columns(0)
    if page.gridlines:
        ws.hide_gridlines(0)  # 0: gridlines on screen and in print
    ws.set_margins(**NARROW._asdict())
    ws.set_footer(FOOTER)


def guide_row_height(style: str, text: str) -> float:
    """The height of a Guide line: its lines (`core.layout`), at its style's font size."""
    size = GUIDE_FONT_SIZES.get(style, 11)
    indent = INDENT_CHARS if style == guide.BULLET else 0
    lines = layout.row_height([layout.WrappedCell(text, (GUIDE_WIDTH - indent) * 11 / size)]) / layout.LINE_POINTS
    return min(round(lines * layout.LINE_POINTS * size / 11, 2), layout.MAX_ROW_POINTS)


def _dropdown(ws: Worksheet, sheet: str, header: str, source: object, title: str,
              message: str) -> None:
    letter = col(sheet, header)
    _list_validation(ws, f"{letter}2:{letter}{LAST_ROW}", source, title, message)


def _list_validation(ws: Worksheet, area: str, source: object, title: str, message: str) -> None:
    """A dropdown that warns on other values but accepts them."""
    ws.data_validation(area, {"validate": "list", "source": source, "ignore_blank": True,
                              "error_type": "warning", "error_title": title,
                              "error_message": message})


def _interviews_rules(b: _Builder, ws: Worksheet) -> None:
    s = c.INTERVIEWS
    last = xl_col_to_name(len(c.INTERVIEW_HEADERS) - 1)
    area = f"A2:{last}{LAST_ROW}"
    flag, nxt, status = (f"${col(s, h)}2" for h in ("Flag", "Next Call", "Status"))
    closed_status = ",".join(f'{status}="{v}"' for v in c.CLOSED_STATUSES)
    rules = [
        (f'=OR({flag}="{c.FLAG_CLOSED}",{closed_status})', CLOSED_COLOURS, True),
        (f'=AND(ISNUMBER({nxt}),{nxt}<TODAY(),{flag}<>"{c.FLAG_CLOSED}",{flag}<>"{c.WAITING}")',
         OVERDUE_COLOURS, False),
        (f'=AND(ISNUMBER({nxt}),INT({nxt})=TODAY(),{flag}<>"{c.WAITING}")',
         DUE_TODAY_COLOURS, False),
    ]
    for formula, colours, stop in rules:
        ws.conditional_format(area, {"type": "formula", "criteria": formula,
                                     "format": b.fmt(**colours), "stop_if_true": stop})
    _dropdown(ws, s, "Type", list(c.TYPES), "Type", "Not one of the usual types.")
    _dropdown(ws, s, "Status", list(c.STATUSES), "Status", "Not one of the usual statuses.")
    _dropdown(ws, s, "Cadence", f"={CADENCE_NAMES_NAME}", "Cadence", NO_SUCH_CADENCE)
    for header in c.OWNED_COLUMNS:
        letter = col(s, header)
        ws.data_validation(f"{letter}2:{letter}{LAST_ROW}", {
            "validate": "any", "input_title": "Filled in by Refresh",
            "input_message": OWNED_INPUT_MESSAGE.get(header, OWNED_INPUT_MESSAGE[""]),
        })


def _lists_sheet(b: _Builder, interviews: list[Row], cadence_names: list[str]) -> None:
    """The hidden helper sheet: open companies, cadence names and outcomes for dropdowns."""
    ws = b.wb.add_worksheet(LISTS)
    ws.hide()
    head = b.fmt(bold=True)
    for k, title in enumerate(("Open Companies", "Cadence Names", "Outcomes")):
        ws.write_string(0, k, title, head)
        ws.set_column(k, k, 26)
    ws.write_string(0, 4, "Helper lists for the dropdowns (formulas): do not edit.")
    s, q = c.INTERVIEWS, quote_sheetname(c.INTERVIEWS)
    rng = {h: f"{q}!${col(s, h)}$2:${col(s, h)}${LAST_ROW}" for h in ("Company", "Flag", "Status")}
    closed = "+".join(f'({rng["Status"]}="{v}")' for v in c.CLOSED_STATUSES)
    open_now = _unique(r.get("Company") for r in interviews if not _is_closed(r))
    for i in range(OPEN_COMPANY_SLOTS):
        above = f"{LISTS}!$A$1:A{i + 1}"
        f = (f'{{=IF(A{i + 1}="","",IFERROR(INDEX({rng["Company"]},MATCH(0,'
             f'COUNTIF({above},{rng["Company"]})+({rng["Company"]}="")'
             f'+({rng["Flag"]}="{c.FLAG_CLOSED}")+{closed},0)),""))}}')
        ws.write_array_formula(i + 1, 0, i + 1, 0, f, None, open_now[i] if i < len(open_now) else "")
    cad = f"{quote_sheetname(c.CADENCES)}!$A$2:$A${CADENCE_SOURCE_ROWS}"
    for i in range(CADENCE_SLOTS):
        f = (f'{{=IF(B{i + 1}="","",IFERROR(INDEX({cad},MATCH(0,'
             f'COUNTIF({LISTS}!$B$1:B{i + 1},{cad})+({cad}=""),0)),""))}}')
        value = cadence_names[i] if i < len(cadence_names) else ""
        ws.write_array_formula(i + 1, 1, i + 1, 1, f, None, value)
    for i, outcome in enumerate(c.OUTCOMES, start=1):
        ws.write_string(i, 2, outcome)
    for name, letter, slots in ((OPEN_COMPANIES_NAME, "A", OPEN_COMPANY_SLOTS),
                                (CADENCE_NAMES_NAME, "B", CADENCE_SLOTS)):
        b.wb.define_name(name, f'=OFFSET({LISTS}!${letter}$2,0,0,MAX(1,SUMPRODUCT(--('
                               f'{LISTS}!${letter}$2:${letter}${slots + 1}<>""))),1)')
    b.wb.define_name(OUTCOMES_NAME, f"={LISTS}!$C$2:$C${len(c.OUTCOMES) + 1}")


def _guide_sheet(b: _Builder) -> None:
    ws = b.wb.add_worksheet(c.GUIDE)
    ws.set_column(0, 0, GUIDE_WIDTH)
    ws.hide_gridlines(2)
    set_page(ws, PAGE_SETUP[c.GUIDE])
    base = {"text_wrap": True, "valign": "top"}
    styles = {
        guide.TITLE: b.fmt(bold=True, font_size=16, **base),
        guide.HEADING: b.fmt(bold=True, font_size=12, top=1, **base),
        guide.TEXT: b.fmt(**base),
        guide.BULLET: b.fmt(indent=1, **base),
        guide.LEGEND_CLOSED: b.fmt(**CLOSED_COLOURS, **base),
        guide.LEGEND_OVERDUE: b.fmt(**OVERDUE_COLOURS, **base),
        guide.LEGEND_DUE_TODAY: b.fmt(**DUE_TODAY_COLOURS, **base),
    }
    for r, (style, text) in enumerate(guide.guide_lines(LISTS)):
        ws.write_string(r, 0, text, styles[style])
        ws.set_row(r, guide_row_height(style, text))


def build_tracker(
    path: str | Path,
    *,
    interviews: Iterable[Row] = (),
    calls: Iterable[Row] = (),
    contacts: Iterable[Row] = (),
    settings: Mapping[str, object] | None = None,
    macro: bool = False,
) -> None:
    """Write a tracker workbook at ``path``.

    Rows are dicts keyed by contract header names (a missing key is a blank cell);
    ``settings`` overrides values of the default Settings rows.

    ``macro`` makes the .xlsm flavour: xlwings' VBA project and a Refresh button on
    Interviews and Calls (`template.vba.add_macro_parts`; ``path`` must end in .xlsm).
    """
    interview_rows, call_rows, contact_rows = list(interviews), list(calls), list(contacts)
    values = dict(default_settings())
    unknown = set(settings or {}) - set(values)
    if unknown:
        raise ValueError(f"{c.SETTINGS}: unknown setting(s) {sorted(unknown)}")
    values.update(settings or {})
    cad_rows = [row for cad in BUILTIN_CADENCES.values() for row in cadence_rows(cad)]

    # Text is text: nothing the user typed becomes a formula, a link or a number.
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": False, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
    wb.set_properties({"title": "Job search follow-up tracker", "created": DOC_DATE})
    b = _Builder(wb)
    for sheet in c.SHEET_ORDER:
        if sheet == c.INTERVIEWS:
            _interviews_rules(b, b.table(sheet, interview_rows))
        elif sheet == c.CALLS:
            ws = b.table(sheet, call_rows)
            _dropdown(ws, sheet, "Company", f"={OPEN_COMPANIES_NAME}", "Company",
                      "Not one of your open companies. Check the name matches Interviews.")
            _dropdown(ws, sheet, "Outcome", f"={OUTCOMES_NAME}", "Outcome",
                      "Not one of the outcomes Refresh understands; see the Guide.")
        elif sheet == c.CONTACTS:
            b.table(sheet, contact_rows)
        elif sheet == c.SCRIPTS:
            b.table(sheet, list(DEFAULT_SCRIPTS.items()))
        elif sheet == c.CADENCES:
            b.table(sheet, cad_rows)
        elif sheet == c.SETTINGS:
            ws = b.table(sheet, list(values.items()))
            value_col = col(sheet, "Value")
            for r, name in enumerate(values, start=2):
                if name in {c.default_cadence_setting(t) for t in c.TYPES}:
                    _list_validation(ws, f"{value_col}{r}", f"={CADENCE_NAMES_NAME}",
                                     "Cadence", NO_SUCH_CADENCE)
        elif sheet == c.GUIDE:
            _guide_sheet(b)
    _lists_sheet(b, interview_rows, _unique(r[0] for r in cad_rows))
    wb.get_worksheet_by_name(c.INTERVIEWS).activate()
    if macro:
        add_macro_parts(wb)
    wb.close()
