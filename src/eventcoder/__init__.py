"""eventcoder: political and defence news -> verifiable PLOVER event data.

    >>> import eventcoder
    >>> events = eventcoder.code("Iran accused Israel of sabotage.", date="2024-05-01")
"""

from .config import CODER_VERSION, Settings
from .errors import (
    ConfigError,
    DataFileError,
    EventcoderError,
    FetchError,
    InputError,
    Reason,
    StoreError,
)
from .pipeline import Coder, code
from .records import Actor, CodedDocument, Document, Event, Location, Mention, Modality, Rejected, make_document

__version__ = CODER_VERSION

__all__ = [
    "CODER_VERSION", "Actor", "CodedDocument", "Coder", "ConfigError", "DataFileError", "Document", "Event",
    "EventcoderError", "FetchError", "InputError", "Location", "Mention", "Modality", "Reason", "Rejected",
    "Settings", "StoreError", "code", "make_document", "__version__",
]
