"""The refresh's hyperlinks in the file (`xlsx.hyperlinks`, through `write_rows` and
`refresh_file`): real cell hyperlinks with external relationships, read back here from
the sheet's XML and its relationships part; the call's on the Next Call date, which
stays a date, the email's on the Flag; none on a blank cell; updated and removed by the
next refresh; the user's own links, and every other relationship, untouched; openpyxl
and LibreOffice read them."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from lxml import etree

from tests.support.trackers import FRI, small_tracker
from tests.support.xlsx_parts import (
    REL_NS,
    SCHEMA_ORDER,
    Link,
    M,
    first_sheet_links,
    first_worksheet,
    members,
    rels_name,
    replace_member,
    split_ref,
)
from workbook_tools import contract as C
from workbook_tools import write_cells
from workbook_tools.adapters.file import read_tracker, refresh_file
from workbook_tools.core.engine import compute
from workbook_tools.errors import WorkbookError
from workbook_tools.xlsx.hyperlinks import (
    AFTER_HYPERLINKS,
    HYPERLINK_REL,
    MAX_SHEET_LINKS,
    LinkPlan,
    SheetLink,
    children,
)
from workbook_tools.xlsx.write import write_rows

MON = date(2013, 9, 30)  # the thank-you for Friday's interview is due, the first call is Wednesday's
PHONE = "+1 617 555 0100"
TEL = "tel:+1-617-555-0100"
EMAIL = "jane@example.com"
CONTACTS = [{"Name": "Jane Roe", "Company": "Acme", "Phone": PHONE, "Email": EMAIL}]
def sheet_xml(path: Path, sheet: str = C.INTERVIEWS) -> tuple[str, bytes]:
    """(part name, bytes) of a worksheet."""
    found = first_worksheet(path) if sheet == C.INTERVIEWS else None
    assert found is not None and found[0] == sheet
    with zipfile.ZipFile(path) as zf:
        return found[1], zf.read(found[1])


def links_of(path: Path) -> dict[str, Link]:
    """Every hyperlink of Interviews by ref, with its relationship's target."""
    assert sheet_xml(path)  # Interviews is the first sheet
    return first_sheet_links(path)


def columns(path: Path) -> dict[str, str]:
    return read_tracker(path).interviews.columns


#: ECMA-376 Part 1, 18.8.30: the built-in number formats that show a date (or a time).
BUILTIN_DATE_FORMATS = frozenset(range(14, 23)) | {45, 46, 47}


class CellXml(NamedTuple):
    """A cell as the sheet's XML holds it: its type (t), its value (<v>, or the inline
    string's text), and whether its style's number format shows a date."""

    kind: str | None
    value: str | None
    date_style: bool


def _date_format(code: str) -> bool:
    """Whether a custom number format code shows a date: a d or a y outside quoted text,
    escapes and [...] sections (colours, locales, elapsed time); an m alone may be minutes."""
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return re.search(r"[dy]", bare, re.I) is not None


def cell_xml(path: Path, ref: str) -> CellXml | None:
    """The cell ``ref`` of Interviews as its part holds it (None when it has no <c>)."""
    part, data = sheet_xml(path)
    with zipfile.ZipFile(path) as zf:
        styles = etree.fromstring(zf.read("xl/styles.xml"))
    for c in etree.fromstring(data).iter(M + "c"):
        if c.get("r") == ref:
            break
    else:
        return None
    v = c.find(M + "v")
    value = v.text if v is not None else "".join(c.find(M + "is").itertext()) if c.find(M + "is") is not None else None
    xf = styles.find(M + "cellXfs")[int(c.get("s", "0"))]
    fmt = int(xf.get("numFmtId", "0"))
    codes = {int(n.get("numFmtId")): n.get("formatCode") for n in styles.iter(M + "numFmt")}
    date_style = fmt in BUILTIN_DATE_FORMATS or (fmt in codes and _date_format(codes[fmt]))
    return CellXml(c.get("t"), value, date_style)


def assert_a_date(path: Path, ref: str, day: date) -> None:
    """The cell is a number (no t, or t="n") with a date style, and that number is ``day``
    (Excel's serial: days since 30 December 1899)."""
    cell = cell_xml(path, ref)
    assert cell is not None and cell.kind in (None, "n") and cell.date_style, cell
    assert float(cell.value) == (day - date(1899, 12, 30)).days


def tracker(path: Path, **cells: object) -> Path:
    interview = {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI, **cells}
    return small_tracker(path, interviews=[interview], contacts=CONTACTS)


