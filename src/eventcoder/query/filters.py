"""Validated query filters: what an analyst may ask for, checked before any SQL runs.

Values are matched case-insensitively against the codebook and ISO 3166 and normalised
(``irn`` -> ``IRN``, ``accuse`` -> ``ACCUSE``); an unknown value is a `UsageError` that
names the allowed ones, never a silent empty result. Every value reaches SQL as a bound
parameter; column names come from this module only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from ..codebook import MODALITIES, Codebook
from ..errors import UsageError

MAX_LIMIT = 100_000  # rows per page in the API; the CLI streams larger exports in pages
MAX_TEXT = 200  # characters of a free-text or name filter
IGO_CODES = frozenset({"UNO", "NATO", "EUR", "IGO", "NGO", "IMG", "MNC"})
DATE_FORMS = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
ORDERS = ("document", "date", "date_desc")


@cache
def iso3_codes() -> frozenset[str]:
    import pycountry

    codes = {c.alpha_3 for c in pycountry.countries}
    return frozenset(codes | {"XKX"})  # Kosovo, used by the gazetteer


def _split(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        out += [v.strip() for v in str(item).split(",") if v.strip()]
    return tuple(out)


def _choose(option: str, values: Iterable[str], allowed: Sequence[str], upper: bool = True) -> tuple[str, ...]:
    lookup = {a.lower(): a for a in allowed}
    chosen = []
    for v in values:
        key = v.strip().lower().replace("-", "_") if not upper else v.strip().lower()
        if key not in lookup:
            raise UsageError(f"{option}: unknown value {_show(v)}; choose from {', '.join(allowed)}")
        chosen.append(lookup[key])
    return tuple(dict.fromkeys(chosen))


def _show(v: str) -> str:
    return repr(v if len(v) <= 40 else v[:40] + "...")


def actor_code(option: str, value: str) -> str:
    """An ISO 3166-1 alpha-3 code or an organisation code (UNO, NATO, EUR, ...), upper-cased."""
    code = value.strip().upper()
    if code in iso3_codes() or code in IGO_CODES:
        return code
    hint = ""
    if len(code) == 2:
        import pycountry

        c = pycountry.countries.get(alpha_2=code)
        hint = f" (did you mean {c.alpha_3}?)" if c else ""
    raise UsageError(f"{option}: {_show(value)} is not an ISO 3166-1 alpha-3 country code (e.g. IRN, USA) "
                     f"nor one of {', '.join(sorted(IGO_CODES))}{hint}")


def parse_date(option: str, value: str, end: bool = False) -> dt.date:
    """YYYY, YYYY-MM or YYYY-MM-DD; a partial date means the start (or ``end``) of its period."""
    m = DATE_FORMS.match(value.strip())
    if not m:
        raise UsageError(f"{option}: {_show(value)} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day:
            return dt.date(year, int(month or 1), int(day))
        if month:
            first = dt.date(year, int(month), 1)
            if not end:
                return first
            nxt = dt.date(year + (first.month == 12), first.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    except ValueError:
        raise UsageError(f"{option}: {_show(value)} is not a calendar date") from None


def check_limit(limit: int | None, offset: int = 0, maximum: int | None = MAX_LIMIT) -> None:
    if limit is not None and (limit < 0 or (maximum is not None and limit > maximum)):
        raise UsageError(f"limit: {limit} is outside 0..{maximum:,}" if maximum else f"limit: {limit} is negative")
    if offset < 0 or offset > 10**9:
        raise UsageError(f"offset: {offset} is outside 0..1,000,000,000")


def _text(option: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > MAX_TEXT:
        raise UsageError(f"{option}: longer than {MAX_TEXT} characters")
    return value.strip()


@dataclass(frozen=True)
class EventQuery:
    """Filters on the export table; build with `EventQuery.parse` to validate raw user values."""

    event_type: tuple[str, ...] = ()
    quad_class: tuple[str, ...] = ()
    modality: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    country: tuple[str, ...] = ()  # either side
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    actor: str | None = None  # name or id, either side
    text: str | None = None  # in the sentence or the title
    since: dt.date | None = None
    until: dt.date | None = None
    doc_id: str | None = None
    coder_version: str | None = None
    order: str = "document"
    raw: bool = False  # every mention; by default one row per fused event (its earliest mention)

    @classmethod
    def parse(cls, *, event_type: Any = None, quad_class: Any = None, modality: Any = None, context: Any = None,
              country: Any = None, source: Any = None, target: Any = None, actor: str | None = None,
              text: str | None = None, since: str | None = None, until: str | None = None,
              doc_id: str | None = None, coder_version: str | None = None, order: str | None = None,
              raw: bool | None = None) -> EventQuery:
        """Validate and normalise raw values (strings, comma lists or lists), raising `UsageError`."""
        book = Codebook.load()
        q = cls(
            event_type=_choose("type", _split(event_type), book.event_types),
            quad_class=_quad(_split(quad_class), book.quad_code),
            modality=_choose("modality", _split(modality), MODALITIES),
            context=_choose("context", _split(context), sorted(book.contexts), upper=False),
            country=tuple(actor_code("country", v) for v in _split(country)),
            source=tuple(actor_code("source", v) for v in _split(source)),
            target=tuple(actor_code("target", v) for v in _split(target)),
            actor=_text("actor", actor),
            text=_text("text", text),
            since=parse_date("since", since) if since else None,
            until=parse_date("until", until, end=True) if until else None,
            doc_id=_text("doc", doc_id),
            coder_version=_text("coder_version", coder_version),
            order=_choose("order", [order], ORDERS, upper=False)[0] if order else "document",
            raw=bool(doc_id) if raw is None else raw,  # one document's events: all of its own mentions
        )
        if q.since and q.until and q.since > q.until:
            raise UsageError(f"since ({q.since}) is after until ({q.until})")
        return q

    def narrowed(self, **changes: Any) -> EventQuery:
        return replace(self, **changes)

    def where(self) -> tuple[str, list[Any]]:
        """A WHERE clause over the export columns, with its bound parameters."""
        clauses: list[str] = []
        params: list[Any] = []

        def any_of(column_sets: Sequence[str], values: tuple[str, ...]) -> None:
            if not values:
                return
            marks = ", ".join("?" * len(values))
            clauses.append("(" + " OR ".join(f"{c} IN ({marks})" for c in column_sets) + ")")
            for _ in column_sets:
                params.extend(values)

        any_of(["event_type"], self.event_type)
        any_of(["quad_class"], self.quad_class)
        any_of(["modality"], self.modality)
        any_of(["source_country", "source_igo", "target_country", "target_igo"], self.country)
        any_of(["source_country", "source_igo"], self.source)
        any_of(["target_country", "target_igo"], self.target)
        if self.context:
            clauses.append("(" + " OR ".join("list_contains(context, ?)" for _ in self.context) + ")")
            params.extend(self.context)
        if self.actor:
            clauses.append("(lower(source_name) = lower(?) OR source_id = ? OR lower(target_name) = lower(?) "
                           "OR target_id = ?)")
            params += [self.actor] * 4
        if self.text:
            clauses.append("(contains(lower(sentence), lower(?)) OR contains(lower(coalesce(doc_title, '')), "
                           "lower(?)))")
            params += [self.text, self.text]
        if self.since:
            clauses.append("event_date_end >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("event_date <= ?")
            params.append(self.until)
        if self.doc_id:
            clauses.append("doc_id = ?")
            params.append(self.doc_id)
        if self.coder_version:
            clauses.append("coder_version = ?")
            params.append(self.coder_version)
        if not self.raw:
            clauses.append("is_representative")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def order_by(self) -> str:
        return {
            "document": " ORDER BY doc_id, start_char, event_id",
            "date": " ORDER BY event_date NULLS LAST, doc_id, start_char, event_id",
            "date_desc": " ORDER BY event_date DESC NULLS LAST, doc_id, start_char, event_id",
        }[self.order]


def _quad(values: tuple[str, ...], codes: dict[str, int]) -> tuple[str, ...]:
    """Quad classes by id (verbal_coop), by number (1-4) or with a hyphen (verbal-coop)."""
    by_number = {str(n): q for q, n in codes.items()}
    return _choose("quad", [by_number.get(v.strip(), v) for v in values], list(codes), upper=False)
