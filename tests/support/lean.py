"""An install without pandas and numpy (the base install, and the `excel` extra's), emulated
in a child Python: a prelude run before anything else wraps every finder of
``sys.meta_path`` so that none finds them. An import of either then fails exactly as when
the package is not installed (``ModuleNotFoundError: No module named 'pandas'``, its
``name`` set, `importlib.util.find_spec` None), and nothing is left in ``sys.modules``.

`python` runs code that way (``absent=LEAN``) or in the venv as it is (``absent=()``), so a
test compares the two; `cli` runs ``workbook-tools`` itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

#: The packages the base install leaves out (pyproject.toml's `pandas` extra, and what it brings).
LEAN = ("pandas", "numpy")


def prelude(absent: Sequence[str]) -> str:
    """The code that makes the top-level packages ``absent`` unimportable, as if not installed."""
    return textwrap.dedent(f"""
        import sys

        class _Absent:
            '''A finder that finds nothing of {tuple(absent)!r}, and asks the finder it wraps for the rest.'''

            def __init__(self, finder):
                self.finder = finder

            def find_spec(self, name, path=None, target=None):
                if name.partition(".")[0] in {tuple(absent)!r}:
                    return None
                find = getattr(self.finder, "find_spec", None)
                return None if find is None else find(name, path, target)

            def __getattr__(self, attr):
                return getattr(self.finder, attr)

        sys.meta_path[:] = [_Absent(f) for f in sys.meta_path]
        del _Absent
    """)


def python(code: str, cwd: Path, *, absent: Sequence[str], timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (dedented) in a child Python in ``cwd``, the packages ``absent`` made
    unimportable (`prelude`). The remote engine of xlwings is enabled in it, as in the
    tests (conftest.py)."""
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}
    source = (prelude(absent) if absent else "") + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", source], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def cli(args: Sequence[str], cwd: Path, *, absent: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """``workbook-tools ARGS`` in ``cwd``, as the installed command runs it (`python`)."""
    return python(f"""
        import sys
        from workbook_tools.cli import main
        sys.argv = ["workbook-tools", *{list(args)!r}]
        sys.exit(main())
    """, cwd, absent=absent)