def child_order(data: bytes) -> list[str]:
    return [etree.QName(el).localname for el in etree.fromstring(data) if isinstance(el.tag, str)]


def assert_schema_order(data: bytes) -> None:
    order = child_order(data)
    assert order == sorted(order, key=SCHEMA_ORDER.index), order


# --- Through a refresh ------------------------------------------------------------------------

def test_a_refresh_links_the_call_and_the_email_due(tmp_path):
    path = tracker(tmp_path / "t.xlsx")
    report = refresh_file(path, MON)
    cols = columns(path)
    links = links_of(path)
    assert set(links) == {f"{cols['Next Call']}2", f"{cols['Flag']}2"}
    call, mail = links[f"{cols['Next Call']}2"], links[f"{cols['Flag']}2"]
    assert call.target == TEL and call.tooltip == "Call Jane Roe on +1 617 555 0100"
    url = urlsplit(mail.target)
    assert url.scheme == "mailto" and url.path == EMAIL
    query = parse_qs(url.query)
    script = openpyxl.load_workbook(path)[C.INTERVIEWS][f"{cols['Email Script']}2"].value
    subject, _, body = script.partition("\n")
    assert query["subject"] == [subject.removeprefix("Subject: ")]
    assert query["body"] == [body.lstrip("\n").replace("\n", "\r\n")]
    assert mail.tooltip.startswith("Email Jane Roe: ")
    _, data = sheet_xml(path)
    assert_schema_order(data)
    assert report.written and report.changed > 0


def test_the_linked_cells_keep_their_values_a_date_and_a_word(tmp_path):
    """The link is no cell value: Next Call stays a number with its date style (Wednesday's
    call), Flag stays its text, and the scripts, which wrap, carry no link."""
    path = tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    assert_a_date(path, f"{cols['Next Call']}2", date(2013, 10, 2))
    flag = cell_xml(path, f"{cols['Flag']}2")
    assert flag is not None and flag.kind in ("inlineStr", "s") and not flag.date_style
    if flag.kind == "inlineStr":
        assert flag.value == C.UPCOMING
    ws = openpyxl.load_workbook(path)[C.INTERVIEWS]
    assert ws[f"{cols['Next Call']}2"].value == datetime(2013, 10, 2) and ws[f"{cols['Next Call']}2"].is_date
    assert ws[f"{cols['Flag']}2"].value == C.UPCOMING
    assert ws[f"{cols['Call Script']}2"].value and ws[f"{cols['Email Script']}2"].value
    assert {f"{cols['Call Script']}2", f"{cols['Email Script']}2"}.isdisjoint(links_of(path))


def test_a_blank_next_call_gets_no_link(tmp_path):
    """A closed row's last call (Not selected: a note, a call for feedback) has no Next Call
    date: its cell stays blank and gets no link, though the row has a tel: link (the
    agenda's); its email's link is on Flag."""
    path = tracker(tmp_path / "t.xlsx", Status=C.NOT_SELECTED)
    refresh_file(path, MON)
    cols = columns(path)
    data = read_tracker(path)
    res = compute(data, MON).rows[0]
    assert res.next_call is None and res.flag == C.FLAG_CLOSED and res.call_script
    assert res.call_link is not None and res.call_link.url == TEL
    links = links_of(path)
    assert set(links) == {f"{cols['Flag']}2"} and links[f"{cols['Flag']}2"].target.startswith(f"mailto:{EMAIL}?")
    next_call = cell_xml(path, f"{cols['Next Call']}2")
    assert next_call is None or next_call.value is None
    part, _ = sheet_xml(path)
    assert b"tel:" not in members(path)[rels_name(part)]


def test_a_next_call_that_goes_blank_loses_its_link(tmp_path):
    path = tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    assert links_of(path)[f"{cols['Next Call']}2"].target == TEL
    write_cells(path, C.INTERVIEWS, {f"{cols['Status']}2": C.NOT_SELECTED})
    refresh_file(path, MON)
    links = links_of(path)
    assert set(links) == {f"{cols['Flag']}2"} and links[f"{cols['Flag']}2"].target.startswith("mailto:")
    part, _ = sheet_xml(path)
    rels = members(path)[rels_name(part)]
    assert b"tel:" not in rels and rels.count(HYPERLINK_REL.encode()) == 1


