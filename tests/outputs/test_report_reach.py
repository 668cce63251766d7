"""The report's reach-rate tables by call window and by weekday (issue 15, part 3): their
counts and rates, the sheets and native charts of the workbook, and the terminal's."""

from __future__ import annotations

import pickle
import re
import zipfile
from datetime import date, time

import openpyxl
import pytest

from tests.support.terminal import table_rows
from tests.support.trackers import FRI, small_tracker
from workbook_tools import contract as C
from workbook_tools.app.report import make_report, summarize_file, write_report
from workbook_tools.outputs.report import build_report, render_report

TODAY = date(2013, 10, 10)
HEADER = ["Calls", "Reached", "Rate"]


def call(company, day, at, outcome):
    row = {"Company": company, "Date": day, "Outcome": outcome}
    if at is not None:
        row["Time"] = at
    return row


def two_trackers(folder, second="b.xlsx"):
    """Two trackers in ``folder``, and their paths; the user is in New York. In the first,
    Jane Roe is in Chicago: the calls to her at 9:10 and 13:20 are her 8:10 and 12:20."""
    folder.mkdir()
    small_tracker(folder / "a.xlsx", interviews=[
        {"Company": "Acme", "Contact": "Jane Roe", "Event Date": FRI},
        {"Company": "Globex", "Event Date": FRI},
    ], contacts=[{"Name": "Jane Roe", "Company": "Acme", "Time Zone": "America/Chicago"}], calls=[
        call("Acme", date(2013, 10, 1), time(9, 10), C.NO_ANSWER),  # Tue, her morning
        call("Acme", date(2013, 10, 3), time(13, 20), C.SPOKE),  # Thu, her lunch
        call("Globex", date(2013, 10, 2), time(16, 40), C.OUTCOME_NOT_SELECTED),  # Wed, after 4:30
        call("Globex", date(2013, 10, 4), None, C.LEFT_VOICEMAIL),  # no Time: by attempt only
    ], settings={"Time Zone": "America/New_York"})
    small_tracker(folder / second, interviews=[{"Company": "Initech", "Event Date": FRI}], calls=[
        call("Initech", date(2013, 10, 1), time(16, 45), C.SPOKE),  # Tue, after 4:30
        call("Initech", date(2013, 10, 5), time(20, 0), C.NO_ANSWER),  # Sat, another time
    ], settings={"Time Zone": "America/New_York"})
    return [folder / "a.xlsx", folder / second]


WINDOW_ROWS = [
    ["morning 8:00\u20138:30", 1, 0, 0.0],
    ["lunch 12:00\u201313:00", 1, 1, 1.0],
    ["late-afternoon 16:30\u201318:00", 2, 2, 1.0],
    ["other", 1, 0, 0.0],
]
WEEKDAY_ROWS = [
    ["Mon", 0, 0, None], ["Tue", 2, 1, 0.5], ["Wed", 1, 1, 1.0], ["Thu", 1, 1, 1.0],
    ["Fri", 0, 0, None], ["Sat", 1, 0, 0.0], ["Sun", 0, 0, None],
]


def sheet_rows(book, name):
    return [[c.value for c in r] for r in book[name].iter_rows()]


def test_the_tables_count_calls_and_rates(tmp_path):
    rep = make_report(two_trackers(tmp_path / "set"), TODAY)
    assert rep.windows.values.tolist() == WINDOW_ROWS
    weekdays = [[None if v != v else v for v in row] for row in rep.weekdays.values.tolist()]  # NaN: no calls
    assert weekdays == WEEKDAY_ROWS
    # By attempt counts every call, with a Time or not, as before.
    assert rep.attempts.values.tolist() == [[1, 3, 2, 0.667], [2, 3, 1, 0.333]]


def test_the_workbook_has_the_sheets_and_native_charts(tmp_path):
    out = tmp_path / "report.xlsx"
    write_report(make_report(two_trackers(tmp_path / "set"), TODAY), out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Trackers", "Attempts", "Windows", "Weekdays", "Funnel", "Charts"]
    assert sheet_rows(book, "Windows") == [["Window", *HEADER], *WINDOW_ROWS]
    assert sheet_rows(book, "Weekdays") == [["Weekday", *HEADER], *WEEKDAY_ROWS]
    assert book["Windows"]["D2"].number_format == "0%"
    with zipfile.ZipFile(out) as zf:
        charts = sorted(n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        xml = {n: zf.read(n).decode() for n in charts}
    assert len(charts) == 4  # by attempt, window and weekday, and the funnel
    by_title = {next(t for t in ("attempt", "call window", "weekday", "how far") if t in x): x for x in xml.values()}
    assert "Windows!$A$2:$A$5" in by_title["call window"] and "Windows!$D$2:$D$5" in by_title["call window"]
    assert "Weekdays!$A$2:$A$8" in by_title["weekday"] and "Weekdays!$D$2:$D$8" in by_title["weekday"]
    assert "Attempts!$D$2:$D$3" in by_title["attempt"]
    assert all("<c:barChart>" in by_title[t] for t in ("attempt", "call window", "weekday"))


def test_texts_that_look_like_formulas_stay_text(tmp_path):
    out = tmp_path / "report.xlsx"
    write_report(make_report(two_trackers(tmp_path / "set", second="=SUM(1,2).xlsx"), TODAY), out)
    book = openpyxl.load_workbook(out)
    assert [r[0] for r in sheet_rows(book, "Trackers")[1:]] == ["=SUM(1,2).xlsx", "a.xlsx"]
    assert all(book["Windows"][f"A{r}"].data_type == "s" for r in range(2, 6))  # "8:00–8:30" is no time
    with zipfile.ZipFile(out) as zf:
        sheets = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in x for x in sheets)


def test_without_calls_with_a_time_the_tables_are_zero_and_have_no_chart(tmp_path):
    small_tracker(tmp_path / "t.xlsx", calls=[call("Acme", date(2013, 10, 2), None, C.NO_ANSWER)])
    rep = make_report([tmp_path / "t.xlsx"], TODAY)
    assert rep.windows["Calls"].tolist() == [0, 0, 0, 0] and rep.weekdays["Calls"].tolist() == [0] * 7
    out = tmp_path / "report.xlsx"
    write_report(rep, out)
    with zipfile.ZipFile(out) as zf:
        assert len([n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]) == 2
    text = render_report(rep)
    assert "Reached, by attempt" in text and "by call window" not in text and "by weekday" not in text


def test_the_terminal_shows_the_tables(tmp_path):
    text = render_report(make_report(two_trackers(tmp_path / "set"), TODAY))
    assert table_rows(text, "Reached, by call window (their time)") == [
        ["morning 8:00\u20138:30", "1", "0", "0%"], ["lunch 12:00\u201313:00", "1", "1", "100%"],
        ["late-afternoon 16:30\u201318:00", "2", "2", "100%"], ["other", "1", "0", "0%"]]
    weekdays = table_rows(text, "Reached, by weekday (their day)")
    assert [r[0] for r in weekdays] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert weekdays[0] == ["Mon", "0", "0", "\u2013"] and weekdays[1] == ["Tue", "2", "1", "50%"]


@pytest.mark.parametrize("reverse", [False, True])
def test_the_summaries_are_picklable_and_the_tables_do_not_depend_on_order(tmp_path, reverse):
    summaries = [summarize_file(str(p), TODAY) for p in two_trackers(tmp_path / "set")]
    again = [pickle.loads(pickle.dumps(s)) for s in summaries]
    assert again == summaries
    rep = build_report(list(reversed(again)) if reverse else again)
    assert rep.windows.values.tolist() == WINDOW_ROWS
