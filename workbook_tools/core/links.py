"""One click from the plan to the call or the email: a contact's phone as a `tel:` link
(RFC 3966) and an email due as a `mailto:` link (RFC 6068) whose subject and body come
from the Email Script, each with the tooltip Excel shows over it.

Pure: text in, text out. Every function here takes any value a cell can hold (None,
numbers, dates, text of any length, control characters) and answers None for what is
no phone number or no address, never an exception. The rules are in `core.rules.links`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import islice
from typing import Any, NamedTuple

from workbook_tools.core.events import CALL, EMAIL, FollowUp
from workbook_tools.core.model import CellLink, RowResult
from workbook_tools.core.rules import links as L

#: ours: a phone number of more digits than this, typed as a number, is no phone number
#: (E.164 allows 15; an extension typed along may add a few).
MAX_PHONE_DIGITS = 20


class MailLink(NamedTuple):
    """A `mailto:` link, and whether its body was cut to keep it under the limit."""

    url: str
    cut: bool


# --- Phone numbers -----------------------------------------------------------------------

def call_link(phone: object, region: object = None) -> str | None:
    """The phone number ``phone`` as a `tel:` URI: E.164 with dashes between its parts
    ("tel:+1-617-555-0100"), and ";ext=12" for an extension. None when it is no possible
    whole number (too short, too long, a local number without its area code, not text).

    ``region`` is the ISO 3166 country (such as "US") a number written without "+" is
    read in, or several, most likely first (`phone_regions`). A number is read as typed,
    as pasted from a web page or a mail (no-break spaces, direction marks), and inside
    other words: the first number a cell holds is the one ("617-555-0100 (cell)"). It is
    a national number of a country only when typed with that country's trunk prefix
    where its numbers are written with one (`trunk_prefix_missing`). The first country
    where it is a valid number wins; else its first valid other form (`other_forms`: a
    "00" prefix, a number Excel stored without its "+" or its leading 0); else the first
    country where it is a possible number."""
    text = _phone_text(phone)
    if text is None:
        return None
    return _tel_uri(text, _regions(region))


def phone_regions(country: object, zone_country: object, home: object) -> tuple[str, ...]:
    """Where to read a contact's number written without "+", most likely first: their
    Country cell, the country of their time zone, the user's own country."""
    return tuple(dict.fromkeys(_regions((country, zone_country, home))))


def _phone_text(phone: object) -> str | None:
    """The text of a Phone cell to parse (`clean_phone_text`), None when it cannot be a
    phone number."""
    if isinstance(phone, bool):
        return None
    if isinstance(phone, int):
        text = str(phone) if 0 < phone < 10**MAX_PHONE_DIGITS else ""
    elif isinstance(phone, float):
        text = str(int(phone)) if phone.is_integer() and 0 < phone < 10**MAX_PHONE_DIGITS else ""
    elif isinstance(phone, str):
        text = clean_phone_text(phone) if len(phone) <= L.MAX_PHONE_TEXT * 2 else ""
    else:
        return None
    if not text or len(text) > L.MAX_PHONE_TEXT or not text.isprintable():
        return None
    return text


def clean_phone_text(text: str) -> str:
    """A phone as pasted, made plain: every kind of space (the no-break space of web pages,
    a line break between two numbers) as a space, the invisible format characters (the
    direction marks and isolates mail and chat programs wrap numbers in, zero-width
    spaces) left out, and the spaces around it trimmed."""
    if text.isascii() and text.isprintable():
        return text.strip()
    import unicodedata

    return "".join(" " if ch.isspace() else ch for ch in text
                   if unicodedata.category(ch) != L.FORMAT_CATEGORY).strip()


def _regions(region: object) -> tuple[str, ...]:
    """The ISO country codes among ``region`` (one, or several), upper-cased."""
    given: Iterable[object] = (region,) if isinstance(region, str) or region is None else (
        region if isinstance(region, (tuple, list)) else ())
    out = []
    for code in given:
        if isinstance(code, str) and len(code.strip()) == 2 and code.strip().isascii() and code.strip().isalpha():
            out.append(code.strip().upper())
    return tuple(out)


