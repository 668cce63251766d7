"""The default message templates (the Scripts sheet of a new tracker), which of them
each Type of lead uses for each purpose, and what a blank placeholder does.

The texts are written for this product, following what the seeds ask of a message:
say who is calling, which job, where you met and your number (seed 003); thank them
and ask about next steps and the timeline (seeds 000, 002, 004); the last voicemail
says you will wait for their call (seed 000); a call after applying names a key skill
(seed 002); after "not selected" a gracious note (002) and a call asking for feedback
(004); after an offer a call that builds rapport (004).

Placeholders in braces name a column of Interviews, Contacts or Settings, or one of
`DERIVED`. Every text reads cleanly with every optional value blank: the sentences
that need a value (the day, where you met, your number, the talking point) are
sentences of their own, so leaving one out leaves the rest whole (`BLANK_RULES`).
Only the Interview texts say "interview"; the Phone screen texts never say "met".
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from workbook_tools import contract as C

# --- What a blank placeholder does ------------------------------------------


class Blank(Enum):
    """What rendering does with a placeholder whose value is blank."""

    VANISH = "the placeholder is left out and the words around it close up"
    DROP_SENTENCE = "the sentence or line holding it is left out"
    FALLBACK = "a neutral word stands in for it"


class BlankRule(NamedTuple):
    blank: Blank
    #: Why this name gets this rule.
    reason: str
    #: The words used instead, for `Blank.FALLBACK`.
    fallback: str = ""
    source: str = "ours"


#: The rule of each placeholder by name (matched ignoring case and spaces). A name
#: not listed here, such as a column of the user's own, follows `DEFAULT_BLANK`.
BLANK_RULES: dict[str, BlankRule] = {
    "First Name": BlankRule(Blank.VANISH, 'a greeting reads as well without the name: "Hello {First Name}," '
                                          'becomes "Hello,"'),
    "Contact": BlankRule(Blank.VANISH, "a full name used as a greeting, as First Name"),
    "Name": BlankRule(Blank.VANISH, "the Contacts name, used as a greeting, as First Name"),
    "Position": BlankRule(Blank.VANISH, 'the texts say "the {Position} role": without the title "the role at '
                                        '{Company}" still names the job'),
    "Company": BlankRule(Blank.FALLBACK, "required on every row, so blank only on a row already reported as a "
                                         "problem; a neutral phrase keeps the sentence whole",
                         fallback="your company"),
    "Title": BlankRule(Blank.DROP_SENTENCE, "a sentence about their title says nothing without it"),
    "Talking Point": BlankRule(Blank.DROP_SENTENCE, "a sentence built around a skill or a detail of the "
                                                    "company is empty without it", source="seed 002"),
    "Notes": BlankRule(Blank.DROP_SENTENCE, "a sentence quoting the notes is empty without them"),
    "Where We Met": BlankRule(Blank.DROP_SENTENCE, '"We met at {Where We Met}." has no other content',
                              source="seed 003"),
    "Event Day": BlankRule(Blank.DROP_SENTENCE, '"We spoke on {Event Day}." has no other content'),
    "Decision Day": BlankRule(Blank.DROP_SENTENCE, "blank when they gave no decision date: the question about "
                                                   "it is left out", source="seed 001"),
    "Your Name": BlankRule(Blank.DROP_SENTENCE, '"This is {Your Name}." says nothing without the name'),
    "Your Phone": BlankRule(Blank.DROP_SENTENCE, "the sentence giving your number, or its signature line, goes",
                            source="seed 003"),
    "Your Email": BlankRule(Blank.DROP_SENTENCE, "the signature line goes with its line break"),
}
#: The rule of every other placeholder, and of one that names nothing known.
DEFAULT_BLANK = BlankRule(Blank.DROP_SENTENCE, "nothing is known of the sentence around a column of the user's "
                                               "own, so the sentence goes rather than read half-empty")

#: The placeholders the engine derives for every row, besides the sheets' columns
#: (Where We Met is a Contacts column): the contact's first name, the event and the
#: decision date in words ("Friday 27 September"; Decision Day blank when none).
DERIVED = ("First Name", "Event Day", "Decision Day")

#: A thank-you still unsent this many days after the event uses the late wording
#: (ours: seed 002 asks for the note right after the interview).
THANK_YOU_LATE_AFTER_DAYS = 2

# --- Script names (the Script column of the Scripts sheet) -------------------

CALL_INTERVIEW = "Call: after an interview"
VOICEMAIL_FIRST = "Voicemail: first"
VOICEMAIL_MIDDLE = "Voicemail: follow-up"
VOICEMAIL_FINAL = "Voicemail: final"
EMAIL_THANK_YOU = "Email: thank you"
EMAIL_THANK_YOU_LATE = "Email: thank you, late"
EMAIL_NOT_SELECTED = "Email: not selected"
CALL_FEEDBACK = "Call: feedback"
CALL_OFFER = "Call: after an offer"

CALL_PHONE_SCREEN = "Call: after a phone screen"
VOICEMAIL_PHONE_FIRST = "Voicemail: phone screen, first"
VOICEMAIL_PHONE_MIDDLE = "Voicemail: phone screen, follow-up"
VOICEMAIL_PHONE_FINAL = "Voicemail: phone screen, final"
EMAIL_THANK_YOU_PHONE = "Email: thank you, phone screen"
EMAIL_THANK_YOU_PHONE_LATE = "Email: thank you, phone screen, late"
EMAIL_NOT_SELECTED_PHONE = "Email: not selected, phone screen"
CALL_FEEDBACK_PHONE = "Call: feedback, phone screen"

CALL_APPLIED = "Call: after applying"
VOICEMAIL_APPLIED_FIRST = "Voicemail: application, first"
VOICEMAIL_APPLIED_MIDDLE = "Voicemail: application, follow-up"
VOICEMAIL_APPLIED_FINAL = "Voicemail: application, final"
EMAIL_APPLIED = "Email: application follow-up"
EMAIL_NOT_SELECTED_APPLIED = "Email: not selected, application"
CALL_FEEDBACK_APPLIED = "Call: feedback, application"

CALL_NETWORKING = "Call: networking"
CALL_NETWORKING_2 = "Call: networking, week 2"
CALL_NETWORKING_3 = "Call: networking, week 3"
VOICEMAIL_NETWORKING_1 = "Voicemail: networking, week 1"
VOICEMAIL_NETWORKING_2 = "Voicemail: networking, week 2"
VOICEMAIL_NETWORKING_3 = "Voicemail: networking, week 3"
VOICEMAIL_NETWORKING_FINAL = "Voicemail: networking, final"
EMAIL_THANK_YOU_NETWORKING = "Email: thank you, networking"
EMAIL_THANK_YOU_NETWORKING_LATE = "Email: thank you, networking, late"
EMAIL_NOT_SELECTED_NETWORKING = "Email: not selected, networking"
CALL_FEEDBACK_NETWORKING = "Call: feedback, networking"

CALL_REFERRAL = "Call: referral"
CALL_REFERRAL_2 = "Call: referral, week 2"
CALL_REFERRAL_3 = "Call: referral, week 3"
VOICEMAIL_REFERRAL_1 = "Voicemail: referral, week 1"
VOICEMAIL_REFERRAL_2 = "Voicemail: referral, week 2"
VOICEMAIL_REFERRAL_3 = "Voicemail: referral, week 3"
VOICEMAIL_REFERRAL_FINAL = "Voicemail: referral, final"
EMAIL_THANK_YOU_REFERRAL = "Email: thank you, referral"
EMAIL_THANK_YOU_REFERRAL_LATE = "Email: thank you, referral, late"

_SIGNED = "\n\nBest regards,\n{Your Name}\n{Your Phone}\n{Your Email}"
_WISHES = "\n\nWith best wishes,\n{Your Name}\n{Your Phone}\n{Your Email}"

# --- The texts -----------------------------------------------------------------

_INTERVIEW_TEXTS: dict[str, str] = {
    CALL_INTERVIEW: (
        "Hello {First Name}. This is {Your Name}. I am calling to thank you again for the interview for the "
        "{Position} role at {Company}; I am still very interested in the job. You mentioned a decision by "
        "{Decision Day}; is that still the plan? What are the next steps, and what timeline do you have in "
        "mind? Is there anything else I can send you? If I have not heard by then, may I call you again?"
    ),
    VOICEMAIL_FIRST: (
        "Hello {First Name}. This is {Your Name}. I am calling about the {Position} role at {Company}. We met "
        "for the interview on {Event Day}. Thank you for your time; the conversation left me even more "
        "interested. I would be glad to hear about the next steps when you have a moment. You can reach me on "
        "{Your Phone}. Once more, that is {Your Name}, on {Your Phone}."
    ),
    VOICEMAIL_MIDDLE: (
        "Hello {First Name}. It is {Your Name} again. I am following up on the interview for the {Position} "
        "role at {Company}. We met on {Event Day}. I remain very keen on the job and would welcome any news "
        "about the next steps. You hoped to decide by {Decision Day}; if that has moved, a new date would "
        "help me plan. My number is {Your Phone}. Thank you."
    ),
    VOICEMAIL_FINAL: (
        "Hello {First Name}. This is {Your Name}. I am calling once more about the {Position} role at "
        "{Company}. Thank you again for your time at the interview. I am still very interested, but I do not "
        "want to keep calling, so I will wait to hear from you. If it helps, my number is {Your Phone}. Thank "
        "you, and have a good day."
    ),
    EMAIL_THANK_YOU: (
        "Subject: Thank you for the {Position} interview\n\n"
        "Hello {First Name},\n\n"
        "Thank you for the interview for the {Position} role at {Company}. I enjoyed our conversation on "
        "{Event Day}. I came away even more interested in the job. I especially valued talking about "
        "{Talking Point}. I look forward to hearing about the next steps." + _SIGNED
    ),
    EMAIL_THANK_YOU_LATE: (
        "Subject: Thank you for the {Position} interview\n\n"
        "Hello {First Name},\n\n"
        "I am sorry this note comes a few days late. Thank you for interviewing me for the {Position} role at "
        "{Company}. The more I think about our conversation, the more I would like the job. I especially "
        "valued talking about {Talking Point}. I look forward to hearing about the next steps." + _SIGNED
    ),
    EMAIL_NOT_SELECTED: (
        "Subject: Thank you for your time\n\n"
        "Hello {First Name},\n\n"
        "Thank you for letting me know about the {Position} role, and for the time you and the team gave me "
        "in the interview. I enjoyed learning about {Company}, and I would be glad to hear from you if "
        "anything else comes up, or if the role opens again." + _WISHES
    ),
    CALL_FEEDBACK: (
        "Hello {First Name}. This is {Your Name}. Thank you for letting me know about the {Position} role at "
        "{Company}. I respect the decision, and I would value two minutes of feedback if you have them. What "
        "could I have done better in the interview? And if anything similar opens up, I would like to hear "
        "about it. My number is {Your Phone}."
    ),
}

_SHARED_TEXTS: dict[str, str] = {
    CALL_OFFER: (
        "Hello {First Name}. This is {Your Name}. Thank you for the offer for the {Position} role at "
        "{Company}; I am delighted. Before I start, is there anything you would like me to read or prepare? "
        "How does the team like new people to settle in? I am looking forward to working with you."
    ),
}

_PHONE_SCREEN_TEXTS: dict[str, str] = {
    CALL_PHONE_SCREEN: (
        "Hello {First Name}. This is {Your Name}. Thank you again for the call about the {Position} role at "
        "{Company}; I enjoyed it, and I am still very interested. You mentioned a decision by {Decision Day}; "
        "is that still the plan? What are the next steps, and what timeline do you have in mind? Is there "
        "anything else I can send you?"
    ),
    VOICEMAIL_PHONE_FIRST: (
        "Hello {First Name}. This is {Your Name}. I am following up on our call about the {Position} role at "
        "{Company}. We spoke on {Event Day}. Thank you for your time; the call left me keen to take the next "
        "step. I would be glad to hear how things are moving. You can reach me on {Your Phone}. Once more, "
        "that is {Your Name}, on {Your Phone}."
    ),
    VOICEMAIL_PHONE_MIDDLE: (
        "Hello {First Name}. It is {Your Name} again. I am calling about the {Position} role at {Company}. We "
        "spoke by phone on {Event Day}. I am still very interested and would welcome an update when you have "
        "one. You hoped to decide by {Decision Day}; if that has moved, a new date would help me plan. My "
        "number is {Your Phone}. Thank you."
    ),
    VOICEMAIL_PHONE_FINAL: (
        "Hello {First Name}. This is {Your Name}. I am calling one last time about the {Position} role at "
        "{Company}. Thank you again for our call. I am still very interested, and rather than keep calling, "
        "I will wait to hear from you. My number is {Your Phone}. Thank you, and have a good day."
    ),
    EMAIL_THANK_YOU_PHONE: (
        "Subject: Thank you for the call about the {Position} role\n\n"
        "Hello {First Name},\n\n"
        "Thank you for taking the time to speak with me about the {Position} role at {Company}. I enjoyed our "
        "call on {Event Day}. The call confirmed how much I would like to join the team. I especially liked hearing "
        "about {Talking Point}. I look forward to hearing about the next steps." + _SIGNED
    ),
    EMAIL_THANK_YOU_PHONE_LATE: (
        "Subject: Thank you for the call about the {Position} role\n\n"
        "Hello {First Name},\n\n"
        "I am sorry for the delay in writing. Thank you for speaking with me about the {Position} role at "
        "{Company}. Our call left me keen to take the next step. I especially liked hearing about "
        "{Talking Point}. I look forward to hearing from you about what comes next." + _SIGNED
    ),
    EMAIL_NOT_SELECTED_PHONE: (
        "Subject: Thank you for your time\n\n"
        "Hello {First Name},\n\n"
        "Thank you for letting me know about the {Position} role, and for the time you gave me on the phone. "
        "I enjoyed learning about {Company}, and I would be glad to hear from you if another role comes up "
        "that suits me." + _WISHES
    ),
    CALL_FEEDBACK_PHONE: (
        "Hello {First Name}. This is {Your Name}. Thank you for letting me know about the {Position} role at "
        "{Company}. I respect the decision, and I would value two minutes of feedback if you have them. Was "
        "there something in our call that held me back? And if a similar role opens up, I would like to hear "
        "about it. My number is {Your Phone}."
    ),
}

_APPLICATION_TEXTS: dict[str, str] = {
    CALL_APPLIED: (
        "Hello {First Name}. This is {Your Name}. I recently applied for the {Position} role at {Company}, and "
        "I wanted to say how interested I am. I sent my application on {Event Day}. One thing I would bring "
        "from day one: {Talking Point}. Could you tell me where you are with the screening, and when you hope "
        "to decide? I would be glad to resend my resume if that helps."
    ),
    VOICEMAIL_APPLIED_FIRST: (
        "Hello {First Name}. This is {Your Name}. I am calling about my application for the {Position} role "
        "at {Company}. I applied on {Event Day}. I am very interested in the role. A key strength I would "
        "bring: {Talking Point}. I would be glad to answer any questions about my resume. You can reach me on "
        "{Your Phone}. Once more, that is {Your Name}, on {Your Phone}. Thank you."
    ),
    VOICEMAIL_APPLIED_MIDDLE: (
        "Hello {First Name}. It is {Your Name} again. I am following up on my application for the {Position} "
        "role at {Company}. I am still very interested, and I would welcome a word on where the screening "
        "stands. My number is {Your Phone}. Thank you."
    ),
    VOICEMAIL_APPLIED_FINAL: (
        "Hello {First Name}. This is {Your Name}. I am calling a last time about my application for the "
        "{Position} role at {Company}. I remain very interested, and I will not keep calling: I will wait to "
        "hear from you. My number is {Your Phone}. Thank you for considering me."
    ),
    EMAIL_APPLIED: (
        "Subject: My application for the {Position} role\n\n"
        "Hello {First Name},\n\n"
        "Thank you for considering my application for the {Position} role at {Company}. I sent it on "
        "{Event Day}. I am very interested in the role. One thing I would bring from day one: "
        "{Talking Point}. I would be glad to send anything else you need." + _SIGNED
    ),
    EMAIL_NOT_SELECTED_APPLIED: (
        "Subject: Thank you for considering me\n\n"
        "Hello {First Name},\n\n"
        "Thank you for letting me know about the {Position} role, and for taking the time to consider my "
        "application. I would still be glad to be considered if another role at {Company} comes up." + _WISHES
    ),
    CALL_FEEDBACK_APPLIED: (
        "Hello {First Name}. This is {Your Name}. Thank you for letting me know about my application for the "
        "{Position} role at {Company}. I respect the decision, and I would value a minute of feedback if you "
        "have one. Is there anything in my application I could make stronger? And if a similar role opens "
        "up, I would like to hear about it. My number is {Your Phone}."
    ),
}

_NETWORKING_TEXTS: dict[str, str] = {
    CALL_NETWORKING: (
        "Hello {First Name}. This is {Your Name}. We met at {Where We Met}. I enjoyed our talk on {Event Day}. "
        "Thank you again for meeting me, and for your kind offer to help with {Company}. Is now a good moment "
        "to follow up on that? I would love to hear who you think I should speak to."
    ),
    CALL_NETWORKING_2: (
        "Hello {First Name}. It is {Your Name}. We met at {Where We Met}. I have been thinking about what you "
        "told me about {Company}, and I would value fifteen minutes of your advice. Would a short coffee or a "
        "call next week suit you? I can fit around your schedule."
    ),
    CALL_NETWORKING_3: (
        "Hello {First Name}. This is {Your Name}. We met at {Where We Met}. I am still exploring roles at "
        "{Company}, and I know how busy you are. Is there one person there you would suggest I speak to? A "
        "name and an email address would be plenty, and I will mention you only if you are happy for me to."
    ),
    VOICEMAIL_NETWORKING_1: (
        "Hello {First Name}. This is {Your Name}. We met at {Where We Met}. I enjoyed our talk on "
        "{Event Day}. Thank you again for meeting me, and for offering to help with {Company}. I would love to "
        "follow up when you have a moment. You can reach me on {Your Phone}. Once more, that is {Your Name}, "
        "on {Your Phone}."
    ),
    VOICEMAIL_NETWORKING_2: (
        "Hello {First Name}. It is {Your Name} again. We met at {Where We Met}. I am following up on my "
        "earlier call about {Company}. There is no rush at all; a short call back whenever it suits you would "
        "be great. My number is {Your Phone}. Thank you."
    ),
    VOICEMAIL_NETWORKING_3: (
        "Hello {First Name}. This is {Your Name}. We met at {Where We Met}. I am trying you at a different "
        "time this week, in case that is easier. I would still value your advice about {Company}. If a quick "
        "email is simpler, that works for me too. You can reach me on {Your Phone}. My email is {Your Email}. "
        "Thanks, and enjoy your week."
    ),
    VOICEMAIL_NETWORKING_FINAL: (
        "Hello {First Name}. This is {Your Name}. We met at {Where We Met}. Thank you again for meeting me and "
        "for your offer to help with {Company}. I do not want to fill up your voicemail, so I will leave it "
        "with you and wait for your call. My number is {Your Phone}. All the best."
    ),
    EMAIL_THANK_YOU_NETWORKING: (
        "Subject: Thank you for meeting me\n\n"
        "Hello {First Name},\n\n"
        "Thank you for meeting me and for being so generous with your time. It was a pleasure to talk at "
        "{Where We Met}. I especially valued what you said about {Talking Point}. Your offer to help with "
        "{Company} means a lot, and I will be in touch next week to follow up." + _SIGNED
    ),
    EMAIL_THANK_YOU_NETWORKING_LATE: (
        "Subject: Thank you for meeting me\n\n"
        "Hello {First Name},\n\n"
        "I am sorry to be writing a few days late. Thank you for meeting me, and for your advice about "
        "{Company}. It was a pleasure to talk at {Where We Met}. I especially valued what you said about "
        "{Talking Point}. I will be in touch soon to follow up." + _SIGNED
    ),
    EMAIL_NOT_SELECTED_NETWORKING: (
        "Subject: Thank you for your help\n\n"
        "Hello {First Name},\n\n"
        "Thank you for letting me know how things turned out at {Company}, and for all the help you gave me "
        "along the way. I am grateful for your time, and I would be glad to return the favor whenever I can. "
        "If anything else comes up, I would love to hear about it." + _WISHES
    ),
    CALL_FEEDBACK_NETWORKING: (
        "Hello {First Name}. This is {Your Name}. Thank you for letting me know how things went at {Company}, "
        "and for all your help. I would value your honest view: is there anything that would make me a "
        "stronger candidate next time? And if you hear of anything else, I would love to know. My number is "
        "{Your Phone}."
    ),
}

_REFERRAL_TEXTS: dict[str, str] = {
    CALL_REFERRAL: (
        "Hello {First Name}. This is {Your Name}. We met through {Where We Met}. Thank you again for offering "
        "to introduce me to the hiring team at {Company}. Is now a good moment to follow up on that? I can "
        "send a short note about myself that you could pass on, if that would help."
    ),
    CALL_REFERRAL_2: (
        "Hello {First Name}. It is {Your Name}. We met through {Where We Met}. I wanted to check whether you "
        "have had a chance to make the introduction at {Company}. If it is easier, I could reach out myself "
        "and mention your name; would that be all right?"
    ),
    CALL_REFERRAL_3: (
        "Hello {First Name}. This is {Your Name}. We met through {Where We Met}. I know an introduction takes "
        "time, and I am grateful you offered one at {Company}. Is there anything I can send to make it "
        "easier, such as a short summary or my resume?"
    ),
    VOICEMAIL_REFERRAL_1: (
        "Hello {First Name}. This is {Your Name}. We met through {Where We Met}. I enjoyed our talk on "
        "{Event Day}. Thank you again for offering me an introduction to the hiring team at {Company}. I "
        "would love to follow up on that when you have a moment. You can reach me on {Your Phone}. Once more, "
        "that is {Your Name}, on {Your Phone}."
    ),
    VOICEMAIL_REFERRAL_2: (
        "Hello {First Name}. It is {Your Name} again. We met through {Where We Met}. I am following up on my "
        "earlier call about the introduction at {Company}. Whenever it suits you, a short call back would be "
        "great. My number is {Your Phone}. Thank you."
    ),
    VOICEMAIL_REFERRAL_3: (
        "Hello {First Name}. This is {Your Name}. We met through {Where We Met}. I am trying you at a "
        "different time this week, in case that is easier. I am still keen on the introduction you kindly "
        "offered at {Company}, and I am happy to send a short note you could forward. You can reach me on "
        "{Your Phone}. My email is {Your Email}. Thanks, and enjoy your week."
    ),
    VOICEMAIL_REFERRAL_FINAL: (
        "Hello {First Name}. This is {Your Name}. We met through {Where We Met}. Thank you again for your "
        "offer of an introduction at {Company}. I do not want to keep calling, so I will wait for your call "
        "whenever the timing is right. My number is {Your Phone}. All the best."
    ),
    EMAIL_THANK_YOU_REFERRAL: (
        "Subject: Thank you for meeting me\n\n"
        "Hello {First Name},\n\n"
        "Thank you for meeting me, and for offering to introduce me to the hiring team at {Company}. I am glad "
        "we were put in touch through {Where We Met}. I especially valued what you said about {Talking Point}. I "
        "will be in touch next week to follow up on the introduction." + _SIGNED
    ),
    EMAIL_THANK_YOU_REFERRAL_LATE: (
        "Subject: Thank you for meeting me\n\n"
        "Hello {First Name},\n\n"
        "I am sorry this note is a few days late. Thank you for meeting me, and for your kind offer to "
        "introduce me to the hiring team at {Company}. I am glad we were put in touch through {Where We Met}. "
        "I will be in touch soon to follow up." + _SIGNED
    ),
}

#: Every default script by name: the Scripts sheet of a new tracker, in this order.
DEFAULT_SCRIPTS: dict[str, str] = {
    **_INTERVIEW_TEXTS, **_SHARED_TEXTS, **_PHONE_SCREEN_TEXTS, **_APPLICATION_TEXTS, **_NETWORKING_TEXTS,
    **_REFERRAL_TEXTS,
}

#: The voicemail of a call after an interview, by where the call stands in its
#: cadence: the first, a follow-up, or the last of a finite cadence, which says you
#: will wait for their call (seed 000). Kept for the engine until it uses `script_for`.
VOICEMAILS = {"first": VOICEMAIL_FIRST, "follow-up": VOICEMAIL_MIDDLE, "final": VOICEMAIL_FINAL}

# --- Which script, for which Type and purpose ----------------------------------


class Purpose(Enum):
    """What a message is for. The value names the field of `TypeScripts` holding it."""

    ANSWER = "answer"  # what to say if they pick up
    VOICEMAIL_FIRST = "voicemail_first"  # the first message of a cadence
    VOICEMAIL_FOLLOW_UP = "voicemail_follow_up"  # a message between the first and the last
    VOICEMAIL_FINAL = "voicemail_final"  # the last message of a finite cadence: you will wait for their call
    THANK_YOU = "thank_you"  # the thank-you email right after the event
    THANK_YOU_LATE = "thank_you_late"  # the same, sent a few days late
    NOT_SELECTED_NOTE = "not_selected_note"  # the gracious note after "not selected"
    FEEDBACK_CALL = "feedback_call"  # the call asking for feedback after "not selected"
    OFFER_CALL = "offer_call"  # the call after an offer, to build rapport


class TypeScripts(NamedTuple):
    """The default scripts of one Type, by purpose. Each is a rotation of script names:
    call number ``attempt`` (0-based) of the cadence uses ``rotation[attempt % len]``,
    so weekly calls do not repeat last week's words."""

    answer: tuple[str, ...]
    voicemail_first: tuple[str, ...]
    voicemail_follow_up: tuple[str, ...]
    voicemail_final: tuple[str, ...]
    thank_you: tuple[str, ...]
    thank_you_late: tuple[str, ...]
    not_selected_note: tuple[str, ...]
    feedback_call: tuple[str, ...]
    offer_call: tuple[str, ...]
    source: str


