"""What `workbook-tools import` knows about other people's lists: the names their
columns go by, the stages their boards use, and how leniently two rows are the same
lead. Each entry names where it comes from: PRODUCT.md, issue 15, a tracker site whose
exports use the name, or "ours".

A site named as a source (Huntr, Teal, Simplify, LinkedIn's "Job Applications" file in
its data download) is one whose exports are known to use that name; the names were not
checked against a current export of each site, which may rename a column at any time.
A column named differently is still read through `--map "X=Y"`.
"""

from __future__ import annotations

from typing import NamedTuple

from workbook_tools import contract as C

# --- What a source column can become -----------------------------------------------

TEXT = "text"  # written as text
DATE = "date"  # read by the engine's date reader, written as a date
STAGE = "stage"  # a board's stage: Type and Status through `STAGES`
TYPE = "type"  # the contract's Type, read leniently
LINK = "link"  # a web address: appended to Notes
USER = "user"  # a column of the tracker's own: written as read (a plain number as a number)


class Target(NamedTuple):
    """Where a source column's values go: the sheet and header written, and how the
    value is read (`TEXT`, `DATE`, `STAGE`, `TYPE`, `LINK`)."""

    sheet: str
    header: str
    kind: str
    source: str


#: The names a source column may be mapped to (by a synonym or by --map), and where each
#: goes. The Interviews inputs are the contract's own (PRODUCT.md); a person's details go
#: to Contacts, whose Name is the Interviews Contact.
TARGETS: dict[str, Target] = {
    "Company": Target(C.INTERVIEWS, "Company", TEXT, "PRODUCT.md: Interviews"),
    "Position": Target(C.INTERVIEWS, "Position", TEXT, "PRODUCT.md: Interviews"),
    "Contact": Target(C.INTERVIEWS, "Contact", TEXT, "PRODUCT.md: Interviews (a name on Contacts)"),
    "Type": Target(C.INTERVIEWS, "Type", TYPE, "PRODUCT.md: Interviews"),
    "Event Date": Target(C.INTERVIEWS, "Event Date", DATE, "PRODUCT.md: Interviews (required)"),
    "Decision By": Target(C.INTERVIEWS, "Decision By", DATE, "PRODUCT.md: Interviews"),
    "Call When": Target(C.INTERVIEWS, "Call When", TEXT, "PRODUCT.md: Interviews"),
    "Cadence": Target(C.INTERVIEWS, "Cadence", TEXT, "PRODUCT.md: Interviews"),
    "Status": Target(C.INTERVIEWS, "Status", STAGE, "issue 15: a board's stage gives Type and Status"),
    "Thank-You Sent": Target(C.INTERVIEWS, "Thank-You Sent", DATE, "PRODUCT.md: Interviews"),
    "Talking Point": Target(C.INTERVIEWS, "Talking Point", TEXT, "PRODUCT.md: Interviews"),
    "Notes": Target(C.INTERVIEWS, "Notes", TEXT, "PRODUCT.md: Interviews"),
    "Link": Target(C.INTERVIEWS, "Notes", LINK, "issue 15: Link/URL -> Notes"),
    "Interview Date": Target(C.INTERVIEWS, "Event Date", DATE,
                             "ours: beside an application date, a filled interview date is the Event Date (the "
                             "interview is what is followed up) and the application date goes to Notes; alone, it "
                             "is the Event Date column"),
    "Email": Target(C.CONTACTS, "Email", TEXT, "PRODUCT.md: Contacts"),
    "Phone": Target(C.CONTACTS, "Phone", TEXT, "PRODUCT.md: Contacts"),
    "Contact Title": Target(C.CONTACTS, "Title", TEXT, "PRODUCT.md: Contacts (the person's own title)"),
    "Time Zone": Target(C.CONTACTS, "Time Zone", TEXT, "PRODUCT.md: Contacts"),
    "Where We Met": Target(C.CONTACTS, "Where We Met", TEXT, "PRODUCT.md: Contacts"),
}
#: What --map "X=" (or "X=-", "X=ignore") means: leave column X out.
IGNORE_WORDS = ("", "-", "ignore", "skip", "none")


#: The names of a column of interview dates (`Synonym` "Interview Date"; its rows' Type is Interview).
INTERVIEW_DATE_NAMES = ("Interview Date", "Date of Interview", "Interview On", "Interviewed On", "Interview Day",
                        "Next Interview", "Interview Scheduled")


