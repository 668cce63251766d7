"""Realistic trackers for the benchmarks: one builder, `build`, on the template's own
`workbook_tools.template.workbook.build_tracker`.

A tracker here looks like a job seeker's: companies and positions of many kinds, every Type,
talking points of a sentence or two (varied), notes on some rows, contacts in several time
zones and countries (some rows with no contact, some contacts with no zone), all of the
contract's call outcomes (closed ones included: `Not selected`, `Offer`, `Asked not to call`),
closed statuses on a few rows, `Call When` phrases and `Decision By` dates on some, and the
Settings filled (name, phone, email, country).

Dates are spread around ``today`` so that the plan moves from one day to the next: events
5 to 70 days before, calls (``calls_per_row`` a row, 3 by default) logged up to the day
before, so the next calls fall from a few days overdue to a week or two ahead. A refresh on
``today + 1`` then really changes cells (rows going from `Due today` to `Overdue`, from
`Upcoming` to `Due today`, their Next Action and Why with them).

Building is slow for big trackers (XlsxWriter, not constant_memory: about 13 s at 10,000
rows and 2 minutes at 100,000), so `cached` keeps each built file in a folder under the
temporary directory, keyed by everything that decides its content (a changed template or
builder makes a new key).
"""

from __future__ import annotations

import hashlib
import random
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from workbook_tools import contract as C

#: The day the benchmarks plan on (a Monday), unless told otherwise.
TODAY = date(2026, 11, 23)

SETTINGS = {"Your Name": "Sam Lee", "Your Phone": "555-0199", "Your Email": "sam.lee@example.com",
            "Country": "US"}

PREFIXES = ("Northwind", "Bluefin", "Cobalt", "Evergreen", "Harbor", "Ironwood", "Juniper", "Keystone",
            "Lumen", "Meridian", "Nimbus", "Orchard", "Pinnacle", "Quarry", "Redwood", "Summit", "Tidal",
            "Umber", "Vantage", "Willow", "Yarrow", "Zephyr", "Atlas", "Beacon", "Cascade", "Delta",
            "Ember", "Foundry", "Granite", "Horizon")
SUFFIXES = ("Analytics", "Health", "Logistics", "Labs", "Bank", "Energy", "Foods", "Robotics", "Media",
            "Insurance", "Software", "Partners", "Biotech", "Retail", "Systems", "Capital", "Studios",
            "Freight", "Learning", "Networks")
POSITIONS = ("Data Analyst", "Senior Data Analyst", "Analytics Engineer", "Product Analyst",
             "Business Intelligence Developer", "Data Scientist", "Operations Analyst",
             "Financial Analyst", "Marketing Analyst", "Research Associate", "Junior Developer",
             "Project Coordinator")
