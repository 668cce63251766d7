"""Issue 15, part 2, tried on real-life input: the `tel:` link on Next Call and the
`mailto:` link on Flag, as people type their contacts' phones and addresses, as the
scripts they edit read, in trackers Excel saved, with the user's own hyperlinks around
ours, over many refreshes; and the agenda, the calendar and the live Excel path asking
for the same links. The file is read back here with lxml and zipfile (its sheet XML and
its relationships part), openpyxl and LibreOffice, never through the product's reader
of hyperlinks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import openpyxl
import pytest
from lxml import etree

from tests.support.trackers import FRI, small_tracker, type_cells
from tests.support.xlsx_parts import (
    HYPERLINK_TYPE,
    REL,
    REL_NS,
    SCHEMA_ORDER,
    Link,
    first_sheet_links,
    first_worksheet,
    members,
    rels_name,
)
from workbook_tools import contract as C
from workbook_tools import write_cells
from workbook_tools.adapters.file import read_tracker, refresh_file
from workbook_tools.core.engine import compute

MON = date(2013, 9, 30)  # Friday's thank-you is late (its email is due); the first call is Wednesday
WED = date(2013, 10, 2)
STAMP = datetime(2013, 9, 30, 12, 0, tzinfo=timezone.utc)
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
#: The longest mail link the issue allows ("kept under the length mail clients accept", ~2,000).
MAIL_LIMIT = 2000
# --- Reading the file back, independently -------------------------------------------------------

def interviews_part(path: Path) -> str:
    found = first_worksheet(path)
    assert found is not None and found[0] == C.INTERVIEWS
    return found[1]


def sheet_bytes(path: Path) -> bytes:
    return members(path)[interviews_part(path)]


def rels_bytes(path: Path) -> bytes:
    return members(path).get(rels_name(interviews_part(path)), b"")


def links_of(path: Path) -> dict[str, Link]:
    """Every hyperlink of Interviews by ref, each with its relationship's target."""
    assert interviews_part(path)  # Interviews is the first sheet
    return first_sheet_links(path)


def targets_of(path: Path) -> dict[str, str | None]:
    return {ref: lk.target for ref, lk in links_of(path).items()}


def element_bytes(data: bytes, name: bytes) -> dict[str, bytes]:
    """Each empty element ``name`` of a part, by its ref (or Id), exactly as its bytes are."""
    out = {}
    for found in re.finditer(b"<" + name + rb"\s[^>]*/>", data):
        key = re.search(rb'\s(?:ref|Id)="([^"]+)"', found.group(0))
        assert key is not None
        out[key.group(1).decode()] = found.group(0)
    return out


def assert_schema_order(data: bytes) -> None:
    order = [etree.QName(el).localname for el in etree.fromstring(data) if isinstance(el.tag, str)]
    assert order == sorted(order, key=SCHEMA_ORDER.index), order


def mailto_parts(url: str) -> tuple[str, dict[str, str]]:
    """(the address, {field: value}) of a mailto: URI, percent-decoded strictly as UTF-8;
    no field twice, nothing but ASCII in the URI, no raw space or '+' (which some clients
    read as a space) or '#' (which ends a URI's query)."""
    assert url.startswith("mailto:") and url.isascii() and url.isprintable(), url
    assert " " not in url and "#" not in url
    head, _, query = url[len("mailto:"):].partition("?")
    assert "+" not in query, "a '+' in the query: some mail clients read it as a space"
    fields: dict[str, str] = {}
    for pair in query.split("&") if query else []:
        key, _, value = pair.partition("=")
        assert key not in fields, f"{key} twice"
        fields[key] = unquote(value, errors="strict")
    return unquote(head, errors="strict"), fields


def message_of(script: str) -> tuple[str, str]:
    """What a mail client must show for an Email Script: (subject, body). The first line is
    the subject when it starts "Subject:"; the body is the rest without its leading blank
    lines or trailing space; line breaks are CRLF in a mailto body (RFC 6068)."""
    lines = script.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    subject = ""
    if lines and lines[0].strip().lower().startswith("subject:"):
        subject = lines.pop(0).strip()[len("subject:"):].strip()
    while lines and not lines[0].strip():
        lines.pop(0)
    return subject, "\r\n".join(lines).rstrip()


def cell_values(path: Path, sheet: str = C.INTERVIEWS) -> dict[str, Any]:
    wb = openpyxl.load_workbook(path)
    try:
        return {c.coordinate: c.value for row in wb[sheet].iter_rows() for c in row if c.value is not None}
    finally:
        wb.close()


def columns(path: Path) -> dict[str, str]:
    return read_tracker(path).interviews.columns


def expected_links(path: Path, today: date) -> dict[str, str]:
    """The links a refresh must leave on the tracker as it is now: each planned row's call
    link on its Next Call when that cell has a date, its email link on its Flag."""
    cols = columns(path)
    out = {}
    for res in compute(read_tracker(path), today).rows:
        if not res.flag:
            continue
        if res.call_link is not None and res.next_call is not None:
            out[f"{cols['Next Call']}{res.row}"] = res.call_link.url
        if res.mail_link is not None:
            out[f"{cols['Flag']}{res.row}"] = res.mail_link.url
    return out


