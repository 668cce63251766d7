"""Message templates: compile once, render per row.

A placeholder in braces, ``{Position}``, or in square brackets, ``[Position]``, names a
column of Interviews, Contacts or Settings (matched ignoring case and spaces), or one
of the derived values (`core.rules.texts.DERIVED`). Rendering never shows a
placeholder: a value that is blank is phrased around, by the rule its name has in
`core.rules.texts.BLANK_RULES` (the words close up around it, its sentence is left
out, or a neutral word stands in). A name with no rule there loses its sentence.

A brace placeholder that names nothing known is listed in `Template.unknown` (the
caller reports it) and its sentence is always left out. Square brackets that name
nothing known are ordinary text ("[optional]" stays as written): brackets are
punctuation in prose, braces are not. A brace that opens no placeholder (no closing
brace on its line, nothing between, or over 60 characters) is the user's text too,
and stays; the built-in texts hold none (tests/core/test_texts.py).

A sentence ends at . ! ? (with any closing quote) followed by a space or a line end,
or at a line break; a dot after a title or an initial ("Dr.", "J.") ends nothing.

Rendering only ever produces text: nothing here can become a formula. When every
value of a template is present it is one ``str.format`` call; the sentence work is
done only for rows with a gap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from workbook_tools.core.rules.texts import BLANK_RULES, DEFAULT_BLANK, Blank, BlankRule
from workbook_tools.core.values import as_text

#: ``{Name}`` (group 1) or ``[Name]`` (group 2): one line, at most 60 characters.
_PLACEHOLDER = re.compile(r"\{([^{}\n]{1,60})\}|\[([^\[\]\n]{1,60})\]")
#: Where a sentence ends: . ! ? (and any closing quote or bracket) followed by spaces
#: or a line end (group 1 is the separator), or a line break on its own (group 2).
_BOUNDARY = re.compile(r"[.!?][\"'\u201d\u2019)\]]*([ \t\r]*\n[ \t\r\n]*|[ \t]+)|([ \t\r]*\n[ \t\r\n]*)")
#: Words whose dot does not end a sentence ("Dr. Lopez", "e.g. this").
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "mx", "dr", "prof", "st", "jr", "sr", "vs", "approx"})
_WORD_BEFORE = re.compile(r"([A-Za-z]+)$")
#: What may follow a gap without a space before it.
_CLOSING = frozenset(".,;:!?)")
_JOINING = frozenset(",;:")
#: Marks, in a sentence, a placeholder that names nothing known.
_UNKNOWN = -1


def key(name: object) -> str:
    """Names match ignoring case and runs of spaces."""
    text = name if isinstance(name, str) else as_text(name)
    return " ".join(text.split()).casefold()


_BLANKS: dict[str, BlankRule] = {key(name): rule for name, rule in BLANK_RULES.items()}


class Slot(NamedTuple):
    """One placeholder of a template: its lookup key, as written, and what a blank does."""

    key: str
    written: str
    rule: BlankRule


class Sentence(NamedTuple):
    """A sentence (or a line) of a template, and the spaces or line breaks after it."""

    pieces: tuple[str | int, ...]  # literal text, or the index of a slot
    sep: str


class Template(NamedTuple):
    """A compiled script: its placeholders, its sentences, and the format string of the
    common case (every value present)."""

    name: str
    slots: tuple[Slot, ...]
    sentences: tuple[Sentence, ...]
    #: Brace placeholders that name nothing known, as written (their sentences are left out).
    unknown: tuple[str, ...]
    #: The whole template as a positional format string, for rows with every value present.
    fmt: str
    #: The slots' keys, in slot order.
    slot_keys: tuple[str, ...]

    def keys(self) -> set[str]:
        """The keys of the values this template uses (brace and bracket placeholders)."""
        return set(self.slot_keys)

    def render(self, values: Mapping[str, object]) -> str:
        """The message for one row; ``values`` maps keys to cell text (missing = blank)."""
        got = [v if type(v) is str else _text(v) for v in map(values.get, self.slot_keys)]
        if all(v and not v.isspace() for v in got):
            return self.fmt.format(*got)
        return self._by_sentence(got)

    def render_by_sentence(self, values: Mapping[str, object]) -> str:
        """The general path of `render`, sentence by sentence, which `render` takes when
        some value is blank; when none is, the same text as the format string gives."""
        return self._by_sentence([_text(v) for v in map(values.get, self.slot_keys)])

    def _by_sentence(self, got: list[str]) -> str:
        return _join((_sentence_text(s.pieces, self.slots, got), s.sep) for s in self.sentences)


def compile_template(name: str, text: object, known: set[str],
                     blanks: Mapping[str, BlankRule] | None = None) -> Template:
    """Split ``text`` into sentences of literals and placeholders. ``known`` holds the
    valid keys; ``blanks`` replaces `texts.BLANK_RULES` (names as written) if given.
    Any value is accepted as ``text`` (a number, None...): it is read as cell text."""
    rules = _BLANKS if blanks is None else {key(k): r for k, r in blanks.items()}
    source = text if isinstance(text, str) else as_text(text)
    slots: list[Slot] = []
    unknown: list[str] = []
    raw: list[Sentence] = []
    current: list[str | int] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(source):
        braces = m.group(1) is not None
        written = (m.group(1) if braces else m.group(2)).strip()
        k = key(written)
        if k in known and k:
            _add_literal(source[pos:m.start()], current, raw)
            current.append(len(slots))
            slots.append(Slot(k, written, rules.get(k, DEFAULT_BLANK)))
        elif braces and k:
            _add_literal(source[pos:m.start()], current, raw)
            current.append(_UNKNOWN)
            unknown.append(written)
        else:
            continue  # not a placeholder: it stays in the literal text
        pos = m.end()
    _add_literal(source[pos:], current, raw)
    raw.append(Sentence(tuple(current), ""))
    return _finish(str(name), slots, _without_unknown(raw), tuple(unknown))


def _add_literal(literal: str, current: list[str | int], sentences: list[Sentence]) -> None:
    """Add literal text to the sentence being read, closing a sentence at each boundary."""
    pos = 0
    for m in _BOUNDARY.finditer(literal):
        group = 1 if m.group(1) is not None else 2
        if group == 1 and "\n" not in m.group(1) and _is_abbreviation(literal, m.start()):
            continue
        if m.start(group) > pos:
            current.append(literal[pos:m.start(group)])
        sentences.append(Sentence(tuple(current), m.group(group)))
        current.clear()
        pos = m.end()
    if pos < len(literal):
        current.append(literal[pos:])


def _is_abbreviation(literal: str, dot: int) -> bool:
    """Whether the dot at ``dot`` closes a title or an initial rather than a sentence."""
    if literal[dot] != ".":
        return False
    word = _WORD_BEFORE.search(literal[max(0, dot - 12):dot])
    return word is not None and (len(word.group(1)) == 1 or word.group(1).casefold() in _ABBREVIATIONS)


def _without_unknown(raw: list[Sentence]) -> list[Sentence]:
    """The sentences left once those naming an unknown placeholder (or nothing at all)
    are out, their separators merged as `_join` merges them."""
    kept: list[Sentence] = []
    last_kept = False
    for sentence in raw:
        if sentence.pieces and _UNKNOWN not in sentence.pieces:
            kept.append(sentence)
            last_kept = True
            continue
        if kept:
            kept[-1] = kept[-1]._replace(sep=_stronger(kept[-1].sep, sentence.sep))
        last_kept = False
    if kept and not last_kept:
        kept[-1] = kept[-1]._replace(sep="")
    return kept


def _finish(name: str, slots: list[Slot], sentences: list[Sentence], unknown: tuple[str, ...]) -> Template:
    """Number the slots still in use from 0, and build the format string."""
    renumber: dict[int, int] = {}
    used: list[Slot] = []
    fmt: list[str] = []
    final: list[Sentence] = []
    for sentence in sentences:
        pieces: list[str | int] = []
        for piece in sentence.pieces:
            if isinstance(piece, str):
                pieces.append(piece)
                fmt.append(piece.replace("{", "{{").replace("}", "}}"))
                continue
            if piece not in renumber:
                renumber[piece] = len(used)
                used.append(slots[piece])
            pieces.append(renumber[piece])
            fmt.append(f"{{{renumber[piece]}}}")
        final.append(Sentence(tuple(pieces), sentence.sep))
        fmt.append(sentence.sep)
    return Template(name, tuple(used), tuple(final), unknown, "".join(fmt), tuple(s.key for s in used))


def _text(value: object) -> str:
    """A value as the text it fills in: text as it is, None as blank, others as a cell shows them."""
    if isinstance(value, str):
        return value
    return "" if value is None else as_text(value)


def _sentence_text(pieces: tuple[str | int, ...], slots: tuple[Slot, ...], got: list[str]) -> str:
    """One sentence filled in; "" when it is left out (a blank that drops its sentence,
    or nothing readable left once the blanks are gone)."""
    out = ""
    gap = vanished = False
    for piece in pieces:
        if isinstance(piece, str):
            text = piece
        else:
            value = got[piece]
            rule = slots[piece].rule
            if value and not value.isspace():
                text = value
            elif rule.blank is Blank.DROP_SENTENCE:
                return ""
            elif rule.blank is Blank.FALLBACK and rule.fallback:
                text = rule.fallback
            else:
                gap = vanished = True
                continue
        out = _close_up(out, text) if gap else out + text
        gap = False
    if gap:
        out = out.rstrip(" \t")
        if out[-1:] in _JOINING:
            out = out[:-1].rstrip(" \t")
    if vanished and not any(ch.isalnum() for ch in out):
        return ""
    return out


def _close_up(left: str, right: str) -> str:
    """``left`` and ``right`` joined where a placeholder vanished between them: one space
    at most, none before punctuation, no comma left hanging."""
    trimmed = left.rstrip(" \t")
    if not trimmed:  # the gap opened the sentence
        rest = right.lstrip(" \t")
        if rest and rest[0] in _JOINING:
            rest = rest[1:].lstrip(" \t")
        return rest[:1].upper() + rest[1:]
    if trimmed.endswith("(") and right.startswith(")"):
        return _close_up(trimmed[:-1], right[1:])
    first = right[:1]
    if first and first in _CLOSING:
        if trimmed[-1] in _JOINING:
            trimmed = trimmed[:-1].rstrip(" \t")
        return trimmed + right
    if first in (" ", "\t"):
        return trimmed + right
    return left + right


def _stronger(first: str, second: str) -> str:
    """Of two separators, the one that breaks more lines (the earlier on a tie)."""
    return second if second.count("\n") > first.count("\n") else first


def _join(sentences: Iterable[tuple[str, str]]) -> str:
    """(text, separator) per sentence, "" for a sentence left out: the kept sentences,
    each pair joined by the strongest separator between them; nothing before the first
    or after the last."""
    out: list[str] = []
    owed: str | None = None
    last_kept = False
    for text, sep in sentences:
        if text:
            if owed is not None:
                out.append(owed)
            out.append(text)
            owed = sep
        elif owed is not None:
            owed = _stronger(owed, sep)
        last_kept = bool(text)
    if last_kept and owed:
        out.append(owed)
    return "".join(out)


def first_name(full_name: object) -> str:
    """The first name of "Dr. Maria Lopez" or "Lopez, Maria"."""
    full = full_name if isinstance(full_name, str) else _text(full_name)
    first = full.split(None, 1)[0] if full.strip() else ""
    if first and "," not in full and "." not in first and first.casefold() not in _TITLES:
        return first  # the common case, without the general path's work
    name = full.strip()
    if "," in name:
        name = name.split(",", 1)[1].strip()
    words = [w for w in name.split() if w.rstrip(".").casefold() not in _TITLES]
    return words[0] if words else name


_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam"}
