"""Message templates: compile once, render per row.

A placeholder in braces names a column of Interviews, Contacts or Settings (matched
ignoring case and spaces), or one of the derived values ({First Name}, {Event Day}).
An unknown placeholder is a problem naming the script's cell; the rest of the script
still renders and the unknown placeholder stays as written. A known placeholder with
no value renders as "[Name]", so the gap is visible before the message is sent.
Rendering only ever produces text: nothing here can become a formula.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"\{([^{}\n]{1,60})\}")


def key(name: str) -> str:
    """Names match ignoring case and runs of spaces."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Template:
    name: str
    parts: tuple[str | tuple[str, str], ...]  # literal text, or (key, as written)
    unknown: tuple[str, ...]

    def keys(self) -> set[str]:
        return {p[0] for p in self.parts if not isinstance(p, str)}

    def render(self, values: dict[str, str]) -> str:
        fmt, slots = self._compiled()
        return fmt.format(*[values.get(k) or gap for k, gap in slots])

    def _compiled(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """A positional format string and its slots: (key, text shown when empty)."""
        cached: tuple[str, tuple[tuple[str, str], ...]] | None = self.__dict__.get("_cache")
        if cached is None:
            fmt: list[str] = []
            slots: list[tuple[str, str]] = []
            for part in self.parts:
                if isinstance(part, str):
                    fmt.append(part.replace("{", "{{").replace("}", "}}"))
                else:
                    fmt.append(f"{{{len(slots)}}}")
                    slots.append((part[0], f"[{part[1]}]"))
            cached = ("".join(fmt), tuple(slots))
            object.__setattr__(self, "_cache", cached)
        return cached


def compile_template(name: str, text: str, known: set[str]) -> Template:
    """Split ``text`` into literals and placeholders; ``known`` holds the valid keys."""
    parts: list[str | tuple[str, str]] = []
    unknown: list[str] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(text):
        written = m.group(1).strip()
        k = key(written)
        if k in known:
            parts.append(text[pos : m.start()])
            parts.append((k, written))
        else:
            parts.append(text[pos : m.end()])
            unknown.append(written)
        pos = m.end()
    parts.append(text[pos:])
    merged: list[str | tuple[str, str]] = []
    for p in parts:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        elif p != "":
            merged.append(p)
    return Template(name, tuple(merged), tuple(unknown))


def first_name(full_name: str) -> str:
    """The first name of "Dr. Maria Lopez" or "Lopez, Maria"."""
    first = full_name.split(None, 1)[0] if full_name else ""
    if first and "," not in full_name and "." not in first and first.casefold() not in _TITLES:
        return first  # the common case, without the general path's work
    name = full_name.strip()
    if "," in name:
        name = name.split(",", 1)[1].strip()
    words = [w for w in name.split() if w.rstrip(".").casefold() not in _TITLES]
    return words[0] if words else name


_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam"}
