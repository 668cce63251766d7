"""Shared fixtures: small real trackers built in tmp_path."""

from __future__ import annotations

import os
import tempfile

# Test-only: xlwings' remote engine (xlwings.pro, PolyForm Noncommercial) is registered
# when xlwings is first imported with this variable set, so it is set here, before any
# test module imports xlwings (tests/test_excel.py runs the live path on that engine).
# The product's code never imports xlwings.pro.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
# The store of holiday years (adapters/holiday_cache.py) goes in a folder of this run's,
# not the user's cache: every run starts from an empty store, and the CLI's subprocesses
# share it.
os.environ["WORKBOOK_TOOLS_CACHE"] = tempfile.mkdtemp(prefix="workbook-tools-cache-")

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from tests.support.ical_readers import icaljs_folder  # noqa: E402, F401  (a fixture: ical.js installed on first use)
from tests.support.trackers import SAMPLE  # noqa: E402
from tests.support.xlsx_parts import CORPUS  # noqa: E402


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    target = tmp_path / "tracker.xlsx"
    shutil.copyfile(SAMPLE, target)
    return target


@pytest.fixture
def vba_bin() -> Path:
    path = CORPUS / "vbaProject01.bin"
    if not path.exists():
        pytest.skip(f"the Excel reference corpus is not at {CORPUS}")
    return path
