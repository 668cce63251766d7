"""The workbook contract: sheet names, headers and the fixed vocabularies.

These names are the public interface of a tracker (see PRODUCT.md): users, their
macros and other tools depend on them. Everything else in the package refers to
columns through these constants, never through literal strings of its own.
"""

from __future__ import annotations

from datetime import date

INTERVIEWS = "Interviews"
CALLS = "Calls"
CONTACTS = "Contacts"
SCRIPTS = "Scripts"
CADENCES = "Cadences"
SETTINGS = "Settings"
GUIDE = "Guide"

#: Excel's limit on the characters (UTF-16 code units) in one cell.
MAX_CELL_TEXT = 32767
#: The workbook types a tracker can be (a plain workbook, or one with macros).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: What one cell holds, as the package reads and writes it (a datetime is a date).
CellValue = str | int | float | bool | date | None

#: Sheet order in the template.
SHEET_ORDER = (INTERVIEWS, CALLS, CONTACTS, SCRIPTS, CADENCES, SETTINGS, GUIDE)

#: The sheets the processor reads (the Guide is for people).
DATA_SHEETS = (INTERVIEWS, CALLS, CONTACTS, SCRIPTS, CADENCES, SETTINGS)

#: Excel Table names used by the template (one per data sheet).
TABLE_NAMES = {
    INTERVIEWS: "tblInterviews",
    CALLS: "tblCalls",
    CONTACTS: "tblContacts",
    SCRIPTS: "tblScripts",
    CADENCES: "tblCadences",
    SETTINGS: "tblSettings",
}

INTERVIEW_INPUTS = (
    "Company",
    "Position",
    "Contact",
    "Type",
    "Event Date",
    "Decision By",
    "Call When",
    "Cadence",
    "Status",
    "Thank-You Sent",
    "Talking Point",
    "Notes",
)

#: The columns the processor owns on Interviews: it writes these and nothing else.
OWNED_COLUMNS = (
    "Calls Made",
    "Last Call",
    "Last Outcome",
    "Next Call",
    "Call Window",
    "Next Action",
    "Why",
    "Call Script",
    "Email Script",
    "Flag",
    "Refresh Record",
)
#: The owned column that records what refresh wrote in the others (`core.hand_edits`);
#: a tracker made before it existed may lack it.
REFRESH_RECORD = "Refresh Record"
NEXT_CALL = "Next Call"
#: The workbook-level name whose text constant is the tracker's identity, from which the
#: calendar's UIDs come (written by `new`; added by a refresh as the file's name then).
TRACKER_ID_NAME = "WorkbookTools_TrackerID"
#: Owned columns a tracker may lack (it is still read).
OPTIONAL_OWNED = (REFRESH_RECORD,)

INTERVIEW_HEADERS = INTERVIEW_INPUTS + OWNED_COLUMNS
INTERVIEW_REQUIRED = ("Company", "Event Date")
INTERVIEW_DATE_COLUMNS = ("Event Date", "Decision By", "Thank-You Sent", "Last Call", "Next Call")
OWNED_DATE_COLUMNS = ("Last Call", "Next Call")

CALL_HEADERS = ("Date", "Time", "Company", "Position", "Outcome", "New Date", "Notes")
CALL_REQUIRED = ("Date", "Company", "Outcome")
CALL_DATE_COLUMNS = ("Date", "New Date")

CONTACT_HEADERS = (
    "Name",
    "Company",
    "Title",
    "Phone",
    "Email",
    "Time Zone",
    "Country",
    "Where We Met",
    "Notes",
)
CONTACT_REQUIRED = ("Name",)

SCRIPT_HEADERS = ("Script", "Text")
CADENCE_HEADERS = ("Cadence", "Step", "Wait", "From")
SETTING_HEADERS = ("Setting", "Value")