class Synonym(NamedTuple):
    """Names a source column goes by for ``target`` (a key of `TARGETS`). A ``weak``
    name (such as a bare "Date") gives way to a column with a stronger name for the same
    target, whatever their order."""

    target: str
    names: tuple[str, ...]
    source: str
    weak: bool = False


#: The header synonym table. Names match ignoring case, spaces, punctuation and the
#: difference between "snake_case", "camelCase" and words (`core.imports.header_key`);
#: the contract's own name always matches first.
SYNONYMS: tuple[Synonym, ...] = (
    Synonym("Company", ("Employer", "Organisation", "Organization", "Company Name", "Employer Name"),
            "issue 15; Company Name: LinkedIn's Job Applications export"),
    Synonym("Company", ("Org", "Firm", "Business"), "ours: a hand-made list"),
    Synonym("Position", ("Role", "Job Title", "Position Title", "Role Title", "Job Position", "Job Name", "Opening"),
            "issue 15; Job Title: LinkedIn, Teal and Simplify exports"),
    Synonym("Position", ("Title", "Job"), "issue 15 (a bare Title or Job is also a person's or a board's)", weak=True),
    Synonym("Event Date", ("Date Applied", "Applied On", "Application Date", "Applied Date",
                           "Date of Application", "Applied At", "Date Submitted"),
            "issue 15; Application Date: LinkedIn; Date Applied: Teal and Huntr"),
    Synonym("Interview Date", INTERVIEW_DATE_NAMES, "issue 15 (Interview Date); the others ours"),
    Synonym("Event Date", ("Date", "Applied"), "issue 15 (a bare Date: any date)", weak=True),
    Synonym("Status", ("Stage", "Application Status", "Job Status", "Current Stage", "Pipeline Stage", "Progress"),
            "issue 15; Stage: Huntr and Simplify boards; Status: Teal"),
    Synonym("Contact", ("Contact Name", "Contact Person", "Recruiter", "Recruiter Name", "Hiring Manager",
                        "Point of Contact", "Interviewer"), "issue 15"),
    Synonym("Email", ("E-mail", "Contact Email", "Recruiter Email", "Email Address", "Contact E-mail"),
            "issue 15; Contact Email: LinkedIn"),
    Synonym("Phone", ("Telephone", "Mobile", "Phone Number", "Contact Phone", "Contact Phone Number", "Cell"),
            "issue 15; Contact Phone Number: LinkedIn"),
    Synonym("Notes", ("Comments", "Note", "Comment", "Remarks"), "issue 15"),
    Synonym("Link", ("URL", "Job URL", "Posting", "Job Link", "Posting URL", "Job Posting", "Application Link",
                     "Job Posting URL", "Listing URL"), "issue 15; Job Url: LinkedIn; Job Link: Simplify"),
    Synonym("Decision By", ("Decision Date", "Decision Expected", "Expected Decision"), "ours"),
    Synonym("Thank-You Sent", ("Thank You Note", "Thank You Email"), "ours"),
    Synonym("Talking Point", ("Key Skill",), "ours: seed 002 names a key skill"),
    Synonym("Contact Title", ("Recruiter Title", "Contact Role"), "ours"),
    Synonym("Time Zone", ("Timezone", "TZ"), "ours"),
)

#: Source columns the import never reads, and why: the columns refresh computes (their
#: values in another tracker are plans for that tracker, not inputs).
COMPUTED_WHY = "refresh computes this column in the tracker"
COMPUTED_COLUMNS: tuple[str, ...] = C.OWNED_COLUMNS

#: The Type a row gets from the name of its date column when nothing else says
#: (ours: a column called "Date Applied" dates applications).
DATE_HEADER_TYPES: dict[str, str] = {
    "Date Applied": C.APPLICATION,
    "Applied On": C.APPLICATION,
    "Application Date": C.APPLICATION,
    "Applied Date": C.APPLICATION,
    "Date of Application": C.APPLICATION,
    "Applied At": C.APPLICATION,
    "Date Submitted": C.APPLICATION,
    "Applied": C.APPLICATION,
    **dict.fromkeys(INTERVIEW_DATE_NAMES, C.INTERVIEW),
}

