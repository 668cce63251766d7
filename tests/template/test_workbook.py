"""The template and sample workbooks: structure, defaults, dropdowns, colour rules."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from workbook_tools import contract as c
from workbook_tools.core.cadences import cadence_rows
from workbook_tools.core.rules.cadences import BUILTIN_CADENCES
from workbook_tools.core.rules.lead_types import TYPE_RULES
from workbook_tools.core.rules.outcomes import OUTCOME_RULES
from workbook_tools.core.rules.texts import DEFAULT_SCRIPTS
from workbook_tools.template import guide as template_guide
from workbook_tools.template import workbook as template
from workbook_tools.template.__main__ import SAMPLE_PATH, TEMPLATE_PATH
from workbook_tools.template.sample import CALLS, CONTACTS, INTERVIEWS, SAMPLE_TODAY, build_sample

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = {
    "template": (ROOT / TEMPLATE_PATH, template.build_tracker),
    "sample": (ROOT / SAMPLE_PATH, build_sample),
}
DATA_SHEETS = tuple(c.TABLE_NAMES)
REBUILD = "run `python -m workbook_tools.template` to rebuild the committed workbooks"


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module", params=sorted(COMMITTED))
def book(request: pytest.FixtureRequest) -> Workbook:
    return openpyxl.load_workbook(COMMITTED[request.param][0])


@pytest.fixture(scope="module")
def sample() -> Workbook:
    return openpyxl.load_workbook(COMMITTED["sample"][0])


def _col(sheet: str, header: str) -> str:
    return get_column_letter(c.HEADERS[sheet].index(header) + 1)


def _dim(ws: Worksheet, sheet: str, header: str) -> Any:
    """The column dimension covering a header's column (XlsxWriter merges equal neighbours)."""
    k = c.HEADERS[sheet].index(header) + 1
    found = [d for d in ws.column_dimensions.values() if d.min <= k <= d.max]
    assert len(found) == 1, (sheet, header)
    return found[0]


def _rows(ws: Worksheet) -> list[dict[str, Any]]:
    values = list(ws.iter_rows(values_only=True))
    headers = [str(h) for h in values[0]]
    return [dict(zip(headers, row)) for row in values[1:] if any(v is not None for v in row)]


# --- committed files ------------------------------------------------------------------

@pytest.mark.parametrize("which", sorted(COMMITTED))
def test_committed_workbook_equals_fresh_build(which: str, tmp_path: Path) -> None:
    path, build = COMMITTED[which]
    assert path.exists(), f"{path} is missing: {REBUILD}"
    build(tmp_path / "fresh.xlsx")
    committed, fresh = _members(path), _members(tmp_path / "fresh.xlsx")
    assert sorted(committed) == sorted(fresh), f"{path} has other zip members: {REBUILD}"
    changed = [name for name in fresh if committed[name] != fresh[name]]
    assert not changed, f"{path} differs from a fresh build in {changed}: {REBUILD}"


def test_build_is_deterministic(tmp_path: Path) -> None:
    build_sample(tmp_path / "a.xlsx")
    build_sample(tmp_path / "b.xlsx")
    assert _members(tmp_path / "a.xlsx") == _members(tmp_path / "b.xlsx")


# --- structure ------------------------------------------------------------------------

def test_sheets_in_contract_order_then_hidden_helper(book: Workbook) -> None:
    assert book.sheetnames == [*c.SHEET_ORDER, template.LISTS]
    assert [ws.sheet_state for ws in book][: len(c.SHEET_ORDER)] == ["visible"] * len(c.SHEET_ORDER)
    assert book[template.LISTS].sheet_state == "hidden"
    assert book.active.title == c.INTERVIEWS


def test_headers_tables_and_freeze_panes(book: Workbook) -> None:
    for sheet in DATA_SHEETS:
        ws = book[sheet]
        headers = c.HEADERS[sheet]
        assert tuple(cell.value for cell in ws[1]) == headers, sheet
        assert list(ws.tables) == [c.TABLE_NAMES[sheet]], sheet
        table = ws.tables[c.TABLE_NAMES[sheet]]
        last_row = max(len(_rows(ws)), 1) + 1
        assert table.ref == f"A1:{get_column_letter(len(headers))}{last_row}", sheet
        assert [col.name for col in table.tableColumns] == list(headers)
        assert ws.freeze_panes == ("B2" if sheet == c.INTERVIEWS else "A2"), sheet


