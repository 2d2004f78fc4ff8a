"""The one exception tree, with stable codes that tests match on.

    EventcoderError
    ├── ConfigError       (E1xx) bad settings or options
    │   └── UsageError    (E102) a filter or option value outside what it allows (exit 2)
    ├── DataFileError     (E2xx) a packaged or user dictionary/lexicon failed validation
    ├── InputError        (E3xx) an input path or stream cannot be read at all
    ├── FetchError        (E4xx) a URL could not be fetched safely
    ├── StoreError        (E5xx) the database cannot be opened or written
    └── RunnerError       (E6xx) a distributed run (Ray) failed as a whole

Bad *documents* are not exceptions: they become `records.Rejected` with a `Reason`,
so one broken file never ends a batch. Only the CLI turns exceptions into exit codes.
"""

from __future__ import annotations

import enum


class Reason(enum.StrEnum):
    """Why a document was skipped or rejected; stored in the document status row."""

    EMPTY = "empty"
    DUPLICATE = "duplicate"
    BINARY = "binary"
    DECODE = "decode"
    BAD_JSON = "bad_json"
    MISSING_FIELD = "missing_field"
    NO_MAIN_TEXT = "no_main_text"
    TOO_LARGE = "too_large"
    FETCH = "fetch"
    UNSUPPORTED = "unsupported"
    CODING = "coding_failed"


class EventcoderError(Exception):
    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class ConfigError(EventcoderError):
    code = "E101"


class UsageError(ConfigError):
    """A value the user typed is not one the option allows; the message names the allowed ones."""

    code = "E102"


class DataFileError(EventcoderError):
    """A data file failed validation; the message names file, line and field."""

    code = "E201"


class InputError(EventcoderError):
    code = "E301"


class FetchError(EventcoderError):
    code = "E401"


class StoreError(EventcoderError):
    code = "E501"


class RunnerError(EventcoderError):
    code = "E601"


# Exit codes, documented in the README; only cli.py uses them.
EXIT_OK = 0
EXIT_FAILURE = 1  # an EventcoderError (bad config, unreadable store, ...)
EXIT_USAGE = 2  # wrong options (Typer/Click's own code)
EXIT_NOTHING_READ = 3  # no input document could be read
EXIT_PARTIAL = 4  # some documents were rejected, the rest were processed
