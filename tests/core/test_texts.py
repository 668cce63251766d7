"""The default scripts: which one each Type uses for each purpose, and that every one
reads cleanly whatever the tracker leaves blank."""

from __future__ import annotations

import re

import pytest

from workbook_tools import contract as C
from workbook_tools.core.rules import texts as S
from workbook_tools.core.rules.texts import DEFAULT_SCRIPTS, DERIVED, Purpose, script_for
from workbook_tools.core.scripts import compile_template, key

#: Every name a default script may use: the sheets' columns, the settings, the derived values.
NAMES = C.INTERVIEW_HEADERS + C.CONTACT_HEADERS + (C.YOUR_NAME, C.YOUR_PHONE, C.YOUR_EMAIL) + DERIVED
KNOWN = {key(n) for n in NAMES}
ONLY_COMPANY = {"company": "Acme Widgets"}
#: A distinct value for every name, to see each one filled in.
FULL = {key(n): f"<{n} value>" for n in NAMES} | {"company": "Acme Widgets", "first name": "Dana",
                                                   "decision day": "Friday 21 November"}
ATTEMPTS = range(4)
CASES = [(t, p, a) for t in C.TYPES for p in Purpose for a in ATTEMPTS]
WEEKLY_TYPES = (C.NETWORKING, C.REFERRAL)
WEEKLY_PURPOSES = (Purpose.ANSWER, Purpose.VOICEMAIL_FIRST, Purpose.VOICEMAIL_FOLLOW_UP)
#: An article or preposition that lost its object: "about the .", "at ,".
LOST_OBJECT = re.compile(r"\b(the|a|an|for|about|at|with|by|of|from|through|and|or)\s*[.,;:!?]", re.IGNORECASE)


def rendered(type_: str, purpose: Purpose, attempt: int, values: dict[str, str]) -> str:
    name = script_for(type_, purpose, attempt)
    return compile_template(name, DEFAULT_SCRIPTS[name], KNOWN).render(values)


@pytest.mark.parametrize("values, company", [(ONLY_COMPANY, "Acme Widgets"), ({}, "your company")])
@pytest.mark.parametrize("type_, purpose, attempt", CASES)
def test_every_script_reads_cleanly_with_only_the_company(type_, purpose, attempt, values, company):
    text = rendered(type_, purpose, attempt, values)
    assert not set(text) & set("[]{}"), text
    assert "  " not in text and " ," not in text and " ." not in text, text
    assert not LOST_OBJECT.search(text), text
    assert company in text
    lines = text.splitlines()
    if lines[0].startswith("Subject:"):
        assert lines[0].strip() != "Subject:" and lines[1] == "" and lines[2] == "Hello,", text
    else:
        assert lines[0].startswith("Hello. "), text
    assert all(line == line.strip() for line in lines), text


@pytest.mark.parametrize("type_, purpose, attempt", CASES)
def test_only_interviews_say_interview_and_phone_screens_never_met(type_, purpose, attempt):
    for values in (ONLY_COMPANY, FULL):
        text = rendered(type_, purpose, attempt, values).casefold()
        if type_ != C.INTERVIEW:
            assert "interview" not in text, text
        if type_ == C.PHONE_SCREEN:
            assert not re.search(r"\b(met|meet|meeting)\b", text), text


@pytest.mark.parametrize("type_, purpose, attempt", CASES)
def test_with_every_value_present_every_placeholder_is_filled(type_, purpose, attempt):
    name = script_for(type_, purpose, attempt)
    tpl = compile_template(name, DEFAULT_SCRIPTS[name], KNOWN)
    text = tpl.render(FULL)
    assert tpl.unknown == ()
    assert not set(text) & set("[]{}"), text
    assert all(FULL[k] in text for k in tpl.keys()), text


@pytest.mark.parametrize("type_", WEEKLY_TYPES)
@pytest.mark.parametrize("purpose", WEEKLY_PURPOSES)
def test_weekly_calls_change_their_words_each_week(type_, purpose):
    names = [script_for(type_, purpose, a) for a in range(3)]
    assert len(set(names)) == 3
    assert len({DEFAULT_SCRIPTS[n] for n in names}) == 3
    assert script_for(type_, purpose, 3) == names[0]  # a rotation


