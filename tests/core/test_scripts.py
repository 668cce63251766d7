"""Message templates: blanks phrased around, sentence boundaries, bracket and unknown
placeholders, the fast path, and first names."""

from __future__ import annotations

from datetime import date

import pytest

from workbook_tools.core.rules.texts import Blank, BlankRule
from workbook_tools.core.scripts import compile_template, first_name

KNOWN = {"first name", "your name", "your phone", "your email", "talking point", "company", "position",
         "contact", "shoe size", "event day", "where we met"}


def render(text: str, values: dict[str, object]) -> str:
    return compile_template("t", text, KNOWN).render(values)


@pytest.mark.parametrize("text, values, rendered", [
    # Filled in as written.
    ("Hi {First Name}, {Your Name} here", {"first name": "Jo", "your name": "Sam"}, "Hi Jo, Sam here"),
    ("{ company }!", {"company": "=HYPERLINK(1)"}, "=HYPERLINK(1)!"),
    ("About {Company}.", {"company": "{Shoe Size} [Position]"}, "About {Shoe Size} [Position]."),
    # VANISH: the words around close up.
    ("the {Position} role", {}, "the role"),
    ("Hello {First Name},", {}, "Hello,"),
    ("Hello {First Name}, this is Sam.", {}, "Hello, this is Sam."),
    ("Thank you, {First Name}.", {}, "Thank you."),
    ("Thanks {First Name}!", {}, "Thanks!"),
    ("Thanks again, {First Name}", {}, "Thanks again"),
    ("{First Name}, thanks for calling.", {}, "Thanks for calling."),
    ("the role ({Position}) at Acme", {}, "the role at Acme"),
    ("Hello {First Name}.\n{First Name}\nBye", {}, "Hello.\nBye"),
    ("Dear {First Name} {Contact},", {}, "Dear,"),
    # DROP_SENTENCE: the sentence holding it is left out.
    ("One thing I would bring from day one: {Talking Point}.", {}, ""),
    ("Hi. One thing I would bring from day one: {Talking Point}. Bye.", {}, "Hi. Bye."),
    ("Hi. Call me on {Your Phone}.", {}, "Hi."),
    ("Hi. Call me on {Your Phone}.\nBye", {}, "Hi.\nBye"),
    ("Hi.\n\nCall me on {Your Phone}.\n\nBye", {}, "Hi.\n\nBye"),
    ("We met at {Where We Met}. Thanks.", {"where we met": "the meetup"}, "We met at the meetup. Thanks."),
    # A column of the user's own: its sentence goes.
    ("Size {Shoe Size} fits. Ok.", {}, "Ok."),
    # FALLBACK: a neutral word stands in.
    ("I enjoyed learning about {Company}.", {}, "I enjoyed learning about your company."),
    # Whitespace is blank too.
    ("Hi. Call {Your Phone}. Bye.", {"your phone": "  "}, "Hi. Bye."),
])
def test_blank_values_are_phrased_around(text, values, rendered):
    assert render(text, values) == rendered


@pytest.mark.parametrize("text, rendered", [
    # . ! ? then a space end a sentence; so does a line break.
    ("Is it {Talking Point}? Yes! Good.", "Yes! Good."),
    ("Yes! Is it {Talking Point}? Good.", "Yes! Good."),
    ("Line one\n{Talking Point} here\nLine three", "Line one\nLine three"),
    ("Line one\r\n{Talking Point} here\r\nLine three", "Line one\r\nLine three"),
    # A closing quote stays with its sentence.
    ('He said "done." Then {Talking Point}. End', 'He said "done." End'),
    # A dot inside a number, after a title or an initial, ends nothing.
    ("Version 2.5 has {Talking Point}. End.", "End."),
    ("I spoke to Dr. Lopez about {Talking Point}. Thanks.", "Thanks."),
    ("J. Smith said {Talking Point} e.g. here. Thanks.", "Thanks."),
    ("The answer was no. Then {Talking Point}. Thanks.", "The answer was no. Thanks."),
    # No space after the dot: the same sentence.
    ("Done.{Talking Point} now. End.", "End."),
    # The last sentence gone: nothing trails.
    ("Hello. Call {Your Phone}.", "Hello."),
    ("Hello.\n\n{Talking Point}\n", "Hello."),
    # The first gone: nothing leads.
    ("{Talking Point} first.\n\nSecond.", "Second."),
    # All gone.
    ("{Talking Point}. {Your Phone}.", ""),
])
def test_sentence_boundaries(text, rendered):
    assert render(text, {}) == rendered


SIGNATURE = "Best regards,\n{Your Name}\n{Your Phone}\n{Your Email}"


@pytest.mark.parametrize("values, rendered", [
    ({"your name": "Sam", "your phone": "555", "your email": "s@x.example"}, "Best regards,\nSam\n555\ns@x.example"),
    ({"your name": "Sam", "your phone": "555"}, "Best regards,\nSam\n555"),
    ({"your name": "Sam", "your email": "s@x.example"}, "Best regards,\nSam\ns@x.example"),
    ({"your email": "s@x.example"}, "Best regards,\ns@x.example"),
    ({}, "Best regards,"),
])
def test_signature_lines_go_with_their_line_break(values, rendered):
    assert render(SIGNATURE, values) == rendered
    assert render("Hello,\n\nThanks.\n\n" + SIGNATURE, values) == "Hello,\n\nThanks.\n\n" + rendered


