"""The links of the plan (`core.links`): a contact's phone as a `tel:` URI (RFC 3966), an
email due as a `mailto:` URI (RFC 6068) with its subject and body, cut with a note when
it would be too long, and the tooltips; any cell value is answered, never raised on."""

from __future__ import annotations

import random
import re
from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from workbook_tools import contract as C
from workbook_tools.core.events import CALL, EMAIL, FollowUp
from workbook_tools.core.layout import WRAPPED_HEADERS
from workbook_tools.core.links import (
    MailLink,
    call_link,
    call_tooltip,
    is_our_link,
    linked_cells,
    mail_link,
    mail_recipients,
    mail_tooltip,
    phone_regions,
    plain_address,
    row_links,
    split_script,
)
from workbook_tools.core.model import CellLink, RowResult
from workbook_tools.core.rules import links as L

HOSTILE = [None, "", " ", "\x00", "\x00" * 10, "x" * 100_000, "../../etc/passwd", "C:\\Windows\\System32",
           0, -1, 1.5, float("nan"), float("inf"), True, False, date(2013, 9, 27), datetime(2013, 9, 27, 8, 5),
           b"617 555 0100", ["617 555 0100"], {"phone": 1}, "\u202e0010 555 716", "=HYPERLINK(\"x\")", "\ud800",
           "+" * 300, "tel:+1-617-555-0100"]


@pytest.mark.parametrize("phone, region, url", [
    ("(617) 555-0100", "US", "tel:+1-617-555-0100"),
    ("617.555.0100", "US", "tel:+1-617-555-0100"),
    ("1-617-555-0100", "US", "tel:+1-617-555-0100"),
    ("  617 555 0100  ", "us", "tel:+1-617-555-0100"),  # spaces around, a region in lower case
    ("+1 617 555 0100", None, "tel:+1-617-555-0100"),  # the country written: no region needed
    ("+1 617 555 0100", 42, "tel:+1-617-555-0100"),  # a region that is not text: ignored
    ("(617) 555-0100 ext. 12", "US", "tel:+1-617-555-0100;ext=12"),
    ("617-555-0100 x12", "US", "tel:+1-617-555-0100;ext=12"),
    ("+44 20 7946 0321", "US", "tel:+44-20-7946-0321"),  # "+": the region does not matter
    ("020 7946 0321", "GB", "tel:+44-20-7946-0321"),
    ("030 1234567", "DE", "tel:+49-30-1234567"),
    ("06 12 34 56 78", "FR", "tel:+33-6-12-34-56-78"),
    ("03-1234-5678", "JP", "tel:+81-3-1234-5678"),
    ("(02) 9374 4000", "AU", "tel:+61-2-9374-4000"),
    ("+91 98765 43210", None, "tel:+91-98765-43210"),
    # A US number of a contact in Stockholm: not a Swedish number, a valid American one.
    ("(978) 555-0113", ("SE", "US"), "tel:+1-978-555-0113"),
    # Swedish numbers are written with their trunk 0: without it, this is no Swedish number.
    ("(978) 555-0113", ["SE"], None),
    (6175550100, "US", "tel:+1-617-555-0100"),  # typed as a number
    (6175550100.0, "US", "tel:+1-617-555-0100"),
    ("555-0100", "US", None),  # a local number: no area code to dial from a link
    ("12", "US", None),
    ("617 555 0100", None, None),  # no "+" and no region
    ("617 555 0100", "XX", None),  # a region phonenumbers does not know
    ("617 555 0100", "USA", None),  # not an ISO code
    ("not a phone", "US", None),
    ("617\x00555\x000100", "US", None),  # control characters: no number
    ("617 555 0100\n", "US", "tel:+1-617-555-0100"),  # a line break typed after it is only space
    ("617 555 0100" * 10_000, "US", None),
    (6175550100.5, "US", None),
    (-6175550100, "US", None),
    (10**30, "US", None),
])
def test_call_link(phone, region, url):
    assert call_link(phone, region) == url


NBSP = "\u00a0"