@pytest.mark.parametrize("type_, purpose, says", [
    (C.INTERVIEW, Purpose.THANK_YOU, "thank you for the interview"),
    (C.INTERVIEW, Purpose.ANSWER, "next steps"),
    (C.PHONE_SCREEN, Purpose.THANK_YOU, "thank you for taking the time to speak with me"),
    (C.PHONE_SCREEN, Purpose.ANSWER, "thank you again for the call"),
    (C.PHONE_SCREEN, Purpose.VOICEMAIL_FIRST, "we spoke on <event day value>"),
    (C.NETWORKING, Purpose.THANK_YOU, "thank you for meeting me"),
    (C.NETWORKING, Purpose.VOICEMAIL_FIRST, "we met at <where we met value>"),
    (C.REFERRAL, Purpose.THANK_YOU, "thank you for meeting me, and for offering to introduce me"),
    (C.REFERRAL, Purpose.VOICEMAIL_FOLLOW_UP, "<where we met value>"),
    (C.APPLICATION, Purpose.ANSWER, "one thing i would bring from day one: <talking point value>"),
    (C.APPLICATION, Purpose.NOT_SELECTED_NOTE, "consider my application"),
    (C.APPLICATION, Purpose.FEEDBACK_CALL, "anything in my application i could make stronger"),
    (C.INTERVIEW, Purpose.FEEDBACK_CALL, "feedback"),
    (C.INTERVIEW, Purpose.NOT_SELECTED_NOTE, "if anything else comes up"),
    (C.INTERVIEW, Purpose.OFFER_CALL, "looking forward to working with you"),
    (C.INTERVIEW, Purpose.ANSWER, "decision by friday 21 november"),
])
def test_each_script_says_what_its_purpose_asks(type_, purpose, says):
    assert says in rendered(type_, purpose, 0, FULL).casefold()


@pytest.mark.parametrize("type_", C.TYPES)
def test_final_voicemails_wait_for_their_call_and_leave_the_number(type_):
    text = rendered(type_, Purpose.VOICEMAIL_FINAL, 0, FULL).casefold()
    assert "wait" in text and "<your phone value>" in text and "<your name value>" in text


@pytest.mark.parametrize("type_", C.TYPES)
def test_a_late_thank_you_apologises_once_then_thanks(type_):
    text = rendered(type_, Purpose.THANK_YOU_LATE, 0, FULL).casefold()
    if type_ != C.APPLICATION:  # nothing to thank for after applying (see TYPE_SCRIPTS)
        body = text.split("hello dana,\n\n", 1)[1]
        assert body.startswith("i am sorry") and body.count("sorry") == 1
        assert "thank you for" in body.split(".", 1)[1]


@pytest.mark.parametrize("type_", C.TYPES)
def test_a_decision_date_is_asked_about_only_when_there_is_one(type_):
    with_date = rendered(type_, Purpose.ANSWER, 0, {"company": "Acme", "decision day": "Friday 21 November"})
    without = rendered(type_, Purpose.ANSWER, 0, {"company": "Acme"})
    assert "decide by" not in without and "decision by" not in without
    if type_ in (C.INTERVIEW, C.PHONE_SCREEN):
        assert "decision by Friday 21 November" in with_date


def test_every_default_script_is_used_and_every_placeholder_is_known():
    reachable = {script_for(t, p, a) for t, p, a in CASES}
    assert reachable == set(DEFAULT_SCRIPTS)
    for name, text in DEFAULT_SCRIPTS.items():
        tpl = compile_template(name, text, KNOWN)
        assert tpl.unknown == (), name
        left = re.sub(r"\{[^{}\n]+\}", "", text)
        assert not set(left) & set("[]{}"), name


def test_the_names_other_modules_import_still_name_default_scripts():
    for name in (S.CALL_INTERVIEW, S.VOICEMAIL_FIRST, S.VOICEMAIL_MIDDLE, S.VOICEMAIL_FINAL, S.CALL_APPLIED,
                 S.CALL_NETWORKING, S.CALL_FEEDBACK, S.CALL_OFFER, S.EMAIL_THANK_YOU, S.EMAIL_NOT_SELECTED,
                 *S.VOICEMAILS.values()):
        assert name in DEFAULT_SCRIPTS
    assert script_for(C.INTERVIEW, Purpose.VOICEMAIL_FIRST) == S.VOICEMAILS["first"]
    assert script_for(C.APPLICATION, Purpose.ANSWER) == S.CALL_APPLIED


@pytest.mark.parametrize("type_, attempt, expected", [
    ("phone  SCREEN", 0, S.CALL_PHONE_SCREEN),
    (" networking ", 1, S.CALL_NETWORKING_2),
    ("", 0, S.CALL_INTERVIEW),
    ("Coffee chat", 0, S.CALL_INTERVIEW),
    (None, 0, S.CALL_INTERVIEW),
    (42, 0, S.CALL_INTERVIEW),
    ("../../etc", 0, S.CALL_INTERVIEW),
    ("x" * 100_000, 0, S.CALL_INTERVIEW),
    (C.REFERRAL, -1, S.CALL_REFERRAL),
    (C.REFERRAL, True, S.CALL_REFERRAL),
    (C.REFERRAL, 2.0, S.CALL_REFERRAL),
    (C.REFERRAL, 5, S.CALL_REFERRAL_3),
])
def test_script_for_accepts_any_type_and_attempt(type_, attempt, expected):
    assert script_for(type_, Purpose.ANSWER, attempt) == expected


@pytest.mark.parametrize("name, rule", list(S.BLANK_RULES.items()))
def test_every_blank_rule_says_why(name, rule):
    assert rule.reason and rule.source
    assert (rule.blank is S.Blank.FALLBACK) == bool(rule.fallback)
    assert key(name) in KNOWN
