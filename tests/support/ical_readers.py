"""The .ics files the calendar writes, read back by independent readers: icalendar,
vobject and ical.js (through node), each from the VTIMEZONE in the file, never from a
time zone database of its own. Each gives every event's start as a UTC instant, by UID."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import icalendar
import pytest
import vobject

SUPPORT = Path(__file__).resolve().parent
ICALJS_SCRIPT = SUPPORT / "icaljs_utc.mjs"
#: Where ical.js is installed on first use (kept out of git by the .gitignore there).
NODE_FOLDER = SUPPORT / "node"
ICALJS_PACKAGE = "ical.js@^2"
NPM_TIMEOUT_SECONDS = 300
NODE_TIMEOUT_SECONDS = 60


def icalendar_utc(data: bytes) -> dict[str, datetime]:
    cal = icalendar.Calendar.from_ical(data)
    (block,) = cal.walk("VTIMEZONE")
    zone = block.to_tz(lookup_tzid=False)  # from the block, not from icalendar's zoneinfo
    return {str(e["uid"]): e.decoded("dtstart").replace(tzinfo=None).replace(tzinfo=zone).astimezone(timezone.utc)
            for e in cal.walk("VEVENT")}


def vobject_utc(data: bytes) -> dict[str, datetime]:
    cal = vobject.readOne(data.decode("utf-8"))
    zone = cal.vtimezone.tzinfo  # the block as vobject read it (dateutil's tzical)
    assert type(zone).__module__.startswith("dateutil")
    return {e.uid.value: e.dtstart.value.replace(tzinfo=zone).astimezone(timezone.utc) for e in cal.vevent_list}


@pytest.fixture(scope="session")
def icaljs_folder() -> Path:
    """The folder ical.js is installed in, installing it on first use; skips the ical.js
    cases, saying why, when node or npm is missing or the install fails."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("ical.js cases need node and npm, which are not on PATH")
    if not (NODE_FOLDER / "node_modules" / "ical.js" / "package.json").is_file():
        try:
            done = subprocess.run([npm, "install", "--prefix", str(NODE_FOLDER), "--no-audit", "--no-fund",
                                   "--no-package-lock", ICALJS_PACKAGE], capture_output=True, text=True,
                                  timeout=NPM_TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            pytest.skip(f"npm install {ICALJS_PACKAGE} took over {NPM_TIMEOUT_SECONDS} s")
        if done.returncode != 0:
            pytest.skip(f"npm install {ICALJS_PACKAGE} failed: {done.stderr.strip()[-300:]}")
    return NODE_FOLDER


def icaljs_utc(data: bytes, folder: Path) -> dict[str, datetime]:
    command = [shutil.which("node") or "node", str(ICALJS_SCRIPT), str(folder)]
    done = subprocess.run(command, input=data, capture_output=True, timeout=NODE_TIMEOUT_SECONDS, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return {e["uid"]: datetime.fromisoformat(e["utc"].replace("Z", "+00:00")) for e in json.loads(done.stdout)}
