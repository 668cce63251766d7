"""The upgrade-macro command: an .xlsm tracker's VBA project rebuilt from the installed xlwings."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from workbook_tools.cli.common import EXIT_OK, EXIT_PROBLEMS, report_error, say
from workbook_tools.errors import WorkbookToolsError

if TYPE_CHECKING:
    from workbook_tools.app.macro import ButtonProblem, MacroUpgrade


@click.command("upgrade-macro")
@click.argument("path", metavar="PATH")  # a plain string: the library says what is wrong with any path
def upgrade_macro_command(path: str) -> None:
    """Rebuild the VBA project of the tracker PATH (.xlsm) from the installed xlwings, so its
    Refresh button works again after `pip install -U xlwings`. Your own modules and sheet
    event handlers are kept as they were; nothing else in the file changes, and a file whose
    project is already up to date is not rewritten."""
    from workbook_tools.app.macro import upgrade_macro

    try:
        done = upgrade_macro(path)
    except WorkbookToolsError as exc:
        report_error(exc)
        sys.exit(EXIT_PROBLEMS)
    for line in upgrade_lines(path, done):
        say(line, one_line=True)
    sys.exit(EXIT_OK)


def upgrade_lines(path: str, done: MacroUpgrade) -> list[str]:
    """What the command prints for ``done``, a line each."""
    sheets = len(done.code_names)
    workbook = "the workbook and " if done.workbook_code_name else ""
    modules = f"with a module for {workbook}{sheets} sheet{'s' if sheets != 1 else ''}"
    if done.rewritten:
        lines = [f"{path}: VBA project rebuilt from xlwings {done.xlwings_version}, {modules}; nothing else in the "
                 "file changed."]
    else:
        lines = [f"{path}: VBA project already the one xlwings {done.xlwings_version} builds, {modules}; the file "
                 "was left as it was."]
    lines.append(f"{path}: modules upgraded to the installed versions: {_names(done.upgraded)}.")
    lines.append(f"{path}: modules kept as they were: {_names(done.kept)}.")
    without = ["the workbook"] if done.workbook_code_name is None else []
    without += [repr(name) for name in done.sheets_without_code_name]
    if without:
        lines.append(f"{path}: no code name in the file for {', '.join(without)} (LibreOffice leaves them out when "
                     "it saves; a sheet neither a worksheet nor a chart sheet has none), so no document module was "
                     "made or matched for them; Excel gives them code names when it opens the workbook. Fix: save it "
                     "once from Excel, then run `workbook-tools upgrade-macro` again.")
    lines += [_button_line(path, problem) for problem in done.button_problems]
    return lines


def _button_line(path: str, problem: ButtonProblem) -> str:
    from workbook_tools.template.vba import BUTTON_MACRO_REFERENCE

    if problem.definers:
        why = f"which {len(problem.definers)} modules define ({', '.join(problem.definers)}): Excel cannot tell which"
    else:
        why = "which the VBA project does not have"
    return (f"{path}: the button on {problem.sheet!r} runs {problem.macro!r}, {why}; upgrade-macro leaves the sheets' "
            f"drawings as they were. Fix: in Excel, right-click the button, choose Assign Macro, pick "
            f"{BUTTON_MACRO_REFERENCE} and save.")


def _names(modules: tuple[str, ...]) -> str:
    return ", ".join(modules) if modules else "none"