def test_a_second_refresh_the_same_day_writes_nothing_and_adds_no_link(tmp_path):
    path = tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    before = path.read_bytes()
    again = refresh_file(path, MON)
    assert not again.written and again.changed == 0
    assert path.read_bytes() == before
    refresh_file(path, date(2013, 10, 1))  # the next day: cells change, the links stay as they are
    assert links_of(path).keys() == {f"{columns(path)[h]}2" for h in ("Next Call", "Flag")}


def test_the_email_link_goes_when_the_email_is_sent_and_only_it(tmp_path):
    path = tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    call = links_of(path)[f"{cols['Next Call']}2"]
    write_cells(path, C.INTERVIEWS, {f"{cols['Thank-You Sent']}2": MON})
    refresh_file(path, MON)
    assert links_of(path) == {f"{cols['Next Call']}2": call}  # same rId, same target
    assert cell_xml(path, f"{cols['Flag']}2").value == C.UPCOMING  # the flag stays, without its link
    part, _ = sheet_xml(path)
    with zipfile.ZipFile(path) as zf:
        rels = zf.read(rels_name(part))
    assert b"mailto:" not in rels and rels.count(HYPERLINK_REL.encode()) == 1


def test_a_corrected_phone_updates_the_link(tmp_path):
    path = tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    old = links_of(path)[f"{cols['Next Call']}2"]
    contacts = read_tracker(path).contacts
    write_cells(path, C.CONTACTS, {f"{contacts.columns['Phone']}2": "+44 20 7946 0321"})
    refresh_file(path, MON)
    new = links_of(path)[f"{cols['Next Call']}2"]
    assert new == old._replace(target="tel:+44-20-7946-0321", tooltip="Call Jane Roe on +44 20 7946 0321")


def test_a_refresh_whose_only_change_is_a_link_writes_the_file(tmp_path):
    """The contact's Country says how their number reads: no cell changes, the link does."""
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI, "Thank-You Sent": FRI}],
        contacts=[{"Name": "Jane Roe", "Phone": "020 7946 0321"}])
    refresh_file(path, MON)
    assert links_of(path) == {}  # no country to read it in
    contacts = read_tracker(path).contacts
    write_cells(path, C.CONTACTS, {f"{contacts.columns['Country']}2": "GB"})
    report = refresh_file(path, MON)
    assert report.changed == 0 and report.written
    assert [lk.target for lk in links_of(path).values()] == ["tel:+44-20-7946-0321"]


def test_a_contact_without_a_whole_number_or_address_gets_no_link(tmp_path):
    path = small_tracker(tmp_path / "t.xlsx", interviews=[
        {"Company": "Acme", "Position": "Analyst", "Contact": "Jane Roe", "Event Date": FRI}],
        contacts=[{"Name": "Jane Roe", "Phone": "555-0100", "Email": "jane at example dot com"}])
    refresh_file(path, MON)
    assert links_of(path) == {}