@pytest.mark.parametrize("phone, region, url", [
    # A national number only with the trunk prefix its country writes (phonenumbers' metadata).
    ("(617) 555-0100", ("DE", "US"), "tel:+1-617-555-0100"),  # no 0: not German, so American
    ("(617) 555-0100", "DE", None),
    ("030 1234567", ("DE", "US"), "tel:+49-30-1234567"),
    ("0049 30 1234567", "DE", "tel:+49-30-1234567"),  # 00 is Germany's own international prefix
    ("(416) 555-0199", "CA", "tel:+1-416-555-0199"),  # North America writes no trunk 1
    ("1 416 555 0199", "CA", "tel:+1-416-555-0199"),
    ("495 123-45-67", "RU", "tel:+7-495-123-45-67"),  # Russia's 8 is optional there
    ("8 495 123-45-67", "RU", "tel:+7-495-123-45-67"),
    ("6 12 34 56 78", "FR", None),  # French numbers take their 0
    ("2 9374 4000", "AU", None),
    # Pasted from a web page, a mail or a chat: spaces of every kind, invisible marks.
    ("+1" + NBSP + "617" + NBSP + "555" + NBSP + "0100", "US", "tel:+1-617-555-0100"),
    ("\u202a+1 617 555 0100\u202c", "US", "tel:+1-617-555-0100"),  # direction embedding
    ("\u2066+44 20 7946 0958\u2069", None, "tel:+44-20-7946-0958"),  # an isolate
    ("\ufeff617\u200b555\u200b0100", "US", "tel:+1-617-555-0100"),  # a byte-order mark, zero-width spaces
    ("617\u2009555\u20090100", "US", "tel:+1-617-555-0100"),  # thin spaces
    # The first number in the text.
    ("617-555-0100 (cell)", "US", "tel:+1-617-555-0100"),
    ("030 1234567 (Zentrale)", "DE", "tel:+49-30-1234567"),  # the word is not read as digits
    ("(617) 555-0100 / mobile 617-555-0199", "US", "tel:+1-617-555-0100"),
    ("617-555-0100\n617-555-0199", "US", "tel:+1-617-555-0100"),  # two lines (Alt+Enter)
    ("Mobile: 617-555-0100, office 617-555-0199 x4", "US", "tel:+1-617-555-0100"),
    ("555-0100 or 617-555-0199", "US", "tel:+1-617-555-0199"),  # the first that can be dialled
    # A number Excel stored as a number (a typed "+" taken for a plus sign).
    (442079460958.0, "US", "tel:+44-20-7946-0958"),
    (442079460958, ("DE", "US"), "tel:+44-20-7946-0958"),
    (4930123456, None, "tel:+49-30-123456"),
    ("442079460958", "US", "tel:+44-20-7946-0958"),  # the same digits read from a number cell as text
    # ... and one whose leading 0 Excel dropped (typed 020 7946 0958, 030 1234567).
    (2079460958, "GB", "tel:+44-20-7946-0958"),
    (301234567.0, "DE", "tel:+49-30-1234567"),
    (6175550100, ("DE", "US"), "tel:+1-617-555-0100"),  # American as it is: read so before any 0 is put back
    # "00": the international prefix most of the world dials.
    ("0049 30 1234567", "US", "tel:+49-30-1234567"),
    ("0049 30 1234567", None, "tel:+49-30-1234567"),
    ("0049 30 1234567", "GB", "tel:+49-30-1234567"),
    ("00 1 617 555 0100", "US", "tel:+1-617-555-0100"),
    ("0000", "US", None),
])
def test_call_link_reads_numbers_as_people_type_and_paste_them(phone, region, url):
    assert call_link(phone, region) == url


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("region", ["US", None, ("SE", "US"), "\x00", 7, "x" * 100_000])
def test_call_link_answers_any_value(value, region):
    url = call_link(value, region)
    assert url is None or (url.startswith(L.TEL_SCHEME) and url.isascii() and url.isprintable())


@pytest.mark.parametrize("country, zone_country, home, regions", [
    ("de", "DE", "US", ("DE", "US")),
    ("", "SE", "US", ("SE", "US")),
    (None, None, "GB", ("GB",)),
    ("Germany", None, "US", ("US",)),  # not a code: left out
    (None, None, None, ()),
    (42, date(2013, 9, 27), "us", ("US",)),
])
def test_phone_regions(country, zone_country, home, regions):
    assert phone_regions(country, zone_country, home) == regions


