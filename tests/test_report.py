"""The report across trackers, read back from its workbook."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date

import openpyxl
from click.testing import CliRunner

from workbook_tools import contract as C
from workbook_tools.batch import map_paths
from workbook_tools.cli import main
from workbook_tools.report import build_report, summarize

from .conftest import FRI, SAMPLE, small_tracker


def calls(company, *outcomes):
    return [{"Date": date(2013, 10, 1 + i), "Company": company, "Outcome": o} for i, o in enumerate(outcomes)]


def make_set(folder):
    folder.mkdir()
    small_tracker(folder / "a.xlsx", interviews=[
        {"Company": "Acme", "Event Date": FRI},
        {"Company": "Globex", "Event Date": FRI, "Type": "Application"},
    ], calls=calls("Acme", C.NO_ANSWER, C.LEFT_VOICEMAIL, C.SPOKE) + calls("Globex", C.OUTCOME_NOT_SELECTED))
    sub = folder / "sub"
    sub.mkdir()
    small_tracker(sub / "b.xlsx", interviews=[
        {"Company": "Initech", "Event Date": FRI, "Type": "Phone screen", "Status": "Hired"},
    ], calls=calls("Initech", C.SPOKE, C.OUTCOME_OFFER))
    (sub / "~$b.xlsx").write_bytes(b"owner file")  # skipped
    return folder


def test_counts_attempts_and_funnel(tmp_path):
    folder = make_set(tmp_path / "coach")
    out = tmp_path / "coach" / "report.xlsx"
    result = CliRunner().invoke(main, ["report", str(folder), "--today", "2013-10-10", "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    rows = [[c.value for c in r] for r in wb["Trackers"].iter_rows()]
    assert rows[0] == ["Tracker", "Open", "Overdue", "Due Today", "Waiting", "Closed", "Calls", "Reached",
                       "Offers", "Not Selected", "Problems"]
    # Acme spoke on 3 Oct: its next call is a week later, today
    assert rows[1:] == [["a.xlsx", 1, 0, 1, 0, 1, 4, 2, 0, 1, 0], ["b.xlsx", 0, 0, 0, 0, 1, 2, 2, 1, 0, 0]]
    attempts = [[c.value for c in r] for r in wb["Attempts"].iter_rows()]
    # first calls: Acme no answer, Globex not selected (reached), Initech spoke (reached): 2 of 3
    assert attempts == [["Attempt", "Calls", "Reached", "Rate"], [1, 3, 2, 0.667], [2, 2, 1, 0.5], [3, 1, 1, 1.0]]
    funnel = {r[0]: tuple(r[1:]) for r in ([c.value for c in r] for r in wb["Funnel"].iter_rows(min_row=2))}
    assert funnel == {"Interview": (1, 1, 0, 0, 0), "Phone screen": (1, 1, 1, 1, 0),
                      "Application": (1, 0, 0, 0, 1)}
    with zipfile.ZipFile(out) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2
    assert "Reached, by attempt" in result.stdout and "Total" in result.stdout
    # A second run skips the report it wrote itself.
    again = CliRunner().invoke(main, ["report", str(folder), "--today", "2013-10-10", "-o", str(out)])
    assert again.exit_code == 0 and again.stdout.count("report.xlsx") == 1


def test_a_bad_file_among_good_ones(tmp_path):
    folder = make_set(tmp_path / "coach")
    (folder / "broken.xlsx").write_text("not a workbook")
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(main, ["report", str(folder), "--today", "2013-10-10", "-o", str(out)])
    assert result.exit_code == 1 and "broken.xlsx: is not an Excel workbook" in result.stderr
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(out)["Trackers"].iter_rows(min_row=2)]
    assert [r[0] for r in rows] == ["a.xlsx", "broken.xlsx", "b.xlsx"] or [r[0] for r in rows] == [
        "a.xlsx", "b.xlsx", "broken.xlsx"]
    broken = next(r for r in rows if r[0] == "broken.xlsx")
    assert "is not an Excel workbook" in broken[-1] and broken[1:-1] == [0] * 9


def test_result_does_not_depend_on_order_or_workers(tmp_path):
    paths = []
    for i in range(10):
        p = tmp_path / f"t{i}.xlsx"
        shutil.copyfile(SAMPLE, p)
        paths.append(str(p))
    one = build_report(map_paths(summarize, paths, date(2026, 11, 23), workers=1))
    two = build_report(map_paths(summarize, list(reversed(paths)), date(2026, 11, 23), workers=2))
    assert one.trackers.equals(two.trackers) and one.attempts.equals(two.attempts) and one.funnel.equals(two.funnel)
