"""A report across trackers: counts per tracker, the reach rate by attempt, and the
funnel by Type, computed with pandas over the rows the engine produces.

Each tracker is summarised on its own (in a worker process when there are many) into
small picklable records; the tables are built from those, so the result depends on
neither the order of the files nor the number of workers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import contract as C
from .errors import ProblemsError, WorkbookToolsError

TRACKER_COLUMNS = ("Tracker", "Open", "Overdue", "Due Today", "Waiting", "Closed", "Calls", "Reached",
                   "Offers", "Not Selected", "Problems")
FUNNEL_STAGES = ("Leads", "Interviewed", "Offer", "Hired", "Not Selected")
INTERVIEW_TYPES = (C.INTERVIEW, C.PHONE_SCREEN)


@dataclass
class TrackerSummary:
    path: str
    counts: dict[str, Any] = field(default_factory=dict)
    attempts: list[tuple[int, bool]] = field(default_factory=list)  # (attempt number, reached)
    funnel: list[tuple[str, str]] = field(default_factory=list)  # (Type, stage) per lead and stage
    error: str = ""  # why the tracker could not be read


def summarize(path: str, today: date) -> TrackerSummary:
    """One tracker's counts, attempts and funnel (top level: picklable for workers)."""
    from .engine import compute
    from .xlsx_read import read_tracker

    out = TrackerSummary(path)
    try:
        data = read_tracker(path)
    except ProblemsError as err:
        out.error = "; ".join(str(p) for p in err.problems)
        return out
    except WorkbookToolsError as err:
        out.error = str(err)
        return out
    result = compute(data, today)
    flags = [r.flag for r in result.rows if r.flag]
    calls = [c for lead in result.leads for c in lead.calls]
    reached = [c for c in calls if c.outcome not in C.UNANSWERED_OUTCOMES]
    out.counts = {
        "Open": sum(1 for f in flags if f != C.FLAG_CLOSED),
        "Overdue": flags.count(C.OVERDUE), "Due Today": flags.count(C.DUE_TODAY),
        "Waiting": flags.count(C.WAITING), "Closed": flags.count(C.FLAG_CLOSED),
        "Calls": len(calls), "Reached": len(reached),
        "Offers": 0, "Not Selected": 0, "Problems": len(result.problems),
    }
    for lead in result.leads:
        outcomes = [c.outcome for c in lead.calls]
        out.attempts += [(n, o not in C.UNANSWERED_OUTCOMES) for n, o in enumerate(outcomes, start=1)]
        offer = lead.status in (C.OFFER, C.HIRED) or C.OUTCOME_OFFER in outcomes
        rejected = lead.status == C.NOT_SELECTED or (C.OUTCOME_NOT_SELECTED in outcomes and not offer)
        stages = ["Leads"]
        if lead.type in INTERVIEW_TYPES or C.NEXT_INTERVIEW in outcomes:
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
    failed: list[TrackerSummary]


def build_report(summaries: list[TrackerSummary]) -> Report:
    import pandas as pd

    summaries = sorted(summaries, key=lambda s: s.path)
    rows = []
    for s in summaries:
        row = {"Tracker": Path(s.path).name, **{c: 0 for c in TRACKER_COLUMNS[1:-1]}, "Problems": s.error}
        if not s.error:
            row.update(s.counts)
        rows.append(row)
    trackers = pd.DataFrame(rows, columns=list(TRACKER_COLUMNS))
    attempts = pd.DataFrame([a for s in summaries for a in s.attempts], columns=["Attempt", "Reached"])
    attempts = (attempts.groupby("Attempt").agg(Calls=("Reached", "size"), Reached=("Reached", "sum"))
                .reset_index())
    attempts["Reached"] = attempts["Reached"].astype(int)
    attempts["Rate"] = (attempts["Reached"] / attempts["Calls"]).round(3)
    funnel = pd.DataFrame([f for s in summaries for f in s.funnel], columns=["Type", "Stage"])
    funnel = (pd.crosstab(funnel["Type"], funnel["Stage"]).reindex(columns=list(FUNNEL_STAGES), fill_value=0)
              .reindex([t for t in C.TYPES if t in set(funnel["Type"])]).reset_index())
    funnel.columns.name = None
    return Report(trackers, attempts, funnel, [s for s in summaries if s.error])


def write_report(report: Report, path: str | Path) -> None:
    """The report as a workbook with native Excel charts (XlsxWriter through pandas)."""
    import pandas as pd

    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        report.trackers.to_excel(writer, sheet_name="Trackers", index=False)
        report.attempts.to_excel(writer, sheet_name="Attempts", index=False)
        report.funnel.to_excel(writer, sheet_name="Funnel", index=False)
        book = writer.book
        charts = book.add_worksheet("Charts")
        charts.set_landscape()
        charts.fit_to_pages(1, 1)
        percent = book.add_format({"num_format": "0%"})
        writer.sheets["Attempts"].set_column(3, 3, 14, percent)
        n = len(report.attempts)
        if n:
            chart = book.add_chart({"type": "column"})
            chart.add_series({"name": "Reach rate", "categories": ["Attempts", 1, 0, n, 0],
                              "values": ["Attempts", 1, 3, n, 3],
                              "data_labels": {"value": True, "num_format": "0%"}})
            chart.set_title({"name": "How often you reach them, by attempt"})
            chart.set_x_axis({"name": "Attempt"})
            chart.set_y_axis({"name": "Reached", "num_format": "0%", "min": 0, "max": 1})
            chart.set_legend({"none": True})
            charts.insert_chart("A1", chart, {"x_scale": 1.2, "y_scale": 1.2})
        m = len(report.funnel)
        if m:
            chart = book.add_chart({"type": "bar"})
            for j, stage in enumerate(FUNNEL_STAGES, start=1):
                chart.add_series({"name": ["Funnel", 0, j], "categories": ["Funnel", 1, 0, m, 0],
                                  "values": ["Funnel", 1, j, m, j]})
            chart.set_title({"name": "Leads by type and how far they got"})
            charts.insert_chart("K1", chart, {"x_scale": 1.2, "y_scale": 1.2})
        for name, frame in (("Trackers", report.trackers), ("Funnel", report.funnel)):
            writer.sheets[name].set_column(0, len(frame.columns) - 1, 14)
        writer.sheets["Attempts"].set_column(0, 2, 14)


def render_report(report: Report, width: int = 120) -> str:
    """The report as terminal tables (rich): one row per tracker plus the totals, then the
    reach rate by attempt and the funnel."""
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
    attempts = Table(title="Reached, by attempt")
    for col in ("Attempt", "Calls", "Reached", "Rate"):
        attempts.add_column(col, justify="right")
    for rec in report.attempts.itertuples(index=False):
        attempts.add_row(str(rec.Attempt), str(rec.Calls), str(rec.Reached), f"{rec.Rate:.0%}")
    console.print(attempts)
    funnel = Table(title="Funnel by type")
    for col in report.funnel.columns:
        funnel.add_column(str(col), justify="left" if col == "Type" else "right")
    for rec in report.funnel.itertuples(index=False):
        funnel.add_row(*(str(v) for v in rec))
    console.print(funnel)
    return console.export_text()
