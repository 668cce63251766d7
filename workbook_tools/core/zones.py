"""Reading a time zone typed into a cell (Settings' and Contacts' `Time Zone`).

A cell is read into a canonical IANA zone name, or, when it holds something else, into
the zones the user may have meant. Canonical means a zone of the tz database's zone.tab
or zone1970.tab, or "UTC" (the tables are in `core.rules.zones`). The match is lenient:
case does not matter, nor accents, nor spaces around the text; spaces inside stand for
underscores ("america/new york" is America/New_York).

What else a cell may hold, and what it is read as (never a zone; only suggestions):
- a legacy name of the database (US/Pacific, GB, EST5EDT, Asia/Calcutta): the zone that
  replaced it. Decision: the names of UTC itself (Etc/UTC, GMT, Etc/GMT, Zulu...) suggest
  "UTC"; "GMT" alone also suggests Europe/London, which is what it means in Britain;
- a region word or an abbreviation ("Pacific", "EST", "IST"): our table of what they
  usually mean; a trailing "Standard Time" is ignored, so Windows names work too;
- a country code or name ("DE", "Germany"): that country's zones, the main ones first;
- a city or place ("Berlin", "Sao Paulo", "Montreal"): the zones named after it;
- a UTC offset ("UTC-5", "+05:30", "Etc/GMT+5"): nothing, since an offset does not follow
  daylight saving time (a zero offset suggests "UTC");
- anything else: the zone names it is close to, possibly none.

Typed text is compared with the tables only; `zoneinfo` is only ever asked for a name
that is in the canonical table, so text such as "../../etc/passwd" never reaches it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal, NamedTuple

#: At most this many suggestions, best first.
MAX_SUGGESTIONS = 6
#: Longer text is no zone (the longest zone name has 30 characters) and is not searched.
LONGEST_TEXT = 64
#: The zone given as an example when nothing better is known.
EXAMPLE_ZONE = "America/New_York"
UTC = "UTC"
#: How similar (difflib's ratio) a name must be to count as a close match, and how much
#: less similar than the closest one the others may be.
CLOSE_ENOUGH = 0.7
NEARLY_AS_CLOSE = 0.1
#: How much of the typed text the problem texts quote.
QUOTED_LENGTH = 40

#: The areas of geographic zone names: a legacy name under one of them names a place.
GEOGRAPHIC_AREAS = frozenset({
    "africa", "america", "antarctica", "arctic", "asia", "atlantic", "australia", "europe", "indian", "pacific",
})
#: Last parts of legacy names that name no place (Australia/North...).
NOT_PLACES = frozenset({"north", "south", "east", "west"})
#: Endings tried without them: "Pacific Standard Time" -> "pacific".
TIME_WORDS = (" standard time", " daylight time", " summer time", " time zone", " time", " zone")
#: A UTC offset as people write it ("UTC-5", "GMT+05:30", "+0530"), and as the database does ("Etc/GMT+5").
OFFSET_PATTERN = r"(?:utc|gmt|z)?\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?"
ETC_OFFSET_PATTERN = r"etc/gmt[+\-]\d{1,2}"

Kind = Literal["zone", "not installed", "legacy", "offset", "unknown"]


class ZoneReading(NamedTuple):
    """A time zone cell, read."""

    zone: str | None  # the canonical IANA name ("America/Los_Angeles"), None when not a zone
    suggestions: tuple[str, ...] = ()  # what they may have meant, best first (at most 6)
    typed: str = ""  # the text as typed, stripped


class _Diagnosis(NamedTuple):
    kind: Kind
    zone: str | None  # the canonical name, for "zone" and "not installed"
    suggestions: tuple[str, ...]


def read_zone(value: object) -> ZoneReading:
    """Read a cell (any value) as a time zone: the canonical zone, or why not, with suggestions.

    Blank cells and None read as ``ZoneReading(None)``. Never raises.
    """
    typed = _text_of(value)
    if not typed:
        return ZoneReading(None)
    if len(typed) > LONGEST_TEXT:
        return ZoneReading(None, (), typed)
    found = _diagnose(typed)
    if found.kind == "zone":
        return ZoneReading(found.zone, (), typed)
    if not isinstance(value, str):  # a number, date or bool names no place: nothing to suggest
        return ZoneReading(None, (), typed)
    return ZoneReading(None, found.suggestions, typed)


def zone_country(zone: object) -> str | None:
    """The ISO 3166 country of a canonical zone, as zone.tab gives it ("Europe/Berlin" -> "DE").

    None for "UTC" and for anything that is not a canonical zone. Never raises.
    """
    if not isinstance(zone, str) or len(zone) > LONGEST_TEXT:
        return None
    return _country_of(zone)


@lru_cache(maxsize=4096)
def _country_of(zone: str) -> str | None:
    """`zone_country` of a text, once per text: every row asks for its contact's."""
    from workbook_tools.core.rules.zones import ZONE_COUNTRIES

    name = canonical_zone(zone)
    return ZONE_COUNTRIES.get(name) if name else None


