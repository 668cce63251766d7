"""The default message templates: the Scripts sheet of a new tracker.

Written for this product, following what the seeds ask of a message: say who is
calling, which job, where you met and your number (seed 003); thank them and ask about
next steps and the timeline (seeds 000, 002, 004); the last voicemail says you will
wait for their call (seed 000). Placeholders in braces name a column of Interviews,
Contacts or Settings, plus {First Name} and {Event Day} (the event date in words).
"""

from __future__ import annotations

CALL_INTERVIEW = "Call: after an interview"
VOICEMAIL_FIRST = "Voicemail: first"
VOICEMAIL_MIDDLE = "Voicemail: follow-up"
VOICEMAIL_FINAL = "Voicemail: final"
CALL_APPLIED = "Call: after applying"
CALL_NETWORKING = "Call: networking"
CALL_FEEDBACK = "Call: feedback"
CALL_OFFER = "Call: after an offer"
EMAIL_THANK_YOU = "Email: thank you"
EMAIL_NOT_SELECTED = "Email: not selected"

DEFAULT_SCRIPTS: dict[str, str] = {
    CALL_INTERVIEW: (
        "Hello {First Name}, this is {Your Name}. We met on {Event Day} about the {Position} "
        "role. Thank you again for your time; I am still very interested. Is there anything "
        "more I can give you? What are the next steps, and when do you expect to decide? "
        "May I call you again if I have not heard by then?"
    ),
    VOICEMAIL_FIRST: (
        "Hello {First Name}, this is {Your Name}. We met on {Event Day} about the {Position} "
        "role at {Company}. Thank you for your time; the conversation left me even more "
        "interested. I would be glad to hear about the next steps. You can reach me on "
        "{Your Phone}. Again, that is {Your Name}, on {Your Phone}."
    ),
    VOICEMAIL_MIDDLE: (
        "Hello {First Name}, {Your Name} here, following up on the {Position} role at "
        "{Company} we discussed on {Event Day}. I remain keen on the position and would "
        "welcome an update when you have one. My number is {Your Phone}. Thank you."
    ),
    VOICEMAIL_FINAL: (
        "Hello {First Name}, it is {Your Name} about the {Position} role at {Company}. "
        "Thank you again for meeting me on {Event Day}. I am still very interested, and I "
        "do not want to keep calling, so I will wait to hear from you. If it helps, my "
        "number is {Your Phone}. Thank you, and have a good day."
    ),
    CALL_APPLIED: (
        "Hello {First Name}, this is {Your Name}. I applied on {Event Day} for the "
        "{Position} role at {Company} and wanted to say how interested I am. One thing I "
        "would bring from day one: {Talking Point}. Could you tell me how the screening is "
        "going? If it is easier to call back, I am on {Your Phone}."
    ),
    CALL_NETWORKING: (
        "Hello {First Name}, this is {Your Name}. We met at {Where We Met} on {Event Day}, "
        "and you kindly offered to help with {Company}. I would love to follow up on that "
        "when you have a moment. You can reach me on {Your Phone}. Thanks again."
    ),
    CALL_FEEDBACK: (
        "Hello {First Name}, this is {Your Name}. Thank you for letting me know about the "
        "{Position} role. I would value two minutes of feedback: what could I have done "
        "better in the interview? And if anything similar opens up at {Company}, I would "
        "like to hear about it. My number is {Your Phone}."
    ),
    CALL_OFFER: (
        "Hello {First Name}, this is {Your Name}. Thank you for the offer for the "
        "{Position} role. Before I start, is there anything you would like me to read or "
        "prepare? I am looking forward to working with you."
    ),
    EMAIL_THANK_YOU: (
        "Subject: Thank you, {Position} interview\n\n"
        "Dear {First Name},\n\n"
        "Thank you for meeting me on {Event Day} to talk about the {Position} role at "
        "{Company}. I came away more interested than ever, especially after we discussed "
        "{Talking Point}. I look forward to hearing about the next steps.\n\n"
        "Best regards,\n{Your Name}\n{Your Phone}\n{Your Email}"
    ),
    EMAIL_NOT_SELECTED: (
        "Subject: Thank you, {Position}\n\n"
        "Dear {First Name},\n\n"
        "Thank you for letting me know, and for the time you and the team gave me. I "
        "enjoyed learning about {Company}, and I would be glad to be considered if "
        "anything else comes up, or if the role opens again.\n\n"
        "With best wishes,\n{Your Name}\n{Your Phone}\n{Your Email}"
    ),
}

#: The voicemail of a call after an interview, by where the call stands in its
#: cadence: the first, a follow-up, or the last of a finite cadence, which says you
#: will wait for their call (seed 000). The answer script is `CALL_INTERVIEW`; other
#: Types name their call script in `core.rules.lead_types`.
VOICEMAILS = {"first": VOICEMAIL_FIRST, "follow-up": VOICEMAIL_MIDDLE, "final": VOICEMAIL_FINAL}