def add_user_links(path: Path) -> dict[str, str]:
    """The user's own links (set with openpyxl): a web link on Company, a link to a place
    in the workbook on Notes, a web link on the Flag cell where ours would go, and a tel:
    link on another column (Call Script, where links were before they moved). Returns
    ref -> what it is."""
    cols = columns(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[C.INTERVIEWS]
    ws[f"{cols['Company']}2"].hyperlink = "https://acme.example/jobs"
    ws[f"{cols['Notes']}2"].hyperlink = openpyxl.worksheet.hyperlink.Hyperlink(ref=f"{cols['Notes']}2",
                                                                              location="'Calls'!A1")
    ws[f"{cols['Flag']}2"].hyperlink = "https://mail.example/compose"
    ws[f"{cols['Call Script']}2"].hyperlink = "tel:+1-999-555-0100"
    wb.save(path)
    return {f"{cols['Company']}2": "https://acme.example/jobs", f"{cols['Notes']}2": "'Calls'!A1",
            f"{cols['Flag']}2": "https://mail.example/compose", f"{cols['Call Script']}2": "tel:+1-999-555-0100"}


def _elements(data: bytes, name: bytes) -> dict[str, bytes]:
    """Each element ``name`` of a part by its ref (or Id), as bytes."""
    out = {}
    for found in re.finditer(b"<" + name + rb"\s[^>]*/>", data):
        key = re.search(rb'\s(?:ref|Id)="([^"]+)"', found.group(0))
        out[key.group(1).decode()] = found.group(0)
    return out


def test_the_users_links_are_kept_byte_for_byte(tmp_path):
    path = tracker(tmp_path / "t.xlsx")
    mine = add_user_links(path)
    part, before = sheet_xml(path)
    rels_before = members(path)[rels_name(part)]
    refresh_file(path, MON)
    _, after = sheet_xml(path)
    rels_after = members(path)[rels_name(part)]
    links = links_of(path)
    cols = columns(path)
    # Theirs are as they were, bytes and all; ours is added where no link of theirs is.
    for ref in mine:
        assert _elements(after, b"hyperlink")[ref] == _elements(before, b"hyperlink")[ref]
    old_rels = _elements(rels_before, b"Relationship")
    assert {rid: el for rid, el in _elements(rels_after, b"Relationship").items() if rid in old_rels} == old_rels
    assert links[f"{cols['Next Call']}2"].target == TEL
    assert links[f"{cols['Flag']}2"].target == "https://mail.example/compose"  # the user's wins
    assert links[f"{cols['Call Script']}2"].target == "tel:+1-999-555-0100"  # not a linked column: theirs
    assert links[f"{cols['Notes']}2"].location == "'Calls'!A1"
    assert len(links) == len(mine) + 1
    # and a refresh after it keeps all of it
    refresh_file(path, date(2013, 10, 1))
    assert links_of(path) == links


def test_openpyxl_sees_the_links(tmp_path):
    path = tracker(tmp_path / "t.xlsx")
    refresh_file(path, MON)
    cols = columns(path)
    ws = openpyxl.load_workbook(path)[C.INTERVIEWS]
    assert ws[f"{cols['Next Call']}2"].hyperlink.target == TEL
    assert ws[f"{cols['Flag']}2"].hyperlink.target.startswith(f"mailto:{EMAIL}?subject=")
    assert ws[f"{cols['Next Call']}2"].value == datetime(2013, 10, 2)  # the cells keep their values
    assert ws[f"{cols['Flag']}2"].value == C.UPCOMING
    assert ws[f"{cols['Call Script']}2"].hyperlink is None


def libreoffice_copy(path: Path, tmp_path: Path) -> Path:
    """``path`` opened in LibreOffice and saved again as .xlsx; the copy's path."""
    out = tmp_path / "lo"
    profile = (tmp_path / "lo-profile").resolve().as_uri()
    done = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
                           "--convert-to", "xlsx", "--outdir", str(out), str(path)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    return out / path.name


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs soffice (Debian: libreoffice-calc)")
def test_libreoffice_opens_the_file_and_keeps_the_links(tmp_path):
    path = tracker(tmp_path / "t.xlsx")
    add_user_links(path)
    refresh_file(path, MON)
    saved = libreoffice_copy(path, tmp_path)
    cols = columns(path)
    links = links_of(saved)  # its sheet XML and relationships, as LibreOffice wrote them
    assert links[f"{cols['Next Call']}2"].target == TEL
    assert links[f"{cols['Flag']}2"].target == "https://mail.example/compose"
    assert links[f"{cols['Company']}2"].target == "https://acme.example/jobs"
    assert links[f"{cols['Call Script']}2"].target == "tel:+1-999-555-0100"
    assert_a_date(saved, f"{cols['Next Call']}2", date(2013, 10, 2))  # still a date, not a text field
    ws = openpyxl.load_workbook(saved)[C.INTERVIEWS]
    assert ws[f"{cols['Flag']}2"].value == C.UPCOMING
    assert ws[f"{cols['Call Script']}2"].value.startswith("If they answer:")


#: LibreOffice 7.4 keeps a long link whole while the file is open, and cuts its target to
#: this many characters when it saves as .xlsx (Excel 2007's old limit on a URL).
LIBREOFFICE_SAVED_URL = 255


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs soffice (Debian: libreoffice-calc)")
@pytest.mark.parametrize("script", ["Subject: Thanks\n\nThank you for the {Position} interview.", None])
def test_libreoffice_keeps_our_links_on_the_date_and_the_flag(tmp_path, script):
    path = tracker(tmp_path / "t.xlsx")
    if script is not None:  # a short message: a link LibreOffice saves whole
        scripts = read_tracker(path).scripts
        row = next(r for r, rec in scripts.rows if rec.get("Script") == "Email: thank you, late")
        write_cells(path, C.SCRIPTS, {f"{scripts.columns['Text']}{row}": script})
    refresh_file(path, MON)
    cols = columns(path)
    call, flag = f"{cols['Next Call']}2", f"{cols['Flag']}2"
    before = links_of(path)
    assert set(before) == {call, flag}
    saved = libreoffice_copy(path, tmp_path)
    after = links_of(saved)
    assert set(after) == {call, flag}
    assert after[call].target == TEL
    mail, kept = before[flag].target, after[flag].target
    if script is not None:
        assert len(mail) <= LIBREOFFICE_SAVED_URL and kept == mail == (
            f"mailto:{EMAIL}?subject=Thanks&body=Thank%20you%20for%20the%20Analyst%20interview.")
    else:  # the default thank-you: longer than LibreOffice saves
        assert len(mail) > LIBREOFFICE_SAVED_URL and mail.startswith(kept)
        assert kept.startswith(f"mailto:{EMAIL}?subject=") and len(kept) >= LIBREOFFICE_SAVED_URL
    assert_a_date(saved, call, date(2013, 10, 2))
    assert openpyxl.load_workbook(saved)[C.INTERVIEWS][flag].value == C.UPCOMING


# --- The writer alone: write_rows with a LinkPlan -----------------------------------------

def plain_book(path: Path, root_namespaces: bytes | None = None, prefix: str = "") -> Path:
    """A workbook of one sheet, Interviews, made by XlsxWriter: no table, no comment, so
    its sheet has no relationships part. ``root_namespaces`` replaces the root's xmlns
    declarations; ``prefix`` writes the sheet's elements with that namespace prefix."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(C.INTERVIEWS)
    for row in range(5):
        ws.write_row(row, 0, [f"r{row}c{col}" for col in range(4)])
    ws.set_margins()
    wb.close()
    part, data = sheet_xml(path)
    if root_namespaces is not None:
        data = re.sub(rb"(<worksheet)[^>]*>", rb"\1 " + root_namespaces + b">", data, count=1)
    if prefix:
        data = re.sub(rb"<(/?)(?!\?)([A-Za-z]+)", rb"<\1" + prefix.encode() + rb":\2", data)
        data = data.replace(b'xmlns="' + M[1:-1].encode(), b"xmlns:" + prefix.encode() + b'="' + M[1:-1].encode())
    replace_member(path, part, data)
    return path


def plan(wanted: dict[str, SheetLink | None], columns: str = "CD", first_row: int = 2) -> LinkPlan:
    return LinkPlan(frozenset(columns), first_row, wanted)


def link(n: int) -> SheetLink:
    return SheetLink(f"tel:+1-617-555-{n:04d}", f"Call {n}")


def test_a_sheet_without_relationships_gets_a_part_and_a_content_type(tmp_path):
    path = plain_book(tmp_path / "p.xlsx")
    part, _ = sheet_xml(path)
    types = members(path)["[Content_Types].xml"]
    replace_member(path, "[Content_Types].xml", re.sub(rb'<Default Extension="rels"[^>]*/>', b"", types))
    assert rels_name(part) not in members(path)
    assert write_rows(path, C.INTERVIEWS, [], links=plan({"C2": link(2), "D3": link(3), "B2": link(9)})) == 2
    assert {ref: lk.target for ref, lk in links_of(path).items()} == {"C2": link(2).url, "D3": link(3).url}
    assert b'Extension="rels"' in members(path)["[Content_Types].xml"]
    _, data = sheet_xml(path)
    assert_schema_order(data)
    assert openpyxl.load_workbook(path)[C.INTERVIEWS]["C2"].hyperlink.target == link(2).url
    assert write_rows(path, C.INTERVIEWS, [], links=plan({"C2": link(2), "D3": link(3)})) == 0


@pytest.mark.parametrize("namespaces, prefix", [
    (b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"', "r"),  # no r: it is declared
    (b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="' + REL_NS.encode() + b'"',
     "rel"),  # the namespace under another prefix: that one is used
    (b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="urn:other"', "r1"),
])
def test_the_relationships_namespace_is_declared_when_missing(tmp_path, namespaces, prefix):
    path = plain_book(tmp_path / "p.xlsx", root_namespaces=namespaces)
    assert write_rows(path, C.INTERVIEWS, [], links=plan({"C2": link(2)})) == 1
    _, data = sheet_xml(path)
    root = etree.fromstring(data)
    assert root.nsmap[prefix] == REL_NS
    assert {ref: lk.target for ref, lk in links_of(path).items()} == {"C2": link(2).url}


def test_a_sheet_whose_elements_have_a_prefix(tmp_path):
    path = plain_book(tmp_path / "p.xlsx", prefix="x")
    assert write_rows(path, C.INTERVIEWS, [], links=plan({"C2": link(2)})) == 1
    _, data = sheet_xml(path)
    assert b"<x:hyperlinks><x:hyperlink " in data
    assert_schema_order(data)
    assert links_of(path)["C2"].target == link(2).url


def test_links_are_updated_removed_and_deduplicated(tmp_path):
    path = plain_book(tmp_path / "p.xlsx")
    assert write_rows(path, C.INTERVIEWS, [], links=plan({"C2": link(2), "C3": link(3), "D4": link(4)})) == 3
    first = links_of(path)
    # C2 changes target, C3 changes tooltip only, D4 goes, D5 comes.
    wanted = {"C2": link(22), "C3": link(3)._replace(tooltip="Call three"), "D4": None, "D5": link(5)}
    assert write_rows(path, C.INTERVIEWS, [], links=plan(wanted)) == 4
    links = links_of(path)
    assert links["C2"] == first["C2"]._replace(target=link(22).url, tooltip="Call 22")  # its relationship retargeted
    assert links["C3"] == first["C3"]._replace(tooltip="Call three")
    assert set(links) == {"C2", "C3", "D5"} and links["D5"].rid not in {lk.rid for lk in first.values()}
    part, _ = sheet_xml(path)
    rels = members(path)[rels_name(part)]
    assert link(4).url.encode() not in rels and rels.count(b"<Relationship ") == 3


def test_a_web_link_and_a_range_of_the_users_on_our_columns_keep_their_cells(tmp_path):
    path = plain_book(tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(path)
    wb[C.INTERVIEWS]["C2"].hyperlink = "https://example.com/a"
    wb.save(path)
    part, data = sheet_xml(path)  # a link over two cells (openpyxl writes one cell's)
    replace_member(path, part, data.replace(b"</hyperlinks>", b'<hyperlink ref="D3:D4" location="A1"/></hyperlinks>'))
    assert write_rows(path, C.INTERVIEWS, [], links=plan({"C2": link(2), "D3": link(3), "D4": link(4),
                                                          "D5": link(5)})) == 1
    links = links_of(path)
    assert links["C2"].target == "https://example.com/a" and links["D5"].target == link(5).url
    assert "D3" not in links and "D4" not in links


def test_ours_on_other_columns_or_the_header_are_not_ours(tmp_path):
    path = plain_book(tmp_path / "p.xlsx")
    write_rows(path, C.INTERVIEWS, [], links=plan({"A2": link(1), "C1": link(2)}, columns="AC", first_row=1))
    assert write_rows(path, C.INTERVIEWS, [], links=plan({})) == 0  # columns C, D from row 2: none of them is ours
    assert set(links_of(path)) == {"A2", "C1"}


def test_a_link_that_cannot_be_written_as_ours_is_left_out(tmp_path):
    path = plain_book(tmp_path / "p.xlsx")
    wanted = {"C2": SheetLink("https://example.com", "web"), "C3": SheetLink("tel:+1\x00", "nul"),
              "C4": SheetLink("mailto:a@example.com?body=" + "x" * 3000, "long"), "C5": SheetLink("tel:é", "é"),
              "D2": SheetLink("tel:+1-617-555-0100", "A \x00tip & <more> \"quoted\"\n" + "t" * 400),
              "junk": link(1), "C0": link(1)}
    assert write_rows(path, C.INTERVIEWS, [], links=plan(wanted)) == 1
    found = links_of(path)
    assert set(found) == {"D2"} and found["D2"].tooltip == ('A tip & <more> "quoted"\n' + "t" * 400)[:255]


def test_a_second_link_of_ours_on_one_cell_is_removed(tmp_path):
    path = plain_book(tmp_path / "p.xlsx")
    write_rows(path, C.INTERVIEWS, [], links=plan({"C2": link(2)}))
    part, data = sheet_xml(path)
    twice = data.replace(b"<hyperlink ", b'<hyperlink ref="C2" r:id="rId1" tooltip="Call 2"/><hyperlink ', 1)
    replace_member(path, part, twice)
    assert write_rows(path, C.INTERVIEWS, [], links=plan({"C2": link(2)})) == 1
    assert list(links_of(path)) == ["C2"]


def _claims_call_tooltips(url: str, tooltip: str | None) -> bool:
    """A caller's `LinkPlan.ours`: its links have tooltips "Call <n>"."""
    return bool(tooltip and re.fullmatch(r"Call \w+", tooltip))


def test_a_link_the_caller_does_not_claim_is_the_users_and_its_cell_gets_none(tmp_path):
    path = plain_book(tmp_path / "p.xlsx")
    mine = plan({"C2": link(2), "C3": link(3)})._replace(ours=_claims_call_tooltips)
    assert write_rows(path, C.INTERVIEWS, [], links=mine) == 2
    part, data = sheet_xml(path)
    theirs = data.replace(b'tooltip="Call 3"', b'tooltip="Recruiter, direct line"')
    replace_member(path, part, theirs)
    # C2 is no longer wanted: ours goes; C3's tel: link is the user's now: it stays, and C3 gets none.
    assert write_rows(path, C.INTERVIEWS, [], links=mine._replace(wanted={"C3": link(30)})) == 1
    found = links_of(path)
    assert set(found) == {"C3"} and found["C3"].target == link(3).url
    assert found["C3"].tooltip == "Recruiter, direct line"


@pytest.mark.parametrize("target, tooltip, ours", [
    ("mailto:a@example.com?body=" + "x" * 300, None, True),  # the whole link wanted, without its tooltip
    (("mailto:a@example.com?body=" + "x" * 300)[:255], None, True),  # as LibreOffice saves it: cut, no tooltip
    (("mailto:a@example.com?body=" + "x" * 300)[:254], None, False),  # another length: not LibreOffice's cut
    ("mailto:a@example.com", None, False),  # the user's own plain mail link
    ("mailto:a@example.com?body=" + "x" * 300, "mine", False),  # with a tooltip of the user's
])
def test_a_link_as_libreoffice_saves_ours_is_made_whole(tmp_path, target, tooltip, ours):
    path = plain_book(tmp_path / "p.xlsx")
    wanted = SheetLink("mailto:a@example.com?body=" + "x" * 300, "Call me")
    write_rows(path, C.INTERVIEWS, [], links=plan({"C2": SheetLink(target, tooltip or "")}))  # as it was left
    assert links_of(path)["C2"].tooltip == tooltip  # (an empty tooltip is written as none)
    assert write_rows(path, C.INTERVIEWS, [], links=plan({"C2": wanted})._replace(ours=_claims_call_tooltips)) == ours
    assert links_of(path)["C2"].target == (wanted.url if ours else target)


def test_schema_position_among_the_elements_after_sheet_data(tmp_path):
    """Conditional formats and data validations before <hyperlinks>; margins, setup,
    drawing, tables and extLst after it: the template's Interviews sheet has them all."""
    path = tracker(tmp_path / "t.xlsx")
    _, before = sheet_xml(path)
    assert {"conditionalFormatting", "dataValidations", "pageMargins", "tableParts"} <= set(child_order(before))
    refresh_file(path, MON)
    _, after = sheet_xml(path)
    assert_schema_order(after)
    order = child_order(after)
    assert order.index("hyperlinks") == order.index("dataValidations") + 1
    assert {name.decode() for name in AFTER_HYPERLINKS} <= set(SCHEMA_ORDER[SCHEMA_ORDER.index("hyperlinks") + 1:])


# --- Hostile parts ---------------------------------------------------------------------------

def test_relationships_that_are_not_xml_are_a_clear_error_and_the_file_is_untouched(tmp_path):
    path = tracker(tmp_path / "t.xlsx")
    part, _ = sheet_xml(path)
    replace_member(path, rels_name(part), b"<Relationships><not xml")
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match=r"is damaged: part xl/worksheets/_rels/sheet1.xml.rels is not valid XML"):
        refresh_file(path, MON)
    assert path.read_bytes() == before