# --- Mail links --------------------------------------------------------------------------

SCRIPT = "Subject: Thank you for the Analyst interview\n\nHello Jane,\n\nThanks & more? 100%\n\nSam"


@pytest.mark.parametrize("address, script, url", [
    ("jane@example.com", SCRIPT,
     "mailto:jane@example.com?subject=Thank%20you%20for%20the%20Analyst%20interview"
     "&body=Hello%20Jane%2C%0D%0A%0D%0AThanks%20%26%20more%3F%20100%25%0D%0A%0D%0ASam"),
    ("jane@example.com", "Hello Jane,\nsee you", "mailto:jane@example.com?body=Hello%20Jane%2C%0D%0Asee%20you"),
    ("jane@example.com", "subject:   Hi  \n\n\n  \nBody", "mailto:jane@example.com?subject=Hi&body=Body"),
    ("jane@example.com", "Subject: Hi", "mailto:jane@example.com?subject=Hi"),
    ("jane@example.com", "Subject: Hi\r\nA\rB", "mailto:jane@example.com?subject=Hi&body=A%0D%0AB"),
    ("jane@example.com", "", "mailto:jane@example.com"),
    ("jane@example.com", None, "mailto:jane@example.com"),
    ("jane@example.com", 42, "mailto:jane@example.com"),
    ("  mailto:Jane.Roe+jobs@example.co.uk ", "x", "mailto:Jane.Roe%2Bjobs@example.co.uk?body=x"),
    ("jane@example.com", "Subject: Caf\u00e9 #1\n\n\u00e9t\u00e9 \U0001F600",
     "mailto:jane@example.com?subject=Caf%C3%A9%20%231&body=%C3%A9t%C3%A9%20%F0%9F%98%80"),
    ("jane@example.com", "Subject: A\x00B\n\nC\x1b[2JD\tE", "mailto:jane@example.com?subject=AB&body=C%5B2JD%09E"),
    ("jane@example.com", "x\x85y\x7fz\x9f", "mailto:jane@example.com?body=xyz"),  # C1 controls and DEL: out
    # Every other character stays: the joiners of emoji and Persian words, no-break spaces, marks.
    ("jane@example.com", "Subject: \U0001F469\u200d\U0001F4BB\n\n\u0645\u06cc\u200c\u062e\u00a0\u200f!",
     "mailto:jane@example.com?subject=%F0%9F%91%A9%E2%80%8D%F0%9F%92%BB"
     "&body=%D9%85%DB%8C%E2%80%8C%D8%AE%C2%A0%E2%80%8F%21"),
    ("jane@example.com", "a\u2028b", "mailto:jane@example.com?body=a%E2%80%A8b"),
])
def test_mail_link(address, script, url):
    assert mail_link(address, script) == MailLink(url, False)


@pytest.mark.parametrize("address", [
    "jane@example.com?cc=boss@example.com", "jane@example.com&body=x", "jane @example.com", "jane@example.com\nBcc: x",
    "jane@", "@example.com", "jane at example.com", "jane@example", "jane@.example.com", "jane@example.com.",
    "a@b@example.com", "a\x00b@example.com", "x" * 100_000 + "@example.com", "x" * 250 + "@example.com", "",
    None, 42, True, date(2013, 9, 27), "mailto:", "../../etc/passwd",
])
def test_what_is_not_one_plain_address_gets_no_link(address):
    assert plain_address(address) is None
    assert mail_recipients(address) == ()
    assert mail_link(address, SCRIPT) is None


