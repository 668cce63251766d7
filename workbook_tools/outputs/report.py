"""A report across trackers: counts per tracker, the reach rate by attempt, by call
window and by weekday, and the funnel by Type, computed with pandas over the rows and
the call history (`core.reach`) the engine produces.

Each tracker is summarised on its own (in a worker process when there are many) into
small picklable records; the tables are built from those, so the result depends on
neither the order of the files nor the number of workers.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from workbook_tools import contract as C
from workbook_tools.core.model import Result
from workbook_tools.core.reach import CallHistory, Tally, span_of, window_names
from workbook_tools.core.rules.lead_types import TYPE_RULES
from workbook_tools.core.rules.outcomes import UNANSWERED_OUTCOMES
from workbook_tools.core.rules.windows import WEEKDAY_NAMES
from workbook_tools.core.values import count
from workbook_tools.errors import needs_extra

#: What needs pandas here, for the message when the install leaves it out (`errors.needs_extra`).
NEEDED_BY = "the report"
TRACKER_COLUMNS = ("Tracker", "Open", "Overdue", "Due Today", "Waiting", "Closed", "Calls", "Reached",
                   "Offers", "Not Selected", "Problems")
FUNNEL_STAGES = ("Leads", "Interviewed", "Offer", "Hired", "Not Selected")
RATE_COLUMNS = ("Calls", "Reached", "Rate")


class RateTable(NamedTuple):
    """One of the report's reach-rate tables: its sheet, first column, and titles."""

    sheet: str
    key: str  # the first column: what the calls are counted by
    title: str  # the terminal table's
    chart: str  # the chart's


#: ours: the reach-rate tables, in the order of the sheets, the charts and the terminal.
ATTEMPTS = RateTable("Attempts", "Attempt", "Reached, by attempt", "How often you reach them, by attempt")
WINDOWS = RateTable("Windows", "Window", "Reached, by call window (their time)",
                    "How often you reach them, by call window (their time)")
WEEKDAYS = RateTable("Weekdays", "Weekday", "Reached, by weekday (their day)",
                     "How often you reach them, by weekday")


@dataclass
class TrackerSummary:
    path: str
    counts: dict[str, Any] = field(default_factory=dict)
    #: The tracker's calls counted by attempt, call window and weekday (`core.reach`).
    reach: CallHistory = field(default_factory=CallHistory)
    funnel: list[tuple[str, str]] = field(default_factory=list)  # (Type, stage) per lead and stage
    error: str = ""  # why the tracker could not be read
    messages: list[str] = field(default_factory=list)  # for stderr, each naming the file


def summarize(path: str, result: Result, history: CallHistory) -> TrackerSummary:
    """One planned tracker's counts, call history (`engine.compute_with_history`) and
    funnel (small and picklable: their size does not grow with the number of calls)."""
    out = TrackerSummary(path, reach=history)
    if result.problems:
        out.messages = [f"{path}: {count(len(result.problems), 'problem')} in its rows; "
                        f"`workbook-tools check {path}` lists them"]
    flags = [r.flag for r in result.rows if r.flag]
    calls = [c for lead in result.leads for c in lead.calls]
    reached = [c for c in calls if c.outcome not in UNANSWERED_OUTCOMES]
    out.counts = {
        "Open": sum(1 for f in flags if f != C.FLAG_CLOSED),
        "Overdue": flags.count(C.OVERDUE), "Due Today": flags.count(C.DUE_TODAY),
        "Waiting": flags.count(C.WAITING), "Closed": flags.count(C.FLAG_CLOSED),
        "Calls": len(calls), "Reached": len(reached),
        "Offers": 0, "Not Selected": 0, "Problems": len(result.problems),
    }
    for lead in result.leads:
        outcomes = [c.outcome for c in lead.calls]
        offer = lead.status in (C.OFFER, C.HIRED) or C.OUTCOME_OFFER in outcomes
        rejected = lead.status == C.NOT_SELECTED or (C.OUTCOME_NOT_SELECTED in outcomes and not offer)
        stages = ["Leads"]
        if TYPE_RULES[lead.type].interviewed or C.NEXT_INTERVIEW in outcomes:
            stages.append("Interviewed")
        if offer:
            stages.append("Offer")
            out.counts["Offers"] += 1
        if lead.status == C.HIRED:
            stages.append("Hired")
        if rejected:
            stages.append("Not Selected")
            out.counts["Not Selected"] += 1
        out.funnel += [(lead.type, s) for s in stages]
    return out