def test_empty_template_tables_have_one_blank_row() -> None:
    wb = openpyxl.load_workbook(COMMITTED["template"][0])
    for sheet in (c.INTERVIEWS, c.CALLS, c.CONTACTS):
        assert wb[sheet].tables[c.TABLE_NAMES[sheet]].ref.endswith("2"), sheet
        assert _rows(wb[sheet]) == [], sheet


def test_date_time_and_wrap_formats_on_whole_columns(book: Workbook) -> None:
    for sheet, columns in template.DATE_COLUMNS.items():
        for header in columns:
            dim = _dim(book[sheet], sheet, header)
            assert dim.number_format == template.DATE_FORMAT, (sheet, header)
    calls = book[c.CALLS]
    assert _dim(calls, c.CALLS, "Time").number_format == template.TIME_FORMAT
    for header in ("Call Script", "Email Script", "Why", "Next Action"):
        dim = _dim(book[c.INTERVIEWS], c.INTERVIEWS, header)
        assert dim.alignment.wrap_text and dim.width >= 40, header
    text = _dim(book[c.SCRIPTS], c.SCRIPTS, "Text")
    assert text.alignment.wrap_text and text.width >= 60


def test_sample_cells_carry_date_and_time_formats(sample: Workbook) -> None:
    ws = sample[c.INTERVIEWS]
    cell = ws[f"{_col(c.INTERVIEWS, 'Event Date')}2"]
    assert cell.is_date and cell.number_format == template.DATE_FORMAT
    time_cell = sample[c.CALLS][f"{_col(c.CALLS, 'Time')}2"]
    assert time_cell.is_date and time_cell.number_format == template.TIME_FORMAT


def test_layout_names_are_contract_headers() -> None:
    every = {h for headers in c.HEADERS.values() for h in headers}
    assert set(template.WIDTHS) <= every
    assert set(template.WRAPPED) <= every
    assert set(template_guide.OWNED_HELP) == set(c.OWNED_COLUMNS)
    assert set(template_guide.FLAG_HELP) == set(c.FLAGS)
    assert set(OUTCOME_RULES) == set(c.OUTCOMES)


def test_owned_headers_are_marked(book: Workbook) -> None:
    ws = book[c.INTERVIEWS]
    for k, header in enumerate(c.INTERVIEW_HEADERS, start=1):
        fill = ws.cell(1, k).fill.fgColor.rgb
        assert (fill == "FF" + template.OWNED_HEADER["bg_color"][1:]) == (header in c.OWNED_COLUMNS)


# --- dropdowns ------------------------------------------------------------------------

def _validations(ws: Worksheet) -> dict[str, Any]:
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def _area(sheet: str, header: str) -> str:
    letter = _col(sheet, header)
    return f"{letter}2:{letter}{template.LAST_ROW}"


def test_interview_dropdowns(book: Workbook) -> None:
    dvs = _validations(book[c.INTERVIEWS])
    for header, values in (("Type", c.TYPES), ("Status", c.STATUSES)):
        dv = dvs[_area(c.INTERVIEWS, header)]
        assert dv.type == "list" and dv.errorStyle == "warning"
        assert dv.formula1 == '"' + ",".join(values) + '"'
    cadence = dvs[_area(c.INTERVIEWS, "Cadence")]
    assert cadence.type == "list" and cadence.formula1 == template.CADENCE_NAMES_NAME
    for header in c.OWNED_COLUMNS:
        assert dvs[_area(c.INTERVIEWS, header)].promptTitle == "Filled in by Refresh"


def _name(book: Workbook, name: str) -> str:
    return book.defined_names[name].attr_text


def _lists_column(book: Workbook, letter: str) -> list[str]:
    ws = book[template.LISTS]
    return [ws[f"{letter}{r}"].value for r in range(2, ws.max_row + 1)]


