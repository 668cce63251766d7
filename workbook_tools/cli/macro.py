"""The upgrade-macro command: an .xlsm tracker's VBA project rebuilt from the installed xlwings."""

from __future__ import annotations

import sys

import click

from workbook_tools.cli.common import EXIT_OK, EXIT_PROBLEMS, report_error, say
from workbook_tools.errors import WorkbookToolsError


@click.command("upgrade-macro")
@click.argument("path", metavar="PATH")  # a plain string: the library says what is wrong with any path
def upgrade_macro_command(path: str) -> None:
    """Rebuild the VBA project of the tracker PATH (.xlsm) from the installed xlwings, so its
    Refresh button works again after `pip install -U xlwings`. Your own modules and sheet
    event handlers are kept as they were; nothing else in the file changes."""
    from workbook_tools.app.macro import upgrade_macro

    try:
        done = upgrade_macro(path)
    except WorkbookToolsError as exc:
        report_error(exc)
        sys.exit(EXIT_PROBLEMS)
    sheets = len(done.code_names)
    workbook = "the workbook and " if done.workbook_code_name else ""
    say(f"{path}: VBA project rebuilt from xlwings {done.xlwings_version}, with a module for {workbook}"
        f"{sheets} sheet{'s' if sheets != 1 else ''}; nothing else in the file changed.", one_line=True)
    say(f"{path}: modules upgraded to the installed versions: {_names(done.upgraded)}.", one_line=True)
    say(f"{path}: modules kept as they were: {_names(done.kept)}.", one_line=True)
    if done.sheets_without_code_name:
        names = ", ".join(repr(name) for name in done.sheets_without_code_name)
        say(f"{path}: no module for {names} (no code name in the file, or not a worksheet or chart sheet); "
            "Excel adds one when it opens the workbook.", one_line=True)
    sys.exit(EXIT_OK)


def _names(modules: tuple[str, ...]) -> str:
    return ", ".join(modules) if modules else "none"