def canonical_zone(text: str) -> str | None:
    """The canonical zone ``text`` names, compared as `zone_key` compares; a name written
    as the table writes it is found without building the table of keys (most cells)."""
    from workbook_tools.core.rules.zones import NON_GEOGRAPHIC_ZONES, ZONE_COUNTRIES

    if text in ZONE_COUNTRIES or text in NON_GEOGRAPHIC_ZONES:
        return text
    return _canonical_names().get(zone_key(text))


def zone_problem_text(reading: ZoneReading) -> tuple[str, str]:
    """(what is wrong, the fix) for a cell that is not a zone, in plain words.

    A reading that holds a zone has no problem: two empty texts.
    """
    if reading.zone:
        return "", ""
    typed, suggestions = str(reading.typed), tuple(str(s) for s in reading.suggestions)
    if not typed:
        return "no time zone", f"write an IANA time zone name such as {EXAMPLE_ZONE}"
    shown = quoted(typed)
    found = _diagnose(typed) if len(typed) <= LONGEST_TEXT else _Diagnosis("unknown", None, ())
    if found.kind == "not installed":
        return (f"time zone {found.zone} is not installed on this computer",
                "install the tzdata package (pip install tzdata) or update the computer's time zone database")
    if found.kind == "legacy" and suggestions:
        if suggestions[0] == UTC:
            return f"{shown} is another name for UTC", "write UTC instead"
        return f"{shown} is an old name", f"write {suggestions[0]} instead"
    if found.kind == "offset":
        if suggestions:
            return f"{shown} is a UTC offset, not a time zone", f"write {suggestions[0]} instead"
        return (f"{shown} is a UTC offset, not a time zone",
                f"write the place's IANA time zone name, such as {EXAMPLE_ZONE}: "
                "an offset does not follow daylight saving time")
    return f"unknown time zone {shown}", _fix_for_unknown(shown, suggestions)


def _fix_for_unknown(shown: str, suggestions: tuple[str, ...]) -> str:
    if not suggestions:
        return f"write an IANA time zone name such as {EXAMPLE_ZONE} (area/city, as in the tz database)"
    if len(suggestions) == 1:
        return f"write {suggestions[0]} if that is what you mean"
    return f"write an IANA time zone name such as {suggestions[0]}; {shown} could be {either(suggestions)}"


def either(names: tuple[str, ...]) -> str:
    """"A", "A or B", "A, B or C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def quoted(typed: str) -> str:
    """The typed text in quotes, for a message: shortened, control characters escaped."""
    text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in typed[:QUOTED_LENGTH])
    return f"'{text}\u2026'" if len(typed) > QUOTED_LENGTH else f"'{text}'"


def _text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    try:
        return str(value).strip()
    except Exception:  # a value whose str() fails is no zone
        return ""


def folded(text: str) -> str:
    """Lower case, accents dropped ("São" -> "sao")."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def zone_key(text: str) -> str:
    """How zone names are compared: folded, spaces around each part dropped, spaces
    and underscores inside made one underscore ("America / New york" -> "america/new_york")."""
    return "/".join(re.sub(r"[\s_]+", "_", part.strip()) for part in folded(text).split("/"))


