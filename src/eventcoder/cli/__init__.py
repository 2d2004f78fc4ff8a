"""The `eventcoder` command: thin commands over the library; errors become exit codes here only.

Exit codes: 0 success; 1 an eventcoder error (unreadable database, bad data file);
2 usage error (unknown option or value, unwritable output); 3 no input document could be
read; 4 partial success (some documents were rejected or skipped, each has a status row);
130 interrupted.
"""

from __future__ import annotations

from . import browse, coding, registry, tools  # noqa: F401 - importing registers the commands
from .common import app

__all__ = ["app", "main"]


def main() -> None:
    app()
