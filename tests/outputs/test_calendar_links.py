"""The calendar's call events carry the contact's `tel:` link: a URL property and a line
of the description. An export made before the links existed is updated once (SEQUENCE
one higher); after that, exporting again changes nothing. The link is the row's, the one
the tracker puts on its Next Call cell; a closed row's last call, whose Next Call is
blank and unlinked, still carries it."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import icalendar
import openpyxl
import pytest
import vobject

from tests.support.ical_readers import icalendar_utc, icaljs_utc, vobject_utc
from tests.support.trackers import FRI, small_tracker
from workbook_tools import contract as C
from workbook_tools.adapters.file import read_tracker, refresh_file
from workbook_tools.app.calendar import export_calendar
from workbook_tools.outputs import calendar as calendar_module

MON = date(2013, 9, 30)
STAMP = datetime(2013, 9, 30, 12, 0, tzinfo=timezone.utc)
TEL = "tel:+1-617-555-0100"


def tracker(path: Path, phone: str = "+1 617 555 0100", thanked: bool = False, **cells: object) -> Path:
    """One interview with Jane Roe; with ``thanked``, no email is due (the call alone)."""
    sent = {"Thank-You Sent": FRI} if thanked else {}
    return small_tracker(path, interviews=[
        {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI, **sent, **cells}],
        contacts=[{"Name": "Jane Roe", "Phone": phone, "Email": "jane@example.com", "Time Zone": "America/Chicago"}],
        settings={"Country": "US", "Time Zone": "America/New_York"})


def events(out: Path) -> dict[str, icalendar.Event]:
    return {str(e["summary"]).split()[0]: e for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")}


@pytest.mark.parametrize("phone, url", [("+1 617 555 0100", TEL), ("(617) 555-0100", TEL), ("555-0100", None)])
def test_a_call_event_carries_the_tel_link(tmp_path, phone, url):
    path = tracker(tmp_path / "t.xlsx", phone)
    refresh_file(path, MON)
    out = tmp_path / "plan.ics"
    export_calendar([path], out, MON, days=7, stamp=STAMP)
    found = events(out)
    call, email = found["Call"], found["Email"]
    description = str(call["description"])
    assert f"Phone: {phone}" in description
    if url is None:
        assert "url" not in call and "Call link" not in description
    else:
        assert str(call["url"]) == url and f"Phone: {phone}\nCall link: {url}" in description
    assert "url" not in email  # the mail link is the tracker's to open: the calendar says To: only


def test_the_call_event_has_the_link_of_the_next_call_cell(tmp_path):
    path = tracker(tmp_path / "t.xlsx", thanked=True)
    refresh_file(path, MON)
    cell = openpyxl.load_workbook(path)[C.INTERVIEWS][f"{read_tracker(path).interviews.columns['Next Call']}2"]
    out = tmp_path / "plan.ics"
    export_calendar([path], out, MON, days=7, stamp=STAMP)
    assert cell.hyperlink.target == TEL == str(events(out)["Call"]["url"])


def test_a_closed_rows_last_call_carries_its_link_though_its_cell_has_none(tmp_path):
    """Not selected: a call for feedback, due now, with no Next Call date."""
    path = tracker(tmp_path / "t.xlsx", Status=C.NOT_SELECTED)
    refresh_file(path, MON)
    cell = openpyxl.load_workbook(path)[C.INTERVIEWS][f"{read_tracker(path).interviews.columns['Next Call']}2"]
    assert cell.value is None and cell.hyperlink is None
    out = tmp_path / "plan.ics"
    export_calendar([path], out, MON, days=7, stamp=STAMP)
    call = events(out)["Call"]
    assert str(call["url"]) == TEL and f"Call link: {TEL}" in str(call["description"])


def test_independent_readers_take_the_url_property(tmp_path, icaljs_folder):
    path = tracker(tmp_path / "t.xlsx", thanked=True)
    refresh_file(path, MON)
    out = tmp_path / "plan.ics"
    export_calendar([path], out, MON, days=7, stamp=STAMP)
    data = out.read_bytes()
    parsed = vobject.readOne(data.decode("utf-8"))
    assert [ev.url.value for ev in parsed.vevent_list] == [TEL]
    assert icalendar_utc(data) == vobject_utc(data) == icaljs_utc(data, icaljs_folder)


def test_an_export_from_before_the_links_is_updated_once_then_never_again(tmp_path, monkeypatch):
    path = tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    out = tmp_path / "plan.ics"
    entry = calendar_module._entry
    with monkeypatch.context() as patch:  # the export as the version before the links wrote it
        patch.setattr(calendar_module, "_entry", lambda item, today, source, url="": entry(item, today, source))
        export_calendar([path], out, MON, days=7, stamp=STAMP)
    old = events(out)
    assert "url" not in old["Call"] and old["Call"]["sequence"] == 0
    export_calendar([path], out, MON, days=7, stamp=STAMP)
    upgraded = events(out)
    assert str(upgraded["Call"]["url"]) == TEL and upgraded["Call"]["uid"] == old["Call"]["uid"]
    assert upgraded["Call"]["sequence"] == 1  # its content changed: calendars take the new version
    assert upgraded["Email"]["sequence"] == old["Email"]["sequence"]  # the email event did not change
    first = out.read_bytes()
    refresh_file(path, MON)
    export_calendar([path], out, MON, days=7, stamp=STAMP)
    assert out.read_bytes() == first  # no churn


def test_a_fresh_export_starts_at_sequence_zero_with_its_link(tmp_path):
    path = tracker(tmp_path / "t.xlsx", thanked=True)
    refresh_file(path, MON)
    out = tmp_path / "plan.ics"
    export_calendar([path], out, MON, days=7, stamp=STAMP)
    assert events(out)["Call"]["sequence"] == 0
    refresh_file(path, date(2013, 10, 1))
    export_calendar([path], out, date(2013, 10, 1), days=7, stamp=STAMP)
    assert events(out)["Call"]["sequence"] == 0  # nothing moved
