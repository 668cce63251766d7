"""One click from the plan to the call or the email: a contact's phone as a `tel:` link
(RFC 3966) and an email due as a `mailto:` link (RFC 6068) whose subject and body come
from the Email Script, each with the tooltip Excel shows over it.

Pure: text in, text out. Every function here takes any value a cell can hold (None,
numbers, dates, text of any length, control characters) and answers None for what is
no phone number or no address, never an exception. The rules are in `core.rules.links`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

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
    read in, or several, most likely first (`phone_regions`): the first country where the
    number is a valid one wins, else the first where it is a possible one."""
    text = _phone_text(phone)
    if text is None:
        return None
    return _tel_uri(text, _regions(region))


def phone_regions(country: object, zone_country: object, home: object) -> tuple[str, ...]:
    """Where to read a contact's number written without "+", most likely first: their
    Country cell, the country of their time zone, the user's own country."""
    return tuple(dict.fromkeys(_regions((country, zone_country, home))))


def _phone_text(phone: object) -> str | None:
    """The text of a Phone cell to parse, None when it cannot be a phone number."""
    if isinstance(phone, bool):
        return None
    if isinstance(phone, int):
        text = str(phone) if 0 < phone < 10**MAX_PHONE_DIGITS else ""
    elif isinstance(phone, float):
        text = str(int(phone)) if phone.is_integer() and 0 < phone < 10**MAX_PHONE_DIGITS else ""
    elif isinstance(phone, str):
        text = phone.strip() if len(phone) <= L.MAX_PHONE_TEXT * 2 else ""
    else:
        return None
    if not text or len(text) > L.MAX_PHONE_TEXT or not text.isprintable():
        return None
    return text


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
    from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

    possible = None
    candidates = regions[:1] if text.startswith("+") else regions  # its country written: one reading
    for region in candidates or (None,):
        try:
            number = phonenumbers.parse(text, region)
        except NumberParseException:
            continue
        if phonenumbers.is_possible_number_with_reason(number) != ValidationResult.IS_POSSIBLE:
            continue  # a local number needs its area code to be dialled from a link
        if len(candidates) <= 1 or phonenumbers.is_valid_number(number):
            possible = number  # (with one reading, whether it is valid changes nothing)
            break
        possible = possible or number
    if possible is None:
        return None
    uri: str = phonenumbers.format_number(possible, PhoneNumberFormat.RFC3966)
    return uri if uri.startswith(L.TEL_SCHEME) and uri.isascii() else None


def call_tooltip(url: str, who: str = "") -> str:
    """The tooltip of a `tel:` link: "Call Jane Roe on +1 617 555 0100"."""
    number = url.removeprefix(L.TEL_SCHEME).replace(";ext=", " ext. ").replace("-", " ")
    return _fit_tooltip(L.CALL_TOOLTIP, who or number, number=number)


# --- Mail -------------------------------------------------------------------------------

def mail_link(address: object, script: object, limit: int = L.MAILTO_LIMIT) -> MailLink | None:
    """A `mailto:` link to ``address`` with the Email Script ``script`` as its message: the
    subject from a first line that starts "Subject:", the body from the rest (its leading
    blank lines left out), percent-encoded (RFC 6068: line breaks as %0D%0A). None when
    ``address`` is not one plain address (`plain_address`).

    When the whole link would be longer than ``limit`` characters, the body is cut at a
    character so that it fits, and ends with a note saying where the whole message is
    (`MailLink.cut`); a subject too long for any body is cut too."""
    to = plain_address(address)
    if to is None:
        return None
    subject, body = split_script(script if isinstance(script, str) else "")
    head = L.MAILTO_SCHEME + _quote(to, safe="@")
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


def plain_address(address: object) -> str | None:
    """The one address an Email cell holds ("mailto:" before it left out), None when it
    holds no address, several, a name with it, a space, or a query of its own."""
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
    no subject and the whole script is the body. Line breaks become CRLF, and control
    characters (which no message holds) are left out."""
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
    """``text`` with its line breaks as LF and without control characters but the tab."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isprintable():
        return text
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")


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