def rewrite(path: Path, changes: dict[str, bytes | None]) -> None:
    """Rewrite the package with members replaced, added, or (None) removed."""
    items = members(path)
    for name, data in changes.items():
        if data is None:
            items.pop(name, None)
        else:
            items[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in items.items():
            zf.writestr(name, data)


def soffice_copy(path: Path, tmp_path: Path) -> Path:
    """``path`` opened in LibreOffice and saved again as .xlsx; the copy's path."""
    out = tmp_path / "lo"
    profile = (tmp_path / "lo-profile").resolve().as_uri()
    done = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
                           "--convert-to", "xlsx", "--outdir", str(out), str(path)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    return out / path.name


#: openpyxl, reading the x14 data validation of the Excel-saved tracker, says it drops it (it only reads).
pytestmark = pytest.mark.filterwarnings("ignore:Data Validation extension is not supported:UserWarning")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs soffice (LibreOffice)")


# --- Trackers as people fill them --------------------------------------------------------------

def one_contact(path: Path, contact: dict[str, Any], settings: dict[str, Any] | None = None,
                **interview: Any) -> Path:
    """One interview (Friday's) with one contact, "Dana Roe"."""
    person = {"Name": "Dana Roe", "Company": "Acme", **contact}
    row = {"Company": "Acme", "Position": "Analyst", "Contact": "Dana Roe", "Event Date": FRI, **interview}
    return small_tracker(path, interviews=[row], contacts=[person], settings=settings)


#: People in several countries, as a job seeker in the US types them.
WORLD = [
    {"Name": "Ann Lee", "Phone": "+44 (0)20 7946 0958", "Email": "ann@example.co.uk", "Time Zone": "Europe/London"},
    {"Name": "Bo Berg", "Phone": "030 1234567", "Email": "BO@EXAMPLE.DE", "Country": "DE"},
    {"Name": "Cy Sato", "Phone": "03-1234-5678", "Email": "mailto:cy@example.jp", "Time Zone": "Asia/Tokyo"},
    {"Name": "Di Ross", "Phone": 6175550100.0, "Email": "di@example.com ", "Time Zone": "America/New_York"},
    {"Name": "Ed Wu", "Phone": "617.555.0100 x12", "Email": "ed.wu+jobs@example.com"},
]


def world_tracker(path: Path, **settings: Any) -> Path:
    interviews = [{"Company": f"Co{i}", "Position": "Analyst", "Contact": person["Name"], "Event Date": FRI}
                  for i, person in enumerate(WORLD)]
    return small_tracker(path, interviews=interviews, contacts=WORLD,
                         settings={"Country": "US", "Time Zone": "America/New_York", **settings})


# --- Phones as people type them ------------------------------------------------------------------

NBSP = "\u00a0"


@pytest.mark.parametrize("phone, contact, home, url", [
    ("+44 (0)20 7946 0958", {}, "US", "tel:+44-20-7946-0958"),  # the trunk "(0)" of a UK number
    ("0049 30 1234567", {"Country": "DE"}, "US", "tel:+49-30-1234567"),
    ("0049 30 1234567", {"Time Zone": "Europe/Berlin"}, "US", "tel:+49-30-1234567"),
    ("0049 30 1234567", {}, "GB", "tel:+49-30-1234567"),  # 00 dials abroad from the UK
    ("617.555.0100 x12", {}, "US", "tel:+1-617-555-0100;ext=12"),
    ("(617) 555-0100 ext. 12", {}, "US", "tel:+1-617-555-0100;ext=12"),
    ("(617) 555-0100", {"Country": "SE"}, "US", "tel:+1-617-555-0100"),  # an American number of someone abroad
    ("(617) 555-0100", {"Country": "DE"}, "US", "tel:+1-617-555-0100"),
    ("020 7946 0958", {"Time Zone": "Europe/London"}, "US", "tel:+44-20-7946-0958"),
    ("03-1234-5678", {"Time Zone": "Asia/Tokyo"}, "US", "tel:+81-3-1234-5678"),
    (6175550100.0, {}, "US", "tel:+1-617-555-0100"),  # a number Excel stored as a float
    (6175550100, {}, "US", "tel:+1-617-555-0100"),
    ("'6175550100", {}, "US", "tel:+1-617-555-0100"),  # the apostrophe typed to keep it text, kept as text
    ("Mobile: 617-555-0100", {}, "US", "tel:+1-617-555-0100"),
    ("+1 617 555 0100" + NBSP, {}, "", "tel:+1-617-555-0100"),  # a no-break space after it
    ("call reception", {}, "US", None),
    ("555-0100", {}, "US", None),  # no area code: nothing to dial from a link
    ("617 555 0100", {}, "", None),  # no "+", and no country anywhere to read it in
    ("+1" + NBSP + "617" + NBSP + "555" + NBSP + "0100", {}, "US", "tel:+1-617-555-0100"),
    ("\u202a+1 617 555 0100\u202c", {}, "US", "tel:+1-617-555-0100"),
    ("617-555-0100 (cell)", {}, "US", "tel:+1-617-555-0100"),
    ("(617) 555-0100 / mobile 617-555-0199", {}, "US", "tel:+1-617-555-0100"),
    (442079460958.0, {}, "US", "tel:+44-20-7946-0958"),
    ("0049 30 1234567", {}, "US", "tel:+49-30-1234567"),
])
def test_the_next_call_cell_dials_the_phone_as_typed(tmp_path, phone, contact, home, url):
    home_zone = {"US": "America/New_York", "GB": "Europe/London", "": ""}[home]
    path = one_contact(tmp_path / "t.xlsx", {"Phone": phone, **contact}, {"Country": home, "Time Zone": home_zone},
                       **{"Thank-You Sent": FRI})
    refresh_file(path, MON)
    cols = columns(path)
    values = cell_values(path)
    assert values[f"{cols['Next Call']}2"] == datetime(2013, 10, 2)  # a call is planned either way
    found = targets_of(path)
    assert found.get(f"{cols['Next Call']}2") == url
    assert set(found) <= {f"{cols['Next Call']}2"}  # no email due: nothing else is linked


# --- Addresses as people type them ---------------------------------------------------------------

@pytest.mark.parametrize("typed, address", [
    ("dana@example.com", "dana@example.com"),
    ("mailto:dana@example.com", "dana@example.com"),
    ("MAILTO:Dana@Example.com", "Dana@Example.com"),
    ("DANA@EXAMPLE.COM", "DANA@EXAMPLE.COM"),
    ("dana@example.com ", "dana@example.com"),  # a trailing space
    (NBSP + "dana@example.com" + NBSP, "dana@example.com"),
    ("dana.o'brien+jobs@example.co.uk", "dana.o'brien+jobs@example.co.uk"),  # '+' must reach the client as '+'
    ("dana@b\u00fccher.example", "dana@b\u00fccher.example"),  # an internationalised domain
    ("n/a", None),
    ("ask reception", None),
    ("Dana Roe <dana@example.com>", "dana@example.com"),
    ('"Roe, Dana" <dana@example.com>', "dana@example.com"),
    ("dana@example.com; hr@example.com", "dana@example.com,hr@example.com"),
])
def test_the_flag_cell_mails_the_address_as_typed(tmp_path, typed, address):
    path = one_contact(tmp_path / "t.xlsx", {"Phone": "+1 617 555 0100", "Email": typed})
    refresh_file(path, MON)
    cols = columns(path)
    url = targets_of(path).get(f"{cols['Flag']}2")
    if address is None:
        assert url is None
        return
    assert url is not None
    to, fields = mailto_parts(url)
    assert to.replace(" ", "") in (address, address.replace("\u00fc", "xn--bcher-kva"))
    assert set(fields) == {"subject", "body"}


# --- The message: exactly the Email Script -----------------------------------------------------

def set_script(path: Path, names: tuple[str, ...], text: str) -> None:
    scripts = read_tracker(path).scripts
    cells = {f"{scripts.columns['Text']}{row}": text for row, rec in scripts.rows if rec.get("Script") in names}
    assert len(cells) == len(names)
    write_cells(path, C.SCRIPTS, cells)


THANKS = ("Email: thank you", "Email: thank you, late")


@pytest.mark.parametrize("template, company, position, point", [
    ("Subject: {Position} at {Company} & more?\n\nHello {First Name},\n100% sure: a+b=c #1 ;/,\n\nSam",
     "AT&T #1 (100%)?", "C# / .NET Dev?", "x"),
    ("Subject: Merci \u2014 caf\u00e9 \U0001F680\r\n\r\nHello {First Name},\r\n{Talking Point}\r\nSam",
     "Acme", "Analyst",
     "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \U0001F44B\U0001F3FD \U0001F1EC\U0001F1E7"),
    ("Subject: Hi\n\n{Talking Point}", "Acme", "Analyst",
     "\U0001F469\u200d\U0001F4BB developer; \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),
    ("Hello {First Name},\n\n  indented line\n\ttabbed\nno subject line at all", "Acme", "Analyst", "x"),
    ("subject:   spaced subject   \n\n\n   \nBody after blank lines   \n\n", "Acme", "Analyst", "x"),
    ("Subject: {Company}\n\nHi &amp; %20 %%% =?utf-8?q?x?= <b>bold</b> \\ \"q\" 'a'", "<Acme & Co>", "Analyst",
     "x"),
])
def test_the_mail_link_decodes_to_the_email_script_exactly(tmp_path, template, company, position, point):
    path = one_contact(tmp_path / "t.xlsx", {"Phone": "+1 617 555 0100", "Email": "dana@example.com"},
                       Company=company, Position=position, **{"Talking Point": point})
    write_cells(path, C.CONTACTS, {"B2": company})
    set_script(path, THANKS, template)
    refresh_file(path, MON)
    cols = columns(path)
    script = cell_values(path)[f"{cols['Email Script']}2"]
    url = targets_of(path)[f"{cols['Flag']}2"]
    assert len(url) <= MAIL_LIMIT
    to, fields = mailto_parts(url)
    subject, body = message_of(script)
    assert to == "dana@example.com"
    assert fields.get("subject", "") == subject
    assert fields.get("body", "") == body
    assert set(fields) == ({"subject"} if subject else set()) | ({"body"} if body else set())


@pytest.mark.parametrize("filler", [
    "Plain words, said plainly. ",
    "\u00e9t\u00e9 caf\u00e9 na\u00efve \u00fcber ",  # two bytes a letter, six characters encoded
    "\U0001F600\U0001F680 ",  # four bytes a character: twelve encoded
    "line\n",  # a break every few letters: %0D%0A each
    "\u05e9\u05dc\u05d5\u05dd ",  # Hebrew, right to left
])
def test_a_long_message_is_cut_at_a_character_and_ends_with_a_note(tmp_path, filler):
    path = one_contact(tmp_path / "t.xlsx", {"Phone": "+1 617 555 0100", "Email": "dana@example.com"})
    set_script(path, THANKS, "Subject: Thank you\n\nHello {First Name},\n" + filler * 400 + "\nEND")
    refresh_file(path, MON)
    cols = columns(path)
    link = links_of(path)[f"{cols['Flag']}2"]
    script = cell_values(path)[f"{cols['Email Script']}2"]
    subject, body = message_of(script)
    assert len(link.target) <= MAIL_LIMIT
    assert len(link.target) > MAIL_LIMIT - 40  # the room is used: cut near the limit, not far below it
    _, fields = mailto_parts(link.target)
    assert fields["subject"] == subject
    kept, sep, note = fields["body"].rpartition("\r\n\r\n")
    assert sep and note and "END" not in fields["body"]
    assert "Email Script" in note  # the note says where the whole message is
    assert body.startswith(kept) and len(kept) > 100
    assert not kept.endswith("\r")
    assert "cut" in (link.tooltip or "").lower()


def test_a_subject_longer_than_any_link_is_cut_too(tmp_path):
    position = "Senior " * 500 + "Analyst"
    path = one_contact(tmp_path / "t.xlsx", {"Phone": "+1 617 555 0100", "Email": "dana@example.com"},
                       Position=position)
    refresh_file(path, MON)
    cols = columns(path)
    url = targets_of(path)[f"{cols['Flag']}2"]
    assert len(url) <= MAIL_LIMIT
    _, fields = mailto_parts(url)
    subject, _ = message_of(cell_values(path)[f"{cols['Email Script']}2"])
    assert subject.startswith(fields["subject"]) and len(fields["subject"]) > 100


# --- A tracker Excel saved ----------------------------------------------------------------------

EXCEL_ROOT = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    b'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" '
    b'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
    b'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
    b'xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2" '
    b'xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3" '
    b'xr:uid="{6F2A1C3B-1111-4A2B-9C3D-00000000A001}">')
DRAWING = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
           b'<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
           b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"/>')
USER_LINKS = 96  # rId4 .. rId99: web links of the user's on Company, rows 2 .. 97


def uid(n: int) -> bytes:
    return b"{%08X-0000-4000-8000-%012X}" % (n, n)


EXT_LIST = (b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
            b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
            b'<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
            b'<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" '
            b'xr:uid="{0B1E2C3D-0000-4000-8000-0000000000AA}"><x14:formula1><xm:f>Settings!$A$2:$A$5</xm:f>'
            b'</x14:formula1><xm:sqref>X2:X100</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>')


def excel_saved(path: Path, user_links: bool = True) -> Path:
    """The world tracker as Excel 365 saves it: the root with mc:Ignorable and Excel's
    revision namespaces and an xr:uid, x14ac:dyDescent on the rows, an extLst with an
    x14 data validation, a printerSettings part and a drawing; with ``user_links``,
    <hyperlinks> whose links carry xr:uid and display, and a relationships part running
    rId1 .. rId99, written in Excel's order (last first)."""
    world_tracker(path)
    cols = columns(path)
    part = interviews_part(path)
    data = members(path)[part]
    data = re.sub(rb"<worksheet\b[^>]*>", EXCEL_ROOT, data, count=1)
    data = data.replace(b"<sheetFormatPr ", b'<sheetFormatPr x14ac:dyDescent="0.25" ', 1)
    data = data.replace(b"<row ", b'<row x14ac:dyDescent="0.25" ')
    company, notes = cols["Company"], cols["Notes"]
    theirs = b"".join(b'<hyperlink ref="%s%d" r:id="rId%d" display="Careers %d" xr:uid="%s"/>'
                      % (company.encode(), n - 2, n, n, uid(n)) for n in range(4, 4 + USER_LINKS))
    theirs += b'<hyperlink ref="%s2" location="\'Contacts\'!A2" display="Ann Lee" xr:uid="%s"/>' % (
        notes.encode(), uid(500))
    if user_links:
        data = data.replace(b"</dataValidations>", b"</dataValidations><hyperlinks>" + theirs + b"</hyperlinks>", 1)
    data = data.replace(b"<pageSetup ", b'<pageSetup r:id="rId2" ', 1)
    data = data.replace(b"<tableParts", b'<drawing r:id="rId3"/><tableParts', 1)
    data = data.replace(b"</worksheet>", EXT_LIST + b"</worksheet>", 1)
    assert data.count(b'"rId2"') == 1 and b"<drawing " in data and (b"<hyperlinks>" in data) == user_links
    rels = etree.fromstring(members(path)[rels_name(part)])
    table = [r for r in rels.iter(REL)]
    assert [r.get("Id") for r in table] == ["rId1"]
    items = [b'<Relationship Id="rId%d" Type="%s" Target="https://careers.example/job?id=%d&amp;src=tracker" '
             b'TargetMode="External"/>' % (n, HYPERLINK_TYPE.encode(), n) for n in range(4 + USER_LINKS - 1, 3, -1)
             if user_links]
    items += [b'<Relationship Id="rId3" Type="%s/drawing" Target="../drawings/drawing1.xml"/>' % REL_NS.encode(),
              b'<Relationship Id="rId2" Type="%s/printerSettings" Target="../printerSettings/printerSettings1.bin"/>'
              % REL_NS.encode(),
              b'<Relationship Id="rId1" Type="%s/table" Target="%s"/>' % (REL_NS.encode(),
                                                                         table[0].get("Target").encode())]
    new_rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="'
                + PKG_REL_NS.encode() + b'">' + b"".join(items) + b"</Relationships>")
    types = members(path)["[Content_Types].xml"]
    types = types.replace(b"<Default ", b'<Default Extension="bin" ContentType="application/vnd.openxmlformats-'
                                        b'officedocument.spreadsheetml.printerSettings"/><Default ', 1)
    types = types.replace(b"</Types>", b'<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/'
                                       b'vnd.openxmlformats-officedocument.drawing+xml"/></Types>')
    rewrite(path, {part: data, rels_name(part): new_rels, "[Content_Types].xml": types,
                   "xl/drawings/drawing1.xml": DRAWING, "xl/printerSettings/printerSettings1.bin": b"\x00\x01" * 64})
    openpyxl.load_workbook(path).close()  # a readable workbook before the refresh
    return path


