"""The Refresh button's path on the interpreter the README sets up for it (issue 16, "the
button"): one without pandas and numpy, which xlwings would otherwise import on every
click. xlwings' remote engine (as in test_excel.py) runs `workbook_tools.excel.refresh` in a
child Python where neither can be imported, as when they are not installed
(`tests.support.lean`), and in one where they can: the same actions and problems come
back, and the lean one has loaded neither. And the adapter never asks xlwings for a numpy
or pandas converter, so it needs neither wherever it runs.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import xlwings as xw

from tests.support.lean import LEAN, python
from tests.support.trackers import FRI, SAMPLE, small_tracker
from tests.support.vba_client import vba_payload
from workbook_tools.adapters import excel
from workbook_tools.template.sample import SAMPLE_TODAY

#: The click, as it reaches our code: xlwings' command line imports xlwings.utils first
#: (addin/Main.bas), then our runner's main() refreshes the calling Book; here the Book is
#: the remote engine's, fed the payload the VBA client sends.
CLICK = """
    import json, sys
    from datetime import date

    import xlwings as xw
    import xlwings.utils

    import workbook_tools.excel

    book = xw.Book(json=json.load(open("payload.json", encoding="utf-8")))
    problems = workbook_tools.excel.refresh(book, date.fromisoformat({today!r}))
    loaded = sorted(m for m in sys.modules if m.partition(".")[0] in ("pandas", "numpy"))
    print(json.dumps({{"actions": book.json()["actions"], "problems": [str(p) for p in problems],
                      "loaded": loaded[:1]}}))
"""


def click(folder: Path, workbook: Path, today: date, absent: tuple[str, ...]) -> dict:
    (folder / "payload.json").write_text(json.dumps(vba_payload(workbook)), encoding="utf-8")
    done = python(CLICK.format(today=today.isoformat()), folder, absent=absent)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return json.loads(done.stdout)


def _problem_tracker(folder: Path) -> Path:
    return small_tracker(folder / "t.xlsx", interviews=[
        {"Company": "Acme", "Position": "Analyst", "Event Date": FRI},
        {"Company": "Globex", "Event Date": "someday"},
    ])


CASES = {
    "the sample, as of its day": (lambda folder: SAMPLE, SAMPLE_TODAY),
    "the sample, a day on": (lambda folder: SAMPLE, SAMPLE_TODAY + timedelta(days=1)),
    "a tracker with a problem row": (_problem_tracker, date(2013, 10, 1)),
}


@pytest.mark.parametrize("workbook, today", CASES.values(), ids=CASES.keys())
def test_a_click_without_pandas_and_numpy_gives_the_same_actions_and_loads_neither(tmp_path, workbook, today):
    path = workbook(tmp_path)
    lean = click(tmp_path, path, today, LEAN)
    full = click(tmp_path, path, today, ())
    assert any(a["func"] == "setValues" for a in full["actions"])
    assert lean["actions"] == full["actions"]
    assert lean["problems"] == full["problems"]
    assert lean["loaded"] == []


def test_the_problem_row_reaches_the_user_in_the_message_box_without_pandas(tmp_path):
    lean = click(tmp_path, _problem_tracker(tmp_path), date(2013, 10, 1), LEAN)
    assert len(lean["problems"]) == 1 and lean["problems"][0].startswith("Interviews!")
    assert [a["func"] for a in lean["actions"]].count("alert") == 1


@pytest.fixture
def remote_engine():
    """xlwings' remote engine, as test_excel.py registers it."""
    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.main.Engine(impl=_xlremote.engine))


@pytest.mark.parametrize("workbook, today", CASES.values(), ids=CASES.keys())
def test_the_adapter_never_asks_xlwings_for_a_numpy_or_pandas_converter(tmp_path, monkeypatch, remote_engine,
                                                                      workbook, today):
    """Every value read and written goes through xlwings' conversion (`Range.value`); here,
    with numpy and pandas installed and their converters registered, each is seen with
    the converter xlwings picks for it."""
    from xlwings import conversion

    seen: list[tuple[str, object, type]] = []
    read, write = conversion.read, conversion.write

    def spy_read(rng, value, options, *args, **kwargs):
        convert = options.get("convert", None)
        seen.append(("read", convert, conversion.accessors.get(convert, convert)))
        return read(rng, value, options, *args, **kwargs)

    def spy_write(value, rng, options, *args, **kwargs):
        convert = options.get("convert", None)
        seen.append(("write", convert, conversion.accessors.get(convert, convert).router(value, rng, options)))
        return write(value, rng, options, *args, **kwargs)

    monkeypatch.setattr(conversion, "read", spy_read)
    monkeypatch.setattr(conversion, "write", spy_write)
    assert conversion.NumpyArrayConverter and conversion.PandasDataFrameConverter  # registered: they could be asked
    book = xw.Book(json=json.loads(json.dumps(vba_payload(workbook(tmp_path)))))
    excel.refresh(book, today)
    assert {kind for kind, _, _ in seen} == {"read", "write"}
    assert {convert for _, convert, _ in seen} == {None}
    used = {accessor.__module__ for _, _, accessor in seen}
    assert not {m for m in used if m.rpartition(".")[2] in ("numpy_conv", "pandas_conv", "polars_conv")}, used