@pytest.mark.parametrize("address, recipients", [
    ("jane@example.com", ("jane@example.com",)),
    ("Jane Roe <jane@example.com>", ("jane@example.com",)),  # as mail programs copy it
    ('"Roe, Jane" <jane@example.com>', ("jane@example.com",)),  # a quoted name with a comma
    ('"Roe; Jane" <jane@example.com>', ("jane@example.com",)),
    ("<jane@example.com>", ("jane@example.com",)),
    ("jane@example.com (work)", ("jane@example.com",)),  # a comment after it
    ("mailto:Jane Roe <jane@example.com>", ("jane@example.com",)),
    ("a@example.com, b@example.com", ("a@example.com", "b@example.com")),
    ("a@example.com;b@example.com", ("a@example.com", "b@example.com")),  # Outlook's separator
    ("Ann <a@example.com>; \"Roe, Bo\" <b@example.com>;", ("a@example.com", "b@example.com")),
    ("a@example.com, a@example.com", ("a@example.com",)),  # once each
    # Anything in the cell that is not an address: no link rather than a guess.
    ("a@example.com, ask reception", ()),
    ("Jane Roe <jane@example>", ()),
    ("jane @example.com", ()),  # not as typed once the space is taken out
    ("Jane <jane@example.com?cc=x@example.com>", ()),
    ('"unclosed <jane@example.com>', ()),
    ("Jane Roe <jane@example.com>\nBcc: x@example.com", ()),
    ("a@example.com, " * 400, ()),  # longer than any link could hold
    (",;", ()),
])
def test_mail_recipients(address, recipients):
    assert mail_recipients(address) == recipients
    link = mail_link(address, "Hi")
    if recipients:
        assert link is not None and link.url == "mailto:" + ",".join(recipients) + "?body=Hi"
    else:
        assert link is None


@pytest.mark.parametrize("script, subject, body", [
    (SCRIPT, "Thank you for the Analyst interview", "Hello Jane,\r\n\r\nThanks & more? 100%\r\n\r\nSam"),
    ("No subject line\nat all", "", "No subject line\r\nat all"),
    ("  SUBJECT: Shouting\n\n\nBody  \n\n", "Shouting", "Body"),
    ("Subjects: not one\nBody", "", "Subjects: not one\r\nBody"),
    ("", "", ""),
])
def test_split_script(script, subject, body):
    assert split_script(script) == (subject, body)


def _parts(url: str) -> tuple[str, str]:
    """(subject, body) a mail client reads from a mailto URL."""
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    return (query.get("subject", [""])[0], query.get("body", [""])[0])


@pytest.mark.parametrize("body_text", [
    "word " * 2000,
    "\u00e9" * 3000,  # two bytes each: six characters once encoded
    "\U0001F600" * 1000,  # four bytes each
    "line\n" * 1000,  # a cut must not split a CRLF
    "x" * 100_000,
])
@pytest.mark.parametrize("limit", [L.MAILTO_LIMIT, 500, 333, 256])
def test_a_long_message_is_cut_to_fit_with_a_note(body_text, limit):
    link = mail_link("jane@example.com", "Subject: Hi\n\n" + body_text, limit)
    assert link is not None and link.cut and len(link.url) <= limit
    subject, body = _parts(link.url)  # decodes as UTF-8: no character was cut in half
    assert subject == "Hi" and body.endswith(L.CUT_NOTE)
    kept = body.removesuffix(L.CUT_NOTE).removesuffix(L.LINE_BREAK * 2)
    whole = body_text.replace("\n", L.LINE_BREAK)
    assert whole.startswith(kept) and "\r" not in kept.replace(L.LINE_BREAK, "")
    assert len(link.url) > limit - 20  # as much of the message as fits


def test_a_subject_too_long_for_any_body_is_cut_too():
    link = mail_link("jane@example.com", "Subject: " + "\u00e9" * 5000 + "\n\nBody")
    assert link is not None and link.cut and len(link.url) <= L.MAILTO_LIMIT
    subject, body = _parts(link.url)
    assert subject and set(subject) == {"\u00e9"} and body == L.CUT_NOTE


@pytest.mark.parametrize("limit, url", [
    (60, "mailto:jane@example.com"),  # room for the address, not for the note
    (10, None),  # not even for the address
])
def test_a_limit_too_small_for_the_note(limit, url):
    link = mail_link("jane@example.com", "Subject: Hi\n\n" + "x" * 500, limit)
    assert (link.url if link else None) == url and (link is None or link.cut)


def test_the_limit_stays_under_what_excel_and_mail_clients_take():
    assert L.MAILTO_LIMIT < L.EXCEL_URL_LIMIT.characters < L.CLIENT_URL_LIMIT.characters
    assert {L.CALL_LINK_COLUMN, L.MAIL_LINK_COLUMN} <= set(C.OWNED_COLUMNS)