FIRST = ("Ana", "Ben", "Chloé", "Dev", "Elif", "Farah", "Gus", "Hana", "Ivan", "Jo", "Kenji", "Lena", "Marco",
         "Nadia", "Owen", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Victor", "Wen", "Yusuf", "Zoe")
LAST = ("Adams", "Becker", "Chen", "Dubois", "Evans", "Fischer", "García", "Hughes", "Ito", "Jensen",
        "Kowalski", "Lopez", "Müller", "Nakamura", "O'Brien", "Patel", "Rossi", "Singh", "Tanaka", "Walsh")
TITLES = ("Hiring Manager", "Recruiter", "Talent Partner", "Team Lead", "Director of Analytics",
          "HR Coordinator", "Engineering Manager")
#: (time zone, country): blank country = the country of the zone.
ZONES = (("America/New_York", ""), ("America/Chicago", ""), ("America/Denver", ""),
         ("America/Los_Angeles", ""), ("America/Toronto", "CA"), ("Europe/London", "GB"),
         ("Europe/Berlin", "DE"), ("Europe/Paris", ""), ("Asia/Tokyo", "JP"), ("Australia/Sydney", ""),
         ("Asia/Kolkata", "IN"), ("", ""))
MET = ("the career fair", "a LinkedIn message", "the meetup on data pipelines", "a referral from Jo",
       "the alumni breakfast", "their booth at the conference", "")
TOPICS = ("the migration of their reporting to a cloud warehouse", "how the team measures churn",
          "their plan to open an office in Denver", "the dashboard I built for a food bank",
          "forecasting demand for seasonal products", "the A/B test that changed their onboarding",
          "my thesis on survival models", "their move from spreadsheets to dbt",
          "the on-call rota and how incidents are reviewed", "mentoring junior analysts",
          "cleaning the supplier data by hand every Friday", "the new pricing model")
TAILS = ("They asked for an example with numbers.", "Mention the 30% time saved.",
         "Ask how the team is split between product and finance.", "She liked the idea of weekly demos.",
         "Bring up the SQL test: I finished early.", "", "")
NOTES = ("Second round will be on site.", "Salary range not discussed yet.", "Recruiter prefers email.",
         "Take-home due Friday.", "Met two people from the team.", "", "", "", "")
PHRASES = ("after Tuesday", "next week", "mid-week", "in 2 weeks", "in 3 business days", "early next week",
           "end of the week", "after Thanksgiving")
#: Types, weighted as a job search has them.
TYPE_WEIGHTS = ((C.INTERVIEW, 45), (C.PHONE_SCREEN, 20), (C.APPLICATION, 20), (C.NETWORKING, 10),
                (C.REFERRAL, 5))
#: Outcomes of the calls before the last (open ones), and of the last call (all of them).
EARLY_OUTCOMES = ((C.NO_ANSWER, 30), (C.LEFT_VOICEMAIL, 35), (C.SPOKE, 20), (C.NEW_DATE, 8),
                  (C.NEXT_INTERVIEW, 7))
LAST_OUTCOMES = EARLY_OUTCOMES + ((C.OUTCOME_NOT_SELECTED, 6), (C.OUTCOME_OFFER, 3), (C.ASKED_NOT_TO_CALL, 3))
#: Statuses typed by the user (blank mostly; closed ones on a few rows).
STATUS_WEIGHTS = (("", 80), (C.ACTIVE, 12), (C.WITHDRAWN, 3), (C.HIRED, 1), (C.CLOSED, 2), (C.NOT_SELECTED, 2))


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def company_name(i: int) -> str:
    """A distinct, plausible company name for row ``i``."""
    combos = len(PREFIXES) * len(SUFFIXES)
    base = f"{PREFIXES[i % len(PREFIXES)]} {SUFFIXES[(i // len(PREFIXES)) % len(SUFFIXES)]}"
    return base if i < combos else f"{base} {i // combos + 1}"


def talking_point(rng: random.Random) -> str:
    text = f"Talked about {rng.choice(TOPICS)}; {rng.choice(TOPICS)} came up too."
    tail = rng.choice(TAILS)
    return f"{text} {tail}" if tail else text


def _contact(rng: random.Random, i: int, company: str) -> dict[str, Any]:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}" if i >= 500 else f"{FIRST[i % 25]} {LAST[(i // 25) % 20]}"
    zone, country = rng.choice(ZONES)
    return {"Name": name, "Company": company, "Title": rng.choice(TITLES),
            "Phone": f"+1 555 01{i % 100:02d} {i % 10000:04d}" if rng.random() < 0.9 else "",
            "Email": f"contact{i}@{company.split()[0].lower()}.example", "Time Zone": zone, "Country": country,
            "Where We Met": rng.choice(MET)}


def _calls(rng: random.Random, company: str, position: str, event: date, today: date, n: int) -> list[dict[str, Any]]:
    """``n`` calls after ``event``, the last of them 1 to 12 days before ``today``."""
    last = today - timedelta(days=rng.randint(1, 12))
    span = max((last - event).days, n)
    days = sorted(rng.sample(range(1, span + 1), n)) if span >= n else list(range(1, n + 1))
    out = []
    for k, day in enumerate(days):
        outcome = _pick(rng, LAST_OUTCOMES if k == n - 1 else EARLY_OUTCOMES)
        when = event + timedelta(days=day)
        new_date = None
        if outcome in (C.NEW_DATE, C.NEXT_INTERVIEW):
            new_date = when + timedelta(days=rng.randint(3, 15))
        out.append({"Date": when, "Company": company, "Position": position, "Outcome": outcome,
                    "New Date": new_date, "Notes": "asked about next steps" if rng.random() < 0.2 else None})
    return out


def rows(n: int, seed: int = 1, today: date = TODAY, calls_per_row: int = 3
         ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The interviews, calls and contacts of a realistic tracker of ``n`` rows."""
    rng = random.Random(seed)
    interviews: list[dict[str, Any]] = []
    calls: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    for i in range(n):
        company, position = company_name(i), rng.choice(POSITIONS)
        type_ = _pick(rng, TYPE_WEIGHTS)
        event = today - timedelta(days=rng.randint(5 + calls_per_row, 70))
        contact = None
        if rng.random() < 0.85:
            contact = _contact(rng, i, company)
            contacts.append(contact)
        interviews.append({
            "Company": company, "Position": position, "Contact": contact["Name"] if contact else None,
            "Type": type_ if type_ != C.INTERVIEW or rng.random() < 0.5 else None, "Event Date": event,
            "Decision By": event + timedelta(days=rng.randint(7, 21)) if rng.random() < 0.3 else None,
            "Call When": rng.choice(PHRASES) if rng.random() < 0.25 else None,
            "Status": _pick(rng, STATUS_WEIGHTS) or None,
            "Thank-You Sent": event + timedelta(days=rng.randint(0, 1)) if rng.random() < 0.6 else None,
            "Talking Point": talking_point(rng), "Notes": rng.choice(NOTES) or None,
        })
        calls += _calls(rng, company, position, event, today, calls_per_row)
    return interviews, calls, contacts


def build(path: Path, n: int, seed: int = 1, today: date = TODAY, calls_per_row: int = 3) -> Path:
    """Write a realistic tracker of ``n`` rows at ``path`` (see the module's docstring)."""
    from workbook_tools.template.workbook import build_tracker

    interviews, calls, contacts = rows(n, seed, today, calls_per_row)
    build_tracker(path, interviews=interviews, calls=calls, contacts=contacts, settings=SETTINGS)
    return path


def _key(n: int, seed: int, today: date, calls_per_row: int) -> str:
    """What decides a built tracker's bytes: the arguments, this builder and the template's code."""
    import workbook_tools.template.workbook as template

    digest = hashlib.sha256(f"{n}/{seed}/{today}/{calls_per_row}".encode())
    for source in (Path(__file__), Path(template.__file__)):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def cached(path: Path, n: int, seed: int = 1, today: date = TODAY, calls_per_row: int = 3) -> Path:
    """`build`, but a tracker built before with the same key is copied from the cache
    (``<tmp>/workbook-tools-bench-cache``) instead of built again; one built with another
    key for the same size is removed."""
    folder = Path(tempfile.gettempdir()) / "workbook-tools-bench-cache"
    folder.mkdir(exist_ok=True)
    kept = folder / f"tracker-{n}-{calls_per_row}-{_key(n, seed, today, calls_per_row)}.xlsx"
    if not kept.exists():
        for stale in folder.glob(f"tracker-{n}-{calls_per_row}-*.xlsx"):  # built by an older builder
            stale.unlink()
        partial = kept.with_suffix(".partial.xlsx")
        build(partial, n, seed, today, calls_per_row)
        partial.replace(kept)
    shutil.copyfile(kept, path)
    return path
