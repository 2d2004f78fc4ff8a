"""The arms-transfer register: weapons and military equipment moving between actors, from news.

A row is an event of a transfer type (AID, REQUEST, AGREE, COOPERATE, SANCTION, REJECT)
whose evidence sentence names a weapon system or military equipment (the lexicon in
``data/patterns/arms.yaml``; users extend it in ``$EVENTCODER_DATA/patterns/arms.yaml``).
Who supplies and who receives follows the type: the source gives AID, the target of a
REQUEST is asked to supply, the source of a purchase is the recipient. The status says
how far the transfer got as the text tells it; ``use_reported`` marks sentences that say
the systems were used in fighting. The columns are those of the SIPRI trade register that
news can fill (supplier, recipient, designation/description, status, date, source).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from pydantic import Field

from ..config import Settings, data_files
from ..datafiles import Entry, item_lines, read_yaml, validate
from ..errors import DataFileError
from ..store import Store
from .filters import EventQuery
from .table import events_table

TRANSFER_TYPES = ("AID", "REQUEST", "AGREE", "COOPERATE", "SANCTION", "REJECT")
STATUSES = ("requested", "offered", "agreed", "ordered", "delivered", "used", "cancelled", "refused", "embargoed")
_ACTOR = ("name", "id", "country", "igo", "sector", "role", "kind")

ARMS_SCHEMA = pa.schema(
    [pa.field("event_id", pa.string()), pa.field("doc_id", pa.string()),
     *(pa.field(f"supplier_{f}", pa.string()) for f in _ACTOR),
     *(pa.field(f"recipient_{f}", pa.string()) for f in _ACTOR),
     pa.field("description", pa.string()), pa.field("status", pa.string()), pa.field("use_reported", pa.bool_()),
     pa.field("event_type", pa.string()), pa.field("trigger", pa.string()), pa.field("modality", pa.string()),
     pa.field("claimant_name", pa.string()), pa.field("date", pa.date32()), pa.field("date_precision", pa.string()),
     pa.field("sentence", pa.string()), pa.field("doc_title", pa.string()), pa.field("doc_url", pa.string()),
     pa.field("doc_outlet", pa.string())])

# Words that end a weapon phrase on its left: determiners, prepositions, pronouns, auxiliaries.
_STOP = frozenset("""a an the this that these those its their his her our your my some any more most less many much
several other another such no all both each every of for to from with by in on at into onto as than
and-or has have had is are was were be been being do does did will would can could may might must
shall should includes include including included wants want wanted needs need needed seeks seek
sought asked ask asks requested request requests received receive receives get got gets which who
whom whose what what's""".split())  # noqa: SIM905


def _forms(word: str) -> set[str]:
    """Inflected forms of a verb, enough to recognise it in running text."""
    out = {word, word + "s", word + "ed", word + "d", word + "ing", word + "es"}
    if word.endswith("y"):
        out |= {word[:-1] + "ied", word[:-1] + "ies"}
    if word.endswith("e"):
        out.add(word[:-1] + "ing")
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", word):
        out |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return out


_IRREGULAR = {"send": {"sent"}, "sell": {"sold"}, "give": {"gave", "given"}, "buy": {"bought"},
              "freeze": {"froze", "frozen"}, "arm": {"armed"}, "stop": {"stopped"}}


class _Systems(Entry):
    kind: str
    terms: list[str] = Field(min_length=1)


class _Words(Entry):
    kind: str
    words: dict[str, list[str]] | list[str]


@dataclass(frozen=True)
class ArmsLexicon:
    systems: tuple[str, ...]
    status_by_form: dict[str, str]
    use_words: tuple[str, ...]

    @classmethod
    def load(cls, settings: Settings | None = None) -> ArmsLexicon:
        settings = settings or Settings.from_env()
        systems: list[str] = []
        status: dict[str, str] = {}
        use: list[str] = []
        for name, text in data_files(settings, "patterns/arms.yaml"):
            data = read_yaml(name, text)
            if not isinstance(data, list):
                raise DataFileError(f"{name}: must be a list of entries")
            for line, item in zip(item_lines(text), data, strict=False):
                kind = item.get("kind") if isinstance(item, dict) else None
                if kind == "systems":
                    systems += validate(_Systems, name, line, item).terms
                elif kind in {"status", "use"}:
                    words = validate(_Words, name, line, item).words
                    if kind == "use":
                        use += list(words) if isinstance(words, list) else []
                        continue
                    if not isinstance(words, dict):
                        raise DataFileError(f"{name}:{line}: field 'words': status words map a status to words")
                    for st, ws in words.items():
                        if st not in STATUSES:
                            raise DataFileError(f"{name}:{line}: field 'words': unknown status {st!r}; "
                                                f"choose from {', '.join(STATUSES)}")
                        for w in ws:
                            for form in _forms(w.lower()) | _IRREGULAR.get(w.lower(), set()):
                                status[form] = st
                else:
                    raise DataFileError(f"{name}:{line}: field 'kind': must be systems, status or use")
        return cls(tuple(dict.fromkeys(systems)), status, tuple(use))

    def pattern(self) -> re.Pattern[str]:
        terms = sorted(self.systems, key=len, reverse=True)
        return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in terms) + r")(?![\w-])", re.IGNORECASE)

    def tail(self) -> re.Pattern[str]:
        """Words that continue a weapon phrase on its right ("air defence missile systems")."""
        terms = "|".join(re.escape(t) for t in sorted(self.systems, key=len, reverse=True))
        return re.compile(rf"(?:\s+(?:{_TAIL_WORDS}|{terms}))+(?![\w-])", re.IGNORECASE)

    def stop_forms(self) -> frozenset[str]:
        return _STOP | frozenset(self.status_by_form)