@lru_cache(maxsize=4096)
def _tel_uri(text: str, regions: tuple[str, ...]) -> str | None:
    """`call_link` of a checked text, once per text and regions (contacts share numbers)."""
    import phonenumbers
    from phonenumbers import PhoneNumberFormat

    number = _best_reading(text, regions)
    if number is None:
        return None
    uri: str = phonenumbers.format_number(number, PhoneNumberFormat.RFC3966)
    return uri if uri.startswith(L.TEL_SCHEME) and uri.isascii() else None


def _best_reading(text: str, regions: tuple[str, ...]) -> Any:
    """The number ``text`` dials (a phonenumbers PhoneNumber), None for none: the first
    valid national reading in ``regions``, else the first valid one of its other forms
    (`other_forms`), else the first possible national reading (with "+", the country is
    written: one reading)."""
    import phonenumbers

    national = regions[:1] if text.startswith("+") else regions
    fallback = None
    for region in national or (None,):
        number = _reading(text, region)
        if number is None:
            continue
        if phonenumbers.is_valid_number(number):
            return number
        fallback = fallback or number
    for other, region in other_forms(text, national):
        number = _reading(other, region)
        if number is not None and phonenumbers.is_valid_number(number):
            return number
    return fallback


class PhoneForm(NamedTuple):
    """Another way to read a phone's text: the text, and the region to read it in (None:
    it starts with "+")."""

    text: str
    region: str | None


def other_forms(text: str, regions: tuple[str, ...]) -> list[PhoneForm]:
    """The readings of a number that no country reads as typed, most likely first: "00"
    and the rest (the international prefix most of the world dials) as "+" and the rest;
    and for digits alone, as a number Excel stored reads (Excel takes a typed "+" for a
    plus sign and drops leading zeros), the digits after "+", then after each region's
    trunk prefix where that is zeros ("2079460958" of a London contact: 020 7946 0958)."""
    from phonenumbers import PhoneMetadata

    out = []
    if text.startswith(L.INTERNATIONAL_PREFIX):
        out.append(PhoneForm("+" + text[len(L.INTERNATIONAL_PREFIX):], None))
    if text.isdigit() and text.isascii():
        out.append(PhoneForm("+" + text, None))
        for region in regions:
            meta = PhoneMetadata.metadata_for_region(region)
            prefix = meta.national_prefix if meta is not None else None
            if prefix and not prefix.strip("0"):
                out.append(PhoneForm(prefix + text, region))
    return out


def _reading(text: str, region: str | None) -> Any:
    """The first number in ``text`` read in ``region`` (None: only with "+") that is a
    possible whole number, as a national number of ``region`` only if typed with its trunk
    prefix where one is written; None when there is none. The numbers inside the text come
    first (phonenumbers' matcher: a word after a number is no part of it), then the whole
    text (a form the matcher does not find)."""
    import phonenumbers
    from phonenumbers import Leniency, NumberParseException, PhoneNumberMatcher, ValidationResult

    found = PhoneNumberMatcher(text, region, leniency=Leniency.POSSIBLE, max_tries=L.MAX_PHONE_MATCHES)
    for raw in [*(match.raw_string for match in islice(found, L.MAX_PHONE_MATCHES)), text]:
        try:
            number = phonenumbers.parse(raw, region, keep_raw_input=True)
        except NumberParseException:
            continue
        if phonenumbers.is_possible_number_with_reason(number) != ValidationResult.IS_POSSIBLE:
            continue  # a local number needs its area code to be dialled from a link
        if not trunk_prefix_missing(number, raw, region):
            return number
    return None


def trunk_prefix_missing(number: Any, raw: str, region: str | None) -> bool:
    """Whether ``number`` (parsed from ``raw``) was read as a national number of
    ``region`` although typed without the region's national (trunk) prefix, where the
    region writes its numbers of that kind with it: "(617) 555-0100" is no German number
    (Germans write 0 before the area code), while American numbers are written without
    their trunk prefix 1 (phonenumbers' metadata: the national prefix, and the format's
    rule for writing it)."""
    from phonenumbers import CountryCodeSource, PhoneMetadata, national_significant_number, normalize_digits_only

    if region is None or number.country_code_source != CountryCodeSource.FROM_DEFAULT_COUNTRY:
        return False  # the country was written ("+", "00"): no national reading
    meta = PhoneMetadata.metadata_for_region(region)
    prefix = meta.national_prefix if meta is not None else None
    if not prefix or normalize_digits_only(raw).startswith(prefix):
        return False
    rule = _national_format(meta, national_significant_number(number))
    if rule is None:
        return True  # no format writes such a number: the region's numbers take the prefix
    written = rule.national_prefix_formatting_rule or ""
    return prefix in written.replace("\\1", "") and not rule.national_prefix_optional_when_formatting


