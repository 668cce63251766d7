"""The text of the Guide sheet, as (style, text) lines.

Kept apart from the layout code in :mod:`workbook_tools.template`. Names of sheets,
columns, flags, outcomes and cadences come from the contract and the cadence table,
so the Guide cannot drift from what the processor does.
"""

from __future__ import annotations

import re

from workbook_tools import contract as c
from workbook_tools.core.rules import texts as S
from workbook_tools.core.rules.cadences import BUILTIN_CADENCES
from workbook_tools.core.rules.lead_types import TYPE_RULES
from workbook_tools.core.rules.outcomes import OUTCOME_RULES, THANK_YOU_UNTIL_DAYS
from workbook_tools.core.rules.reach import REACH_THRESHOLD
from workbook_tools.core.rules.texts import DEFAULT_SCRIPTS
from workbook_tools.core.rules.windows import USER_DAY
from workbook_tools.core.windows import hours_text

#: Line styles understood by the template: a title, a heading, a paragraph, a bullet,
#: and one legend style per colour rule.
TITLE = "title"
HEADING = "heading"
TEXT = "text"
BULLET = "bullet"
LEGEND_CLOSED = "legend closed"
LEGEND_OVERDUE = "legend overdue"
LEGEND_DUE_TODAY = "legend due today"

GuideLine = tuple[str, str]

#: What each processor-owned column holds (keys are checked against the contract by the tests).
OWNED_HELP: dict[str, str] = {
    "Calls Made": "how many calls you have logged for the row",
    "Last Call": "the date of the latest logged call",
    "Last Outcome": "what happened on that call",
    "Next Call": "the day to make the next call (blank when no call is planned)",
    "Call Window": "when in that day to call, in your time and the contact's",
    "Next Action": "what to do next, including emails that are due",
    "Why": "how the Next Call date was worked out, in words",
    "Call Script": "what to say, filled in from the Scripts sheet",
    "Email Script": "an email to send now, when one is due",
    "Flag": "the state of the next call (see the flags below)",
    "Refresh Record": "hidden: a short record of what Refresh last wrote in the row's other computed cells, "
                      "so that it can tell your typing from its own",
}

FLAG_HELP: dict[str, str] = {
    c.OVERDUE: "the next call was due before today. Make it as soon as you can; "
    "the plan counts on from the day you actually call",
    c.DUE_TODAY: "make the call today",
    c.UPCOMING: "a call is planned for a later day",
    c.WAITING: "the row is open but no more calls are planned: the ball is in their court",
    c.FLAG_CLOSED: "the row is finished (an offer, a hire, a no, or you closed it)",
}

def _placeholders() -> list[str]:
    found: list[str] = []
    for text in DEFAULT_SCRIPTS.values():
        for name in re.findall(r"\{([^{}]+)\}", text):
            if name not in found:
                found.append(name)
    return found


OPEN_COMPANY_RULE = (
    f"the companies of the open rows on {c.INTERVIEWS}: rows whose Status is not closed "
    f"and whose Flag is not {c.FLAG_CLOSED}, each once. It follows your typing; a row "
    "closed by a call drops out after Refresh."
)


def guide_lines(lists_sheet: str) -> list[GuideLine]:
    """The Guide, top to bottom. ``lists_sheet`` names the hidden sheet behind the dropdowns."""
    return _how_to_use() + _colours_and_flags() + _status_and_outcomes() + _cadences_and_scripts(lists_sheet)