@pytest.mark.parametrize("user_links", [True, False])
def test_an_excel_saved_tracker_gets_our_links_and_keeps_everything_of_excels(tmp_path, user_links):
    path = excel_saved(tmp_path / "t.xlsx", user_links)
    before_sheet, before_rels = sheet_bytes(path), rels_bytes(path)
    before_members = members(path)
    refresh_file(path, MON)
    after_sheet, after_rels = sheet_bytes(path), rels_bytes(path)
    # Excel's root, its namespaces and mc:Ignorable prefixes, byte for byte.
    root = re.search(rb"<worksheet\b[^>]*>", after_sheet)
    assert root is not None and root.group(0) == EXCEL_ROOT
    assert_schema_order(after_sheet)
    # Every relationship and every hyperlink of Excel's, byte for byte; ours have fresh ids.
    old_rels, new_rels = element_bytes(before_rels, b"Relationship"), element_bytes(after_rels, b"Relationship")
    assert {rid: el for rid, el in new_rels.items() if rid in old_rels} == old_rels
    old_links, new_links = element_bytes(before_sheet, b"hyperlink"), element_bytes(after_sheet, b"hyperlink")
    assert {ref: el for ref, el in new_links.items() if ref in old_links} == old_links
    wanted = expected_links(path, MON)
    found = targets_of(path)
    assert {ref: found[ref] for ref in wanted} == wanted
    assert len(found) == len(old_links) + len(wanted)
    assert {lk.rid for ref, lk in links_of(path).items() if ref in wanted}.isdisjoint(old_rels)
    # The parts that are not the sheet's stay as they were.
    after_members = members(path)
    for name in ("xl/drawings/drawing1.xml", "xl/printerSettings/printerSettings1.bin", "[Content_Types].xml"):
        assert after_members[name] == before_members[name]
    assert after_sheet.endswith(EXT_LIST + b"</worksheet>")
    wb = openpyxl.load_workbook(path)
    ws = wb[C.INTERVIEWS]
    cols = columns(path)
    if user_links:
        assert ws[f"{cols['Company']}2"].hyperlink.target == "https://careers.example/job?id=4&src=tracker"
    assert ws[f"{cols['Next Call']}2"].hyperlink.target == wanted[f"{cols['Next Call']}2"]
    assert ws[f"{cols['Next Call']}2"].value == datetime(2013, 10, 2)
    wb.close()