def test_a_hyperlink_without_a_ref_is_kept_as_it_is(tmp_path):
    path = plain_book(tmp_path / "p.xlsx")
    write_rows(path, C.INTERVIEWS, [], links=plan({"C2": link(2)}))
    part, data = sheet_xml(path)
    replace_member(path, part, data.replace(b"<hyperlinks>", b'<hyperlinks><hyperlink location="A1"/>', 1))
    assert write_rows(path, C.INTERVIEWS, [], links=plan({"C3": link(3)})) == 2
    _, after = sheet_xml(path)
    assert b'<hyperlink location="A1"/>' in after and set(links_of(path)) == {None, "C3"}


def test_spaces_and_comments_inside_hyperlinks_are_kept(tmp_path):
    path = plain_book(tmp_path / "p.xlsx")
    write_rows(path, C.INTERVIEWS, [], links=plan({"C2": link(2)}))
    part, data = sheet_xml(path)
    spaced = data.replace(b"<hyperlinks>", b"<hyperlinks>\n  <!-- mine -->\n  ").replace(
        b"</hyperlinks>", b"\n</hyperlinks >")
    replace_member(path, part, spaced)
    assert write_rows(path, C.INTERVIEWS, [], links=plan({"C2": link(2), "C3": link(3)})) == 1
    _, after = sheet_xml(path)
    assert b"<!-- mine -->" in after and set(links_of(path)) == {"C2", "C3"}
    assert_schema_order(after)


