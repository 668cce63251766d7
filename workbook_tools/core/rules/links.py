"""The rules of the tracker's links: a contact's phone as a `tel:` link and an email due
as a `mailto:` link with the message filled in (`core.links`). Each rule names its source.
"""

from __future__ import annotations

from typing import NamedTuple

#: Issue 15: the owned column whose cell links to the call (the contact's phone), and the
#: one whose cell links to the email due (PRODUCT.md names both among the owned columns).
#: ours: short cells, a date and a word. LibreOffice turns a linked text cell into one
#: field that never wraps (its xlsx importer, WorksheetGlobals::insertHyperlink), so a
#: link on a script would print it as one long line over the cells beside it.
CALL_LINK_COLUMN = "Next Call"
MAIL_LINK_COLUMN = "Flag"
#: RFC 3966: the scheme of a telephone number as a link ("tel:+1-617-555-0100;ext=12").
TEL_SCHEME = "tel:"
#: RFC 6068: the scheme of a mail link ("mailto:jane@example.com?subject=...&body=...").
MAILTO_SCHEME = "mailto:"


class UrlLimit(NamedTuple):
    """A limit on the length of a link, in characters, and who sets it."""

    characters: int
    source: str


#: The longest hyperlink address Excel accepts in a cell (XlsxWriter's max_url_length).
EXCEL_URL_LIMIT = UrlLimit(2079, "Excel, as XlsxWriter's max_url_length gives it")
#: The longest link some mail clients and older browsers open (Internet Explorer's 2,083).
CLIENT_URL_LIMIT = UrlLimit(2083, "older browsers and mail clients (Internet Explorer's limit)")
#: ours: a mail link is kept under both limits above, with room to spare.
MAILTO_LIMIT = 2000
#: Excel: a hyperlink's tooltip (its ScreenTip) holds at most 255 characters.
TOOLTIP_LIMIT = 255
#: RFC 5321 4.5.3.1.3: a path holds at most 256 octets with its angle brackets, so an
#: address at most 254 characters.
MAX_ADDRESS = 254
#: phonenumbers: the longest text it parses (its MAX_INPUT_STRING_LENGTH).
MAX_PHONE_TEXT = 250
#: ours: the numbers looked at inside a Phone cell's text (the first that can be dialled wins;
#: phonenumbers' matcher tries at most this many candidates too).
MAX_PHONE_MATCHES = 10
#: Unicode: the category of the invisible format characters (direction marks and isolates
#: such as U+202A..U+202E and U+2066..U+2069, zero-width spaces, the byte-order mark) that
#: mail and chat programs put around a number they show; left out of a phone before reading it.
FORMAT_CATEGORY = "Cf"
#: ITU-T Recommendation E.164 (the international prefix it recommends, which most countries
#: dial): "0049 30 ..." is +49 30 ... when no country the number is read in says otherwise.
INTERNATIONAL_PREFIX = "00"
#: RFC 6068 section 2: several addresses in a mailto URI are separated by commas.
RECIPIENT_SEPARATOR = ","
#: ours: the longest Email cell read for addresses (a longer one could not fit a link anyway).
MAX_RECIPIENTS_TEXT = MAILTO_LIMIT
#: ours (the default Email Scripts, `core.rules.texts`): a script whose first line starts
#: so has its subject on that line; the rest is the body.
SUBJECT_PREFIX = "subject:"
#: RFC 6068 section 5: a line break in a body is CRLF (percent-encoded: %0D%0A).
LINE_BREAK = "\r\n"
#: Unicode (the C0 and C1 control characters, and DEL): what a message does not hold; left
#: out of a mail link's subject and body. Every other character is kept as written.
CONTROL_CHARACTERS = frozenset(chr(n) for n in (*range(0x20), *range(0x7F, 0xA0)))
#: RFC 6068 / RFC 5322: the controls a message body keeps (line breaks and the tab).
KEPT_CONTROLS = frozenset("\r\n\t")
#: ours: what a message cut to fit a link ends with.
CUT_NOTE = "[cut here: the whole message is in the tracker's Email Script cell]"
#: ours: the characters that make an Email cell something other than one plain address
#: (a space, a list of several, a name with the address in brackets, a query of its own).
NOT_IN_ADDRESS = frozenset(" \t\r\n\f\v?&,;:<>()[]\\\"")
#: RFC 3986 2.3: the characters a URL carries as they are (urllib.parse.quote leaves these).
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
#: ours: how each link's tooltip reads ({who}: the contact, else the number or address).
CALL_TOOLTIP = "Call {who} on {number}"
MAIL_TOOLTIP = "Email {who}: opens your mail app with the Email Script ready to send"
MAIL_CUT_TOOLTIP = ("Email {who}: opens your mail app with the Email Script; its end is cut to fit a link, "
                    "the whole text is in the Email Script cell")
#: ours: the tooltips a link of ours has, by its scheme: a tel: or mailto: link whose tooltip
#: has another form is the user's (`core.links.is_our_link`).
OUR_TOOLTIPS = {TEL_SCHEME: (CALL_TOOLTIP,), MAILTO_SCHEME: (MAIL_TOOLTIP, MAIL_CUT_TOOLTIP)}
