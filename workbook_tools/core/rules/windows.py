"""The windows of a day in which to call, each citing its seed.

Busy people are at their desks early, around lunch and late in the afternoon (seed
003); most meetings start on the hour, so the windows avoid it; a message after hours
is fine, but not late at night (seed 002).
"""

from __future__ import annotations

from datetime import time
from typing import NamedTuple


class Window(NamedTuple):
    start: time
    end: time
    label: str
    source: str


CALL_WINDOWS: tuple[Window, ...] = (
    Window(time(8, 5), time(8, 30), "early, before the day's meetings", "seed 003: call between 8:00 and 8:30"),
    Window(time(12, 10), time(12, 50), "around lunch", "seed 003: lunch time also works"),
    Window(time(16, 35), time(17, 15), "late afternoon", "seed 003: call after 4:30"),
)