def test_a_second_refresh_of_an_excel_saved_tracker_writes_nothing(tmp_path):
    path = excel_saved(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    before = path.read_bytes()
    report = refresh_file(path, MON)
    assert not report.written and report.changed == 0
    assert path.read_bytes() == before


def excel_resaved_our_links(path: Path) -> None:
    """What Excel does to our links when the user saves: each <hyperlink> gets display and
    xr:uid, and the relationships are numbered again (here: in reverse)."""
    part = interviews_part(path)
    data, rels = sheet_bytes(path), rels_bytes(path)
    ids = sorted({m.decode() for m in re.findall(rb'Id="(rId\d+)"', rels)}, key=lambda r: int(r[3:]))
    renumber = dict(zip(ids, [f"rId{n}" for n in range(len(ids) + 200, 200, -1)]))

    def new_id(match: re.Match[bytes]) -> bytes:
        return match.group(1) + renumber[match.group(2).decode()].encode() + b'"'

    data = re.sub(rb'(r:id=")(rId\d+)"', new_id, data)
    rels = re.sub(rb'(Id=")(rId\d+)"', new_id, rels)
    n = iter(range(1000, 2000))
    data = re.sub(rb"<hyperlink (ref=\"[^\"]+\" r:id=\"rId\d+\"(?: tooltip=\"[^\"]*\")?)/>",
                  lambda m: b'<hyperlink ' + m.group(1) + b' display="x" xr:uid="' + uid(next(n)) + b'"/>', data)
    if b"xmlns:xr=" not in data:
        data = data.replace(b"<worksheet ", b'<worksheet xmlns:xr="http://schemas.microsoft.com/office/'
                                            b'spreadsheetml/2014/revision" ', 1)
    rewrite(path, {part: data, rels_name(part): rels})


def test_our_links_as_excel_saves_them_are_still_ours_and_left_alone(tmp_path):
    path = world_tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    wanted = targets_of(path)
    excel_resaved_our_links(path)
    before = path.read_bytes()
    report = refresh_file(path, MON)
    assert path.read_bytes() == before and not report.written  # nothing to change
    assert targets_of(path) == wanted
    # The phone of one contact changes: that one link is made again, none is duplicated.
    contacts = read_tracker(path).contacts
    write_cells(path, C.CONTACTS, {f"{contacts.columns['Phone']}3": "030 7654321"})
    refresh_file(path, MON)
    cols = columns(path)
    after = targets_of(path)
    assert after == {**wanted, f"{cols['Next Call']}3": "tel:+49-30-7654321"}


# --- The user's own hyperlinks around ours -----------------------------------------------------

def add_hyperlinks(path: Path, xml: bytes, rels: list[tuple[str, str]]) -> None:
    """Hyperlink elements ``xml`` put into the Interviews sheet (in a <hyperlinks> at its
    place), and (id, target) external hyperlink relationships added to its part."""
    part = interviews_part(path)
    data, old = sheet_bytes(path), rels_bytes(path)
    if b"<hyperlinks>" in data:
        data = data.replace(b"</hyperlinks>", xml + b"</hyperlinks>", 1)
    else:
        data = data.replace(b"</dataValidations>", b"</dataValidations><hyperlinks>" + xml + b"</hyperlinks>", 1)
    extra = b"".join(b'<Relationship Id="%s" Type="%s" Target="%s" TargetMode="External"/>'
                     % (rid.encode(), HYPERLINK_TYPE.encode(), target.encode()) for rid, target in rels)
    rewrite(path, {part: data, rels_name(part): old.replace(b"</Relationships>", extra + b"</Relationships>")})


def test_a_link_to_a_place_in_the_workbook_on_next_call_is_kept_and_gets_none_of_ours(tmp_path):
    path = world_tracker(tmp_path / "t.xlsx")
    cols = columns(path)
    call = f"{cols['Next Call']}2"
    add_hyperlinks(path, b'<hyperlink ref="%s" location="Contacts!A2" display="Ann"/>' % call.encode(), [])
    refresh_file(path, MON)
    links = links_of(path)
    assert links[call] == Link(None, "Contacts!A2", None, None)
    wanted = expected_links(path, MON)
    assert {ref: lk.target for ref, lk in links.items() if ref != call} == {
        ref: url for ref, url in wanted.items() if ref != call}
    refresh_file(path, date(2013, 10, 1))
    assert links_of(path)[call] == Link(None, "Contacts!A2", None, None)


def test_a_range_link_of_the_users_over_owned_cells_keeps_them_for_itself(tmp_path):
    path = world_tracker(tmp_path / "t.xlsx")
    cols = columns(path)
    span = f"{cols['Last Outcome']}1:{cols['Refresh Record']}3"  # over Next Call and Flag of rows 2 and 3
    add_hyperlinks(path, b'<hyperlink ref="%s" r:id="rId900" tooltip="my board"/>' % span.encode(),
                   [("rId900", "https://board.example/")])
    refresh_file(path, MON)
    links = links_of(path)
    assert links[span].target == "https://board.example/"
    wanted = expected_links(path, MON)
    inside = {f"{cols[h]}{r}" for h in ("Next Call", "Flag") for r in (2, 3)}
    assert {ref: lk.target for ref, lk in links.items() if ref != span} == {
        ref: url for ref, url in wanted.items() if ref not in inside}
    assert any(ref.endswith("4") for ref in links)  # the rows below it get ours


def test_a_web_link_of_the_users_on_flag_stays_and_the_next_call_still_gets_ours(tmp_path):
    path = world_tracker(tmp_path / "t.xlsx")
    cols = columns(path)
    flag = f"{cols['Flag']}2"
    add_hyperlinks(path, b'<hyperlink ref="%s" r:id="rId901"/>' % flag.encode(),
                   [("rId901", "https://mail.example/compose?to=ann")])
    before = element_bytes(sheet_bytes(path), b"hyperlink")[flag]
    refresh_file(path, MON)
    assert element_bytes(sheet_bytes(path), b"hyperlink")[flag] == before
    assert links_of(path)[flag].target == "https://mail.example/compose?to=ann"
    assert links_of(path)[f"{cols['Next Call']}2"].target == "tel:+44-20-7946-0958"


def test_a_tel_link_the_user_put_on_next_call_is_theirs(tmp_path):
    """Before the feature, Dana linked her Next Call cell to the recruiter's direct line.
    The row closes (Withdrawn): the refresh has no call link to put there, and her own
    link, with her own tooltip, is not the refresh's to delete."""
    path = world_tracker(tmp_path / "t.xlsx")
    cols = columns(path)
    call = f"{cols['Next Call']}2"
    add_hyperlinks(path, b'<hyperlink ref="%s" r:id="rId902" tooltip="Recruiter, direct line"/>' % call.encode(),
                   [("rId902", "tel:+1-617-555-0142")])
    type_cells(path, 2, {"Status": "Withdrawn"})
    refresh_file(path, MON)
    assert links_of(path).get(call) == Link("tel:+1-617-555-0142", None, "Recruiter, direct line", "rId902")


def test_thousands_of_the_users_links_stay_byte_for_byte(tmp_path):
    path = world_tracker(tmp_path / "t.xlsx")
    cols = columns(path)
    count = 3000
    xml = b"".join(b'<hyperlink ref="%s%d" r:id="rId%d" tooltip="job %d"/>' % (cols["Company"].encode(), n + 2,
                                                                               n + 1000, n) for n in range(count))
    add_hyperlinks(path, xml, [(f"rId{n + 1000}", f"https://jobs.example/{n}") for n in range(count)])
    before_links = element_bytes(sheet_bytes(path), b"hyperlink")
    before_rels = element_bytes(rels_bytes(path), b"Relationship")
    refresh_file(path, MON)
    after_links = element_bytes(sheet_bytes(path), b"hyperlink")
    after_rels = element_bytes(rels_bytes(path), b"Relationship")
    assert {k: v for k, v in after_links.items() if k in before_links} == before_links
    assert {k: v for k, v in after_rels.items() if k in before_rels} == before_rels
    wanted = expected_links(path, MON)
    assert len(after_links) == count + len(wanted)
    assert {ref: url for ref, url in targets_of(path).items() if ref in wanted} == wanted
    again = path.read_bytes()
    refresh_file(path, MON)
    assert path.read_bytes() == again


def test_a_hand_edited_email_script_is_the_message_the_link_sends(tmp_path):
    """The user rewrites the thank-you in its cell (the refresh keeps it, and says so): the
    link sends their words, not the template's."""
    path = world_tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    mine = "Subject: Lovely to meet you & the team!\n\nDear Ann,\nmy own words, 100% mine.\n\nSam"
    write_cells(path, C.INTERVIEWS, {f"{cols['Email Script']}2": mine})
    refresh_file(path, MON)
    assert cell_values(path)[f"{cols['Email Script']}2"] == mine
    _, fields = mailto_parts(targets_of(path)[f"{cols['Flag']}2"])
    assert (fields["subject"], fields["body"]) == message_of(mine)


def test_a_next_call_pinned_by_the_user_keeps_its_link(tmp_path):
    path = world_tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    write_cells(path, C.INTERVIEWS, {f"{cols['Next Call']}3": date(2013, 10, 9)})
    refresh_file(path, MON)
    assert cell_values(path)[f"{cols['Next Call']}3"] == datetime(2013, 10, 9)
    assert targets_of(path)[f"{cols['Next Call']}3"] == "tel:+49-30-1234567"


def test_names_with_markup_characters_make_well_formed_tooltips(tmp_path):
    name = 'Ann "Nan" O\'Neil & <HR>\tTeam'
    path = one_contact(tmp_path / "t.xlsx", {"Name": name, "Phone": "+1 617 555 0100",
                                             "Email": "ann@example.com"}, Contact=name)
    refresh_file(path, MON)
    cols = columns(path)
    links = links_of(path)  # parsed with lxml: well-formed
    call = links[f"{cols['Next Call']}2"]
    assert call.target == "tel:+1-617-555-0100" and "O'Neil & <HR>" in (call.tooltip or "")
    assert len(call.tooltip or "") <= 255
    wb = openpyxl.load_workbook(path)
    assert wb[C.INTERVIEWS][f"{cols['Flag']}2"].hyperlink.target.startswith("mailto:ann@example.com?")
    wb.close()


# --- Over many refreshes ----------------------------------------------------------------------

def test_the_world_tracker_links_every_row_and_a_second_refresh_writes_nothing(tmp_path):
    path = world_tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    found = targets_of(path)
    call, flag = cols["Next Call"], cols["Flag"]
    assert {ref: url for ref, url in found.items() if ref.startswith(call)} == {
        f"{call}2": "tel:+44-20-7946-0958", f"{call}3": "tel:+49-30-1234567", f"{call}4": "tel:+81-3-1234-5678",
        f"{call}5": "tel:+1-617-555-0100", f"{call}6": "tel:+1-617-555-0100;ext=12"}
    mails = {ref: mailto_parts(url)[0] for ref, url in found.items() if ref.startswith(flag)}
    assert mails == {f"{flag}2": "ann@example.co.uk", f"{flag}3": "BO@EXAMPLE.DE", f"{flag}4": "cy@example.jp",
                     f"{flag}5": "di@example.com", f"{flag}6": "ed.wu+jobs@example.com"}
    assert_schema_order(sheet_bytes(path))
    before = path.read_bytes()
    assert not refresh_file(path, MON).written
    assert path.read_bytes() == before


def test_a_changed_phone_changes_exactly_one_link(tmp_path):
    path = world_tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    links_before = element_bytes(sheet_bytes(path), b"hyperlink")
    rels_before = element_bytes(rels_bytes(path), b"Relationship")
    old = links_of(path)[f"{cols['Next Call']}3"]
    contacts = read_tracker(path).contacts
    write_cells(path, C.CONTACTS, {f"{contacts.columns['Phone']}3": "+49 89 7654321"})
    refresh_file(path, MON)
    links_after = element_bytes(sheet_bytes(path), b"hyperlink")
    rels_after = element_bytes(rels_bytes(path), b"Relationship")
    changed = {ref for ref in links_before.keys() | links_after.keys()
               if links_before.get(ref) != links_after.get(ref)}
    assert changed <= {f"{cols['Next Call']}3"}
    assert {rid for rid in rels_before.keys() | rels_after.keys()
            if rels_before.get(rid) != rels_after.get(rid)} == {old.rid}  # retargeted in place
    assert links_of(path)[f"{cols['Next Call']}3"].target == "tel:+49-89-7654321"


@pytest.mark.parametrize("status", ["Withdrawn", "Closed", "Hired"])
def test_a_closed_row_loses_its_call_link(tmp_path, status):
    path = world_tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    type_cells(path, 3, {"Status": status, "Thank-You Sent": FRI})
    refresh_file(path, MON)
    found = targets_of(path)
    assert f"{cols['Next Call']}3" not in found
    assert found == expected_links(path, MON)
    assert b"tel:+49-30-1234567" not in rels_bytes(path)  # its relationship went with it


def test_links_left_on_rows_the_user_emptied_are_removed(tmp_path):
    """The user clears rows 3 and 4 (Delete key: the values go; in Excel the hyperlinks would
    stay on the cells): the refresh has nothing planned there and takes its links away."""
    path = world_tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    blank = {f"{letter}{row}": None for letter in cols.values() for row in (3, 4)}
    write_cells(path, C.INTERVIEWS, blank)
    assert any(ref.endswith(("3", "4")) for ref in targets_of(path))  # still there before the refresh
    refresh_file(path, MON)
    found = targets_of(path)
    assert not any(ref[len(cols["Next Call"]):] in ("3", "4") for ref in found)
    assert found == expected_links(path, MON) and found
    assert rels_bytes(path).count(HYPERLINK_TYPE.encode()) == len(found)


def test_a_row_typed_below_the_table_gets_its_links(tmp_path):
    path = world_tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    table = read_tracker(path).interviews.table
    assert table is not None
    below = table.last_row + 2  # a blank row between, as people leave them
    type_cells(path, below, {"Company": "Initech", "Position": "Analyst", "Contact": "Bo Berg", "Event Date": FRI})
    refresh_file(path, MON)
    cols = columns(path)
    found = targets_of(path)
    assert found[f"{cols['Next Call']}{below}"] == "tel:+49-30-1234567"
    assert mailto_parts(found[f"{cols['Flag']}{below}"])[0] == "BO@EXAMPLE.DE"
    assert found == expected_links(path, MON)


def test_a_logged_call_moves_the_date_and_keeps_the_one_link(tmp_path):
    path = world_tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    first = links_of(path)[f"{cols['Next Call']}2"]
    calls = read_tracker(path).calls
    write_cells(path, C.CALLS, {f"{calls.columns['Date']}2": WED, f"{calls.columns['Company']}2": "Co0",
                                f"{calls.columns['Outcome']}2": C.LEFT_VOICEMAIL})
    refresh_file(path, WED)
    after = links_of(path)
    assert after[f"{cols['Next Call']}2"] == first  # same target, tooltip and relationship
    assert sum(1 for ref in after if ref.startswith(cols["Next Call"])) == 5


# --- Other programs reading what we wrote ----------------------------------------------------

@needs_soffice
def test_libreoffice_opens_an_excel_saved_tracker_we_linked_and_keeps_every_link(tmp_path):
    path = excel_saved(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    wanted = expected_links(path, MON)
    saved = soffice_copy(path, tmp_path)
    found = targets_of(saved)
    calls = {ref: url for ref, url in wanted.items() if url.startswith("tel:")}
    assert {ref: found.get(ref) for ref in calls} == calls
    for ref, url in wanted.items():
        if url.startswith("mailto:"):  # LibreOffice keeps a long target's start (255 characters) when it saves
            assert found.get(ref) and url.startswith(found[ref])
    assert found[f"{cols['Company']}2"] == "https://careers.example/job?id=4&src=tracker"
    ws = openpyxl.load_workbook(saved)[C.INTERVIEWS]
    assert ws[f"{cols['Next Call']}2"].value == datetime(2013, 10, 2)
    assert ws[f"{cols['Flag']}2"].value == C.UPCOMING


@needs_soffice
def test_a_tracker_libreoffice_saved_gets_its_whole_links_back(tmp_path):
    """LibreOffice keeps only the first 255 characters of a long link when it saves; the
    next refresh of its file puts the whole mail links back, one link a cell."""
    path = world_tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    wanted = targets_of(path)
    saved = soffice_copy(path, tmp_path)
    assert targets_of(saved) != wanted  # cut by LibreOffice
    refresh_file(saved, MON)
    assert targets_of(saved) == wanted
    before = saved.read_bytes()
    assert not refresh_file(saved, MON).written and saved.read_bytes() == before


# --- The agenda and the calendar ask for the cells' links ------------------------------------------

def test_the_agenda_links_are_the_cells_links(tmp_path):
    from workbook_tools.outputs.agenda import agenda_items, render_agenda

    path = world_tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    data = read_tracker(path)
    items = agenda_items(data, compute(data, MON), MON, 7)
    cells = targets_of(path)
    assert items
    for it in items:
        column = cols["Next Call"] if it.kind == "Call" else cols["Flag"]
        assert it.link == cells[f"{column}{it.row}"], it
    text = render_agenda(items, MON, 120, links=True)
    shown = set(re.findall("\x1b]8;;([^\x1b]+)\x1b\\\\", text))
    assert shown == {it.link for it in items}
    assert "\x1b" not in render_agenda(items, MON, 120)


def test_the_calendar_calls_carry_the_cells_tel_links_as_uris(tmp_path):
    import icalendar

    from workbook_tools.app.calendar import export_calendar

    path = world_tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    cells = targets_of(path)
    out = tmp_path / "plan.ics"
    export_calendar([path], out, MON, days=7, stamp=STAMP)
    raw = out.read_bytes().replace(b"\r\n ", b"")  # unfolded
    events = [e for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
              if str(e["summary"]).startswith("Call ")]
    assert len(events) == 5
    urls = {str(e["url"]) for e in events}
    assert urls == {url for ref, url in cells.items() if ref.startswith(cols["Next Call"])}
    # A URI value is not TEXT: the ";" of an extension is not escaped in the URL property.
    assert b"\r\nURL:tel:+1-617-555-0100;ext=12\r\n" in raw


# --- The live Excel path asks for the same links ---------------------------------------------------

@pytest.fixture(scope="module")
def remote_engine() -> Any:
    """xlwings with its remote engine (the one the VBA client talks to); skipped without xlwings."""
    xw = pytest.importorskip("xlwings")
    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.main.Engine(impl=_xlremote.engine))
    return xw


def _day(value: object) -> object:
    return value.date() if isinstance(value, datetime) and value.time() == time(0) else value


def live_links(xw: Any, path: Path, today: date) -> dict[str, tuple[str, str]]:
    """The links a live refresh (xlwings' remote engine, its actions applied by the model
    of the VBA client) leaves on Interviews, over the ones the file has: ref -> (url, tip)."""
    from tests.support.vba_client import applied_links, vba_payload
    from workbook_tools.adapters import excel

    payload = vba_payload(path)
    book = xw.Book(json=json.loads(json.dumps(payload)))
    excel.refresh(book, today)
    actions = json.loads(json.dumps(book.json()["actions"]))
    out = {ref: (lk.target or "", lk.tooltip or "") for ref, lk in links_of(path).items() if lk.target}
    for ref, added in applied_links(payload, actions).get(C.INTERVIEWS, {}).items():
        out[ref] = (added.address, added.screen_tip)
    return out


def file_links(path: Path, today: date, tmp_path: Path) -> dict[str, tuple[str, str]]:
    copy = tmp_path / ("cli" + path.suffix)
    shutil.copyfile(path, copy)
    refresh_file(copy, today)
    return {ref: (lk.target or "", lk.tooltip or "") for ref, lk in links_of(copy).items() if lk.target}


def test_the_live_path_asks_for_the_world_trackers_links(tmp_path, remote_engine, monkeypatch):
    """What an engine that lists the sheet's links (desktop Excel; none there yet) is asked
    for; the remote engine carries the actions (it cannot list links itself: below)."""
    from workbook_tools.adapters import excel

    path = world_tracker(tmp_path / "t.xlsx")
    monkeypatch.setattr(excel, "live_links", lambda sheet: [])
    assert live_links(remote_engine, path, MON) == file_links(path, MON, tmp_path)


def test_the_live_path_keeps_the_users_link_on_flag(tmp_path, remote_engine):
    """The remote engine cannot list links, so it cannot tell the user's from ours: it is
    asked for none, and the user's link stays (the command line adds ours around it)."""
    path = world_tracker(tmp_path / "t.xlsx")
    cols = columns(path)
    flag = f"{cols['Flag']}2"
    add_hyperlinks(path, b'<hyperlink ref="%s" r:id="rId901" tooltip="compose"/>' % flag.encode(),
                   [("rId901", "https://mail.example/compose?to=ann")])
    cli = file_links(path, MON, tmp_path)
    assert cli[flag] == ("https://mail.example/compose?to=ann", "compose")
    assert live_links(remote_engine, path, MON) == {flag: cli[flag]}


class _Cell:
    """The range desktop Excel's Hyperlink.Range gives: its top-left cell (Row, Column) and
    its Address, the whole range ("$R$1:$T$3") for a range link."""

    def __init__(self, row: int, column: int, last: tuple[int, int] | None = None) -> None:
        self.Row, self.Column = row, column
        letter = openpyxl.utils.get_column_letter
        first = f"${letter(column)}${row}"
        self.Address = first if last is None else f"{first}:${letter(last[1])}${last[0]}"


class _DesktopLink:
    def __init__(self, row: int, column: int, address: str, tip: str = "", sub_address: str = "",
                 last: tuple[int, int] | None = None) -> None:
        self.Range, self.Address, self.ScreenTip, self.SubAddress = _Cell(row, column, last), address, tip, sub_address


class _DesktopRange:
    def __init__(self, sheet: _DesktopSheet, cell: tuple[int, int]) -> None:
        self.sheet, self.cell = sheet, cell
        self.api = type("Api", (), {"Hyperlinks": type("Links", (), {"Delete": self._delete})()})()

    def add_hyperlink(self, address: str, text_to_display: str, screen_tip: str) -> None:
        self.sheet.calls.append(("add", self.cell, address))

    def _delete(self) -> None:
        self.sheet.calls.append(("delete", self.cell))


class _DesktopSheet:
    def __init__(self, links: list[_DesktopLink]) -> None:
        self.api = type("SheetApi", (), {"Hyperlinks": links})()
        self.calls: list[tuple[Any, ...]] = []

    def range(self, cell: tuple[int, int]) -> _DesktopRange:
        return _DesktopRange(self, cell)


def _number(letter: str) -> int:
    return openpyxl.utils.column_index_from_string(letter)


def test_desktop_excel_keeps_a_link_to_a_place_on_next_call(tmp_path):
    from workbook_tools.adapters import excel

    path = world_tracker(tmp_path / "t.xlsx")
    cols = columns(path)
    data = read_tracker(path)
    sheet = _DesktopSheet([_DesktopLink(2, _number(cols["Next Call"]), "", "", "Contacts!A2")])
    for write in excel.prepare_links(sheet, data, compute(data, MON)).writes:
        write.run()
    assert ("add", (2, _number(cols["Next Call"])), "tel:+44-20-7946-0958") not in sheet.calls
    assert not any(call[0] == "delete" for call in sheet.calls)


def test_desktop_excel_leaves_the_cells_of_a_range_link_as_the_file_path_does(tmp_path):
    from workbook_tools.adapters import excel

    path = world_tracker(tmp_path / "t.xlsx")
    cols = columns(path)
    data = read_tracker(path)
    # The user's link over Last Outcome..Refresh Record of rows 1-3, as Excel lists it.
    sheet = _DesktopSheet([_DesktopLink(1, _number(cols["Last Outcome"]), "https://board.example/",
                                        last=(3, _number(cols["Refresh Record"])))])
    for write in excel.prepare_links(sheet, data, compute(data, MON)).writes:
        write.run()
    inside = {(r, _number(cols[h])) for h in ("Next Call", "Flag") for r in (2, 3)}
    assert not [call for call in sheet.calls if call[1] in inside]