def test_calls_dropdowns(book: Workbook) -> None:
    dvs = _validations(book[c.CALLS])
    company = dvs[_area(c.CALLS, "Company")]
    assert company.type == "list" and company.errorStyle == "warning"
    assert company.formula1 == template.OPEN_COMPANIES_NAME
    assert _name(book, template.OPEN_COMPANIES_NAME).startswith("OFFSET(Lists!$A$2,")
    outcome = dvs[_area(c.CALLS, "Outcome")]
    assert outcome.formula1 == template.OUTCOMES_NAME and outcome.errorStyle == "warning"
    # "Spoke, no decision yet" holds a comma: the list must come from cells, not a literal.
    ref = re.fullmatch(r"Lists!\$C\$2:\$C\$(\d+)", _name(book, template.OUTCOMES_NAME))
    assert ref and int(ref.group(1)) == len(c.OUTCOMES) + 1
    assert [book[template.LISTS][f"C{r}"].value for r in range(2, len(c.OUTCOMES) + 2)] == list(c.OUTCOMES)


def test_open_company_helper_formulas_name_the_right_columns(book: Workbook) -> None:
    ws = book[template.LISTS]
    formula = ws["A2"].value.text
    for header in ("Company", "Flag", "Status"):
        letter = _col(c.INTERVIEWS, header)
        assert f"Interviews!${letter}$2:${letter}${template.LAST_ROW}" in formula, header
    assert f'="{c.FLAG_CLOSED}"' in formula
    assert all(f'="{status}"' in formula for status in c.CLOSED_STATUSES)
    assert ws[f"A{template.OPEN_COMPANY_SLOTS + 1}"].value is not None
    cadence = ws["B2"].value.text
    assert f"Cadences!$A$2:$A${template.CADENCE_SOURCE_ROWS}" in cadence


def test_helper_cached_values(sample: Workbook) -> None:
    cached = openpyxl.load_workbook(COMMITTED["sample"][0], data_only=True)[template.LISTS]
    companies = [cached[f"A{r}"].value for r in range(2, template.OPEN_COMPANY_SLOTS + 2)]
    expected = []
    for row in INTERVIEWS:
        if row.get("Status") not in c.CLOSED_STATUSES and row["Company"] not in expected:
            expected.append(row["Company"])
    assert [v for v in companies if v] == expected
    names = [cached[f"B{r}"].value for r in range(2, template.CADENCE_SLOTS + 2)]
    assert [v for v in names if v] == list(BUILTIN_CADENCES)


# --- colour rules -----------------------------------------------------------------------

def test_conditional_formats(book: Workbook) -> None:
    ws = book[c.INTERVIEWS]
    last = get_column_letter(len(c.INTERVIEW_HEADERS))
    ranges = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    rules = sorted(ranges[f"A2:{last}{template.LAST_ROW}"], key=lambda r: r.priority)
    flag, nxt = f"${_col(c.INTERVIEWS, 'Flag')}2", f"${_col(c.INTERVIEWS, 'Next Call')}2"
    closed, overdue, due = rules
    assert closed.type == "expression" and closed.stopIfTrue
    assert f'{flag}="{c.FLAG_CLOSED}"' in closed.formula[0]
    assert f"{nxt}<TODAY()" in overdue.formula[0] and f'{flag}<>"{c.WAITING}"' in overdue.formula[0]
    assert f"{nxt})=TODAY()" in due.formula[0]
    colours = (template.CLOSED_COLOURS, template.OVERDUE_COLOURS, template.DUE_TODAY_COLOURS)
    for rule, colour in zip(rules, colours):
        assert rule.dxf.fill.bgColor.rgb == "FF" + colour["bg_color"][1:]


def test_guide_legend_is_coloured_like_the_rules(book: Workbook) -> None:
    fills = {cell.fill.fgColor.rgb for (cell,) in book[c.GUIDE].iter_rows(max_col=1)
             if cell.fill.fill_type}
    for colour in (template.CLOSED_COLOURS, template.OVERDUE_COLOURS, template.DUE_TODAY_COLOURS):
        assert "FF" + colour["bg_color"][1:] in fills


def test_guide_covers_columns_flags_outcomes_and_cadences(book: Workbook) -> None:
    text = "\n".join(str(cell.value) for (cell,) in book[c.GUIDE].iter_rows(max_col=1))
    for word in (*c.OWNED_COLUMNS, *c.FLAGS, *c.OUTCOMES, *c.CLOSED_STATUSES, "{Company}",
                 "workbook-tools refresh"):
        assert word in text, word
    for cadence in BUILTIN_CADENCES.values():
        assert cadence.summary in text and cadence.source in text


# --- defaults -------------------------------------------------------------------------

