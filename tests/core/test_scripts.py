"""Message templates and first names."""

from __future__ import annotations

import pytest

from workbook_tools.core.scripts import compile_template, first_name


@pytest.mark.parametrize("text, values, rendered, unknown", [
    ("Hi {First Name}, {Your Name} here", {"first name": "Jo", "your name": "Sam"}, "Hi Jo, Sam here", ()),
    ("About {Talking Point}.", {}, "About [Talking Point].", ()),
    ("{ company }!", {"company": "=HYPERLINK(1)"}, "=HYPERLINK(1)!", ()),
    ("{Shoe Size} and {Company}", {"company": "Acme"}, "{Shoe Size} and Acme", ("Shoe Size",)),
])
def test_templates(text, values, rendered, unknown):
    tpl = compile_template("t", text, {"first name", "your name", "talking point", "company"})
    assert tpl.render(values) == rendered and tpl.unknown == unknown


@pytest.mark.parametrize("full, first", [("Dr. Jane Roe", "Jane"), ("Roe, Jane", "Jane"), ("Cher", "Cher")])
def test_first_name(full, first):
    assert first_name(full) == first