_NETWORKING_VOICEMAILS = (VOICEMAIL_NETWORKING_1, VOICEMAIL_NETWORKING_2, VOICEMAIL_NETWORKING_3)
_REFERRAL_VOICEMAILS = (VOICEMAIL_REFERRAL_1, VOICEMAIL_REFERRAL_2, VOICEMAIL_REFERRAL_3)

TYPE_SCRIPTS: dict[str, TypeScripts] = {
    C.INTERVIEW: TypeScripts(
        (CALL_INTERVIEW,), (VOICEMAIL_FIRST,), (VOICEMAIL_MIDDLE,), (VOICEMAIL_FINAL,),
        (EMAIL_THANK_YOU,), (EMAIL_THANK_YOU_LATE,), (EMAIL_NOT_SELECTED,), (CALL_FEEDBACK,), (CALL_OFFER,),
        source="seed 000 (thank them, ask about next steps; the last message waits for their call), "
               "seeds 002 and 004 (the note, the feedback call, the call after an offer)"),
    C.PHONE_SCREEN: TypeScripts(
        (CALL_PHONE_SCREEN,), (VOICEMAIL_PHONE_FIRST,), (VOICEMAIL_PHONE_MIDDLE,), (VOICEMAIL_PHONE_FINAL,),
        (EMAIL_THANK_YOU_PHONE,), (EMAIL_THANK_YOU_PHONE_LATE,), (EMAIL_NOT_SELECTED_PHONE,),
        (CALL_FEEDBACK_PHONE,), (CALL_OFFER,),
        source="seed 000, for a conversation held by phone: thanked as a call, never as a meeting"),
    C.APPLICATION: TypeScripts(
        (CALL_APPLIED,), (VOICEMAIL_APPLIED_FIRST,), (VOICEMAIL_APPLIED_MIDDLE,), (VOICEMAIL_APPLIED_FINAL,),
        # No thank-you is due after applying (lead_types); asked for one, the follow-up email answers.
        (EMAIL_APPLIED,), (EMAIL_APPLIED,), (EMAIL_NOT_SELECTED_APPLIED,), (CALL_FEEDBACK_APPLIED,),
        (CALL_OFFER,),
        source="seed 002: follow up after applying, naming a key skill"),
    C.NETWORKING: TypeScripts(
        (CALL_NETWORKING, CALL_NETWORKING_2, CALL_NETWORKING_3), _NETWORKING_VOICEMAILS, _NETWORKING_VOICEMAILS,
        (VOICEMAIL_NETWORKING_FINAL,), (EMAIL_THANK_YOU_NETWORKING,), (EMAIL_THANK_YOU_NETWORKING_LATE,),
        (EMAIL_NOT_SELECTED_NETWORKING,), (CALL_FEEDBACK_NETWORKING,), (CALL_OFFER,),
        source="seed 003: a weekly message that says where you met, in different words each week"),
    C.REFERRAL: TypeScripts(
        (CALL_REFERRAL, CALL_REFERRAL_2, CALL_REFERRAL_3), _REFERRAL_VOICEMAILS, _REFERRAL_VOICEMAILS,
        (VOICEMAIL_REFERRAL_FINAL,), (EMAIL_THANK_YOU_REFERRAL,), (EMAIL_THANK_YOU_REFERRAL_LATE,),
        (EMAIL_NOT_SELECTED_NETWORKING,), (CALL_FEEDBACK_NETWORKING,), (CALL_OFFER,),
        source="seed 003: the introduction offered at a meeting, followed up weekly"),
}

_TYPE_BY_KEY = {" ".join(t.split()).casefold(): t for t in TYPE_SCRIPTS}


def script_for(type_: str, purpose: Purpose, attempt: int = 0) -> str:
    """The name (a key of `DEFAULT_SCRIPTS`) of the script a lead of Type ``type_`` uses
    for ``purpose`` on call number ``attempt`` (0-based) of its cadence. The Type is
    matched ignoring case and spaces; any other value is read as Interview, the Type
    of a blank cell (PRODUCT.md). A negative or non-whole ``attempt`` counts as 0."""
    name = _TYPE_BY_KEY.get(" ".join(type_.split()).casefold(), C.DEFAULT_TYPE) if isinstance(
        type_, str) else C.DEFAULT_TYPE
    rotation: tuple[str, ...] = getattr(TYPE_SCRIPTS[name], purpose.value)
    turn = attempt if isinstance(attempt, int) and not isinstance(attempt, bool) and attempt > 0 else 0
    return rotation[turn % len(rotation)]