def test_scripts_cadences_and_settings_hold_the_defaults(book: Workbook) -> None:
    scripts = {r["Script"]: r["Text"] for r in _rows(book[c.SCRIPTS])}
    assert scripts == DEFAULT_SCRIPTS
    cadences = [tuple(r.values()) for r in _rows(book[c.CADENCES])]
    assert cadences == [row for cad in BUILTIN_CADENCES.values() for row in cadence_rows(cad)]
    assert all(isinstance(step, str) for _, step, _, _ in cadences)
    settings = {r["Setting"]: r["Value"] for r in _rows(book[c.SETTINGS])}
    defaults = dict(template.default_settings())
    assert list(settings) == list(defaults)
    for t in c.TYPES:
        assert defaults[c.default_cadence_setting(t)] == TYPE_RULES[t].cadence
    assert defaults[c.DAYS_AFTER_DECISION] == c.DEFAULT_GRACE_DAYS
    assert defaults[c.COUNTRY] == "US"
    assert settings[c.DAYS_AFTER_DECISION] == c.DEFAULT_GRACE_DAYS


def test_template_settings_are_the_defaults() -> None:
    wb = openpyxl.load_workbook(COMMITTED["template"][0])
    settings = {r["Setting"]: r["Value"] for r in _rows(wb[c.SETTINGS])}
    assert settings == {k: (v if v != "" else None) for k, v in template.default_settings()}


# --- sample ---------------------------------------------------------------------------

def test_sample_covers_every_state(sample: Workbook) -> None:
    rows = _rows(sample[c.INTERVIEWS])
    assert len(rows) == len(INTERVIEWS) >= 12
    assert {r["Type"] for r in rows} == set(c.TYPES)
    assert set(c.CLOSED_STATUSES) <= {r["Status"] for r in rows}
    calls = _rows(sample[c.CALLS])
    assert set(c.OUTCOMES) <= {r["Outcome"] for r in calls}
    assert Counter(r["Outcome"] for r in calls)[c.LEFT_VOICEMAIL] >= 3
    assert all(r[h] is None for r in rows for h in c.OWNED_COLUMNS)
    assert any(r["Call When"] for r in rows)
    assert any(r["Decision By"] and r["Decision By"].date() > SAMPLE_TODAY for r in rows)
    assert any(r["Thank-You Sent"] for r in rows) and not all(r["Thank-You Sent"] for r in rows)
    assert all(r["Date"].date() <= SAMPLE_TODAY for r in calls)


def test_sample_is_consistent() -> None:
    open_rows = Counter(r["Company"] for r in INTERVIEWS if r.get("Status") not in c.CLOSED_STATUSES)
    assert max(open_rows.values()) >= 2
    companies = {r["Company"] for r in INTERVIEWS}
    for call in CALLS:
        assert call["Company"] in companies
        if open_rows[call["Company"]] > 1:
            assert (call["Company"], call["Position"]) in {(r["Company"], r["Position"]) for r in INTERVIEWS}
        if call["Outcome"] in (c.NEW_DATE, c.NEXT_INTERVIEW):
            assert call["New Date"] > SAMPLE_TODAY
    contacts = {r["Name"] for r in CONTACTS}
    assert all(r["Contact"] in contacts for r in INTERVIEWS if r.get("Contact"))
    zones = {r["Time Zone"] for r in CONTACTS}
    assert {"America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London"} <= zones


# --- API ------------------------------------------------------------------------------

def test_strings_stay_text_and_settings_override(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    template.build_tracker(path, interviews=[{"Company": "=HYPERLINK(\"x\")", "Notes": "+1"}],
                           settings={c.YOUR_NAME: "Ana"})
    wb = openpyxl.load_workbook(path)
    assert wb[c.INTERVIEWS]["A2"].data_type == "s"
    assert wb[c.INTERVIEWS]["A2"].value == "=HYPERLINK(\"x\")"
    assert {r["Setting"]: r["Value"] for r in _rows(wb[c.SETTINGS])}[c.YOUR_NAME] == "Ana"


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown setting"):
        template.build_tracker(tmp_path / "a.xlsx", settings={"Colour": "red"})
    with pytest.raises(ValueError, match="unknown column"):
        template.build_tracker(tmp_path / "b.xlsx", calls=[{"Cmpany": "x"}])


def test_interviews_prints_landscape_with_headers_repeated(book: Workbook) -> None:
    ws = book[c.INTERVIEWS]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (3, 0)
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$A"
    assert ws.print_options.gridLines