def _national_format(meta: Any, national: str) -> Any:
    """The format phonenumbers writes ``national`` (a national significant number) in
    for the region of ``meta``: the first whose leading digits and pattern fit (a region
    without formats of its own, such as Canada, writes as the main country of its code)."""
    import re

    from phonenumbers import PhoneMetadata, region_code_for_country_code

    formats = meta.number_format
    if not formats:
        main = PhoneMetadata.metadata_for_region(region_code_for_country_code(meta.country_code))
        formats = main.number_format if main is not None else []
    for fmt in formats:
        leading = fmt.leading_digits_pattern
        if leading and not re.match(leading[-1], national):
            continue
        if re.fullmatch(fmt.pattern, national):
            return fmt
    return None


def call_tooltip(url: str, who: str = "") -> str:
    """The tooltip of a `tel:` link: "Call Jane Roe on +1 617 555 0100"."""
    number = url.removeprefix(L.TEL_SCHEME).replace(";ext=", " ext. ").replace("-", " ")
    return _fit_tooltip(L.CALL_TOOLTIP, who or number, number=number)


# --- Mail -------------------------------------------------------------------------------

def mail_link(address: object, script: object, limit: int = L.MAILTO_LIMIT) -> MailLink | None:
    """A `mailto:` link to ``address`` with the Email Script ``script`` as its message: the
    subject from a first line that starts "Subject:", the body from the rest (its leading
    blank lines left out), percent-encoded (RFC 6068: line breaks as %0D%0A). ``address``
    is an Email cell as people fill it (`mail_recipients`: one address or several, with
    names or without); None when it holds no address.

    When the whole link would be longer than ``limit`` characters, the body is cut at a
    character so that it fits, and ends with a note saying where the whole message is
    (`MailLink.cut`); a subject too long for any body is cut too."""
    to = mail_recipients(address)
    if not to:
        return None
    subject, body = split_script(script if isinstance(script, str) else "")
    head = L.MAILTO_SCHEME + L.RECIPIENT_SEPARATOR.join(_quote(one, safe="@") for one in to)
    whole = _mail_url(head, subject, body)
    if len(whole) <= limit:
        return MailLink(whole, False)
    note = L.CUT_NOTE
    if len(_mail_url(head, subject, note)) > limit:  # the subject alone leaves no room
        subject = _longest_prefix(subject, limit - len(_mail_url(head, "", note)) - len("subject=&"))
        body = ""
    else:
        room = limit - len(_mail_url(head, subject, L.LINE_BREAK * 2 + note))
        body = _longest_prefix(body, room).rstrip()
    cut_body = body + L.LINE_BREAK * 2 + note if body else note
    url = _mail_url(head, subject, cut_body)
    if len(url) > limit:  # a limit too small even for the note
        url = _mail_url(head, "", "")
    return MailLink(url, True) if len(url) <= limit else None


