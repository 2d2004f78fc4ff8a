"""Frozen records passed between stages.

Every stage takes and returns these; nothing mutates a record once it leaves the
stage that made it, so reruns, caching and shipping records to worker processes
are safe. ``to_dict`` gives the contract's JSON shape (``../shared/CONTRACT.md``).
"""

from __future__ import annotations

import enum
import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any


class Modality(enum.StrEnum):
    """How the text presents an event; only ``asserted`` is a fact the text vouches for."""

    ASSERTED = "asserted"
    CLAIMED = "claimed"
    NEGATED = "negated"
    INTENDED = "intended"
    HYPOTHETICAL = "hypothetical"


class Status(enum.StrEnum):
    OK = "ok"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass(frozen=True)
class Document:
    """One article as ingested: text to code plus the metadata that dates and sources it."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None  # publication date, ISO 8601 (YYYY-MM-DD)
    url: str | None = None
    author: str | None = None
    source: str | None = None  # where it came from: file path, URL, "stdin"
    content_hash: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Rejected:
    """A document that could not be read or coded, and why: a result, not an exception."""

    doc_id: str
    source: str
    reason: str  # a `errors.Reason` value
    detail: str

    @property
    def status(self) -> Status:
        return Status.SKIPPED if self.reason in {"empty", "duplicate", "unsupported"} else Status.ERROR


@dataclass(frozen=True)
class Actor:
    """A resolved participant: a state, an organisation or a person acting for one."""

    name: str  # as written at this mention
    canonical: str  # resolved name ("Ana Rojas" for "she")
    country: str | None = None  # ISO 3166-1 alpha-3
    igo: str | None = None  # UNO, NATO, EUR, ...
    sector: str | None = None  # PLOVER sector code: GOV, MIL, COP, REB, ...
    role: str | None = None  # "defence minister"
    kind: str = "state"  # state | person | igo | org | group

    def key(self) -> str | None:
        """The identity the scorer compares: country, else organisation code."""
        if self.country:
            return self.country
        return f"igo:{self.igo}" if self.igo else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "canonical": self.canonical,
            "country": self.country,
            "igo": self.igo,
            "sector": self.sector,
            "role": self.role,
            "kind": self.kind,
        }

    def renamed(self, name: str) -> Actor:
        return Actor(name, self.canonical, self.country, self.igo, self.sector, self.role, self.kind)


@dataclass(frozen=True)
class Mention:
    """A stretch of text that refers to an actor, with character offsets into the document."""

    text: str
    start: int
    end: int
    actor: Actor
    via: str  # how it was resolved: dictionary, demonym, capital, person, coref, ...


@dataclass(frozen=True)
class Location:
    name: str
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country}


@dataclass(frozen=True)
class Event:
    """One coded event with its evidence; the contract's field names throughout."""

    id: str
    doc_id: str
    event_type: str
    mode: str | None
    context: tuple[str, ...]
    quad_class: str
    source: Actor | None
    target: Actor | None
    modality: Modality
    claimed_by: Actor | None
    date: str | None
    date_precision: str
    location: Location | None
    sentence: str
    start: int
    end: int
    trigger: str
    confidence: float
    rule: str
    coder_version: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "event_type": self.event_type,
            "mode": self.mode,
            "context": list(self.context),
            "quad_class": self.quad_class,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "modality": self.modality.value,
            "claimed_by": self.claimed_by.to_dict() if self.claimed_by else None,
            "date": self.date,
            "date_precision": self.date_precision,
            "location": self.location.to_dict() if self.location else None,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "trigger": self.trigger,
            "confidence": self.confidence,
            "rule": self.rule,
            "coder_version": self.coder_version,
        }


@dataclass(frozen=True)
class CodedDocument:
    """What coding one document produced: its events and the actors it found."""

    document: Document
    events: tuple[Event, ...]
    mentions: tuple[Mention, ...]


def content_hash(text: str) -> str:
    """Hash of the whitespace- and Unicode-normalised text: what makes two documents the same."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def doc_id_for(text: str) -> str:
    return "doc-" + content_hash(text)[:16]


def make_document(text: str, *, id: str | None = None, title: str | None = None, date: str | None = None,
                  url: str | None = None, author: str | None = None, source: str | None = None) -> Document:
    """A `Document` with its content hash, and an id derived from the text when none is given.

    Here, with the records, so that readers (ingest) build documents without importing the coder.
    """
    return Document(id=id or doc_id_for(text), text=text, title=title, date=date, url=url, author=author,
                    source=source, content_hash=content_hash(text))