@pytest.mark.parametrize("value", HOSTILE)
def test_mail_link_answers_any_value(value):
    for link in (mail_link(value, SCRIPT), mail_link("jane@example.com", value), mail_link(value, value)):
        assert link is None or (link.url.startswith(L.MAILTO_SCHEME) and link.url.isascii()
                                and link.url.isprintable() and len(link.url) <= L.MAILTO_LIMIT)


# --- Tooltips and a row's links -------------------------------------------------------------

@pytest.mark.parametrize("url, who, tooltip", [
    ("tel:+1-617-555-0100", "Jane Roe", "Call Jane Roe on +1 617 555 0100"),
    ("tel:+1-617-555-0100;ext=12", "", "Call +1 617 555 0100 ext. 12 on +1 617 555 0100 ext. 12"),
    ("tel:+44-20-7946-0321", "Ms\x00 Jane\n Roe", "Call Ms Jane Roe on +44 20 7946 0321"),
])
def test_call_tooltip(url, who, tooltip):
    assert call_tooltip(url, who) == tooltip


@pytest.mark.parametrize("who", ["Jane Roe", "", "J" * 100_000, "\u00e9" * 300])
@pytest.mark.parametrize("cut", [False, True])
def test_tooltips_fit_excel(who, cut):
    tip = mail_tooltip(MailLink("mailto:jane%2Bx@example.com?body=x", cut), who)
    assert len(tip) <= L.TOOLTIP_LIMIT and tip.startswith("Email ")
    assert ("cut" in tip) is cut
    assert (who or "jane+x@example.com")[:20] in tip
    assert len(call_tooltip("tel:+1-617-555-0100", who)) <= L.TOOLTIP_LIMIT


@pytest.mark.parametrize("url, tooltip, ours", [
    ("tel:+1-617-555-0100", "Call Jane Roe on +1 617 555 0100", True),
    ("TEL:+1-617-555-0100", "Call Jane Roe on +1 617 555 0100", True),
    ("tel:+1-617-555-0100", "Call " + "J" * 100 + "\u2026 on +1 617 555 0100", True),  # a name cut to fit
    ("mailto:jane@example.com?body=x", "Email Jane Roe: opens your mail app with the Email Script ready to send", True),
    ("mailto:jane@example.com?body=x", mail_tooltip(MailLink("mailto:jane@example.com", True), "Jane"), True),
    # The user's: their own tooltip, none, another scheme, our words on the other scheme.
    ("tel:+1-617-555-0142", "Recruiter, direct line", False),
    ("tel:+1-617-555-0142", "", False),
    ("tel:+1-617-555-0142", None, False),
    ("mailto:hr@example.com", "Call HR on Monday", False),
    ("tel:+1-617-555-0100", "Email Jane Roe: opens your mail app with the Email Script ready to send", False),
    ("https://example.com", "Call Jane Roe on +1 617 555 0100", False),
    ("tel:+1", "Call Jane Roe on +1 617 555 0100 and more" + "x" * 300, False),  # longer than Excel keeps
    (None, "Call x on y", False),
    (42, 42, False),
])
def test_is_our_link(url, tooltip, ours):
    assert is_our_link(url, tooltip) is ours


def _follow_up(kind: str, phone: str = "", email: str = "", script: str = "Hello") -> FollowUp:
    return FollowUp(kind, 2, None, C.DUE_TODAY, "Acme", "Analyst", "Jane Roe", phone, email, "", "", "", script, None)


@pytest.mark.parametrize("items, call, mail", [
    ([], None, None),
    ([_follow_up(CALL, phone="(617) 555-0100")], "tel:+1-617-555-0100", None),
    ([_follow_up(CALL, phone="555-0100")], None, None),  # no whole number: no link
    ([_follow_up(EMAIL, email="jane@example.com", script="Subject: Hi\n\nThanks"),
      _follow_up(CALL, phone="+44 20 7946 0321", email="jane@example.com")],
     "tel:+44-20-7946-0321", "mailto:jane@example.com?subject=Hi&body=Thanks"),
    ([_follow_up(EMAIL, phone="(617) 555-0100", email="not an address")], None, None),  # an email: no call link
])
def test_row_links(items, call, mail):
    links = row_links(items, ("US",))
    assert (links.call.url if links.call else None) == call
    assert (links.mail.url if links.mail else None) == mail
    for link in links:
        assert link is None or (isinstance(link, CellLink) and "Jane Roe" in link.tooltip)