#: One bare address of the plainest kind (dot-separated atoms of letters, digits and
#: _%+- before the @, a dotted domain after it): `mail_recipients` reads it as itself.
_SIMPLE_ADDRESS = re.compile(r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")


def mail_recipients(address: object) -> tuple[str, ...]:
    """The plain addresses an Email cell holds, in its order: one ("jane@example.com",
    "mailto:" before it left out), one with a name as mail programs copy it ("Jane Roe
    <jane@example.com>", '"Roe, Jane" <jane@example.com>'), or several separated by
    commas or semicolons (Outlook's way). Empty when the cell holds anything that is not
    such an address (`plain_address`), or nothing."""
    if not isinstance(address, str) or len(address) > L.MAX_RECIPIENTS_TEXT:
        return ()
    text = address.strip()
    if text[:7].casefold() == L.MAILTO_SCHEME:
        text = text[7:]
    if not text or not text.isprintable():
        return ()
    if _SIMPLE_ADDRESS.fullmatch(text) and plain_address(text) == text:
        return (text,)  # the common cell: what the full parse below would find, without importing it
    from email.utils import getaddresses

    found = []
    for name, spec in getaddresses([_commas_between_addresses(text)]):
        if not name and not spec:
            continue  # nothing between two separators
        one = plain_address(spec)
        if one is None or one not in text:  # not an address, or not as typed (a space taken out of it)
            return ()
        found.append(one)
    return tuple(dict.fromkeys(found))


def _commas_between_addresses(text: str) -> str:
    """``text`` with each semicolon between addresses (outside quotes, brackets and
    comments) as a comma, the separator of RFC 5322's address lists."""
    if ";" not in text:
        return text
    out = []
    quoted, depth, escaped = False, 0, False
    for ch in text:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif not quoted and ch in "<(":
            depth += 1
        elif not quoted and ch in ">)":
            depth = max(0, depth - 1)
        elif ch == ";" and not quoted and not depth:
            ch = ","
        out.append(ch)
    return "".join(out)


def plain_address(address: object) -> str | None:
    """The one bare address ``address`` is ("mailto:" before it left out), None when it
    is no address, several, a name with one, a space, or a query of its own."""
    if not isinstance(address, str) or len(address) > L.MAX_ADDRESS * 2:
        return None
    text = address.strip()
    if text[:7].casefold() == L.MAILTO_SCHEME:
        text = text[7:]
    if not text or len(text) > L.MAX_ADDRESS or not text.isprintable() or text.count("@") != 1:
        return None
    if any(ch in L.NOT_IN_ADDRESS for ch in text):
        return None
    local, domain = text.split("@")
    if not local or not domain or domain.startswith(".") or domain.endswith(".") or "." not in domain:
        return None
    return text


def split_script(script: str) -> tuple[str, str]:
    """(subject, body) of an Email Script: the first line is the subject when it starts
    "Subject:" (any case), and the body is the rest without its leading blank lines; else
    no subject and the whole script is the body. Line breaks become CRLF; the control
    characters (which no message holds: NUL, escape...) are left out, and every other
    character is kept as it is (the joiners of emoji and of Persian words among them)."""
    text = _message_text(script)
    first, _, rest = text.partition("\n")
    if first.lstrip().casefold().startswith(L.SUBJECT_PREFIX):
        subject = first.lstrip()[len(L.SUBJECT_PREFIX):].strip()
        body = rest
    else:
        subject, body = "", text
    lines = body.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return subject, L.LINE_BREAK.join(line.rstrip("\r") for line in lines).rstrip()


def _message_text(text: str) -> str:
    """``text`` with its line breaks as LF and without the C0 and C1 control characters
    but the tab (`rules.links.CONTROL_CHARACTERS`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isprintable():
        return text
    return text.translate(_DROP_CONTROLS)


#: str.translate's table that leaves out the controls a message does not hold.
_DROP_CONTROLS = dict.fromkeys(ord(ch) for ch in L.CONTROL_CHARACTERS if ch not in L.KEPT_CONTROLS)


def _quote(text: str, safe: str = "") -> str:
    """``text`` percent-encoded as UTF-8 (text that cannot be encoded: "?")."""
    from urllib.parse import quote

    return quote(text, safe=safe, errors="replace")


def _mail_url(head: str, subject: str, body: str) -> str:
    query = [f"subject={_quote(subject)}"] if subject else []
    query += [f"body={_quote(body)}"] if body else []
    return head + ("?" + "&".join(query) if query else "")


def _longest_prefix(text: str, room: int) -> str:
    """The longest start of ``text`` that takes at most ``room`` characters once
    percent-encoded, cut at a character, never inside a CRLF."""
    used = 0
    end = 0
    for ch in text:
        size = 1 if ch in L.UNRESERVED else 3 * len(ch.encode("utf-8", "replace"))
        if used + size > room:
            break
        used += size
        end += 1
    cut = text[:end]
    return cut[:-1] if cut.endswith("\r") else cut


def mail_tooltip(link: MailLink, who: str = "") -> str:
    """The tooltip of a `mailto:` link: who it goes to, and whether its message is cut."""
    if not who:
        address = link.url.removeprefix(L.MAILTO_SCHEME).split("?")[0]
        from urllib.parse import unquote

        who = unquote(address)
    return _fit_tooltip(L.MAIL_CUT_TOOLTIP if link.cut else L.MAIL_TOOLTIP, who)


def _fit_tooltip(template: str, who: str, **values: str) -> str:
    """``template`` filled in, the name in it shortened with "..." so that the whole fits
    Excel's tooltip (`TOOLTIP_LIMIT`)."""
    who = " ".join(who.split()) if who.isprintable() else " ".join("".join(
        ch for ch in who if ch.isprintable()).split())
    text = template.format(who=who, **values)
    if len(text) <= L.TOOLTIP_LIMIT:
        return text
    room = max(0, L.TOOLTIP_LIMIT - (len(text) - len(who)) - 1)
    return template.format(who=who[:room] + "\u2026", **values)[:L.TOOLTIP_LIMIT]


def is_our_link(url: object, tooltip: object) -> bool:
    """Whether a hyperlink is one a refresh wrote: a `tel:` or `mailto:` target whose
    tooltip has the form of ours for it (`rules.links.OUR_TOOLTIPS`, any name, number or
    address in it), as Excel keeps it when it saves. Any other link, a `tel:` link with a
    tooltip of the user's own or none among them, is the user's."""
    if not isinstance(url, str) or not isinstance(tooltip, str) or len(tooltip) > L.TOOLTIP_LIMIT:
        return False
    scheme = url[:7].lower()
    for prefix, pattern in _tooltip_patterns():
        if scheme.startswith(prefix):
            return pattern.fullmatch(tooltip) is not None
    return False


@lru_cache(maxsize=1)
def _tooltip_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each scheme of ours and the pattern its tooltips match: the templates' words as
    they are, anything in place of each field."""
    from string import Formatter

    out = []
    for scheme, templates in L.OUR_TOOLTIPS.items():
        forms = []
        for template in templates:
            pieces = [re.escape(literal) + (".*" if name is not None else "")
                      for literal, name, _, _ in Formatter().parse(template)]
            forms.append("(?:" + "".join(pieces) + ")")
        out.append((scheme, re.compile("|".join(forms), re.S)))
    return tuple(out)


# --- A row's links ------------------------------------------------------------------------

class RowLinks(NamedTuple):
    """The links of one Interviews row's follow-ups: its call's and its email's (where
    they go in the sheet: `linked_cells`)."""

    call: CellLink | None
    mail: CellLink | None


def row_links(items: Iterable[FollowUp], regions: tuple[str, ...]) -> RowLinks:
    """The links of a row's follow-ups (`core.events.row_follow_ups`): its call's `tel:`
    link to the contact's phone, read in ``regions`` (`phone_regions`), and its email's
    `mailto:` link with the script as the message. None where there is no such
    follow-up, or no usable number or address."""
    call = mail = None
    for item in items:
        if item.kind == CALL and call is None:
            url = call_link(item.phone, regions)
            call = CellLink(url, call_tooltip(url, item.contact)) if url else None
        elif item.kind == EMAIL and mail is None:
            link = mail_link(item.email, item.script)
            mail = CellLink(link.url, mail_tooltip(link, item.contact)) if link else None
    return RowLinks(call, mail)


class LinkedCell(NamedTuple):
    """An owned column that may hold a link, and the link a row wants there (None: none)."""

    header: str
    link: CellLink | None


def linked_cells(res: RowResult) -> tuple[LinkedCell, LinkedCell]:
    """The links a planned row wants in its owned cells: the call's on `CALL_LINK_COLUMN`
    (Next Call), the email's on `MAIL_LINK_COLUMN` (Flag); both adapters write these. A
    cell left blank gets no link: there is nothing to click, and a reader such as
    openpyxl would show the link's address as the cell's value."""
    cells = res.cells()

    def on(header: str, link: CellLink | None) -> LinkedCell:
        return LinkedCell(header, link if cells.get(header) not in (None, "") else None)

    return on(L.CALL_LINK_COLUMN, res.call_link), on(L.MAIL_LINK_COLUMN, res.mail_link)
