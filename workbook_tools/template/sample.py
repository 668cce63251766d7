"""A sample tracker: a realistic US job search as of :data:`SAMPLE_TODAY`.

Every state the processor can produce appears at least once: a first call coming up, an
overdue call, a call due today, three unanswered calls (waiting), each call outcome,
every Type and every closing Status. The owned columns are left blank for the processor
to fill in. Companies, people, phone numbers (555-01xx) and addresses (.example) are
fictional. Dates assume the US calendar of 2026 (Columbus Day 12 Oct, Veterans Day
11 Nov, Thanksgiving 26 Nov).
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

from workbook_tools import contract as c
from workbook_tools.core.rules.cadences import ONE_CALL, WEEKLY
from workbook_tools.template.workbook import build_tracker

SAMPLE_TODAY = date(2026, 11, 23)  # a Monday

SETTINGS: dict[str, object] = {
    c.YOUR_NAME: "Jordan Avery",
    c.YOUR_PHONE: "(617) 555-0100",
    c.YOUR_EMAIL: "jordan.avery@mail.example",
    c.COUNTRY: "US",
    c.TIME_ZONE: "America/New_York",
}

MERIDIAN = "Meridian Trust Bank"
CREDIT_RISK = "Credit Risk Analyst"
DATA_ENGINEER = "Data Engineer"


def _d(month: int, day: int) -> date:
    return date(2026, month, day)


# Company, Position, Contact, Type, Event Date, plus optional extras.
INTERVIEWS: list[dict[str, Any]] = [
    # Interviewed 2 business days ago, no call yet: first call due tomorrow, thank-you due.
    {"Company": "Harbor Point Analytics", "Position": "Senior Data Analyst",
     "Contact": "Dana Whitfield", "Type": c.INTERVIEW, "Event Date": _d(11, 19),
     "Talking Point": "my churn model that cut cancellations by 12%",
     "Notes": "Panel of three; asked about SQL performance tuning."},
    # First call (One call cadence: a week after) passed with no call logged: overdue.
    {"Company": "Northwind Logistics", "Position": "Operations Manager",
     "Contact": "Marcus Bell", "Type": c.INTERVIEW, "Event Date": _d(11, 13),
     "Cadence": ONE_CALL, "Thank-You Sent": _d(11, 13),
     "Talking Point": "their new Joliet warehouse opening in spring"},
    # Three business days after Wed 18 Nov is today.
    {"Company": "Cobalt Ridge Software", "Position": "Product Manager",
     "Contact": "Elena Ruiz", "Type": c.INTERVIEW, "Event Date": _d(11, 18),
     "Thank-You Sent": _d(11, 18),
     "Talking Point": "the onboarding redesign I led at my last job"},
    # Three voicemails: the Three calls cadence is used up, so we wait for them.
    {"Company": "Lakeshore Health Partners", "Position": "Financial Analyst",
     "Contact": "Karen Osei", "Type": c.INTERVIEW, "Event Date": _d(10, 19),
     "Thank-You Sent": _d(10, 19), "Talking Point": "budget variance reporting in Power BI"},
    # Reached them, no decision yet: call again a week later.
    {"Company": "Brightwater Energy", "Position": "Project Coordinator",
     "Contact": "Tom Reyes", "Type": c.INTERVIEW, "Event Date": _d(11, 10),
     "Thank-You Sent": _d(11, 11), "Talking Point": "the solar permitting backlog they mentioned"},
    # They moved the decision to 1 Dec on the second call.
    {"Company": "Pinecrest Medical Devices", "Position": "Quality Engineer",
     "Contact": "Sofia Lindqvist", "Type": c.INTERVIEW, "Event Date": _d(11, 2),
     "Decision By": _d(11, 13), "Thank-You Sent": _d(11, 2),
     "Talking Point": "ISO 13485 audit experience"},
    # Two open rows at one company: calls name the Position.
    {"Company": MERIDIAN, "Position": CREDIT_RISK, "Contact": "Alan Brooks",
     "Type": c.PHONE_SCREEN, "Event Date": _d(10, 29), "Thank-You Sent": _d(10, 29),
     "Talking Point": "stress-testing models for commercial real estate loans",
     "Notes": "Second-round interview booked for Mon 30 Nov."},
    {"Company": MERIDIAN, "Position": DATA_ENGINEER, "Contact": "Alan Brooks",
     "Type": c.APPLICATION, "Event Date": _d(11, 20),
     "Talking Point": "five years of Airflow and dbt pipelines",
     "Notes": "Applied online; Alan said he would pass my resume along."},
    # They chose someone else; the user closed the row.
    {"Company": "Alder & Finch Retail", "Position": "Merchandising Analyst",
     "Contact": "Rachel Kim", "Type": c.INTERVIEW, "Event Date": _d(9, 24),
     "Status": c.NOT_SELECTED, "Thank-You Sent": _d(9, 24),
     "Notes": "Went with an internal candidate. Feedback: more retail-specific examples."},
    # An offer to consider.
    {"Company": "Copperline Media", "Position": "Audience Insights Lead",
     "Contact": "Oliver Grant", "Type": c.INTERVIEW, "Event Date": _d(11, 6),
     "Status": c.OFFER, "Thank-You Sent": _d(11, 6),
     "Talking Point": "podcast audience research for their US launch",
     "Notes": "Offer received 19 Nov; answer due 4 Dec."},
    # They asked candidates not to call; they will call everyone by 4 Dec.
    {"Company": "Redwood Civic Foundation", "Position": "Grants Analyst",
     "Contact": "Grace Holloway", "Type": c.INTERVIEW, "Event Date": _d(11, 9),
     "Decision By": _d(12, 4), "Thank-You Sent": _d(11, 9),
     "Talking Point": "their after-school literacy program"},
    # Networking: weekly calls until reached.
    {"Company": "Keystone Ventures", "Position": "Portfolio Analyst",
     "Contact": "Nate Alvarez", "Type": c.NETWORKING, "Event Date": _d(11, 2),
     "Cadence": WEEKLY, "Talking Point": "their fintech portfolio",
     "Notes": "Offered an introduction to the head of their analytics team."},
    # A decision date in the future: no call before it plus the grace.
    {"Company": "Sterling Ashford Insurance", "Position": "Claims Data Analyst",
     "Contact": "Helen Park", "Type": c.INTERVIEW, "Event Date": _d(11, 20),
     "Decision By": _d(12, 2), "Thank-You Sent": _d(11, 20),
     "Talking Point": "fraud-detection rules I automated"},
    # A referral with a Call When phrase.
    {"Company": "Oakhurst Engineering", "Position": "Business Analyst",
     "Contact": "Priya Natarajan", "Type": c.REFERRAL, "Event Date": _d(11, 16),
     "Call When": "after Tuesday", "Talking Point": "requirements work on a $4M ERP rollout",
     "Notes": "Referred by my former colleague Sam Ortiz."},
    # Closed rows of other kinds.
    {"Company": "Summit Events Co", "Position": "Data Consultant (3-month contract)",
     "Contact": "Lisa Moreno", "Type": c.PHONE_SCREEN, "Event Date": _d(9, 10),
     "Status": c.HIRED, "Thank-You Sent": _d(9, 10),
     "Notes": "Contract ran Sep 21 to Dec 18; keeps the search going part-time."},
    {"Company": "Vantage Point Logistics", "Position": "Supply Chain Analyst",
     "Type": c.INTERVIEW, "Event Date": _d(10, 8), "Status": c.WITHDRAWN,
     "Notes": "Withdrew: the role moved on-site to Dallas."},
    {"Company": "Fairmont Civic Trust", "Position": "Research Analyst",
     "Contact": "Derek Shaw", "Type": c.INTERVIEW, "Event Date": _d(10, 6),
     "Status": c.CLOSED, "Thank-You Sent": _d(10, 7),
     "Notes": "Position put on hold (hiring freeze until spring)."},
]


def _call(when: date, at: time, company: str, outcome: str, notes: str = "",
          position: str = "", new_date: date | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"Date": when, "Time": at, "Company": company, "Outcome": outcome}
    if position:
        row["Position"] = position
    if new_date:
        row["New Date"] = new_date
    if notes:
        row["Notes"] = notes
    return row


CALLS: list[dict[str, Any]] = [
    _call(_d(9, 15), time(8, 10), "Summit Events Co", c.OUTCOME_OFFER,
          "Offered the contract; start Sep 21."),
    _call(_d(9, 29), time(8, 15), "Alder & Finch Retail", c.LEFT_VOICEMAIL),
    _call(_d(10, 2), time(16, 40), "Alder & Finch Retail", c.OUTCOME_NOT_SELECTED,
          "Rachel was kind; said to apply again in the spring."),
    _call(_d(10, 9), time(12, 20), "Fairmont Civic Trust", c.NO_ANSWER),
    _call(_d(10, 15), time(8, 5), "Fairmont Civic Trust", c.SPOKE,
          "Budget review; no hiring until spring."),
    _call(_d(10, 22), time(8, 10), "Lakeshore Health Partners", c.LEFT_VOICEMAIL),
    _call(_d(10, 27), time(12, 25), "Lakeshore Health Partners", c.LEFT_VOICEMAIL),
    _call(_d(11, 3), time(16, 45), "Lakeshore Health Partners", c.LEFT_VOICEMAIL,
          "Final voicemail: said I would wait for her call."),
    _call(_d(11, 3), time(12, 15), MERIDIAN, c.NEXT_INTERVIEW,
          "Second round with the risk team.", CREDIT_RISK, _d(11, 30)),
    _call(_d(11, 5), time(8, 20), "Pinecrest Medical Devices", c.LEFT_VOICEMAIL),
    _call(_d(11, 9), time(16, 35), "Keystone Ventures", c.NO_ANSWER),
    _call(_d(11, 10), time(12, 10), "Pinecrest Medical Devices", c.NEW_DATE,
          "Decision slipped: the director is travelling.", new_date=_d(12, 1)),
    _call(_d(11, 12), time(8, 25), "Copperline Media", c.SPOKE,
          "Final references being checked."),
    _call(_d(11, 13), time(12, 40), "Redwood Civic Foundation", c.ASKED_NOT_TO_CALL,
          "Board decides Dec 3; they will call every candidate by Dec 4."),
    _call(_d(11, 17), time(8, 15), "Brightwater Energy", c.SPOKE,
          "Still interviewing; Tom suggested checking back next week."),
    _call(_d(11, 17), time(12, 35), "Keystone Ventures", c.LEFT_VOICEMAIL,
          "Mentioned the meetup and his offer of an introduction."),
    _call(_d(11, 19), time(10, 5), "Copperline Media", c.OUTCOME_OFFER,
          "Oliver called from London with the offer; written offer by email."),
]

CONTACTS: list[dict[str, Any]] = [
    {"Name": "Dana Whitfield", "Company": "Harbor Point Analytics", "Title": "Analytics Director",
     "Phone": "(617) 555-0134", "Email": "dana.whitfield@harborpoint.example",
     "Time Zone": "America/New_York"},
    {"Name": "Marcus Bell", "Company": "Northwind Logistics", "Title": "VP Operations",
     "Phone": "(312) 555-0187", "Email": "mbell@northwind.example",
     "Time Zone": "America/Chicago"},
    {"Name": "Elena Ruiz", "Company": "Cobalt Ridge Software", "Title": "Head of Product",
     "Phone": "(415) 555-0122", "Email": "elena@cobaltridge.example",
     "Time Zone": "America/Los_Angeles"},
    {"Name": "Karen Osei", "Company": "Lakeshore Health Partners", "Title": "Finance Manager",
     "Phone": "(773) 555-0159", "Email": "kosei@lakeshorehealth.example",
     "Time Zone": "America/Chicago"},
    {"Name": "Tom Reyes", "Company": "Brightwater Energy", "Title": "Program Manager",
     "Phone": "(512) 555-0146", "Email": "treyes@brightwater.example",
     "Time Zone": "America/Chicago"},
    {"Name": "Sofia Lindqvist", "Company": "Pinecrest Medical Devices",
     "Title": "Quality Director", "Phone": "(978) 555-0113",
     "Email": "s.lindqvist@pinecrestmed.example", "Time Zone": "Europe/Stockholm",
     "Notes": "Works from the Stockholm office: Swedish holidays, six hours ahead of New York."},
    {"Name": "Alan Brooks", "Company": MERIDIAN, "Title": "Talent Acquisition Partner",
     "Phone": "(704) 555-0171", "Email": "alan.brooks@meridiantrust.example",
     "Time Zone": "America/New_York"},
    {"Name": "Rachel Kim", "Company": "Alder & Finch Retail", "Title": "Merchandising Director",
     "Phone": "(206) 555-0108", "Email": "rkim@alderfinch.example",
     "Time Zone": "America/Los_Angeles"},
    {"Name": "Oliver Grant", "Company": "Copperline Media", "Title": "Head of Research",
     "Phone": "+44 20 7946 0321", "Email": "oliver.grant@copperline.example",
     "Time Zone": "Europe/London", "Notes": "London office; five hours ahead of Boston."},
    {"Name": "Grace Holloway", "Company": "Redwood Civic Foundation",
     "Title": "Program Officer", "Phone": "(510) 555-0164",
     "Email": "grace@redwoodcivic.example", "Time Zone": "America/Los_Angeles"},
    {"Name": "Nate Alvarez", "Company": "Keystone Ventures", "Title": "Principal",
     "Phone": "(617) 555-0192", "Email": "nate@keystonevc.example",
     "Time Zone": "America/New_York", "Where We Met": "the Boston Fintech Meetup"},
    {"Name": "Helen Park", "Company": "Sterling Ashford Insurance", "Title": "Claims Analytics Manager",
     "Phone": "(860) 555-0139", "Email": "hpark@sterlingashford.example",
     "Time Zone": "America/New_York"},
    {"Name": "Priya Natarajan", "Company": "Oakhurst Engineering", "Title": "IT Director",
     "Phone": "(614) 555-0126", "Email": "priya.n@oakhurst.example",
     "Time Zone": "America/New_York",
     "Where We Met": "an introduction from Sam Ortiz", "Notes": "Prefers calls before 9am."},
    {"Name": "Lisa Moreno", "Company": "Summit Events Co", "Title": "Operations Lead",
     "Phone": "(303) 555-0150", "Email": "lisa@summitevents.example",
     "Time Zone": "America/Denver"},
    {"Name": "Derek Shaw", "Company": "Fairmont Civic Trust", "Title": "Research Director",
     "Phone": "(202) 555-0117", "Email": "dshaw@fairmontcivic.example",
     "Time Zone": "America/New_York"},
]


def build_sample(path: str | Path) -> None:
    """Write the sample tracker at ``path``."""
    build_tracker(path, interviews=INTERVIEWS, calls=CALLS, contacts=CONTACTS, settings=SETTINGS)