_TAIL_WORDS = r"systems?|batter(?:y|ies)|units?|complex(?:es)?|shells?|rounds|launchers?"
_TOKEN = re.compile(r"[\w][\w'’.-]*|,|\S")


def describe(sentence: str, match: re.Match[str], stops: frozenset[str], tail: re.Pattern[str]) -> str:
    """The weapon phrase as written: the matched term and the modifiers before it."""
    left = sentence[: match.start()]
    tokens = list(_TOKEN.finditer(left))
    start = match.start()
    taken = 0
    for tok in reversed(tokens):
        word = tok.group(0)
        if taken >= 8 or not (word[0].isalnum()) or word.lower() in stops:
            break
        start = tok.start()
        taken += 1
    end = match.end()
    more = tail.match(sentence, end)
    if more:
        end = more.end()
    phrase = sentence[start:end]
    while phrase.lower().startswith("and "):
        phrase = phrase[4:]
    return phrase.strip()


def _status(row: dict[str, Any], lexicon: ArmsLexicon) -> tuple[str, bool]:
    """(status, whether the source receives rather than supplies)."""
    event_type = row["event_type"]
    word = (row["trigger"] or "").lower().split()[-1] if row["trigger"] else ""
    told = lexicon.status_by_form.get(word)
    if event_type == "REQUEST":
        return "requested", True
    if event_type == "REJECT":
        return "refused", False
    if event_type == "SANCTION":
        return ("cancelled" if told == "cancelled" else "embargoed"), False
    if told == "ordered":
        return "ordered", True
    if event_type == "AID":
        return ("offered" if row["modality"] == "intended" or told == "offered" else "delivered"), False
    if told in {"offered", "delivered", "cancelled"}:
        if told == "delivered" and row["modality"] == "intended":
            return "agreed", False
        return told, False
    return "agreed", False


def _actor(row: dict[str, Any], prefix: str, out: str) -> dict[str, Any]:
    return {f"{out}_{f}": row[f"{prefix}_{'name' if f == 'name' else f}"] for f in _ACTOR}


def register_rows(rows: Iterable[dict[str, Any]], lexicon: ArmsLexicon) -> list[dict[str, Any]]:
    """Arms-register rows (ARMS_SCHEMA) for export rows that are transfers of weapons."""
    pattern, stops, tail = lexicon.pattern(), lexicon.stop_forms(), lexicon.tail()
    uses = [re.compile(r"(?<![\w-])" + re.escape(u) + r"(?![\w-])", re.IGNORECASE) for u in lexicon.use_words]
    out = []
    for row in rows:
        if row["event_type"] not in TRANSFER_TYPES:
            continue
        sentence = row["sentence"] or ""
        match = pattern.search(sentence)
        if match is None:
            continue
        status, reversed_roles = _status(row, lexicon)
        supplier, recipient = ("target", "source") if reversed_roles else ("source", "target")
        after = sentence[match.end():]
        used = status == "delivered" and any(u.search(after) for u in uses)
        out.append({
            "event_id": row["event_id"], "doc_id": row["doc_id"],
            **_actor(row, supplier, "supplier"), **_actor(row, recipient, "recipient"),
            "description": describe(sentence, match, stops, tail), "status": status, "use_reported": used,
            "event_type": row["event_type"], "trigger": row["trigger"], "modality": row["modality"],
            "claimant_name": row["claimant_name"], "date": row["event_date"], "date_precision": row["date_precision"],
            "sentence": sentence, "doc_title": row["doc_title"], "doc_url": row["doc_url"],
            "doc_outlet": row["doc_outlet"],
        })
    return out


def register(store: Store, query: EventQuery | None = None, lexicon: ArmsLexicon | None = None) -> pa.Table:
    """The arms register for the events that match ``query`` (ARMS_SCHEMA), in date order."""
    query = (query or EventQuery()).narrowed(order="date")
    types = tuple(t for t in TRANSFER_TYPES if not query.event_type or t in query.event_type)
    if not types:
        return ARMS_SCHEMA.empty_table()
    table = events_table(store, query.narrowed(event_type=types))
    rows = register_rows(table.to_pylist(), lexicon or ArmsLexicon.load())
    return pa.Table.from_pylist(rows, schema=ARMS_SCHEMA)


def nested(row: dict[str, Any]) -> dict[str, Any]:
    """A register row as the contract's `/api/arms` object: supplier and recipient as actor objects."""
    out: dict[str, Any] = {k: v for k, v in row.items() if not k.startswith(("supplier_", "recipient_"))}
    for side in ("supplier", "recipient"):
        obj = {f: row[f"{side}_{f}"] for f in _ACTOR}
        out[side] = obj if obj["name"] is not None else None
    out["date"] = row["date"].isoformat() if row.get("date") else None
    return out