#: How a header written with a hint or an extra word is still read (ours: sheets made
#: for others to fill in write "Date Applied (MM/DD/YYYY)", "Company (required)", "Job
#: Title / Role", "E-mail address", "Recruiter's Email"). When the header's own name is
#: not known, it is tried again: without the text in these brackets, then each part
#: between these separators, then without these filler words; the first known name wins.
HEADER_HINT_BRACKETS: tuple[tuple[str, str], ...] = (("(", ")"), ("[", "]"), ("{", "}"))
HEADER_ALTERNATIVES: tuple[str, ...] = ("/", "|", " or ")
#: ("your" is not one: "Your Email" is the applicant's, not the contact's.)
HEADER_FILLER_WORDS: frozenset[str] = frozenset({"address", "addr", "s", "the"})
#: A hint that says the order of a date column's day and month ("(DD/MM/YYYY)", "(mm-dd)"):
#: its first letter's word, day first (True) or month first (False). ours.
DATE_ORDER_HINTS: dict[str, bool] = {"dd mm": True, "d m": True, "mm dd": False, "m d": False}

# --- Stages ---------------------------------------------------------------------------


class Stage(NamedTuple):
    """What a board's stage means for a tracker row: its Type (None: the stage does not
    say) and Status (None: open), or ``keep`` False for a job not applied to yet."""

    type: str | None
    status: str | None
    source: str
    keep: bool = True


_APPLIED = Stage(C.APPLICATION, None, "issue 15: Applied -> Application, open")
_SCREEN = Stage(C.PHONE_SCREEN, None, "issue 15: Phone screen / Screening -> Phone screen")
_INTERVIEW = Stage(C.INTERVIEW, None, "issue 15: Interviewing / Onsite -> Interview")
_OFFER = Stage(None, C.OFFER, "issue 15: Offer -> Status Offer")
_HIRED = Stage(None, C.HIRED, "ours: an offer taken is the contract's Hired")
_NOT_SELECTED = Stage(None, C.NOT_SELECTED, "issue 15: Rejected / Declined -> Not selected")
_CLOSED = Stage(None, C.CLOSED, "issue 15: Ghosted -> Closed")
_WITHDRAWN = Stage(None, C.WITHDRAWN, "issue 15: Withdrawn")
_OPEN = Stage(None, None, "PRODUCT.md: blank or Active = open")
#: ours: a saved job has no application to follow up (seed 002 starts at the
#: application), so it is left out and counted; it comes in once it is applied to.
_NOT_APPLIED = Stage(None, None, "ours: a saved job is not followed up until you apply", keep=False)

#: The stage map: a stage as boards and lists write it -> what it means. Stages match
#: ignoring case, spaces and punctuation (an emoji or a bullet before them too).
STAGES: dict[str, Stage] = {
    **dict.fromkeys(("Applied", "Application sent", "Application submitted", "Submitted", "Apply", "Application"),
                    _APPLIED),
    **dict.fromkeys(("Phone screen", "Screening", "Recruiter call", "Recruiter screen", "Phone interview",
                     "Screen", "HR screen", "Screening call", "Phone call"), _SCREEN),
    **dict.fromkeys(("Interviewing", "Onsite", "On-site", "Interview", "Interviews", "Technical interview",
                     "Final round", "Interview scheduled", "Second interview", "Video interview", "Assessment"),
                    _INTERVIEW),
    **dict.fromkeys(("Offer", "Offer received", "Offered", "Negotiating"), _OFFER),
    **dict.fromkeys(("Hired", "Accepted", "Offer accepted"), _HIRED),
    **dict.fromkeys(("Rejected", "Declined", "Not selected", "Rejection", "Turned down", "No offer"), _NOT_SELECTED),
    **dict.fromkeys(("Ghosted", "No response", "No reply", "Closed", "Expired", "Position closed", "Archived"),
                    _CLOSED),
    **dict.fromkeys(("Withdrawn", "Withdrew", "Withdraw", "No longer interested"), _WITHDRAWN),
    **dict.fromkeys(("Active", "Open", "In progress", "Waiting", "Pending"), _OPEN),
    **dict.fromkeys(("Wishlist", "Wish list", "Saved", "Bookmarked", "Interested", "To apply", "Want to apply"),
                    _NOT_APPLIED),
    # The contract's Types written as a stage (PRODUCT.md).
    C.NETWORKING: Stage(C.NETWORKING, None, "PRODUCT.md: a Type"),
    C.REFERRAL: Stage(C.REFERRAL, None, "PRODUCT.md: a Type"),
}


