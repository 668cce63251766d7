"""A store on disk of the years of holidays a tracker has needed, in front of the
`holidays` package.

Loading one country from the package imports all of its 250 country modules (about
0.1 s, more than the rest of a small tracker's refresh), and a Refresh button pays it on
every click. The package's answer for a region and a year never changes while the
package stays the same, so each year asked for is kept, per package version, as a small
JSON file in the user's cache folder; a later run reads it back instead of importing the
package. Whatever goes wrong with the store (no folder, a damaged or foreign file, no
room) only means the package is asked again: the store never changes an answer.

The folder: ``WORKBOOK_TOOLS_CACHE`` when set, else the platform's cache folder
(``%LOCALAPPDATA%`` on Windows, ``~/Library/Caches`` on macOS, ``$XDG_CACHE_HOME`` or
``~/.cache`` elsewhere), with ``workbook-tools/holidays/<a code of the package's version>`` below it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from workbook_tools.core.workdays import HolidayYear, YearLoader, package_years, use_year_source
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.files import write_atomically

#: The environment variable that names the cache folder (tests and careful users set it).
CACHE_VARIABLE = "WORKBOOK_TOOLS_CACHE"
#: Our format of the files: a file of another format is not read.
FORMAT = 1
#: A region's file larger than this is not one of ours (a year is about 3 KB).
MAX_FILE_BYTES = 2**20


def cache_root() -> Path | None:
    """The folder of our cache files (see the module's docstring); None when there is
    no home folder to put it in."""
    named = os.environ.get(CACHE_VARIABLE)
    if named:
        return Path(named)
    try:
        if sys.platform == "win32":
            local = os.environ.get("LOCALAPPDATA")
            return (Path(local) if local else Path.home() / "AppData" / "Local") / "workbook-tools" / "Cache"
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "workbook-tools"
        xdg = os.environ.get("XDG_CACHE_HOME")
        return (Path(xdg) if xdg else Path.home() / ".cache") / "workbook-tools"
    except RuntimeError:  # no home folder
        return None


#: The package's files whose change means another version of its holidays: every
#: country's module is imported by the first, and their rules come from the second.
PACKAGE_FILES = ("countries/__init__.py", "holiday_base.py")


def package_version() -> str | None:
    """A code of the installed `holidays` package, from where it is and when its files
    were written, found without importing it (that import is what the store saves; its
    version number is only known after importing importlib.metadata); None when it is not
    found. Installing another version rewrites the files, so the code changes with it."""
    try:
        spec = importlib.util.find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent
    parts = [str(folder)]
    try:
        for name in PACKAGE_FILES:
            status = (folder / name).stat()
            parts.append(f"{status.st_size}:{status.st_mtime_ns}")
    except OSError:
        return None
    return hashlib.sha1("|".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


class StoredYears:
    """The `YearLoader` of one region: the years in its file, else the package's (loaded
    only then), each new year written back to the file."""

    def __init__(self, path: Path | None, country: str, subdivision: str | None) -> None:
        self.path, self.country, self.subdivision = path, country, subdivision
        stored = _read(path) if path is not None else None
        self._known = stored is not None
        self._stored = stored or {}
        self._package: YearLoader | None = None

    def known(self) -> bool:
        """Whether the region has a file of ours: the package knew its codes (no need to
        ask it again), even when no year was stored yet."""
        return self._known

    def package(self) -> YearLoader:
        """The package's loader for the region (UnknownRegion for a code it does not
        know); a region it knows gets its file, years or none."""
        if self._package is None:
            self._package = package_years(self.country, self.subdivision)
            if not self._known:
                self._known = True
                self._save()
        return self._package

    def __call__(self, number: int) -> HolidayYear:
        stored = self._stored.get(str(number))
        if stored is not None:
            return stored
        year = self.package()(number)
        self._stored[str(number)] = year
        self._save()
        return year

    def _save(self) -> None:
        if self.path is None:
            return
        body = {"format": FORMAT, "years": {
            number: {"off": sorted(d.isoformat() for d in year.off),
                     "names": {d.isoformat(): name for d, name in sorted(year.names.items())}}
            for number, year in sorted(self._stored.items())}}
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, lambda fh: fh.write(data))
        except (OSError, WorkbookToolsError):
            pass  # no store this time: the answers are the package's all the same


def _read(path: Path) -> dict[str, HolidayYear] | None:
    """The years stored in ``path``; None when it is missing, too large, damaged or not
    in our format (so nothing from a file we did not write is believed)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            return None
        body = json.loads(data.decode("utf-8"))
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            return None
        return {str(int(number)): _year(year) for number, year in body["years"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _year(stored: Any) -> HolidayYear:
    off = frozenset(date.fromisoformat(d) for d in stored["off"])
    names = {date.fromisoformat(d): str(name) for d, name in stored["names"].items()}
    return HolidayYear(off, names)


def _file_name(country: str, subdivision: str | None) -> str:
    """The file of a region: its codes as typed, upper-cased, kept to letters and digits."""
    parts = [country.strip().upper(), (subdivision or "").strip().upper()]
    safe = ["".join(ch if ch.isascii() and ch.isalnum() else f"_{ord(ch):x}_" for ch in part) for part in parts]
    return f"{safe[0]}-{safe[1]}.json"


def stored_years(country: str, subdivision: str | None) -> YearLoader:
    """The `core.workdays.YearSource` with the store in front: the region's stored years,
    else the package (which also checks the codes: `UnknownRegion`)."""
    root, version = cache_root(), package_version()
    path = root / "holidays" / version / _file_name(country, subdivision) if root and version else None
    loader = StoredYears(path, country, subdivision)
    if not loader.known():
        loader.package()  # an unknown code is refused now, as the package refuses it
    return loader


_INSTALLED: list[bool] = []


def use_holiday_cache() -> None:
    """Put the store in front of the package for this process (once)."""
    if not _INSTALLED:
        use_year_source(stored_years)
        _INSTALLED.append(True)
