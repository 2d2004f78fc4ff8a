"""The event lexicon: verbs and event nouns -> PLOVER types, loaded from YAML and validated."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..codebook import Codebook
from ..config import Settings, data_files, optional_data_files
from ..datafiles import Entry, item_lines, read_yaml, validate
from ..errors import DataFileError

FRAMES = {None, "speech", "accuse", "deny", "fail", "intent", "attempt", "commit", "idiom"}
ROLE_PREFIXES = ("prep:",)
ROLES = {"dobj", "dative", "pobj", "xcomp_obj", "ccomp_subj", "dobj_poss", "pobj_poss", "between"}

DEFAULT_VERB_TARGETS = ("dobj", "dative", "prep:with", "prep:to", "prep:against", "prep:on", "prep:at",
                        "prep:into", "prep:upon", "prep:toward", "prep:towards")
DEFAULT_NOUN_TARGETS = ("prep:to", "prep:against", "prep:on", "prep:with", "prep:into", "prep:at", "between")


@dataclass(frozen=True)
class Pattern:
    pos: str  # "verb" | "noun"
    lemma: str  # head word lemma
    event_type: str | None
    mode: str | None = None
    context: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    target_optional: bool = False
    only_roles: bool = False  # the target is only where `target` says: no search through complements
    frame: str | None = None
    particle: str | None = None
    objects: frozenset[str] | None = None
    before: tuple[str, ...] = ()  # words before a noun head ("hunger" strike)
    then: tuple[str, ...] = ()  # words after a noun head (war "of words")
    reverse: bool = False  # the object is the actor (host/receive: the visitor acts)
    example: str = ""
    origin: str = "hand"  # "hand" (events.yaml) or "cameo" (converted PETRARCH-2 verbs)

    @property
    def specificity(self) -> int:
        return (2 if self.particle else 0) + (2 if self.objects else 0) + len(self.before) + len(self.then)

    @property
    def name(self) -> str:
        parts = [self.pos, self.lemma] if self.origin == "hand" else [self.origin, self.pos, self.lemma]
        if self.particle:
            parts.append(self.particle)
        if self.objects:
            parts.append("+obj")
        if self.then:
            parts.append("_".join(self.then))
        return ":".join(parts)


class Lexicon:
    def __init__(self, patterns: list[Pattern]) -> None:
        self.patterns = patterns
        self.verbs: dict[str, list[Pattern]] = {}
        self.nouns: dict[str, list[Pattern]] = {}
        for p in patterns:
            table = self.verbs if p.pos == "verb" else self.nouns
            table.setdefault(p.lemma, []).append(p)
        for table in (self.verbs, self.nouns):
            for plist in table.values():
                plist.sort(key=lambda p: -p.specificity)

    @classmethod
    def load(cls, settings: Settings, codebook: Codebook) -> Lexicon:
        """The hand lexicon (and a user's override file) over the converted PETRARCH-2 verbs.

        The hand lexicon decides every verb it lists: converted entries for a lemma it
        covers are dropped, so the converted layer only adds verbs nobody wrote by hand.
        """
        by_key: dict[tuple[Any, ...], Pattern] = {}
        hand: list[Pattern] = []
        if "hand" in settings.layers:
            for name, text in data_files(settings, "patterns/events.yaml"):
                hand += _read_file(name, text, codebook)
        if "petrarch" in settings.layers:
            covered = {(p.pos, p.lemma) for p in hand}
            skip_bare, skip_all = _skip_lists(settings)
            for name, text in optional_data_files(settings, "petrarch/verbs.yaml"):
                for p in _read_file(name, text, codebook):
                    bare = p.particle is None and p.objects is None
                    if (p.pos, p.lemma) in covered or p.lemma in skip_all or (bare and p.lemma in skip_bare):
                        continue
                    by_key[_key(p)] = replace(p, origin="cameo")
        for p in hand:
            by_key[_key(p)] = p
        return cls(list(by_key.values()))


def _skip_lists(settings: Settings) -> tuple[set[str], set[str]]:
    """The lemmas whose converted readings are not loaded (patterns/cameo_skip.yaml)."""
    bare: set[str] = set()
    every: set[str] = set()
    for name, text in data_files(settings, "patterns/cameo_skip.yaml"):
        data = read_yaml(name, text) or {}
        if not isinstance(data, dict) or set(data) - {"bare", "all"}:
            raise DataFileError(f"{name}: must map 'bare' and 'all' to lists of verb lemmas")
        for field_name, target in (("bare", bare), ("all", every)):
            words = data.get(field_name) or []
            if not isinstance(words, list) or not all(isinstance(w, str) and w == w.lower().strip() and w
                                                      for w in words):
                raise DataFileError(f"{name}: '{field_name}' must be a list of lower-case lemmas")
            target.update(words)
    return bare, every


def _key(p: Pattern) -> tuple[Any, ...]:
    return (p.pos, p.lemma, p.particle, p.objects, p.before, p.then)


def _read_file(name: str, text: str, codebook: Codebook) -> list[Pattern]:
    big = len(text) > 100_000  # the converted file: libyaml, no duplicate-key scan (it is generated)
    items = read_yaml(name, text, fast=big) or []
    if not isinstance(items, list):
        raise DataFileError(f"{name}: must be a list of entries")
    lines = item_lines(text, fast=big)
    in_file: dict[tuple[Any, ...], int | str] = {}
    out: list[Pattern] = []
    for i, item in enumerate(items):
        line = lines[i] if i < len(lines) else f"entry {i + 1}"
        p = _parse(name, line, item, codebook)
        key = _key(p)
        if key in in_file:
            # Two readings with one key would silently shadow each other; a later
            # file (the user's override) may replace a packaged entry on purpose.
            raise DataFileError(f"{name}:{line}: repeats the key of line {in_file[key]} "
                                f"({p.name}); give one of them an object, particle or then")
        in_file[key] = line
        out.append(p)
    return out


Words = str | list[str] | None


class LexiconEntry(Entry):
    """One lexicon entry as written; `_parse` then checks it against the codebook."""

    verb: str | None = None
    noun: str | None = None
    particle: str | None = None
    object: list[str] | None = None
    then: Words = None
    type: str | None = None
    mode: str | None = None
    context: list[str] | None = None
    target: list[str] | None = None
    only_roles: bool = False
    target_optional: bool = False
    frame: str | None = None
    reverse: bool = False
    example: str | None = None


def _parse(name: str, line: int | str, item: Any, codebook: Codebook) -> Pattern:
    where = f"{name}:{line}"
    if isinstance(item, dict):
        for key in ("particle", "object", "then"):
            value = item.get(key)
            values = value if isinstance(value, list) else [value] if value is not None else []
            if any(not isinstance(v, str) for v in values):
                # YAML 1.1 reads bare on/off/yes/no as booleans: "call on" needs particle: "on".
                raise DataFileError(f"{where}: field {key!r} must hold words (quote on/off/yes/no)")
    validate(LexiconEntry, name, line, item)
    if ("verb" in item) == ("noun" in item):
        raise DataFileError(f"{where}: needs exactly one of 'verb' or 'noun'")
    pos = "verb" if "verb" in item else "noun"
    words = str(item[pos]).lower().split()
    if not words:
        raise DataFileError(f"{where}: field {pos!r} is empty")
    event_type = item.get("type")
    frame = item.get("frame")
    if frame not in FRAMES:
        raise DataFileError(f"{where}: field 'frame' must be one of {sorted(f for f in FRAMES if f)}")
    if event_type is None and frame not in {"speech", "deny", "fail", "intent", "attempt", "idiom"}:
        raise DataFileError(f"{where}: field 'type' is required")
    if event_type is not None and event_type not in codebook.quad_class:
        raise DataFileError(f"{where}: field 'type': {event_type!r} is not a PLOVER type")
    mode = item.get("mode")
    if mode is not None and mode not in codebook.modes.get(event_type or "", frozenset()):
        raise DataFileError(f"{where}: field 'mode': {mode!r} is not a mode of {event_type}")
    context = tuple(item.get("context") or ())
    for c in context:
        if c not in codebook.contexts:
            raise DataFileError(f"{where}: field 'context': {c!r} is not a PLOVER context")
    targets = item.get("target")
    if targets is None:
        targets = DEFAULT_VERB_TARGETS if pos == "verb" else DEFAULT_NOUN_TARGETS
    for role in targets:
        if role not in ROLES and not str(role).startswith(ROLE_PREFIXES):
            raise DataFileError(f"{where}: field 'target': unknown role {role!r}")
    objects = item.get("object")
    then_value = item.get("then")
    then_words = then_value if isinstance(then_value, list) else [then_value] if then_value else []
    then = tuple(w.lower() for phrase in then_words for w in str(phrase).split())
    return Pattern(
        pos=pos,
        lemma=words[-1] if pos == "noun" else words[0],
        event_type=event_type,
        mode=mode,
        context=context,
        targets=tuple(targets),
        target_optional=bool(item.get("target_optional", False)),
        only_roles=bool(item.get("only_roles", False)),
        frame=frame,
        particle=item.get("particle"),
        objects=frozenset(o.lower() for o in objects) if objects else None,
        before=tuple(words[:-1]) if pos == "noun" else (),
        then=then,
        reverse=bool(item.get("reverse", False)),
        example=str(item.get("example") or ""),
    )
