"""The `eventcoder` command: thin commands over the library; errors become exit codes here only.

Exit codes: 0 success; 1 an eventcoder error (unreadable database, bad data file);
2 usage error (unknown option or value, unwritable output); 3 no input document could be
read; 4 partial success (some documents were rejected or skipped, each has a status row);
130 interrupted.
"""

from __future__ import annotations

import os
import sys

from . import browse, coding, registry, tools  # noqa: F401 - importing registers the commands
from .common import app

__all__ = ["app", "main"]


def main() -> None:
    """Run one command; a finished run leaves without tearing down its heap.

    Freeing the model and dictionaries object by object takes a few tenths of a second
    at exit, a visible share of a short ingest. Every file and database is closed by then
    (context managers), so the process ends at once unless something registered exit work
    that must run: a Ray session, live child processes, a profiler or coverage tool.
    """
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    if "ray" in sys.modules or _live_children() or sys.getprofile() or sys.gettrace():
        raise SystemExit(code)  # exit work to do, or a profiler or coverage tool that writes at exit
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 1)


def _live_children() -> bool:
    mp = sys.modules.get("multiprocessing")
    return bool(mp is not None and mp.active_children())