def _how_to_use() -> list[GuideLine]:
    owned = ", ".join(c.OWNED_COLUMNS)
    lines: list[GuideLine] = [
        (TITLE, "Job search follow-up tracker"),
        (TEXT, "Keep every lead in this workbook. You type what happened; Refresh works out "
               "when to call next, what to say, and what is overdue."),
        (HEADING, "How to use it"),
        (BULLET, f"1. Add a row on {c.INTERVIEWS} for each interview, phone screen, application, "
                 f"networking meeting or referral. {' and '.join(c.INTERVIEW_REQUIRED)} are "
                 "required; fill in the rest when you know it. You may type below the last row: "
                 "the new row is part of the list."),
        (BULLET, f"2. Put the people you deal with on {c.CONTACTS}, and name them in the Contact "
                 f"column on {c.INTERVIEWS}. Their Time Zone decides the best time to call."),
        (BULLET, f"3. Each time you call, add a row on {c.CALLS}: the date, the time, the company "
                 "and the outcome. Fill in Position only when you have more than one open row "
                 "for that company."),
        (BULLET, "4. Refresh. In a tracker with a Refresh button (the .xlsm version), click it. "
                 "Otherwise save and close the file and run: workbook-tools refresh tracker.xlsx "
                 "(it will not write a file that Excel or LibreOffice has open: their lock files, "
                 "~$tracker.xlsx and .~lock.tracker.xlsx#, say so)."),
        (BULLET, f"5. Fill in your name, phone and email on {c.SETTINGS}: the scripts use them "
                 "(`workbook-tools check` reports them while they are blank)."),
        (BULLET, "6. A cell Refresh cannot read (a date such as \"March\", a Call When it does not "
                 "know, a time zone such as \"Pacific\") is reported, and the row's Why says which "
                 "cell it was and what the plan assumed instead. A date typed without a year is "
                 "the nearest one that makes sense (an event or a call: on or before today; a "
                 "decision date: on or after the event), and Why says so."),
        (HEADING, "Columns filled in by Refresh"),
        (TEXT, f"On {c.INTERVIEWS} these columns have a lavender header: {owned}. Refresh writes "
               "them and nothing else. Your own typing in them is never silently lost: a date "
               f"you type over {c.NEXT_CALL} is your pin (Refresh keeps it, Why says it was set by "
               "hand, and it ends once you log a call on or after that day); text typed into "
               "another of these columns is kept and reported until you move it to Notes or "
               f"clear the cell. Refresh knows what it wrote last from the hidden {c.REFRESH_RECORD} "
               "column: leave it in place (sorting and copying rows is fine)."),
    ]
    lines += [(BULLET, f"{name}: {OWNED_HELP.get(name, '')}") for name in c.OWNED_COLUMNS]
    return lines


def _colours_and_flags() -> list[GuideLine]:
    lines: list[GuideLine] = []
    lines += [
        (HEADING, "Colours"),
        (TEXT, "Rows are coloured by rules built into the sheet, so the colours stay right when "
               "you open the file on a later day, even before you refresh."),
        (LEGEND_CLOSED, f"Grey: Flag is {c.FLAG_CLOSED}, or you set a closing Status."),
        (LEGEND_OVERDUE, f"Red: {c.OVERDUE}. Next Call is before today and the row is still "
                         "expecting a call."),
        (LEGEND_DUE_TODAY, f"Amber: {c.DUE_TODAY}. Next Call is today."),
        (TEXT, "Other rows are not coloured."),
        (HEADING, "Flags"),
    ]
    lines += [(BULLET, f"{flag}: {FLAG_HELP.get(flag, '')}") for flag in c.FLAGS]
    return lines


def _status_and_outcomes() -> list[GuideLine]:
    lines: list[GuideLine] = []
    lines += [
        (HEADING, "Status"),
        (TEXT, f"Leave Status blank or set {c.ACTIVE} while the row is open. "
               f"{', '.join(c.CLOSED_STATUSES)} close the row: no more calls."),
        (HEADING, f"Call outcomes (the Outcome column on {c.CALLS})"),
    ]
    lines += [(BULLET, f"{outcome}: {OUTCOME_RULES[outcome].help}") for outcome in c.OUTCOMES]
    return lines


