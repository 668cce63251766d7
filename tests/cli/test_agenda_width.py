"""The agenda fits the width it is given: the terminal's, else COLUMNS, else 80 columns,
and never under 40. Every line counts: the table's and each script's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from tests.support.trackers import FRI, small_tracker
from workbook_tools.cli import main
from workbook_tools.outputs.agenda import AgendaItem, agenda_width, piped_width, render_agenda

TODAY = "2013-10-02"  # the first call after seed 000's interview is due
LONG_WORD = "https://careers.example.com/" + "x" * 150
LONG_SCRIPT = ("Hello Jane, this is Sam Lee about the Senior Data Analyst role. " * 12 + LONG_WORD
               + "\n\nIf you reach voicemail:\n" + "Please call me back on 555-0199 at any time. " * 8)


def _interviews() -> list[dict[str, object]]:
    """Three open rows, one with long names and a long talking point, all due today."""
    base = {"Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI}
    return [
        {**base, "Company": "Acme"},
        {**base, "Company": "Globex Corporation of the Greater Metropolitan Area",
         "Position": "Principal Business Intelligence and Data Platform Engineer",
         "Talking Point": "the migration of forty regional warehouses to one platform " * 4},
        {**base, "Company": "Initech", "Event Date": FRI - timedelta(days=3)},
    ]


CONTACTS = [{"Name": "Jane Roe", "Company": "Acme", "Phone": "(312) 555-0187",
             "Email": "jane.roe.hiring.manager@acme-international-holdings.example.com",
             "Time Zone": "Europe/Berlin"}]


@pytest.fixture
def tracker(tmp_path):
    return small_tracker(tmp_path / "t.xlsx", interviews=_interviews(), contacts=CONTACTS,
                         settings={"Time Zone": "America/Los_Angeles"})


@pytest.mark.parametrize("columns, width", [
    ("60", 60),
    (None, 80),   # not set: 80
    ("200", 200),
    ("30", 40),   # under 40: drawn at 40
    ("wide", 80),  # not a positive whole number: 80
    ("-5", 80),
    ("0", 80),
])
def test_the_agenda_fits_columns_when_piped(tracker, columns, width):
    result = CliRunner().invoke(main, ["agenda", str(tracker), "--today", TODAY], env={"COLUMNS": columns},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "#1 Call Jane Roe" in result.stdout and "Due as of" in lines[0]
    assert max(len(line) for line in lines) <= width
    if width >= 80:  # wide enough that the longest line is near the width: the space is used
        assert max(len(line) for line in lines) > width - 10


def _item(script: str, **changes: object) -> AgendaItem:
    item = AgendaItem("Call", date(2013, 10, 2), "Due today", "Acme", "Analyst", "Jane Roe", "(312) 555-0187",
                      "jane@example.com", "8:05\u20138:30 their time, Europe/Berlin (early, before the day's meetings)",
                      "Call Jane Roe on Wed 2 Oct 2013 (call 1 of 3, Three calls).", script, 4)
    return item._replace(**changes)


@pytest.mark.parametrize("width, drawn_at", [(None, 120), (10, 40), (40, 40), (59, 59), (99, 99), (100, 100),
                                             (200, 200), (10**9, 1000)])
def test_render_agenda_wraps_a_long_script_to_the_width(width, drawn_at):
    out = render_agenda([_item(LONG_SCRIPT), _item("Short.", kind="Email", row=5)], date(2013, 10, 2), width)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= drawn_at
    assert "".join(out.split()).count(LONG_WORD) == 1  # folded onto several lines, never cut
    assert "\u2026" not in out  # no cell is cut short with an ellipsis either
    assert all(line == line.rstrip() for line in lines)


@pytest.mark.parametrize("company, script", [
    ("Acme [/] [bold]Labs", "Hi [red]Jane[/red]"),      # brackets are text, not markup
    ("=HYPERLINK(\"x\")", "tab\there, NUL\x00, CR\r"),
    ("\u200b" * 300, "\u200b" * 300),                   # characters rich counts as taking no room
    ("\u5de5\u4f5c" * 40, "\u8a71" * 200),              # wide characters count twice
])
def test_render_agenda_keeps_any_text_inside_the_width(company, script):
    out = render_agenda([_item(script, company=company, contact="")], date(2013, 10, 2), 60)
    assert max(len(line) for line in out.splitlines()) <= 60
    assert "[/]" not in company or "[/]" in out


def test_nothing_due_fits_too():
    assert render_agenda([], date(2013, 10, 2), 30) == "Nothing due by Wed 2 Oct 2013.\n"


@pytest.mark.parametrize("columns, expected", [
    ("60", 60), (" 200 ", 200), ("1", 1), (None, 80), ("", 80), ("0", 80), ("-40", 80), ("80.5", 80),
    ("\u0661\u0662\u0660", 80), ("9" * 100_000, 80), ("60\x00", 80), (60, 80), (True, 80),
])
def test_piped_width_reads_columns_or_says_80(columns, expected):
    assert piped_width(columns) == expected


@pytest.mark.parametrize("width, expected", [(None, 120), (0, 120), (-3, 40), (39, 40), (40, 40), (500, 500),
                                             (5000, 1000)])
def test_agenda_width_is_kept_between_40_and_1000(width, expected):
    assert agenda_width(width) == expected