#: Headers per sheet, in template order.
HEADERS: dict[str, tuple[str, ...]] = {
    INTERVIEWS: INTERVIEW_HEADERS,
    CALLS: CALL_HEADERS,
    CONTACTS: CONTACT_HEADERS,
    SCRIPTS: SCRIPT_HEADERS,
    CADENCES: CADENCE_HEADERS,
    SETTINGS: SETTING_HEADERS,
}

#: Columns that must be present for a sheet to be read.
REQUIRED_HEADERS: dict[str, tuple[str, ...]] = {
    INTERVIEWS: INTERVIEW_REQUIRED + tuple(c for c in OWNED_COLUMNS if c not in OPTIONAL_OWNED),
    CALLS: CALL_REQUIRED,
    CONTACTS: CONTACT_REQUIRED,
    SCRIPTS: SCRIPT_HEADERS,
    CADENCES: CADENCE_HEADERS,
    SETTINGS: SETTING_HEADERS,
}

# --- Types -----------------------------------------------------------------
INTERVIEW = "Interview"
PHONE_SCREEN = "Phone screen"
APPLICATION = "Application"
NETWORKING = "Networking"
REFERRAL = "Referral"
TYPES = (INTERVIEW, PHONE_SCREEN, APPLICATION, NETWORKING, REFERRAL)
DEFAULT_TYPE = INTERVIEW

# --- Status ----------------------------------------------------------------
ACTIVE = "Active"
OFFER = "Offer"
HIRED = "Hired"
NOT_SELECTED = "Not selected"
WITHDRAWN = "Withdrawn"
CLOSED = "Closed"
STATUSES = (ACTIVE, OFFER, HIRED, NOT_SELECTED, WITHDRAWN, CLOSED)
CLOSED_STATUSES = (OFFER, HIRED, NOT_SELECTED, WITHDRAWN, CLOSED)

# --- Call outcomes ---------------------------------------------------------
LEFT_VOICEMAIL = "Left voicemail"
NO_ANSWER = "No answer"
SPOKE = "Spoke, no decision yet"
NEW_DATE = "Given a new date"
NEXT_INTERVIEW = "Next interview set"
OUTCOME_NOT_SELECTED = "Not selected"
OUTCOME_OFFER = "Offer"
ASKED_NOT_TO_CALL = "Asked not to call"
OUTCOMES = (
    LEFT_VOICEMAIL,
    NO_ANSWER,
    SPOKE,
    NEW_DATE,
    NEXT_INTERVIEW,
    OUTCOME_NOT_SELECTED,
    OUTCOME_OFFER,
    ASKED_NOT_TO_CALL,
)

# --- Flags -----------------------------------------------------------------
OVERDUE = "Overdue"
DUE_TODAY = "Due today"
UPCOMING = "Upcoming"
WAITING = "Waiting"
FLAG_CLOSED = "Closed"
FLAGS = (OVERDUE, DUE_TODAY, UPCOMING, WAITING, FLAG_CLOSED)

# --- Settings --------------------------------------------------------------
YOUR_NAME = "Your Name"
YOUR_PHONE = "Your Phone"
YOUR_EMAIL = "Your Email"
COUNTRY = "Country"
SUBDIVISION = "Subdivision"
TIME_ZONE = "Time Zone"
#: The hours of the user's own day in which calls may be planned ("7:00-21:00").
YOUR_HOURS = "Your Hours"
DAYS_AFTER_DECISION = "Days After Decision"
DEFAULT_GRACE_DAYS = 2


def default_cadence_setting(type_: str) -> str:
    """The Settings row naming the default cadence of one Type."""
    return f"Default Cadence: {type_}"


def normalise_header(value: object) -> str:
    """Headers match ignoring case and surrounding spaces."""
    return str(value).strip().casefold() if value is not None else ""


def too_long_for_a_cell(text: str) -> int | None:
    """Excel's length of ``text`` when it is over the `MAX_CELL_TEXT` a cell holds, else None."""
    if len(text) * 2 <= MAX_CELL_TEXT:  # within the limit however it is counted
        return None
    size = len(text.encode("utf-16-le")) // 2
    return size if size > MAX_CELL_TEXT else None
