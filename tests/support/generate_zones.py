"""Rewrite workbook_tools/core/rules/zones.py from this machine's IANA time zone database.

Run it as ``python tests/support/generate_zones.py`` (from anywhere; it needs only the
standard library). It reads, from /usr/share/zoneinfo (or the folder given as the one
argument):

- ``zone.tab``: the canonical zones, one country each, in the database's order
  (by country, the most important zone of a country usually first);
- ``zone1970.tab``: more canonical zones, if any are missing from zone.tab (their first
  country is kept);
- ``tzdata.zi``: its ``L target name`` lines, the compiled form of the database's
  ``backward`` file (and, in builds made with backzone, of that file's links): every
  name that is not canonical becomes a legacy name pointing at its canonical zone;
- ``iso3166.tab``: the country names.

Names that end at Etc/UTC or Etc/GMT (GMT, Etc/UTC, Zulu, Universal...) point at "UTC",
the one non-geographic zone the product accepts. Other non-canonical zones (the fixed
offsets Etc/GMT+5..., Factory, the POSIX-style EST5EDT... which backzone builds keep as
zones) are left out here: the hand tables of the module cover the POSIX-style ones.

Everything from the "ours" marker line down in the existing module is hand-written and
kept as it is. The package never imports this script.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ZONEINFO = Path("/usr/share/zoneinfo")
TARGET = Path(__file__).resolve().parents[2] / "workbook_tools" / "core" / "rules" / "zones.py"
HAND_MARKER = "# ---- ours: written by hand"
UTC = "UTC"
UTC_ZONES = {"Etc/UTC", "Etc/GMT"}
WIDTH = 116

HEADER = '''"""The time zone tables behind `core.zones`: canonical zones and their countries,
legacy names and what replaced them, country names, and our own word tables.

Generated, down to the "ours" marker, by ``python tests/support/generate_zones.py`` from
this machine's copy of the IANA time zone database (https://www.iana.org/time-zones),
release {version}:

- ZONE_COUNTRIES: the zones of zone.tab (one ISO 3166 country each, in zone.tab's order),
  plus any zone of zone1970.tab missing from it;
- LEGACY_NAMES: the Link lines of tzdata.zi, the compiled `backward` file (old names
  such as US/Pacific, Asia/Calcutta, GB), each pointing at its canonical zone; names
  that end at Etc/UTC or Etc/GMT (GMT, Etc/UTC, Zulu...) point at "UTC";
- COUNTRY_NAMES: iso3166.tab.

Do not edit those tables by hand: run the script again. Everything from the "ours"
marker down is written by hand and the script keeps it as it is.
"""

from __future__ import annotations

from typing import NamedTuple

#: The database release these tables come from (the version line of tzdata.zi).
TZDATA_VERSION = "{version}"
'''


def data_lines(path: Path) -> Iterator[list[str]]:
    """The tab-separated fields of every line of a .tab file that is not a comment."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def zone_countries(folder: Path) -> dict[str, str]:
    """Canonical zone -> country: zone.tab first, then zone1970.tab's extra zones."""
    countries = {fields[2]: fields[0] for fields in data_lines(folder / "zone.tab")}
    for fields in data_lines(folder / "zone1970.tab"):
        countries.setdefault(fields[2], fields[0].split(",")[0])
    return countries


def compiled_names(folder: Path) -> tuple[str, set[str], dict[str, str]]:
    """(release, zone names, link name -> target) read from tzdata.zi."""
    version, zones, links = "unknown", set(), {}
    for line in (folder / "tzdata.zi").read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if line.startswith("# version") and len(fields) > 2:
            version = fields[2]
        elif fields[:1] == ["Z"]:
            zones.add(fields[1])
        elif fields[:1] == ["L"]:
            links[fields[2]] = fields[1]
    return version, zones, links


def legacy_names(links: dict[str, str], canonical: set[str]) -> dict[str, str]:
    """Every non-canonical link (and Etc/UTC, Etc/GMT) -> its canonical zone or "UTC"."""
    out = {name: UTC for name in sorted(UTC_ZONES)}
    for name in sorted(links):
        if name in canonical or name == UTC:
            continue
        target, hops = links[name], 0
        while target in links and target not in canonical and hops < 10:
            target, hops = links[target], hops + 1
        if target in canonical:
            out[name] = target
        elif target in UTC_ZONES:
            out[name] = UTC
        else:
            print(f"left out: {name} -> {target} (not a canonical zone)", file=sys.stderr)
    return out


def country_names(folder: Path) -> dict[str, str]:
    return {fields[0]: fields[1] for fields in data_lines(folder / "iso3166.tab")}


def packed(entries: Iterable[str]) -> Iterator[str]:
    """Dict entries, several to a line, each line at most WIDTH characters."""
    line = ""
    for entry in entries:
        if line and len(line) + 1 + len(entry) > WIDTH:
            yield line
            line = ""
        line = f"{line} {entry}" if line else f"    {entry}"
    if line:
        yield line


def dict_literal(comment: str, name: str, annotation: str, mapping: dict[str, str]) -> str:
    entries = (f'"{key}": "{value}",' for key, value in mapping.items())
    return "\n".join([f"#: {comment}", f"{name}: {annotation} = {{", *packed(entries), "}", ""])


def hand_block(target: Path) -> str:
    """The hand-written part of the existing module, from the marker line down."""
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    start = text.find(HAND_MARKER)
    if start < 0:
        raise SystemExit(f"{target}: no line starting {HAND_MARKER!r}: the hand-written tables are missing")
    return text[start:]


def render(folder: Path, hand: str) -> str:
    version, zones, links = compiled_names(folder)
    countries = zone_countries(folder)
    legacy = legacy_names(links, set(countries))
    missing = sorted(z for z in countries if z not in zones and z not in links)
    if missing:
        raise SystemExit(f"zone.tab names zones that tzdata.zi lacks: {missing}")
    tables = [
        HEADER.format(version=version),
        dict_literal("Canonical zone -> ISO 3166 country. Source: IANA tz database, zone.tab (and zone1970.tab).",
                     "ZONE_COUNTRIES", "dict[str, str]", countries),
        dict_literal("Legacy name -> canonical zone. Source: IANA tz database, the `backward` links (tzdata.zi).",
                     "LEGACY_NAMES", "dict[str, str]", legacy),
        dict_literal("ISO 3166 country code -> name. Source: IANA tz database, iso3166.tab.",
                     "COUNTRY_NAMES", "dict[str, str]", country_names(folder)),
    ]
    return "\n\n".join(table.rstrip("\n") for table in tables) + "\n\n\n" + hand


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else ZONEINFO
    text = render(folder, hand_block(TARGET))
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
