"""The agenda's links: in a terminal each call's phone and each email's address is an
OSC 8 hyperlink to the tracker's `tel:` or `mailto:` link; piped, the agenda is plain
text, as it always was; no cell's text can start or end a link of its own. The links
are the row's (`RowResult.call_link`, `mail_link`), the ones the tracker puts on the
Next Call and Flag cells; a closed row's last call keeps its link here, though its
blank Next Call cell has none."""

from __future__ import annotations

import re
import sys
from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.trackers import FRI, SAMPLE, small_tracker
from workbook_tools import contract as C
from workbook_tools.adapters.file import read_tracker, refresh_file
from workbook_tools.cli import main
from workbook_tools.cli import tracker as cli_tracker
from workbook_tools.core.engine import compute
from workbook_tools.outputs.agenda import (
    OSC8_CLOSE,
    OSC8_OPEN,
    AgendaItem,
    agenda_items,
    plain,
    render_agenda,
    terminal_link,
)
from workbook_tools.template.sample import SAMPLE_TODAY

MON = date(2013, 9, 30)
CONTACTS = [{"Name": "Jane Roe", "Company": "Acme", "Phone": "+1 617 555 0100", "Email": "jane@example.com"}]
AGENDA = ["agenda", "--today", "2013-09-30", "--days", "3"]  # the email due and Wednesday's call
LINK = re.compile("\x1b]8;;([^\x1b]*)\x1b\\\\([^\x1b]*)\x1b]8;;\x1b\\\\")


@pytest.fixture(scope="module")
def sample_items() -> list[AgendaItem]:
    data = read_tracker(SAMPLE)
    return agenda_items(data, compute(data, SAMPLE_TODAY), SAMPLE_TODAY, 14)


def test_the_items_carry_the_links_of_their_rows(sample_items):
    calls = [it for it in sample_items if it.kind == "Call"]
    emails = [it for it in sample_items if it.kind == "Email"]
    assert calls and emails
    assert all(it.link.startswith("tel:+") for it in calls if it.phone)
    assert all(it.link.startswith(f"mailto:{it.email}?") for it in emails)


@pytest.mark.parametrize("width", [40, 60, 80, 99, 100, 120, 200])
def test_in_a_terminal_phones_and_addresses_are_links_and_the_text_is_the_same(sample_items, width):
    piped = render_agenda(sample_items, SAMPLE_TODAY, width)
    linked = render_agenda(sample_items, SAMPLE_TODAY, width, links=True)
    assert "\x1b" not in piped
    assert plain(linked) == piped  # the same layout, character for character
    assert max(len(line) for line in plain(linked).splitlines()) <= width
    found = LINK.findall(linked)
    assert found and "\x1b" not in LINK.sub("", linked)  # our sequences are the only ones
    by_url = {it.link: it for it in sample_items}
    for url, text in found:
        item = by_url[url]
        shown = item.phone if item.kind == "Call" else item.email
        assert text.strip() and text.strip() in shown  # the number or address, or a piece of it folded


def test_a_link_that_is_not_ours_or_not_printable_is_no_terminal_link():
    assert terminal_link("tel:+1-617-555-0100") == "tel:+1-617-555-0100"
    assert terminal_link("mailto:a@example.com?body=x%20y") == "mailto:a@example.com?body=x%20y"
    for url in ("https://example.com", "tel:+1\x1b\\", "tel:+1\x07", "tel:\u00e9", "", "javascript:alert(1)"):
        assert terminal_link(url) == ""


def test_an_item_without_a_link_is_plain_in_a_terminal_too():
    item = AgendaItem("Call", MON, "Due today", "Acme", "Analyst", "Jane Roe", "555-0100", "", "", "Call Jane.",
                      "Hello", 2)
    text = render_agenda([item], MON, 120, links=True)
    assert "\x1b" not in text and text == render_agenda([item], MON, 120)