def _cadences_and_scripts(lists_sheet: str) -> list[GuideLine]:
    lines: list[GuideLine] = []
    lines += [
        (HEADING, "Cadences: how often to call"),
        (TEXT, "A blank Cadence cell uses the default for the row's Type: "
               + "; ".join(f"{t}: {TYPE_RULES[t].cadence}" for t in c.TYPES)
               + f". Change the defaults on {c.SETTINGS}."),
    ]
    lines += [
        (BULLET, f"{cad.name}: {cad.summary} [Source: {cad.source}]")
        for cad in BUILTIN_CADENCES.values()
    ]
    lines += [
        (TEXT, f"The {c.CADENCES} sheet holds these rules as rows you can edit: Step 1 is the "
               "first call; Wait is how long before it, such as \"3 business days\" or "
               "\"1 week\"; From says whether the wait counts from the event or from the "
               "previous call. A step such as \"2+\" repeats. Add your own cadence by adding "
               "rows with a new name."),
        (TEXT, "Business days skip weekends and the public holidays of the Country (and "
               f"Subdivision) on {c.SETTINGS}. A call is never planned before the Decision By "
               f"date plus the grace in {c.DAYS_AFTER_DECISION}, nor before what Call When "
               "allows: a date, or words such as \"after Tuesday\", \"mid-week\" (a Tuesday to "
               "Thursday), \"early next week\" (Monday or Tuesday), \"end of next week\", "
               "\"after Thanksgiving\" (any public holiday of your country by name) or \"in 2 "
               "weeks\". Why says how Call When moved the date."),
        (TEXT, "A thank-you email is due right after an interview, a phone screen, a networking "
               f"meeting or a referral until you fill in Thank-You Sent; after {S.THANK_YOU_LATE_AFTER_DAYS} "
               "days Next Action says it is late (the Email Script then apologises for the delay), "
               f"and after {THANK_YOU_UNTIL_DAYS} days it is no longer suggested."),
    ]
    return lines + _abroad_and_tools() + _lists_and_scripts(lists_sheet)


