"""The report across trackers, read back from its workbook."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date

import openpyxl
from click.testing import CliRunner

from tests.support.trackers import FRI, SAMPLE, small_tracker
from workbook_tools import contract as C
from workbook_tools.app.batch import map_paths
from workbook_tools.app.report import make_report, summarize_file
from workbook_tools.cli import main
from workbook_tools.outputs.report import build_report, tracker_labels


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
        xml = "".join(zf.read(n).decode() for n in charts)
    assert len(charts) == 2 and "<c:barChart>" in xml  # native charts over the report's own sheets
    assert "Attempts!$D$2:$D$4" in xml and "Funnel!$A$2:$A$4" in xml
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
    assert [r[0] for r in rows] == ["a.xlsx", "broken.xlsx", "b.xlsx"]  # by path: b.xlsx is in coach/sub/
    broken = next(r for r in rows if r[0] == "broken.xlsx")
    assert "is not an Excel workbook" in broken[-1] and broken[1:-1] == [0] * 9


def test_result_does_not_depend_on_order_or_workers(tmp_path):
    paths = []
    for i in range(10):
        p = tmp_path / f"t{i}.xlsx"
        shutil.copyfile(SAMPLE, p)
        paths.append(str(p))
    one = build_report(map_paths(summarize_file, paths, date(2026, 11, 23), workers=1))
    two = build_report(map_paths(summarize_file, list(reversed(paths)), date(2026, 11, 23), workers=2))
    assert one.trackers.equals(two.trackers) and one.attempts.equals(two.attempts) and one.funnel.equals(two.funnel)

    three = make_report(list(reversed(paths)), date(2026, 11, 23), workers=2)
    assert one.trackers.equals(three.trackers)


def test_a_tracker_with_a_missing_sheet_is_named_with_its_problem(tmp_path):
    folder = make_set(tmp_path / "coach")
    wb = openpyxl.Workbook()
    wb.active.title = "Interviews"
    wb.save(folder / "partial.xlsx")
    result = CliRunner().invoke(main, ["report", str(folder), "--today", "2013-10-10"])
    assert result.exit_code == 1
    assert f"{folder / 'partial.xlsx'}: Calls: " in result.stderr and "partial.xlsx" in result.stdout


def test_row_problems_are_counted_and_named(tmp_path):
    small_tracker(tmp_path / "t.xlsx", interviews=[{"Company": "Acme", "Event Date": "not a date"}])
    result = CliRunner().invoke(main, ["report", str(tmp_path / "t.xlsx"), "--today", "2013-10-10"])
    assert result.exit_code == 1 and "1 problem in its rows" in result.stderr
    rep = make_report([tmp_path / "t.xlsx"], date(2013, 10, 10))
    assert rep.trackers["Problems"].tolist() == [1] and rep.problems == 1 and not rep.ok


def test_trackers_of_the_same_name_are_told_apart(tmp_path):
    for client in ("alice", "bob"):
        (tmp_path / client).mkdir()
        small_tracker(tmp_path / client / "tracker.xlsx")
    rep = make_report([tmp_path / "bob" / "tracker.xlsx", tmp_path / "alice" / "tracker.xlsx"], FRI)
    assert rep.trackers["Tracker"].tolist() == ["alice/tracker.xlsx", "bob/tracker.xlsx"]
    assert tracker_labels(["a.xlsx", "x/b.xlsx"]) == ["a.xlsx", "b.xlsx"]


def test_the_report_keeps_its_totals_on_the_terminal(tmp_path):
    folder = make_set(tmp_path / "coach")
    result = CliRunner().invoke(main, ["report", str(folder), "--today", "2013-10-10"])
    assert result.exit_code == 0 and result.stderr == ""
    total = next(line for line in result.stdout.splitlines() if "Total" in line)
    assert [c.strip() for c in total.strip("│ ").split("│")][:9] == ["Total", "1", "0", "1", "0", "2", "6", "4", "1"]


def test_the_output_must_be_xlsx_and_writable(tmp_path):
    result = CliRunner().invoke(main, ["report", str(SAMPLE), "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 2 and "name it .xlsx" in result.stderr
    result = CliRunner().invoke(main, ["report", str(SAMPLE), "--today", "2026-11-23",
                                       "-o", str(tmp_path / "no" / "r.xlsx")])
    assert result.exit_code == 1 and "cannot write the report" in result.stderr


def test_a_tracker_named_twice_counts_once(tmp_path):
    folder = make_set(tmp_path / "coach")
    result = CliRunner().invoke(main, ["report", str(folder), str(folder / "a.xlsx"), "--today", "2013-10-10"])
    assert result.exit_code == 0 and result.stdout.count("a.xlsx") == 1