def word_key(text: str) -> str:
    """How words are compared: folded, dots and apostrophes dropped, spaces, underscores
    and hyphens made one space, "saint" written "st" ("Saint John's" -> "st johns")."""
    word = re.sub(r"[.'\u2019`]", "", folded(text))
    word = re.sub(r"[\s_\-,]+", " ", word).strip()
    return re.sub(r"\bsaint\b", "st", word)


def _word_variants(word: str) -> tuple[str, ...]:
    for ending in TIME_WORDS:
        if word.endswith(ending) and len(word) > len(ending):
            return word, word[: -len(ending)].strip()
    return (word,)


@lru_cache(maxsize=4096)
def _diagnose(typed: str) -> _Diagnosis:
    name = canonical_zone(typed)
    if name is not None:
        return _Diagnosis("zone" if _loads(name) else "not installed", name, ())
    key = zone_key(typed)
    word = word_key(typed)
    replacement = _legacy_names().get(key)
    if replacement is not None and word not in _abbreviation_words():
        return _Diagnosis("legacy", None, (replacement,))
    offset = _offset_minutes(key)
    if offset is not None:
        return _Diagnosis("offset", None, (UTC,) if offset == 0 else ())
    guesses = _unique(z for variant in _word_variants(word) for z in _word_zones().get(variant, ()))
    return _Diagnosis("unknown", None, guesses or _close_matches(key, word))


def _offset_minutes(key: str) -> int | None:
    """The offset that text such as "utc-5", "+05:30" or "etc/gmt+5" writes, else None."""
    if re.fullmatch(ETC_OFFSET_PATTERN, key):
        return int(key[7:]) * 60
    match = re.fullmatch(OFFSET_PATTERN, key.replace("_", " "))
    if match is None:
        return None
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    return (hours * 60 + minutes) * (1 if match.group(1) == "+" else -1)