@dataclass
class Report:
    trackers: Any  # pandas DataFrames
    attempts: Any
    funnel: Any
    failed: list[TrackerSummary]  # the trackers that could not be read
    problems: int = 0  # problems in the rows of the others
    summaries: list[TrackerSummary] = field(default_factory=list)  # by path
    windows: Any = None  # every call window in order, then "other"
    weekdays: Any = None  # Mon to Sun

    def rate_tables(self) -> list[tuple[RateTable, Any]]:
        """The reach-rate tables with their frames, in the report's order."""
        return [(ATTEMPTS, self.attempts), (WINDOWS, self.windows), (WEEKDAYS, self.weekdays)]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.problems


def tracker_labels(paths: list[str]) -> list[str]:
    """Each tracker's file name; where two share a name, as many of their folders as it
    takes to tell them apart (``alice/tracker.xlsx``, ``bob/tracker.xlsx``)."""
    parts = [Path(p).parts for p in paths]
    depth = [1] * len(paths)
    while True:
        labels = ["/".join(pp[-d:]) for pp, d in zip(parts, depth)]
        counts: dict[str, int] = {}
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
        grow = [i for i, label in enumerate(labels) if counts[label] > 1 and depth[i] < len(parts[i])]
        if not grow:
            return labels
        for i in grow:
            depth[i] += 1


def build_report(summaries: list[TrackerSummary]) -> Report:
    with needs_extra(NEEDED_BY):
        import pandas as pd

    summaries = sorted(summaries, key=lambda s: s.path)
    rows = []
    for s, label in zip(summaries, tracker_labels([s.path for s in summaries])):
        row = {"Tracker": label, **{c: 0 for c in TRACKER_COLUMNS[1:-1]}, "Problems": s.error}
        if not s.error:
            row.update(s.counts)
        rows.append(row)
    trackers = pd.DataFrame(rows, columns=list(TRACKER_COLUMNS))
    read = [s.reach for s in summaries if not s.error]
    attempt_numbers = sorted({n for h in read for n in h.by_attempt})
    attempts = _rate_frame(ATTEMPTS.key, attempt_numbers, attempt_numbers, [h.by_attempt for h in read])
    names = window_names()
    windows = _rate_frame(WINDOWS.key, names, [span_of(n) for n in names], [h.by_window for h in read])
    weekdays = _rate_frame(WEEKDAYS.key, range(7), WEEKDAY_NAMES, [h.by_weekday for h in read])
    funnel = pd.DataFrame([f for s in summaries for f in s.funnel], columns=["Type", "Stage"])
    funnel = (pd.crosstab(funnel["Type"], funnel["Stage"]).reindex(columns=list(FUNNEL_STAGES), fill_value=0)
              .reindex([t for t in C.TYPES if t in set(funnel["Type"])]).reset_index())
    funnel.columns.name = None
    return Report(trackers, attempts, funnel, [s for s in summaries if s.error],
                  sum(int(s.counts.get("Problems", 0)) for s in summaries if not s.error), summaries,
                  windows, weekdays)


def _rate_frame(column: str, keys: Any, labels: Any, tallies: list[Any]) -> Any:
    """A reach-rate table: one row per key (shown as its label), with the calls and the
    calls that reached someone summed over every tracker's ``tallies`` (dicts of
    `Tally` by key), and their rate (blank without calls)."""
    with needs_extra(NEEDED_BY):
        import pandas as pd

    rows = []
    for k, label in zip(keys, labels):
        calls = sum(t.get(k, _NO_CALLS).calls for t in tallies)
        reached = sum(t.get(k, _NO_CALLS).reached for t in tallies)
        rows.append((label, calls, reached, round(reached / calls, 3) if calls else float("nan")))
    frame = pd.DataFrame(rows, columns=[column, *RATE_COLUMNS])
    return frame.astype({"Calls": int, "Reached": int, "Rate": float})


_NO_CALLS = Tally(0, 0)


