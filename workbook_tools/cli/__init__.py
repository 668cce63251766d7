"""The `workbook-tools` command: each command parses its options, calls one library
function (in `workbook_tools.app`), and turns the library's errors into a message on
stderr and an exit code.

Exit codes: 0 done, 1 problems in the data or the file, 2 usage (or an install that
leaves out what the command needs: `report` and `import` need the `pandas` extra).
"""

from __future__ import annotations

import click

from workbook_tools.cli.batch import calendar, report
from workbook_tools.cli.importer import import_command
from workbook_tools.cli.macro import upgrade_macro_command
from workbook_tools.cli.tracker import agenda, check, new, refresh, runner_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="workbook-tools")
def main() -> None:
    """A job-search follow-up tracker in an Excel workbook: when to call next, what to
    say, and what is overdue."""


for command in (new, runner_command, refresh, check, agenda, calendar, report, import_command, upgrade_macro_command):
    main.add_command(command)