def _many_links(path: Path, count: int, target: str, column: str) -> None:
    """``count`` hyperlinks on ``column`` (rows 2 on) to ``target``, written into the part."""
    part, data = sheet_xml(path)
    links = b"".join(b'<hyperlink ref="%s%d" r:id="rId%d"/>' % (column.encode(), n + 2, n + 1) for n in range(count))
    data = data.replace(b"<pageMargins", b"<hyperlinks>" + links + b"</hyperlinks><pageMargins", 1)
    data = data.replace(b"<worksheet ", b'<worksheet xmlns:r="' + REL_NS.encode() + b'" ', 1) \
        if b"xmlns:r=" not in data else data
    rels = b"".join(b'<Relationship Id="rId%d" Type="%s" Target="%s" TargetMode="External"/>'
                    % (n + 1, HYPERLINK_REL.encode(), target.encode()) for n in range(count))
    replace_member(path, part, data)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(rels_name(part), b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    b'package/2006/relationships">' + rels + b"</Relationships>")


def test_a_hundred_thousand_links_of_the_users_are_kept_and_ours_stay_under_excels_limit(tmp_path):
    path = plain_book(tmp_path / "p.xlsx")
    _many_links(path, 100_000, "https://example.com/", "A")
    assert write_rows(path, C.INTERVIEWS, [], links=plan({"C2": link(2)})) == 0  # no room left under 65,530
    assert len(links_of(path)) == 100_000 > MAX_SHEET_LINKS