@pytest.mark.parametrize("text, values, rendered", [
    ("the [Position] role", {"position": "Analyst"}, "the Analyst role"),
    ("the [Position] role", {}, "the role"),
    ("Hello [First Name], this is [ your  name ].", {"first name": "Jo", "your name": "Sam"},
     "Hello Jo, this is Sam."),
    ("Hi. A skill: [Talking Point]. Bye.", {}, "Hi. Bye."),
    ("Mixed {Position} and [Position].", {"position": "Analyst"}, "Mixed Analyst and Analyst."),
    # Brackets that name nothing known are the user's own text.
    ("[pause] Hello [First Name].", {"first name": "Jo"}, "[pause] Hello Jo."),
    ("See [1] and [ ] here.", {}, "See [1] and [ ] here."),
])
def test_bracket_placeholders_read_like_braces(text, values, rendered):
    tpl = compile_template("t", text, KNOWN)
    assert tpl.render(values) == rendered
    assert tpl.unknown == ()


def test_keys_include_bracket_placeholders():
    tpl = compile_template("t", "Hi [First Name], {Company} and [Your Phone]. [note]", KNOWN)
    assert tpl.keys() == {"first name", "company", "your phone"}


@pytest.mark.parametrize("text, values, rendered, unknown", [
    ("{Hat Size} and {Company}", {"company": "Acme"}, "", ("Hat Size",)),
    ("Hi. {Hat Size} is here. Bye.", {}, "Hi. Bye.", ("Hat Size",)),
    ("Hi {First Name}.\n{Hat Size}\nBye", {"first name": "Jo"}, "Hi Jo.\nBye", ("Hat Size",)),
    ("Hi. {Foo}. {Bar}!", {}, "Hi.", ("Foo", "Bar")),
    # Braces that hold no name, span lines or run long are text.
    ("Price: 5 { open, never shut.", {}, "Price: 5 { open, never shut.", ()),
    ("A } alone.", {}, "A } alone.", ()),
    ("A {} b.", {}, "A {} b.", ()),
    ("A {line\nbreak} b.", {}, "A {line\nbreak} b.", ()),
])
def test_unknown_placeholders_are_dropped_with_their_sentence(text, values, rendered, unknown):
    tpl = compile_template("t", text, KNOWN)
    assert tpl.render(values) == rendered
    assert tpl.unknown == unknown


def test_unknown_placeholders_leave_no_key_behind():
    tpl = compile_template("t", "Hi {First Name}. {Foo} and {Your Phone}.", KNOWN)
    assert tpl.keys() == {"first name"}
    assert tpl.render({"first name": "Jo"}) == "Hi Jo."


FULL = {"first name": "Jo", "your name": "Sam Lee", "your phone": "555 0100", "your email": "s@x.example",
        "talking point": "SQL tuning", "company": "Acme {Inc}", "position": "Analyst", "contact": "Jo Roe",
        "shoe size": "9", "event day": "Friday 27 September", "where we met": "the meetup"}


@pytest.mark.parametrize("text", [
    "",
    "No placeholders at all. None!",
    "Hello {First Name}, this is {Your Name}. I met you at {Where We Met} on {Event Day}.",
    "Subject: {Position}\n\nHi [First Name],\n\nSkill: {Talking Point}.\n\n" + SIGNATURE,
    "Dr. {Contact} e.g. {Shoe Size}. Version 2.5 at {Company}!\r\n  indented {Position}\n",
    "{Position}{Company}{Position}",
    "Braces {{ and }} and { lone, and [brackets] stay.",
    "Hi. {Unknown} goes. {Company} stays.\n\n{Unknown2}\n",
])
def test_the_fast_path_equals_the_sentence_path(text):
    tpl = compile_template("t", text, KNOWN)
    assert tpl.render(FULL) == tpl.render_by_sentence(FULL)
    assert tpl.render(FULL) == tpl.fmt.format(*(FULL[k] for k in tpl.slot_keys))


@pytest.mark.parametrize("text", [None, 42, 3.0, True, date(2024, 1, 2), "\x00{Company}\x00", "../../etc/{Position}",
                                  "{" * 1000, "[" * 1000 + "]" * 1000, "x. " * 40_000, "{Company}. " * 10_000,
                                  "a" * 100_000])
def test_any_text_compiles_and_renders(text):
    tpl = compile_template("t", text, KNOWN)
    for values in ({}, {"company": None, "position": 7, "first name": True, "event day": date(2024, 1, 2)}, FULL):
        assert isinstance(tpl.render(values), str)


@pytest.mark.parametrize("values, rendered", [
    ({"position": 7}, "the 7 role"),
    ({"position": None}, "the role"),
    ({"position": 2.0}, "the 2 role"),
    ({"position": True}, "the TRUE role"),
])
def test_values_of_any_type(values, rendered):
    assert render("the {Position} role", values) == rendered


def test_blank_rules_can_be_given():
    rules = {"Shoe Size": BlankRule(Blank.FALLBACK, "test", fallback="any size"),
             "Company": BlankRule(Blank.VANISH, "test")}
    tpl = compile_template("t", "Size {Shoe Size}. At {Company}.", KNOWN, rules)
    assert tpl.render({}) == "Size any size. At."


@pytest.mark.parametrize("full, first", [
    ("Dr. Jane Roe", "Jane"), ("Roe, Jane", "Jane"), ("Cher", "Cher"), ("", ""), ("   ", ""), (None, ""),
    (42, "42"), ("Ms Ann Lee", "Ann"),
])
def test_first_name(full, first):
    assert first_name(full) == first