def write_workbook(report: Report, out: BinaryIO) -> None:
    """The report as a workbook with native Excel charts (XlsxWriter through pandas),
    written into the open binary file ``out``. Every text is written as text. The
    workbook is built in memory (it is small) and then written in one go, so a full disk
    raises a plain `OSError` with nothing of XlsxWriter's left half-closed."""
    with needs_extra(NEEDED_BY):
        import pandas as pd

    # PRODUCT.md, generated text is text: a name such as "=1+1.xlsx" stays text, never a
    # formula, a link or a number.
    literal = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    built = io.BytesIO()
    with pd.ExcelWriter(built, engine="xlsxwriter", engine_kwargs={"options": literal}) as writer:
        report.trackers.to_excel(writer, sheet_name="Trackers", index=False)
        for table, frame in report.rate_tables():
            frame.to_excel(writer, sheet_name=table.sheet, index=False)
        report.funnel.to_excel(writer, sheet_name="Funnel", index=False)
        book = writer.book
        charts = book.add_worksheet("Charts")
        charts.set_landscape()
        charts.fit_to_pages(1, 1)
        percent = book.add_format({"num_format": "0%"})
        for (table, frame), at in zip(report.rate_tables(), RATE_CHART_CELLS):
            writer.sheets[table.sheet].set_column(0, 2, 14)
            writer.sheets[table.sheet].set_column(3, 3, 14, percent)
            if int(frame["Calls"].sum()):
                charts.insert_chart(at, _rate_chart(book, table, len(frame)), {"x_scale": 1.2, "y_scale": 1.2})
        m = len(report.funnel)
        if m:
            chart = book.add_chart({"type": "bar"})
            for j in range(1, len(FUNNEL_STAGES) + 1):
                chart.add_series({"name": ["Funnel", 0, j], "categories": ["Funnel", 1, 0, m, 0],
                                  "values": ["Funnel", 1, j, m, j]})
            chart.set_title({"name": "Leads by type and how far they got"})
            chart.set_y_axis({"reverse": True, "crossing": "max"})  # types top down, as on the Funnel sheet
            chart.set_x_axis({"name": "Leads", "major_gridlines": {"visible": True}})
            chart.set_legend({"position": "bottom"})
            charts.insert_chart("K1", chart, {"x_scale": 1.2, "y_scale": 1.2})
        for name, frame in (("Trackers", report.trackers), ("Funnel", report.funnel)):
            writer.sheets[name].set_column(0, len(frame.columns) - 1, 14)
    out.write(built.getbuffer())


#: ours: where each reach-rate chart goes on the Charts sheet, in `Report.rate_tables`
#: order (the funnel's is at K1): two charts a row, each about 18 rows high.
RATE_CHART_CELLS = ("A1", "A20", "K20")


def _rate_chart(book: Any, table: RateTable, rows: int) -> Any:
    """A column chart of the Rate column of ``table``'s sheet, one column per row."""
    chart = book.add_chart({"type": "column"})
    chart.add_series({"name": "Reach rate", "categories": [table.sheet, 1, 0, rows, 0],
                      "values": [table.sheet, 1, 3, rows, 3],
                      "data_labels": {"value": True, "num_format": "0%"}})
    chart.set_title({"name": table.chart})
    chart.set_x_axis({"name": table.key})
    chart.set_y_axis({"name": "Reached", "num_format": "0%", "min": 0, "max": 1})
    chart.set_legend({"none": True})
    return chart


def render_report(report: Report, width: int = 120) -> str:
    """The report as terminal tables (rich): one row per tracker plus the totals, then the
    reach rate by attempt, by call window and by weekday, and the funnel."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    trackers = Table(title="Trackers", show_footer=True)
    frame = report.trackers
    for col in TRACKER_COLUMNS:
        total = "Total" if col == "Tracker" else "" if col == "Problems" else str(int(frame[col].sum()))
        trackers.add_column(col, footer=total, justify="left" if col in ("Tracker", "Problems") else "right")
    for rec in frame.itertuples(index=False):
        trackers.add_row(*(str(v) for v in rec))
    console.print(trackers)
    for table, rates in report.rate_tables():
        if table is not ATTEMPTS and not int(rates["Calls"].sum()):
            continue  # no call with a Time: nothing to say by window or weekday
        shown = Table(title=table.title)
        shown.add_column(table.key, justify="right" if table is ATTEMPTS else "left")
        for col in RATE_COLUMNS:
            shown.add_column(col, justify="right")
        for key, calls, reached, rate in rates.itertuples(index=False):
            shown.add_row(str(key), str(calls), str(reached), "\u2013" if math.isnan(rate) else f"{rate:.0%}")
        console.print(shown)
    funnel = Table(title="Funnel by type")
    for col in report.funnel.columns:
        funnel.add_column(str(col), justify="left" if col == "Type" else "right")
    for rec in report.funnel.itertuples(index=False):
        funnel.add_row(*(str(v) for v in rec))
    console.print(funnel)
    return console.export_text()
