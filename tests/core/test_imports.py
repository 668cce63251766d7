"""The pure side of `workbook-tools import` (issue 15, part 1): finding the header row,
the synonym table, --map, the stage map, dates through the engine's reader, the keys
that find duplicates, contacts, and the bad rows with their lines and fixes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from workbook_tools import contract as C
from workbook_tools.core.grid import tracker_data
from workbook_tools.core.imports import (
    BadMap,
    DateOrder,
    Known,
    SourceProblem,
    company_key,
    date_order,
    date_order_hint,
    find_header,
    header_key,
    header_score,
    known_rows,
    mapping_of,
    name_found,
    other_sheet_too,
    parse_maps,
    person_at,
    plan_import,
    position_key,
    sheet_score,
    stage_of,
    vocabulary,
)
from workbook_tools.core.rules.imports import STAGE_WORDS, STAGES, SYNONYMS, TARGETS

TODAY = date(2024, 11, 1)
NOTHING = Known(frozenset(), frozenset())
#: Values a user may have typed into any cell of a source.
HOSTILE = [None, "", "   ", "x" * 100_000, "\x00\x01", "../../etc/passwd", "=HYPERLINK(\"http://x\")", 0, -1, 3.5,
           float("nan"), float("inf"), 10**30, True, False, date(2013, 9, 27), datetime(2013, 9, 27, 9, 30),
           "\u202eevil", "\ud800", object()]


def plan(grid, known=NOTHING, maps=(), dayfirst=False, today=TODAY):
    return plan_import(grid, known, parse_maps(maps), today=today, dayfirst=dayfirst)


def one_row(header, row, **kwargs):
    """The plan of a source with one header row and one data row."""
    return plan([header, row], **kwargs)


# --- names --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "key"), [
    ("Company", "company"),
    ("  COMPANY   NAME ", "company name"),
    ("company_name", "company name"),
    ("companyName", "company name"),
    ("E-mail", "e mail"),
    ("Thank-You Sent", "thank you sent"),
    ("R&D", "r and d"),
    ("\U0001f7e1 Applied!", "applied"),
    ("Ｃｏｍｐａｎｙ", "company"),  # full-width letters
    (None, ""),
    (12, "12"),
    (3.0, "3"),
    ("\x00", ""),
])
def test_header_key_ignores_case_spacing_punctuation_and_joins(name, key):
    assert header_key(name) == key


def test_header_key_of_a_huge_text_is_bounded():
    assert len(header_key("a" * 100_000)) <= 320


SYNONYM_CASES = [(name, s.target) for s in SYNONYMS for name in s.names]


@pytest.mark.parametrize(("header", "target"), SYNONYM_CASES)
def test_every_synonym_maps_to_its_target(header, target):
    others = [h for h in ("Company", "Position", "Event Date") if h != target]
    report = mapping_of([[header, *others]], {})
    assert report.target_column(target).name == header


@pytest.mark.parametrize("header", sorted(TARGETS))
def test_every_target_name_maps_to_itself(header):
    report = mapping_of([["Company", header, "Event Date"]], {})
    assert report.target_column(header).name == header


@pytest.mark.parametrize(("head", "found"), [
    ([["Company", "Position"]], 0),
    ([["My job search, 2024"], [], ["Company", "Role", "Date"]], 2),
    ([["Company"], ["Company", "Date"]], 1),  # Company alone is no header
    ([["Position", "Date"]], None),  # no Company
    ([["Company", "Company Name"]], None),  # one target twice is one target
    ([["Company", "Date"], ["Company", "Role", "Date Applied", "Stage"]], 1),  # the most targets wins
    ([["Company", "Date"], ["Company", "Date"]], 0),  # the first on a tie
    ([[]] * 29 + [["Company", "Date"]], 29),
    ([[]] * 30 + [["Company", "Date"]], None),  # beyond the first 30 rows
    ([["x" * 100_000, "Company", "Date"]], 0),
    ([[None, 12, date(2024, 1, 1), "Company", "Stage"]], 0),
])
def test_the_header_row_is_the_best_of_the_first_30_rows(head, found):
    assert find_header(head, {}) == found


def test_map_names_make_a_header_and_count_for_the_score():
    head = [["Firma", "Stelle", "Datum"]]
    assert find_header(head, {}) is None
    maps = parse_maps(["Firma=Company", "Stelle=Position", "Datum=Event Date"])
    assert find_header(head, maps) == 0
    assert header_score(head, maps) == 3
    assert header_score(head, {}) == 0


def test_the_mapping_report_says_what_was_read_and_why_the_rest_was_not():
    header = ["Date", "Company", "Role", "Position", "Date Applied", "Salary", "Next Call", "Job URL", "Comments"]
    report = mapping_of([header], parse_maps(["Comments="]))
    assert [(m.name, m.target, m.how) for m in report.mapped] == [
        ("Company", "Company", "same name"),
        ("Position", "Position", "same name"),
        ("Date Applied", "Event Date", "synonym"),
        ("Job URL", "Link", "synonym"),
    ]
    assert [(i.name, i.why) for i in report.ignored] == [
        ("Date", "Event Date is read from column 'Date Applied'"),
        ("Role", "Position is read from column 'Position'"),
        ("Salary", "not a name the import knows (--map \"Salary=Position\" would read it as the Position, for one)"),
        ("Next Call", "refresh computes this column in the tracker"),
        ("Comments", "--map leaves it out"),
    ]
    assert report.header_line == 1


@pytest.mark.parametrize(("header", "winner"), [
    (["Role", "Job Title"], "Role"),  # two synonyms: the first
    (["Title", "Role"], "Role"),  # a weak synonym gives way
    (["Role", "Position"], "Position"),  # the target's own name first
    (["Job Title", "Position"], "Position"),
])
def test_two_columns_for_one_target(header, winner):
    report = mapping_of([["Company", "Date", *header]], {})
    assert report.target_column("Position").name == winner


def test_map_wins_over_every_name_and_unknown_maps_are_listed():
    report = mapping_of([["Company", "Position", "Job Title", "Date"]], parse_maps(["Job Title=Position", "Foo=Notes"]))
    assert report.target_column("Position").name == "Job Title"
    assert report.target_column("Position").how == "--map"
    assert ("Position", "Position is read from column 'Job Title'") in [(i.name, i.why) for i in report.ignored]
    assert report.unused_maps == ("foo",)


@pytest.mark.parametrize(("texts", "parsed"), [
    (["Job Title=Position"], {"job title": "Position"}),
    (["job_title = position"], {"job title": "Position"}),
    (["Firma=Company Name"], {"firma": "Company"}),  # a synonym names its target
    (["Salary="], {"salary": ""}),
    (["Salary=-"], {"salary": ""}),
    (["Salary=ignore"], {"salary": ""}),
    (["URL=Link", "E-Mail=Email"], {"url": "Link", "e mail": "Email"}),
])
def test_parse_maps(texts, parsed):
    assert parse_maps(texts) == parsed


@pytest.mark.parametrize(("text", "message"), [
    ("Job Title", "--map 'Job Title' is not COLUMN=TARGET: write it like \"Job Title=Position\""),
    ("=Position", "--map '=Position' is not COLUMN=TARGET: write it like \"Job Title=Position\""),
    ("Salary=Money", "--map 'Salary=Money': 'Money' is not a column the import fills; name one of "
                     + ", ".join(TARGETS) + " (or nothing after = to leave the column out)"),
    (None, "--map '' is not COLUMN=TARGET: write it like \"Job Title=Position\""),
    ("a=b=Notes", "--map 'a=b=Notes': 'b=Notes' is not a column the import fills; name one of "
                  + ", ".join(TARGETS) + " (or nothing after = to leave the column out)"),  # split at the first =
])
def test_bad_maps_say_what_to_write(text, message):
    with pytest.raises(BadMap) as raised:
        parse_maps([text])
    assert str(raised.value) == message


@pytest.mark.parametrize("value", HOSTILE)
def test_parse_maps_takes_any_value(value):
    try:
        parse_maps([value, f"{value}=Company"])
    except BadMap:
        pass


# --- stages -----------------------------------------------------------------------


@pytest.mark.parametrize(("stage", "type_", "status", "keep"), [
    ("Applied", C.APPLICATION, None, True),
    ("Application sent", C.APPLICATION, None, True),
    ("  APPLIED. ", C.APPLICATION, None, True),
    ("\U0001f7e1 Applied", C.APPLICATION, None, True),
    ("Phone screen", C.PHONE_SCREEN, None, True),
    ("phone-screen", C.PHONE_SCREEN, None, True),
    ("Screening", C.PHONE_SCREEN, None, True),
    ("Recruiter call", C.PHONE_SCREEN, None, True),
    ("Interviewing", C.INTERVIEW, None, True),
    ("Onsite", C.INTERVIEW, None, True),
    ("On-site", C.INTERVIEW, None, True),
    ("Interview", C.INTERVIEW, None, True),
    ("Offer", None, C.OFFER, True),
    ("Accepted", None, C.HIRED, True),
    ("Rejected", None, C.NOT_SELECTED, True),
    ("Declined", None, C.NOT_SELECTED, True),
    ("not selected", None, C.NOT_SELECTED, True),
    ("Ghosted", None, C.CLOSED, True),
    ("No response", None, C.CLOSED, True),
    ("Withdrawn", None, C.WITHDRAWN, True),
    ("Active", None, None, True),
    ("Networking", C.NETWORKING, None, True),
    ("Wishlist", None, None, False),
    ("Saved", None, None, False),
    ("Bookmarked", None, None, False),
])
def test_the_stage_map(stage, type_, status, keep):
    found = stage_of(stage)
    assert (found.type, found.status, found.keep) == (type_, status, keep)


@pytest.mark.parametrize(("stage", "type_", "status", "keep"), [
    ("Rejected after the onsite", None, C.NOT_SELECTED, True),  # the closing word first
    ("Position filled", None, C.CLOSED, True),
    ("Cancelled by employer", None, C.CLOSED, True),
    ("Not moving forward", None, C.NOT_SELECTED, True),
    ("I Withdrew", None, C.WITHDRAWN, True),
    ("Offer declined", None, C.WITHDRAWN, True),  # the candidate's choice, not the employer's
    ("Offer - accepted", None, C.HIRED, True),
    ("Offer extended", None, C.OFFER, True),
    ("2nd interview", C.INTERVIEW, None, True),
    ("Onsite Interview", C.INTERVIEW, None, True),
    ("Technical screen", C.PHONE_SCREEN, None, True),
    ("Saved, not applied", None, None, False),
    ("Applied via referral", C.APPLICATION, None, True),
])
def test_stages_with_more_words_are_read_by_their_words(stage, type_, status, keep):
    found = stage_of(stage)
    assert (found.type, found.status, found.keep) == (type_, status, keep)


@pytest.mark.parametrize("value", ["Sent a carrier pigeon", "Phone", "", None, "x" * 100_000, 3, "\x00"])
def test_stages_the_table_does_not_know(value):
    assert stage_of(value) is None


def test_every_stage_entry_names_its_source_and_contract_values():
    for stage in [*STAGES.values(), *(entry.stage for entry in STAGE_WORDS)]:
        assert stage.source
        assert stage.type in (None, *C.TYPES) and stage.status in (None, *C.STATUSES)
    assert all(s.source for s in SYNONYMS) and all(t.source for t in TARGETS.values())


def test_an_unknown_stage_is_reported_kept_in_notes_and_left_open():
    got = one_row(["Company", "Date", "Stage", "Notes"], ["Acme", "2024-06-12", "Sent a carrier pigeon", "Met at fair"])
    (row,) = got.rows
    assert "Status" not in row.interview
    assert row.interview["Notes"] == "Met at fair\nStage: Sent a carrier pigeon"
    assert [n.message for n in got.notices] == [
        "stage 'Sent a carrier pigeon' is not one the import knows: the row is left open, and the stage kept in Notes"]


def test_saved_jobs_are_counted_and_left_out():
    got = plan([["Company", "Date", "Stage"], ["Acme", "", "Wishlist"], ["Globex", "2024-06-12", "Applied"]])
    assert got.not_applied == 1 and [r.interview["Company"] for r in got.rows] == ["Globex"] and got.bad == ()


@pytest.mark.parametrize(("header", "row", "type_", "status"), [
    (["Company", "Date", "Stage"], ["A", "2024-06-12", "Offer"], None, C.OFFER),
    (["Company", "Date Applied", "Stage"], ["A", "2024-06-12", "Rejected"], C.APPLICATION, C.NOT_SELECTED),
    (["Company", "Interview Date"], ["A", "2024-06-12"], C.INTERVIEW, None),
    (["Company", "Date Applied", "Stage"], ["A", "2024-06-12", "Onsite"], C.INTERVIEW, None),
    (["Company", "Date Applied", "Type", "Stage"], ["A", "2024-06-12", "referral", "Applied"], C.REFERRAL, None),
    (["Company", "Date", "Type"], ["A", "2024-06-12", "Phone screen"], C.PHONE_SCREEN, None),
    (["Company", "Date", "Type"], ["A", "2024-06-12", "Screening"], C.PHONE_SCREEN, None),  # a stage as a Type
])
def test_type_comes_from_the_type_cell_then_the_stage_then_the_date_column(header, row, type_, status):
    (got,) = one_row(header, row).rows
    assert (got.interview.get("Type"), got.interview.get("Status")) == (type_, status)


def test_an_unknown_type_goes_to_notes():
    got = one_row(["Company", "Date", "Type"], ["A", "2024-06-12", "Coffee"])
    assert got.rows[0].interview["Notes"] == "Type: Coffee"
    assert got.notices[0].message == "Type 'Coffee' is not one of " + ", ".join(C.TYPES) + ": kept in Notes"


# --- dates ------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "dayfirst", "day"), [
    ("2024-06-12", False, date(2024, 6, 12)),
    ("2024-06-12", True, date(2024, 6, 12)),
    ("2024-06-12T10:00:00.000Z", True, date(2024, 6, 12)),  # an export's ISO time never swaps day and month
    ("2024-06-12 16:05:00", True, date(2024, 6, 12)),
    ("6/12/24, 4:05 PM", False, date(2024, 6, 12)),  # LinkedIn-style two-digit year
    ("6/12/24", True, date(2024, 12, 6)),
    ("12-Jun-24", False, date(2024, 6, 12)),
    ("06/12/2024", False, date(2024, 6, 12)),
    ("06/12/2024", True, date(2024, 12, 6)),
    ("15/06/2024", False, date(2024, 6, 15)),  # can only be day first
    ("12.06.2024", False, date(2024, 6, 12)),
    ("Jun 12, 2024", True, date(2024, 6, 12)),
    (45455, False, date(2024, 6, 12)),
    (45455.0, False, date(2024, 6, 12)),
    (datetime(2024, 6, 12, 9, 30), False, date(2024, 6, 12)),
    (date(2024, 6, 12), False, date(2024, 6, 12)),
])
def test_event_dates_are_read_as_typed_cells_are(value, dayfirst, day):
    (row,) = one_row(["Company", "Date"], ["Acme", value], dayfirst=dayfirst).rows
    assert row.interview["Event Date"] == day


def test_a_date_without_its_year_is_placed_before_today_and_said():
    got = one_row(["Company", "Date"], ["Acme", "3 Dec"])
    assert got.rows[0].interview["Event Date"] == date(2023, 12, 3)
    assert [(n.line, n.message) for n in got.notices] == [(2, "'3 Dec' has no year: read as Sun 3 Dec 2023")]


def test_decision_and_thank_you_dates_and_what_is_no_date_goes_to_notes():
    header = ["Company", "Date", "Decision Date", "Thank-You Sent"]
    (row,) = one_row(header, ["Acme", "2024-06-12", "20 Jun", "next week"]).rows
    assert row.interview["Decision By"] == date(2024, 6, 20)  # placed after the event
    assert "Thank-You Sent" not in row.interview
    assert row.interview["Notes"] == "Thank-You Sent: next week"


# --- bad rows --------------------------------------------------------------------


@pytest.mark.parametrize(("row", "problem", "fix"), [
    (["", "2024-06-12"], "no company (column 'Employer' is blank)",
     "write the company in column 'Employer' on line 3 and import again"),
    (["Acme", ""], "no date (column 'Applied On' is blank)",
     "write the date with its year (such as 2013-09-27) in column 'Applied On' on line 3 and import again"),
    (["Acme", "soon"], "Applied On: 'soon' is not a date",
     "write the date with its year (such as 2013-09-27) in column 'Applied On' on line 3 and import again"),
    (["Acme", "12/06"], None, None),  # no year: placed, not bad
    (["Acme", "31/02/2024"], "Applied On: '31/02/2024' is not a real day: that month is shorter",
     "write the date with its year (such as 2013-09-27) in column 'Applied On' on line 3 and import again"),
    (["Acme", "12 Jun 24"], "Applied On: '12 Jun 24' has a short year: write all four digits",
     "write the date with its year (such as 2013-09-27) in column 'Applied On' on line 3 and import again"),
    (["Acme", True], "Applied On: TRUE is not a date",
     "write the date with its year (such as 2013-09-27) in column 'Applied On' on line 3 and import again"),
])
def test_bad_rows_name_their_line_and_the_fix(row, problem, fix):
    got = plan([["Employer", "Applied On"], ["Globex", "2024-01-02"], row, ["Initech", "2024-01-03"]])
    if problem is None:
        assert got.bad == () and len(got.rows) == 3
    else:
        assert [(b.line, b.problem, b.fix) for b in got.bad] == [(3, problem, fix)]
        assert [r.line for r in got.rows] == [2, 4]


def test_blank_rows_are_neither_rows_nor_bad():
    got = plan([["Company", "Date", "Salary"], [], ["", "", "100k"], [None, None], ["Acme", "2024-06-12"]])
    assert [r.line for r in got.rows] == [5] and got.bad == ()


@pytest.mark.parametrize(("head", "message", "fix"), [
    ([["Position", "Date"]],
     "no header row in the first 30 rows (a row naming a Company column and one more, such as Position, "
     "Date Applied or Status)",
     "put the column names in one row above the data, or name the columns with --map \"Your column=Company\""),
    ([["Title"], ["Company", "Position", "Stage"]],
     "no date column in the header row (line 2): every row needs its Event Date (the application, interview or "
     "meeting date)", "name the column that holds the dates with --map \"Your column=Event Date\""),
    ([], "no header row in the first 30 rows (a row naming a Company column and one more, such as Position, "
         "Date Applied or Status)",
     "put the column names in one row above the data, or name the columns with --map \"Your column=Company\""),
])
def test_a_source_that_cannot_be_read_says_why(head, message, fix):
    with pytest.raises(SourceProblem) as raised:
        plan(head)
    assert (raised.value.message, raised.value.fix) == (message, fix)


# --- duplicates -------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [
    ("Acme", "ACME"),
    ("Acme, Inc.", "Acme"),
    ("Acme Ltd", "acme limited"),
    ("The Acme Company", "Acme"),
    ("Acme GmbH & Co. KG", "Acme GmbH and Co KG"),
    ("Société Générale", "Societe Generale SA"),
    ("  Acme   Corp ", "acme"),
])
def test_company_keys_match_leniently(a, b):
    assert company_key(a) == company_key(b)


@pytest.mark.parametrize(("a", "b"), [("Acme", "Acne"), ("Co", "Inc"), ("Acme Bank", "Acme")])
def test_company_keys_tell_companies_apart(a, b):
    assert company_key(a) != company_key(b)


def test_position_keys_ignore_case_spaces_and_punctuation():
    assert position_key("Sr. Data-Analyst") == position_key("sr data analyst") != position_key("Data Analyst")


@pytest.mark.parametrize("value", HOSTILE)
def test_keys_take_any_value(value):
    assert isinstance(company_key(value), str) and isinstance(position_key(value), str)


def test_duplicates_within_the_import_and_against_the_tracker():
    data = tracker_data(interviews=[{"Company": "Acme Inc.", "Position": "Analyst", "Event Date": date(2024, 6, 12)}],
                        contacts=[{"Name": "Jane O'Brien"}])
    known = known_rows(data, today=TODAY, dayfirst=False)
    got = plan([["Company", "Position", "Date", "Contact"],
                ["ACME", "analyst", "2024-06-12", "Jane OBrien"],  # in the tracker
                ["Acme", "Analyst", "2024-06-13", "jane o\u2019brien"],  # another day: a new row, a known person
                ["Acme", "Analyst", "2024-06-13", ""],  # the row above again
                ["Acme", "Engineer", "2024-06-13", "Bob"]], known=known)
    assert got.duplicates == 2
    assert [(r.line, r.interview["Position"], r.contact) for r in got.rows] == [
        (3, "Analyst", None), (5, "Engineer", {"Name": "Bob", "Company": "Acme"})]
    after = known.plus(got)
    assert plan([["Company", "Position", "Date"], ["Acme", "Engineer", "2024-06-13"]], known=after).duplicates == 1


def test_known_rows_skip_what_cannot_be_keyed():
    data = tracker_data(interviews=[{"Company": "Acme", "Event Date": "someday"}, {"Event Date": date(2024, 1, 1)},
                                    {"Company": "Globex", "Event Date": "2024-01-02"}])
    assert known_rows(data, today=TODAY, dayfirst=False).rows == {
        ("globex", "", date(2024, 1, 2))}


# --- contacts and notes ------------------------------------------------------------


def test_a_new_person_gets_a_contacts_row_once():
    header = ["Company", "Date", "Recruiter", "Recruiter Email", "Phone Number", "Recruiter Title", "Timezone"]
    got = plan([header, ["Acme", "2024-06-12", "Jane Roe", "jane@acme.com", "555-0100", "Talent lead", "Europe/Oslo"],
                ["Acme", "2024-06-20", "JANE ROE", "", "", "", ""]])
    assert [r.contact for r in got.rows] == [
        {"Name": "Jane Roe", "Company": "Acme", "Email": "jane@acme.com", "Phone": "555-0100", "Title": "Talent lead",
         "Time Zone": "Europe/Oslo"}, None]
    assert [r.interview["Contact"] for r in got.rows] == ["Jane Roe", "JANE ROE"]


def test_details_without_a_name_and_links_go_to_notes():
    header = ["Company", "Date", "Email", "Phone", "Notes", "Job URL", "Posting"]
    got = one_row(header, ["Acme", "2024-06-12", "hr@acme.com", 5550100, "Referred by Sam", "http://a/1", "http://a/2"])
    (row,) = got.rows
    assert row.contact is None and "Contact" not in row.interview
    assert row.interview["Notes"] == "Referred by Sam\nJob URL: http://a/1\nPhone: 5550100\nEmail: hr@acme.com"
    assert [(i.name, i.why) for i in got.mapping.ignored] == [("Posting", "Link is read from column 'Job URL'")]


def test_a_text_longer_than_a_cell_holds_is_cut_and_said():
    got = one_row(["Company", "Date", "Notes"], ["Acme", "2024-06-12", "n" * 1_000_000])
    notes = got.rows[0].interview["Notes"]
    assert len(notes) == C.MAX_CELL_TEXT and notes.endswith("\u2026")
    assert [n.message for n in got.notices] == ["the Notes are longer than a cell holds: cut to 32,767 characters"]
    wide = one_row(["Company", "Date"], ["\U0001f600" * 20_000, "2024-06-12"]).rows[0].interview["Company"]
    assert len(wide.encode("utf-16-le")) // 2 <= C.MAX_CELL_TEXT


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("column", ["Company", "Position", "Date", "Stage", "Type", "Contact", "Email", "Notes",
                                    "Decision By", "URL"])
def test_any_cell_value_gives_a_row_a_bad_row_or_nothing(value, column):
    header = ["Company", "Position", "Date", "Stage", "Type", "Contact", "Email", "Notes", "Decision By", "URL"]
    row = ["Acme", "Analyst", "2024-06-12", "Applied", "", "Jane", "j@a.com", "", "", ""]
    row[header.index(column)] = value
    got = plan([header, row, ["Globex", "Dev", "2024-06-13"]])
    assert len(got.rows) + len(got.bad) == 2
    for r in got.rows:
        assert all(isinstance(v, (str, date)) for v in r.interview.values())
        assert all(len(v) <= C.MAX_CELL_TEXT for v in r.interview.values() if isinstance(v, str))


@pytest.mark.parametrize("value", HOSTILE)
def test_any_header_cell_is_taken(value):
    report = mapping_of([[value, "Company", "Date"]], {})
    assert report.target_column("Company").column == 1


def test_rows_of_any_shape_are_taken():
    got = plan([("Company", "Date"), ["Acme"], ["Globex", "2024-06-12", "extra", "cells"], ()])
    assert [r.line for r in got.rows] == [3] and [b.line for b in got.bad] == [2]


# --- headers with hints, dates in their column's order, ranges, interview dates ------------


@pytest.mark.parametrize(("header", "target", "how"), [
    ("Date Applied (MM/DD/YYYY)", "Event Date", "synonym, hint left out"),
    ("Company (required)", "Company", "same name, hint left out"),
    ("Company [legal name]", "Company", "same name, hint left out"),
    ("Job Title / Role", "Position", "synonym, hint left out"),
    ("Role or Job Title", "Position", "synonym, hint left out"),
    ("Status (Applied/Interview/Offer)", "Status", "same name, hint left out"),
    ("E-mail address", "Email", "synonym, hint left out"),
    ("Recruiter's Email", "Email", "synonym, hint left out"),
    ("Interview Date/Time", "Interview Date", "same name, hint left out"),
    ("Email", "Email", "same name"),
])
def test_headers_with_hints_alternatives_and_filler_words(header, target, how):
    found = name_found(header)
    assert (found.known.target, found.known.how + ("" if found.whole else ", hint left out")) == (target, how)
    report = mapping_of([["Company", "Date", header]], {})
    assert report.target_column(target).how == how or target in ("Company", "Event Date")


@pytest.mark.parametrize("header", ["Your Email", "(MM/DD/YYYY)", "Salary (USD)", "/", "x" * 100, None, 3])
def test_headers_a_hint_does_not_make_known(header):
    assert name_found(header) is None


def test_the_whole_name_beats_a_name_with_a_hint():
    report = mapping_of([["Company (parent)", "Company", "Date"]], {})
    assert report.target_column("Company").name == "Company"
    assert [(i.name, i.why) for i in report.ignored] == [("Company (parent)", "Company is read from column 'Company'")]


@pytest.mark.parametrize(("values", "hint", "dayfirst", "order"), [
    (["6/12/24", "6/20/24"], None, True, DateOrder(False, "as its '6/20/24' on line 3 shows", 3)),
    (["12/06/2024", "25/06/2024"], None, False, DateOrder(True, "as its '25/06/2024' on line 3 shows", 3)),
    (["12.06.2024", "13/06/2024"], None, False, DateOrder(True, "as its '13/06/2024' on line 3 shows", 3)),
    (["12/06/2024", "06/12/2024"], None, False, DateOrder(False)),  # ambiguous: the Settings
    (["12/06/2024", "06/12/2024"], None, True, DateOrder(True)),
    (["25/06/2024", "06/25/2024"], None, False, DateOrder(False)),  # both orders proven: the Settings
    (["12/06/2024"], True, False, DateOrder(True, "as its header's hint says")),
    (["25/06/2024"], False, False, DateOrder(True, "as its '25/06/2024' on line 2 shows", 2)),  # values beat the hint
    (["2024/06/25", "June 25, 2024", None, 45455, "x" * 100_000, "99/99/9999"], None, True, DateOrder(True)),
])
def test_a_columns_dates_prove_their_order(values, hint, dayfirst, order):
    assert date_order(enumerate(values, 2), hint, dayfirst) == order


@pytest.mark.parametrize(("header", "hint"), [
    ("Date Applied (MM/DD/YYYY)", False), ("Date (dd.mm.yyyy)", True), ("Applied [D/M/Y]", True),
    ("Date Applied", None), ("Date (any)", None), (None, None), ("(" * 100, None),
])
def test_a_date_columns_hint(header, hint):
    assert date_order_hint(header) == hint


def test_the_order_a_column_proves_is_used_for_the_whole_column_and_said():
    got = plan([["Company", "Application Date", "Decision Date"], ["Acme", "6/12/24, 4:05 PM", "14/07/2024"],
                ["Globex", "6/20/24", "07/08/2024"]], dayfirst=True)
    assert [(r.interview["Event Date"], r.interview["Decision By"]) for r in got.rows] == [
        (date(2024, 6, 12), date(2024, 7, 14)), (date(2024, 6, 20), date(2024, 8, 7))]
    assert [(n.line, n.message) for n in got.notices] == [
        (3, "the dates in column 'Application Date' are read month first, as its '6/20/24' on line 3 shows (the "
            "tracker's Settings Country writes the day first)")]


@pytest.mark.parametrize(("value", "dayfirst", "day"), [
    ("2024/06/12", True, date(2024, 6, 12)),
    ("2024.06.12", True, date(2024, 6, 12)),
    ("2024-6-12", True, date(2024, 6, 12)),
    ("2024/06/12 10:00", True, date(2024, 6, 12)),
    ("Wed 2024-06-12", True, date(2024, 6, 12)),
    ("2024/06/12", False, date(2024, 6, 12)),
])
def test_year_first_dates_are_year_month_day_everywhere(value, dayfirst, day):
    (row,) = one_row(["Company", "Date"], ["Acme", value], dayfirst=dayfirst).rows
    assert row.interview["Event Date"] == day


@pytest.mark.parametrize(("value", "problem"), [
    ("2024/13/06", "Date: '2024/13/06' is not a real day (a date written year first is year, month, day)"),
    ("2024/06/12 soon", "Date: '2024/06/12 soon' is not a date"),
    ("Tue 2024-06-12", "Date: 'Tue 2024-06-12' says Tuesday, but 12 Jun 2024 is a Wednesday"),
])
def test_year_first_dates_that_are_no_date(value, problem):
    got = one_row(["Company", "Date"], ["Acme", value], dayfirst=True)
    assert [b.problem for b in got.bad] == [problem]


@pytest.mark.parametrize(("value", "dayfirst", "day"), [
    ("June 12, 2024 \u2192 June 14, 2024", False, date(2024, 6, 12)),
    ("2024-06-12 - 2024-06-14", False, date(2024, 6, 12)),
    ("12/06/2024 to 14/06/2024", True, date(2024, 6, 12)),
    ("12 Jun 2024\u201314 Jun 2024", True, date(2024, 6, 12)),
    ("6/12/2024 -> 6/14/2024", False, date(2024, 6, 12)),
])
def test_a_date_range_is_read_as_its_start(value, dayfirst, day):
    got = one_row(["Company", "Date"], ["Acme", value], dayfirst=dayfirst)
    assert [r.interview["Event Date"] for r in got.rows] == [day]
    assert got.notices[-1].message.endswith(f"is a range of dates: read as its start, {day:%a} {day.day} {day:%b %Y}")


def test_a_range_that_does_not_start_with_a_date_is_a_bad_row():
    got = one_row(["Company", "Date"], ["Acme", "12\u201314 June 2024"])
    assert [b.problem for b in got.bad] == ["Date: '12\u201314 June 2024' is not a date, nor a range of dates "
                                            "starting with one"]


@pytest.mark.parametrize(("row", "day", "type_", "notes"), [
    (["Acme", "Interviewing", "2024-06-01", "2024-06-20"], date(2024, 6, 20), C.INTERVIEW,
     "Date Applied: Sat 1 Jun 2024"),
    (["Acme", "Applied", "2024-06-01", "2024-06-20"], date(2024, 6, 20), C.INTERVIEW, "Date Applied: Sat 1 Jun 2024"),
    (["Acme", "Phone screen", "2024-06-01", "2024-06-20"], date(2024, 6, 20), C.PHONE_SCREEN,
     "Date Applied: Sat 1 Jun 2024"),
    (["Acme", "Applied", "2024-06-01", ""], date(2024, 6, 1), C.APPLICATION, None),
    (["Acme", "", "", "2024-06-20"], date(2024, 6, 20), C.INTERVIEW, None),
    (["Acme", "", "last spring", "2024-06-20"], date(2024, 6, 20), C.INTERVIEW, "Date Applied: last spring"),
])
def test_a_filled_interview_date_beside_the_application_date_is_the_event(row, day, type_, notes):
    (got,) = one_row(["Company", "Stage", "Date Applied", "Interview Date"], row).rows
    assert (got.interview["Event Date"], got.interview.get("Type"), got.interview.get("Notes")) == (day, type_, notes)


def test_an_interview_date_that_is_no_date_is_a_bad_row_naming_its_column():
    got = one_row(["Company", "Date Applied", "Date of Interview"], ["Acme", "2024-06-01", "soon"])
    assert [(b.line, b.problem) for b in got.bad] == [(2, "Date of Interview: 'soon' is not a date")]


def test_the_mapping_of_both_date_columns():
    report = mapping_of([["Company", "Interview Date", "Date Applied"]], {})
    assert [(m.name, m.target) for m in report.mapped] == [
        ("Company", "Company"), ("Interview Date", "Interview Date"), ("Date Applied", "Event Date")]


# --- namesakes, rows without a position, the tracker's own columns -------------------------


def known_people(*people):
    return Known(frozenset(), frozenset(p.person for p in people), frozenset(people))


@pytest.mark.parametrize(("people", "company", "linked"), [
    ([("Jane Roe", "Acme")], "Acme", True),
    ([("Jane Roe", "Acme Inc.")], "ACME", True),  # one company, written two ways
    ([("Jane Roe", "")], "Globex", True),  # no company on Contacts: the same person
    ([("Jane Roe", "Acme"), ("Jane Roe", "Globex")], "Globex", True),
    ([("Jane Roe", "Acme")], "Globex", False),
])
def test_a_known_name_is_linked_only_at_the_same_company(people, company, linked):
    known = known_people(*(person_at(n, c) for n, c in people))
    got = plan([["Company", "Date", "Contact", "Email", "Phone"], [company, "2024-06-12", "JANE ROE", "j@x.example",
                                                                   "555-0400"]], known=known)
    (row,) = got.rows
    assert row.contact is None
    if linked:
        assert (row.interview["Contact"], row.interview.get("Notes"), got.notices) == ("JANE ROE", None, ())
    else:
        assert "Contact" not in row.interview
        assert row.interview["Notes"] == "Contact: JANE ROE\nPhone: 555-0400\nEmail: j@x.example"
        assert [n.message for n in got.notices] == [
            "'JANE ROE' is on Contacts at Acme, and this row is at Globex: it is not linked to that contact, and its "
            "contact details are kept in its Notes. Fix: if they are one person, type the name in the row's Contact; "
            "if two, add this one to Contacts under a name that tells them apart (such as 'JANE ROE (Globex)') and "
            "type that in the row's Contact"]


def test_a_namesake_within_the_import_is_not_linked_either():
    got = plan([["Company", "Date", "Contact", "Phone"], ["Initech", "2024-06-03", "John Smith", "555-0300"],
                ["Hooli", "2024-06-04", "John Smith", "555-0400"]])
    assert [r.contact for r in got.rows] == [{"Name": "John Smith", "Company": "Initech", "Phone": "555-0300"}, None]
    assert got.rows[1].interview["Notes"] == "Contact: John Smith\nPhone: 555-0400"
    assert known_people().plus(got).employers == {person_at("John Smith", "Initech")}


def test_known_rows_hold_where_each_contact_works():
    data = tracker_data(contacts=[{"Name": "Jane Roe", "Company": "Acme Ltd"}, {"Name": "Bob"}])
    known = known_rows(data, today=TODAY, dayfirst=False)
    assert known.employers == {person_at("Jane Roe", "Acme Ltd"), person_at("Bob", "")}
    assert known.people == {"janeroe", "bob"}


@pytest.mark.parametrize(("tracker", "row", "duplicate"), [
    ([("Acme", "Analyst")], ["ACME", "", "2024-06-12"], True),  # the one lead of that company that day
    ([("Acme", "")], ["Acme", "", "2024-06-12"], True),
    ([("Acme", "Analyst"), ("Acme", "Engineer")], ["Acme", "", "2024-06-12"], False),  # which one? a new row
    ([("Acme", "Analyst")], ["Acme", "", "2024-06-13"], False),  # another day
    ([("Acme", "")], ["Acme", "Analyst", "2024-06-12"], False),  # a position is another lead
])
def test_a_row_without_a_position_is_the_one_lead_of_its_company_and_day(tracker, row, duplicate):
    data = tracker_data(interviews=[{"Company": c, "Position": p, "Event Date": date(2024, 6, 12)} for c, p in tracker])
    got = plan([["Company", "Position", "Date"], row], known=known_rows(data, today=TODAY, dayfirst=False))
    assert (got.duplicates, len(got.rows)) == ((1, 0) if duplicate else (0, 1))


def test_rows_without_a_position_within_the_import():
    got = plan([["Company", "Position", "Date"], ["Acme", "Analyst", "2024-06-12"], ["Acme", "", "2024-06-12"],
                ["Globex", "", "2024-06-12"], ["Globex", "", "2024-06-12"]])
    assert (got.duplicates, [r.line for r in got.rows]) == (2, [2, 4])


USER_WORDS = vocabulary(["My Rating", "Salary", "Stage", "Next Call", "", None, "x" * 200])


@pytest.mark.parametrize(("value", "written"), [
    ("5", 5), ("120000", 120000), ("1.5", 1.5), ("-3", -3), ("007", "007"), ("5 stars", "5 stars"), (4.0, 4.0),
    (True, True), (date(2024, 1, 2), date(2024, 1, 2)), ("=1+1", "=1+1"), (10**30, str(10**30)),
])
def test_a_column_of_the_trackers_own_is_filled_from_the_same_name(value, written):
    got = plan_import([["Company", "Date", "My Rating"], ["Acme", "2024-06-12", value]], NOTHING, {}, today=TODAY,
                      dayfirst=False, words=USER_WORDS)
    assert got.rows[0].interview["My Rating"] == written
    assert got.mapping.target_column("My Rating").how == "same name"


def test_the_trackers_own_columns_and_map():
    assert list(USER_WORDS.targets)[-2:] == ["My Rating", "Salary"]  # "Stage" keeps its meaning; the rest no name
    assert parse_maps(["Pay=Salary", "My Rating=My Rating"], USER_WORDS) == {"pay": "Salary", "my rating": "My Rating"}
    with pytest.raises(BadMap, match="'Salary' is not a column the import fills"):
        parse_maps(["Pay=Salary"])
    got = plan_import([["Company", "Date", "Stage", "Pay"], ["Acme", "2024-06-12", "Offer", "100k"]], NOTHING,
                      parse_maps(["Pay=Salary"], USER_WORDS), today=TODAY, dayfirst=False, words=USER_WORDS)
    assert (got.rows[0].interview["Status"], got.rows[0].interview["Salary"]) == (C.OFFER, "100k")


@pytest.mark.parametrize("value", HOSTILE)
def test_the_new_readings_take_any_value(value):
    name_found(value)
    date_order_hint(value)
    date_order([(2, value)], None, True)
    vocabulary([value])
    one_row(["Company", "Date Applied", "Interview Date", "Contact", "My Rating"],
            ["Acme", "2024-06-12", value, value, value])


@pytest.mark.parametrize(("head", "score"), [
    ([["Company", "Position", "Date Applied"]], 1003),
    ([["Company", "Position", "Date"]], 3),  # a bare Date: maybe a list of calls
    ([["Company", "Interview Date"]], 1002),
    ([["Name", "Company", "Email", "Phone"]], 0 + 3),  # a list of people: a header, no date
    ([["Notes"]], 0),
])
def test_sheet_scores(head, score):
    assert sheet_score(head, {}) == score


@pytest.mark.parametrize(("best", "score", "too"), [
    (1003, 1003, True), (1003, 1002, True), (1003, 5, False), (3, 3, True), (3, 2, False), (0, 0, False),
])
def test_which_other_sheets_come_in_too(best, score, too):
    assert other_sheet_too(best, score) is too