@lru_cache(maxsize=1024)
def _loads(name: str) -> bool:
    """Whether zoneinfo can load a canonical zone on this computer."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, TypeError, KeyError, UnicodeError):
        return False
    return True


def _unique(zones: Iterable[str], limit: int = MAX_SUGGESTIONS) -> tuple[str, ...]:
    """The zones once each, in order, at most ``limit``."""
    out: list[str] = []
    for zone in zones:
        if zone not in out:
            out.append(zone)
            if len(out) == limit:
                break
    return tuple(out)


def _close_matches(key: str, word: str) -> tuple[str, ...]:
    """Canonical zones whose name (text with a slash) or place (a word) is close to the text."""
    if len(word) < 3:
        return ()
    if "/" in key:
        names = _zone_name_keys()
        return _unique(names[match] for match in _closest(key, tuple(names)))
    if word in GEOGRAPHIC_AREAS:  # "Europe": too wide to guess
        return ()
    words = _word_zones()
    return _unique(zone for match in _closest(word, _long_words()) for zone in words[match])


def _closest(text: str, candidates: tuple[str, ...]) -> list[str]:
    """The candidates difflib finds close to the text, keeping only those nearly as close as the best."""
    import difflib

    found = difflib.get_close_matches(text, candidates, n=MAX_SUGGESTIONS, cutoff=CLOSE_ENOUGH)
    scores = [difflib.SequenceMatcher(None, text, match).ratio() for match in found]
    return [match for match, score in zip(found, scores) if score >= max(scores) - NEARLY_AS_CLOSE]


@lru_cache(maxsize=1)
def _canonical_names() -> dict[str, str]:
    """zone_key -> canonical zone, for every canonical zone."""
    from workbook_tools.core.rules.zones import NON_GEOGRAPHIC_ZONES, ZONE_COUNTRIES

    return {zone_key(name): name for name in (*ZONE_COUNTRIES, *NON_GEOGRAPHIC_ZONES)}


@lru_cache(maxsize=1)
def _legacy_names() -> dict[str, str]:
    """zone_key -> the canonical zone that replaced it, for every legacy name."""
    from workbook_tools.core.rules.zones import LEGACY_NAMES, POSIX_NAMES

    names = {zone_key(name): target for name, target in LEGACY_NAMES.items()}
    names.update((zone_key(name), alias.target) for name, alias in POSIX_NAMES.items())
    return names


@lru_cache(maxsize=1)
def _zone_name_keys() -> dict[str, str]:
    """What close matches are looked for among, for text with a slash: canonical and legacy names."""
    return {**_legacy_names(), **_canonical_names()}


@lru_cache(maxsize=1)
def _abbreviation_words() -> frozenset[str]:
    from workbook_tools.core.rules.zones import ABBREVIATIONS

    return frozenset(ABBREVIATIONS)


@lru_cache(maxsize=1)
def _long_words() -> tuple[str, ...]:
    """What close matches are looked for among, for a word: the words of four letters or more."""
    return tuple(word for word in _word_zones() if len(word) >= 4)


@lru_cache(maxsize=1)
def _word_zones() -> dict[str, tuple[str, ...]]:
    """Every word the tables know -> the zones it may mean, best first: abbreviations,
    then countries, then the places zone names are named after, then our places."""
    from workbook_tools.core.rules.zones import ABBREVIATIONS, LEGACY_NAMES, PLACES

    found: dict[str, list[str]] = {}
    sources: list[tuple[str, tuple[str, ...]]] = [(w, g.zones) for w, g in ABBREVIATIONS.items()]
    sources += _country_words()
    sources += [(place, (zone,)) for zone in _canonical_names().values() for place in _places_of(zone)]
    sources += [(place, (zone,)) for name, zone in LEGACY_NAMES.items() for place in _places_of(name)
                if name.split("/")[0].casefold() in GEOGRAPHIC_AREAS and place not in NOT_PLACES]
    sources += [(w, g.zones) for w, g in PLACES.items()]
    for word, zones in sources:
        found.setdefault(word, []).extend(zones)
    return {word: _unique(zones, limit=len(zones)) for word, zones in found.items()}


def _places_of(name: str) -> tuple[str, ...]:
    """The words a zone name names places by: every ending after a slash
    ("America/Argentina/Buenos_Aires" -> "argentina/buenos aires", "buenos aires")."""
    parts = name.split("/")
    return tuple(word_key("/".join(parts[i:])) for i in range(1, len(parts)))


def _country_words() -> list[tuple[str, tuple[str, ...]]]:
    """(word, the country's zones) for each code, name and other name of a country."""
    from workbook_tools.core.rules.zones import COUNTRY_ALIASES, COUNTRY_NAMES

    zones = _country_zones()
    pairs: list[tuple[str, str]] = []
    for code, name in COUNTRY_NAMES.items():
        pairs += [(code, code), (name, code), (name.replace("&", "and"), code)]
        match = re.fullmatch(r"(.*?)\s*\((.*)\)", name)
        if match:  # "Korea (South)": also "Korea" and "South Korea"
            pairs += [(match.group(1), code), (f"{match.group(2)} {match.group(1)}", code)]
    pairs += [(word, alias.target) for word, alias in COUNTRY_ALIASES.items()]
    return [(word_key(word), zones.get(code, ())) for word, code in pairs]


@lru_cache(maxsize=1)
def _country_zones() -> dict[str, tuple[str, ...]]:
    """Country code -> its zones: our principal ones first, then zone.tab's order."""
    from workbook_tools.core.rules.zones import PRINCIPAL_ZONES, ZONE_COUNTRIES

    listed: dict[str, list[str]] = {}
    for zone, code in ZONE_COUNTRIES.items():
        listed.setdefault(code, []).append(zone)
    return {code: _unique((*PRINCIPAL_ZONES[code].zones, *zones) if code in PRINCIPAL_ZONES else zones)
            for code, zones in listed.items()}