# --- Where a row's links go in the sheet ---------------------------------------------------

CALL = CellLink("tel:+1-617-555-0100", "Call Jane Roe on +1 617 555 0100")
MAIL = CellLink("mailto:jane@example.com?subject=Hi", "Email Jane Roe: opens your mail app")


def test_the_links_sit_on_short_cells_that_do_not_wrap():
    """LibreOffice shows a linked text cell as one field that never wraps: the links are
    on Next Call (a date) and Flag (a word), never on a wrapped cell such as a script."""
    assert (L.CALL_LINK_COLUMN, L.MAIL_LINK_COLUMN) == (C.NEXT_CALL, "Flag")
    assert not {L.CALL_LINK_COLUMN, L.MAIL_LINK_COLUMN} & set(WRAPPED_HEADERS)
    assert L.CALL_LINK_COLUMN in C.OWNED_DATE_COLUMNS


@pytest.mark.parametrize("cells, call, mail", [
    # An open row: the call's link on its Next Call date, the email's on its flag.
    ({"next_call": date(2013, 10, 2), "flag": C.UPCOMING, "call_link": CALL, "mail_link": MAIL}, CALL, MAIL),
    ({"next_call": date(2013, 10, 2), "flag": C.DUE_TODAY, "call_link": CALL}, CALL, None),
    ({"next_call": date(2013, 10, 2), "flag": C.OVERDUE, "mail_link": MAIL}, None, MAIL),
    # A closed row's last call has no Next Call date: nothing to click, so no link there.
    ({"next_call": None, "flag": C.FLAG_CLOSED, "call_link": CALL, "mail_link": MAIL}, None, MAIL),
    ({"flag": C.FLAG_CLOSED, "call_link": CALL}, None, None),
    # Blank cells (an empty text too) get none, whatever the row's links.
    ({"next_call": None, "flag": "", "call_link": CALL, "mail_link": MAIL}, None, None),
    ({"next_call": None, "flag": None, "call_link": CALL, "mail_link": MAIL}, None, None),
    # A Next Call the user typed over with text is kept (and reported): it is no blank.
    ({"next_call": "call Tuesday", "flag": C.DUE_TODAY, "call_link": CALL}, CALL, None),
    ({"next_call": date(2013, 10, 2), "flag": C.UPCOMING}, None, None),
])
def test_linked_cells(cells, call, mail):
    res = RowResult(2, **cells)
    assert linked_cells(res) == (("Next Call", call), ("Flag", mail))
    assert [cell.header for cell in linked_cells(res)] == [L.CALL_LINK_COLUMN, L.MAIL_LINK_COLUMN]
    assert (res.call_link, res.mail_link) == (cells.get("call_link"), cells.get("mail_link"))  # the row keeps both


def _recipients_by_full_parse(text: str) -> tuple[str, ...]:
    """`mail_recipients` with its shortcut for a plain address turned off."""
    import workbook_tools.core.links as links_module

    saved = links_module._SIMPLE_ADDRESS
    links_module._SIMPLE_ADDRESS = re.compile(r"(?!)")  # matches nothing
    try:
        return mail_recipients(text)
    finally:
        links_module._SIMPLE_ADDRESS = saved


@pytest.mark.parametrize("text", [
    "jane@example.com", "j.roe+jobs@mail.example.co.uk", "a_b%c-d@x-y.org", "JANE@EXAMPLE.COM",
    "jane.@example.com", ".jane@example.com", "ja..ne@example.com", "jane@example", "jane@-example.com",
    "jane@example..com", "1@2.3", "x" * 64 + "@" + "d" * 63 + ".com", "x" * 250 + "@e.com",
])
def test_a_plain_address_reads_as_the_full_parse_reads_it(text: str) -> None:
    assert mail_recipients(text) == _recipients_by_full_parse(text)


def test_random_plain_looking_addresses_read_as_the_full_parse_reads_them() -> None:
    rng = random.Random(16)
    alphabet = "ab9_%+-.@"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        assert mail_recipients(text) == _recipients_by_full_parse(text), text