def test_a_hundred_thousand_stale_links_of_ours_are_removed(tmp_path):
    path = plain_book(tmp_path / "p.xlsx")
    _many_links(path, 100_000, "tel:+1-617-555-0100", "C")
    assert write_rows(path, C.INTERVIEWS, [], links=plan({"C2": link(2)})) == 100_000  # one updated, the rest gone
    assert {ref: lk.target for ref, lk in links_of(path).items()} == {"C2": link(2).url}


@pytest.mark.parametrize("data, found", [
    (b'<a><!-- <b/> --><b x=">"/><c><d/></c><![CDATA[<e/>]]><?pi <f/>?></a>', [b"b", b"c"]),
    (b"<a></a>", []),
    (b"<a><b>text<c/></b><b/></a>", [b"b", b"b"]),
])
def test_children_reads_one_level_past_comments_cdata_and_quoted_brackets(data, found):
    top = children(data, 0, len(data)).elements[0]
    inner = children(data, top.tag_end, len(data))
    assert [el.name for el in inner.elements] == found
    assert data[inner.close:] == b"</a>"


def test_the_refreshed_sample_links_every_call_with_a_number(tmp_path):
    from tests.support.trackers import SAMPLE
    from workbook_tools.template.sample import SAMPLE_TODAY

    path = tmp_path / "s.xlsx"
    shutil.copyfile(SAMPLE, path)
    refresh_file(path, SAMPLE_TODAY)
    links = links_of(path)
    cols = columns(path)
    data = read_tracker(path)
    rows = compute(data, SAMPLE_TODAY).rows
    # Exactly: a row's call link on its Next Call date when it has one, its mail link on its Flag.
    dated = {f"{cols['Next Call']}{r.row}": r.call_link.url for r in rows if r.call_link and r.next_call}
    mails = {f"{cols['Flag']}{r.row}": r.mail_link.url for r in rows if r.mail_link and r.flag}
    assert dated and mails
    assert {ref: lk.target for ref, lk in links.items()} == dated | mails
    assert all(url.startswith("tel:+") for url in dated.values())
    assert all(url.startswith("mailto:") for url in mails.values())
    for ref in dated:
        row = split_ref(ref)[0]
        assert_a_date(path, ref, next(r.next_call for r in rows if r.row == row))