def _abroad_and_tools() -> list[GuideLine]:
    return [
        (HEADING, "Contacts abroad"),
        (TEXT, f"Give a contact a Time Zone on {c.CONTACTS} (an IANA name such as Europe/Berlin; "
               "\"Pacific\" or \"US/Pacific\" are reported with the names to use) and, if their "
               "country is not the one of their time zone, a Country code. Their calls are then "
               f"planned on days that are working days in both countries, at a time inside their "
               f"calling windows and inside your own day ({c.YOUR_HOURS} on {c.SETTINGS}, "
               f"{hours_text(USER_DAY)} unless you change it). Successive calls move among the windows "
               "that suit you both; when none does, the plan takes the closest and Why says so. "
               "Call Window gives both times, with your date when it is another day for you."),
        (HEADING, "Your calendar"),
        (TEXT, "workbook-tools calendar tracker.xlsx -o followups.ics writes the calls and emails the "
               "agenda lists as calendar events, for Outlook, Google or Apple Calendar. Refresh, then "
               "export to the same file and import it again whenever you like: events that moved are "
               "updated, those no longer planned (a row closed or deleted) are cancelled, and nothing "
               f"doubles. The calendar knows this tracker by the workbook name {c.TRACKER_ID_NAME} and "
               f"each event's history by the hidden {c.REFRESH_RECORD} and the file it replaces: keep "
               "them, and renaming or copying the tracker is fine."),
        (HEADING, "One click to call or email"),
        (TEXT, f"After a refresh, {c.NEXT_CALL} is a link to the contact's phone: click it and your phone "
               f"or calling app dials the number. When an email is due, Flag is a link that opens your "
               "mail app with the address, the subject and the Email Script filled in; read it, then send. "
               "Numbers written without + are read in the contact's Country, else their time zone's, else "
               "yours: write + and the country code to be sure. A message too long for a link is cut with a "
               "note; the whole text stays in Email Script. Each refresh updates or removes its own links "
               "and never touches yours. In Excel, click once to follow a link; click and hold to select "
               "the cell."),
        (HEADING, "Learning when you reach people"),
        (TEXT, f"Log the Time of each call on {c.CALLS} (your own clock): the tracker turns it into the "
               f"contact's time with the Time Zones on {c.SETTINGS} and {c.CONTACTS}. Until you have "
               f"{REACH_THRESHOLD.timed_calls} calls with a Time, Call Window follows the advice: "
               "early, around lunch or late afternoon, a different one each attempt. After that, when at "
               f"least two of those windows have {REACH_THRESHOLD.per_window} calls or more, the window "
               "where you reached people most often comes first, and later attempts still move through the "
               "others; Why says so, with the count. When every window is alike nothing changes, and a "
               "time outside the advice or outside your own day is never suggested. A Time that is not a "
               "time of day is reported with its cell. workbook-tools report shows how often you reach "
               "people by attempt, call window and weekday, with charts."),
        (HEADING, "Bringing in your old list"),
        (TEXT, "workbook-tools import old-list.csv --into tracker.xlsx adds the leads of another "
               "spreadsheet or a job-tracker site's export (CSV or Excel). It reads each column by its "
               "name (Employer, Role, Date Applied, Stage, Recruiter...), tells you which columns it used "
               "and which it ignored, and turns stages into a Type and a Status; --map \"Your column=Position\" "
               "names a column yourself. A lead already here (same company, position and date) is skipped, "
               f"so importing twice adds nothing; new people go onto {c.CONTACTS}; a row without a company "
               "or a readable date is listed with its line and the fix. Try it with --dry-run first: "
               "nothing is written. Then the tracker is refreshed."),
        (HEADING, "The Refresh button"),
        (TEXT, "In the .xlsm version, the Refresh button above the headers of Interviews and Calls runs "
               "the Python file named like the workbook, beside it, through xlwings. After you upgrade "
               "xlwings (pip install -U xlwings) the button may stop working: close the workbook and run "
               "workbook-tools upgrade-macro tracker.xlsm. It rebuilds the macros from the installed xlwings, "
               "keeps your own modules, and changes nothing else in the file."),
        (HEADING, "Printing"),
        (TEXT, "Refresh makes each row it fills tall enough for its longest wrapped cell, your Notes "
               "included, and leaves the rows it does not fill alone. Every sheet already fits its page "
               f"width and repeats its header row when printed; {c.INTERVIEWS} prints three landscape "
               "pages across, with the Company column on each."),
    ]


def _lists_and_scripts(lists_sheet: str) -> list[GuideLine]:
    return [
        (HEADING, "Dropdowns"),
        (TEXT, f"Type, Status and Cadence on {c.INTERVIEWS}, and Outcome on {c.CALLS}, offer "
               "lists. The Cadence list shows every cadence on the Cadences sheet, yours "
               f"included. Company on {c.CALLS} lists {OPEN_COMPANY_RULE} You can still type "
               "another name: Excel warns you, and accepts it if you say Yes. These lists are "
               f"worked out on a hidden sheet, {lists_sheet}: leave it in place."),
        (HEADING, "Scripts"),
        (TEXT, f"The {c.SCRIPTS} sheet holds the messages Refresh fills in. Edit them freely. "
               "A name in braces is replaced by the row's value: a column of Interviews, "
               "Contacts or Settings. The scripts use: "
               + ", ".join("{" + p + "}" for p in _placeholders()) + "."),
        (TEXT, "{First Name} is the first word of the contact's name as written on Contacts; "
               "{Event Day} is the event date in words, {Decision Day} the decision date they gave. "
               "Names in square brackets, such as [Position], work too. A blank cell never shows "
               "in a script: a blank Position reads \"the role\", and a sentence that needs a blank "
               "value, such as your talking point, is left out."),
    ]