def test_the_sequence_is_osc_8_ended_by_st():
    item = AgendaItem("Call", MON, "Due today", "Acme", "", "", "+1 617 555 0100", "", "", "Call.", "Hi", 2,
                      "tel:+1-617-555-0100")
    text = render_agenda([item], MON, 120, links=True)
    assert OSC8_OPEN.format("tel:+1-617-555-0100") + "+1 617 555 0100" + OSC8_CLOSE in text
    assert OSC8_OPEN.format("x") == "\x1b]8;;x\x1b\\" and OSC8_CLOSE == "\x1b]8;;\x1b\\"


def _tracker(tmp_path, company: str = "Acme"):
    return small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": company, "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI}], contacts=CONTACTS)


def test_the_cli_draws_links_only_on_a_terminal(tmp_path, monkeypatch):
    path = _tracker(tmp_path)
    piped = CliRunner().invoke(main, AGENDA + [str(path)], catch_exceptions=False)
    assert piped.exit_code == 0
    assert "\x1b" not in piped.stdout
    assert "+1 617 555 0100" in piped.stdout, piped.stdout
    monkeypatch.setattr(cli_tracker, "_terminal_has_links", lambda: True)
    shown = CliRunner().invoke(main, AGENDA + [str(path)], catch_exceptions=False)
    assert shown.exit_code == 0
    urls = [url for url, _ in LINK.findall(shown.stdout)]
    assert "tel:+1-617-555-0100" in urls and any(u.startswith("mailto:jane@example.com?subject=") for u in urls)
    assert plain(shown.stdout) == piped.stdout


def test_a_closed_rows_last_call_keeps_its_link_though_its_cell_has_none(tmp_path, monkeypatch):
    """Not selected: a note and a call for feedback, both due now; the call has no Next
    Call date, so the tracker's cell is blank and unlinked, and the agenda still links
    the phone."""
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI,
         "Status": C.NOT_SELECTED}], contacts=CONTACTS)
    refresh_file(path, MON)
    data = read_tracker(path)
    ws = openpyxl.load_workbook(path)[C.INTERVIEWS]
    next_call = ws[f"{data.interviews.columns['Next Call']}2"]
    assert next_call.value is None and next_call.hyperlink is None
    assert ws[f"{data.interviews.columns['Flag']}2"].hyperlink.target.startswith("mailto:jane@example.com?")
    items = {it.kind: it for it in agenda_items(data, compute(data, MON), MON, 3)}
    assert items["Call"].day is None and items["Call"].link == "tel:+1-617-555-0100"
    assert items["Email"].link.startswith("mailto:jane@example.com?subject=")
    monkeypatch.setattr(cli_tracker, "_terminal_has_links", lambda: True)
    shown = CliRunner().invoke(main, AGENDA + [str(path)], catch_exceptions=False)
    assert shown.exit_code == 0
    assert ("tel:+1-617-555-0100", "+1 617 555 0100") in LINK.findall(shown.stdout)


def test_no_cell_can_inject_a_link_or_an_escape(tmp_path, monkeypatch):
    evil = "Acme\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\\x1b[2J"
    path = _tracker(tmp_path, company=evil)
    monkeypatch.setattr(cli_tracker, "_terminal_has_links", lambda: True)
    shown = CliRunner().invoke(main, AGENDA + [str(path)], catch_exceptions=False)
    assert shown.exit_code == 0
    assert "\\x1b]8;;https://evil.example" in shown.stdout  # the cell's text, shown escaped
    urls = [url for url, _ in LINK.findall(shown.stdout)]
    assert urls and all(u == "tel:+1-617-555-0100" or u.startswith("mailto:jane@example.com?") for u in urls)
    assert "\x1b" not in LINK.sub("", shown.stdout)  # our links are the only escape sequences


@pytest.mark.parametrize("isatty, term, links", [(True, "xterm-256color", True), (True, "dumb", False),
                                                 (False, "xterm-256color", False), (True, "", True)])
def test_links_need_a_terminal_that_is_not_dumb(monkeypatch, isatty, term, links):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: isatty)
    monkeypatch.setenv("TERM", term)
    assert cli_tracker._terminal_has_links() is links