class StageWords(NamedTuple):
    """Words that say what a stage means when the stage is not in `STAGES` as written
    ("Position filled", "2nd interview", "Rejected - after interview"): any of
    ``phrases`` (each a run of whole words, matched as `STAGES` is) gives ``stage``."""

    phrases: tuple[str, ...]
    stage: Stage


_OFFER_DECLINED = Stage(None, C.WITHDRAWN, "ours: an offer declined is the candidate's choice, as a withdrawal is "
                                           "(the contract's Withdrawn), not the employer's Not selected")
#: The stage words, tried in this order on a stage `STAGES` does not hold; the first
#: whose phrase the stage contains wins (ours). Words that close a lead come first, so
#: "Rejected - after interview" is Not selected and not an open interview; an offer
#: declined or accepted before the offer and the rejection it also names; then the
#: words of the steps before an offer; a saved job's words before "applied", so that
#: "Saved, not applied" is left out.
STAGE_WORDS: tuple[StageWords, ...] = (
    StageWords(("offer declined", "declined offer", "declined the offer", "turned down offer",
                "turned down the offer", "offer rejected", "rejected offer", "rejected the offer"), _OFFER_DECLINED),
    StageWords(("offer accepted", "accepted offer", "accepted the offer", "hired"), _HIRED),
    StageWords(("withdrew", "withdrawn", "withdraw", "withdrawing", "no longer interested", "not interested",
                "pulled out", "dropped out"), _WITHDRAWN),
    StageWords(("not moving forward", "not selected", "not proceeding", "not progressing", "rejected", "rejection",
                "declined", "turned down", "unsuccessful", "no offer", "not a fit", "did not get"), _NOT_SELECTED),
    StageWords(("filled", "cancelled", "canceled", "closed", "expired", "ghosted", "no response", "no reply",
                "no answer", "archived", "dead", "on hold indefinitely", "position removed", "job removed"), _CLOSED),
    StageWords(("offer", "offered", "negotiating", "negotiation"), _OFFER),
    StageWords(("phone screen", "screen", "screening", "screened", "recruiter call", "recruiter chat", "hr call",
                "phone call", "intro call"), _SCREEN),
    StageWords(("interview", "interviews", "interviewing", "interviewed", "onsite", "on site", "final round",
                "second round", "panel", "take home", "assessment", "technical", "case study"), _INTERVIEW),
    StageWords(("wishlist", "wish list", "saved", "bookmarked", "to apply", "not applied", "want to apply",
                "not yet applied"), _NOT_APPLIED),
    StageWords(("applied", "application", "submitted"), _APPLIED),
)

# --- Matching rows ------------------------------------------------------------------

#: Words that end a company's name without telling it from another (ours): "Acme Inc."
#: and "ACME" are one company. Dropped from the end of the name, repeatedly.
COMPANY_SUFFIXES: frozenset[str] = frozenset({
    "inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "corp", "corporation", "co", "company",
    "gmbh", "ag", "sa", "sas", "srl", "bv", "nv", "oy", "ab", "as", "pty", "pvt", "kk", "group",
})
#: Words dropped from the start of a company's name (ours): "The Acme Company" is Acme.
COMPANY_PREFIXES: frozenset[str] = frozenset({"the"})

# --- Reading a source ---------------------------------------------------------------

#: The header row is the row among the first rows holding the most names the import
#: knows (issue 15: "among the first ~30").
HEADER_SCAN_ROWS = 30
#: ours: the least a header row needs: a Company column and this many others.
HEADER_OTHERS = 1
#: ours: a cell longer than this is no column name (it is never matched).
LONGEST_HEADER = 80
#: ours: exports write two-digit years (LinkedIn's "6/12/24", Excel's "12-Jun-24" saved as
#: CSV); a job search is this century, so such a year is read as 20YY.
TWO_DIGIT_CENTURY = 2000

#: What separates the two ends of a date range ("June 12, 2024 → June 14, 2024" from a
#: Notion date property, "12/06/2024 - 14/06/2024", "12 June to 14 June 2024"): a range
#: is read as its start (ours). A hyphen only with spaces around it: "2024-06-12" is a date.
DATE_RANGE_SEPARATORS: tuple[str, ...] = ("\u2192", "->", "\u21d2", "\u2013", "\u2014", " - ", " to ", " until ",
                                         " till ", " through ")
