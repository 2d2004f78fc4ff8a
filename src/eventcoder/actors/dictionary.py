"""Actor dictionaries: countries, organisations, sectors and title words, validated on load.

Countries come from maintained packages (pycountry for ISO 3166-1 codes and names,
countryinfo for capitals, demonyms and alternative spellings); the packaged
``data/actors/countries.yaml`` only adds what news English needs beyond them.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Any

import pycountry

from ..config import Settings, data_files, optional_data_files
from ..datafiles import Entry as EntryModel
from ..datafiles import item_lines, read_yaml, validate
from ..errors import DataFileError

STATE_KINDS = ("name", "demonym", "capital")
# ISO 3166-1 territories that PLOVER folds into the state that controls them (codebook: "dependencies
# fold into their controlling state"; Hong Kong and Palestine stay separate, as the codebook lists).
DEPENDENCIES = {
    "GUM": "USA", "PRI": "USA", "VIR": "USA", "ASM": "USA", "MNP": "USA", "UMI": "USA",
    "GIB": "GBR", "FLK": "GBR", "BMU": "GBR", "CYM": "GBR", "VGB": "GBR", "MSR": "GBR", "TCA": "GBR", "AIA": "GBR",
    "SHN": "GBR", "PCN": "GBR", "IOT": "GBR", "SGS": "GBR", "GGY": "GBR", "JEY": "GBR", "IMN": "GBR",
    "NCL": "FRA", "PYF": "FRA", "REU": "FRA", "GLP": "FRA", "MTQ": "FRA", "GUF": "FRA", "MYT": "FRA", "SPM": "FRA",
    "WLF": "FRA", "BLM": "FRA", "MAF": "FRA", "ATF": "FRA",
    "GRL": "DNK", "FRO": "DNK", "ABW": "NLD", "CUW": "NLD", "SXM": "NLD", "BES": "NLD",
    "NFK": "AUS", "CXR": "AUS", "CCK": "AUS", "HMD": "AUS", "COK": "NZL", "NIU": "NZL", "TKL": "NZL",
    "SJM": "NOR", "BVT": "NOR", "ALA": "FIN", "MAC": "CHN",
}
# Converted agent nouns too common to name a sector on their own.
AGENT_STOPWORDS = {"man", "men", "woman", "women", "person", "people", "member", "members", "head", "heads", "chief",
                   "leader", "leaders", "official", "officials", "body", "bodies", "group", "groups", "team", "teams",
                   "staff", "party", "parties", "side", "sides", "source", "sources", "spokesman", "spokeswoman",
                   # places, not people: "shelled villages outside Jalalabad" targets Afghanistan
                   "village", "villages", "town", "towns", "small town", "small towns", "city", "cities", "area",
                   "areas", "region", "regions", "district", "districts", "province", "provinces", "camp", "camps"}

# Country codes PLOVER adds to ISO 3166-1 (codebook.json, actors.country_exceptions).
PLOVER_EXTRA_COUNTRIES = {"KOS": "Kosovo"}

# PLOVER v2 actor sector codes (shared/eval/plover/codebook.json, actors.sector_codes).
SECTOR_CODES = frozenset({"COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR", "BUS",
                          "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC"})


@dataclass(frozen=True)
class Entry:
    """What a surface string in the gazetteer stands for."""

    surface: str
    kind: str  # name | demonym | capital | igo | group
    country: str | None = None
    igo: str | None = None
    sector: str | None = None
    canonical: str = ""


@dataclass(frozen=True)
class Titles:
    abbreviations: tuple[str, ...]
    ranks: frozenset[str]
    honorifics: frozenset[str]
    name_particles: frozenset[str]
    role_words: frozenset[str]
    companion_verbs: frozenset[str]
    meeting_verbs: frozenset[str]
    person_nouns: frozenset[str] = frozenset()


def _load_yaml(name: str, text: str) -> Any:
    return read_yaml(name, text)


class IgoEntry(EntryModel):
    code: str
    names: list[str]
    sector: str | None = None


class GroupEntry(EntryModel):
    names: list[str]
    country: str | None = None
    sector: str | None = None


def _entries(name: str, text: str, model: type[EntryModel]) -> list[tuple[int | str, Any]]:
    """Validated entries of a list file with their lines; a name listed twice is an error."""
    items = _load_yaml(name, text) or []
    if not isinstance(items, list):
        raise DataFileError(f"{name}: must be a list of entries")
    lines = item_lines(text)
    out: list[tuple[int | str, Any]] = []
    seen: dict[str, int | str] = {}
    for i, item in enumerate(items):
        line = lines[i] if i < len(lines) else f"entry {i + 1}"
        entry = validate(model, name, line, item)
        if getattr(entry, "sector", None) is not None and entry.sector not in SECTOR_CODES:
            raise DataFileError(f"{name}:{line}: field 'sector': {entry.sector!r} is not a PLOVER sector code")
        for surface in entry.names:
            if not surface.strip():
                raise DataFileError(f"{name}:{line}: field 'names': empty name")
            if surface in seen:
                raise DataFileError(f"{name}:{line}: {surface!r} is already listed on line {seen[surface]}")
            seen[surface] = line
        out.append((line, entry))
    return out


def _str_list(name: str, where: str, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(f"{name}: {where} must be a list of non-empty strings")
    return [v.strip() for v in value]


def _ascii_like(s: str) -> bool:
    """Alternative spellings in foreign scripts or with diacritics are not how English news writes."""
    return all(ord(c) < 128 or unicodedata.category(c).startswith("L") and ord(c) < 0x250 for c in s)


def _plural(demonym: str) -> str | None:
    if demonym.endswith(("i", "n")) and " " not in demonym:
        return demonym + "s"
    return None


class ActorDictionary:
    """Surface string -> Entry, built once per coder; plus sector and title vocabularies."""

    def __init__(
        self,
        entries: dict[str, Entry],
        country_names: dict[str, str],
        sectors: dict[str, str],
        titles: Titles,
    ) -> None:
        self.entries = entries
        self.country_names = country_names  # ISO3 -> display name
        self.sectors = sectors  # lower-case phrase -> sector code
        self.titles = titles

    @classmethod
    def load(cls, settings: Settings) -> ActorDictionary:
        countries, names = _load_countries(settings)
        entries: dict[str, Entry] = dict(countries)
        for name, text in data_files(settings, "actors/igos.yaml"):
            for _, igo in _entries(name, text, IgoEntry):
                for surface in igo.names:
                    entries[surface] = Entry(surface, "igo", igo=igo.code, sector=igo.sector, canonical=igo.names[0])
        for name, text in data_files(settings, "actors/groups.yaml"):
            for line, group in _entries(name, text, GroupEntry):
                if group.country is not None and group.country not in names:
                    raise DataFileError(f"{name}:{line}: unknown country code {group.country!r}")
                for surface in group.names:
                    entries[surface] = Entry(surface, "group", country=group.country, sector=group.sector,
                                             canonical=group.names[0])
        sectors: dict[str, str] = {}
        if "petrarch" in settings.layers:
            # Converted PETRARCH-2 agent nouns ("rebel", "farmer", "prosecutor") under the hand list.
            for name, text in optional_data_files(settings, "petrarch/agents.yaml"):
                data = _load_yaml(name, text) or {}
                for code, words in data.items():
                    if code not in SECTOR_CODES:
                        raise DataFileError(f"{name}: {code!r} is not a PLOVER sector code")
                    for w in _str_list(name, f"sector {code}", words):
                        if w not in AGENT_STOPWORDS:
                            sectors[w.lower()] = str(code)
        for name, text in data_files(settings, "actors/sectors.yaml"):
            data = _load_yaml(name, text) or {}
            if not isinstance(data, dict):
                raise DataFileError(f"{name}: must map sector codes to lists of words")
            for code, words in data.items():
                if code not in SECTOR_CODES:
                    known = ", ".join(sorted(SECTOR_CODES))
                    raise DataFileError(f"{name}: {code!r} is not a PLOVER sector code ({known})")
                for w in _str_list(name, f"sector {code}", words):
                    sectors[w.lower()] = str(code)
        titles = _load_titles(settings)
        return cls(entries, names, sectors, titles)

    def sector_of(self, words: str) -> str | None:
        """The sector named by the longest sector phrase inside ``words``."""
        toks = words.lower().replace(",", " ").split()
        best: tuple[int, str] | None = None
        for n in range(min(len(toks), self._longest), 0, -1):
            for i in range(len(toks) - n + 1):
                phrase = " ".join(toks[i:i + n])
                code = self.sectors.get(phrase)
                if code is not None and (best is None or len(phrase) > best[0]):
                    best = (len(phrase), code)
        return best[1] if best else None

    @functools.cached_property
    def _longest(self) -> int:
        return max((len(p.split()) for p in self.sectors), default=1)


def _load_countries(settings: Settings) -> tuple[dict[str, Entry], dict[str, str]]:
    from countryinfo import all_countries  # imported here: it reads its data on first use

    info_by_iso: dict[str, dict[str, Any]] = {}
    for c in all_countries():
        info: dict[str, Any] = dict(c.info() or {})
        iso = (info.get("ISO") or {}).get("alpha3")
        if iso:
            info_by_iso[iso] = info
    names: dict[str, str] = {}
    # (tier, population): lower tier wins, then bigger population, so "French" is France's.
    scored: dict[str, tuple[tuple[int, int], Entry]] = {}

    def offer(surface: str, kind: str, iso: str, tier: int) -> None:
        iso = DEPENDENCIES.get(iso, iso)  # PLOVER: dependencies fold into their controlling state
        surface = surface.strip()
        if len(surface) < 2 or not _ascii_like(surface):
            return
        pop = int(info_by_iso.get(iso, {}).get("population") or 0)
        rank = (tier, -pop)
        current = scored.get(surface)
        if current is None or rank < current[0]:
            scored[surface] = (rank, Entry(surface, kind, country=iso, canonical=names.get(iso, iso)))

    for country in pycountry.countries:
        iso = country.alpha_3
        display = getattr(country, "common_name", None) or country.name
        names[iso] = display
    for country in pycountry.countries:
        iso = country.alpha_3
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value and "(" not in value:
                offer(value, "name", iso, 1)
        info = info_by_iso.get(iso, {})
        if info.get("capital"):
            offer(info["capital"], "capital", iso, 2)
        if info.get("demonym"):
            offer(info["demonym"], "demonym", iso, 2)
            plural = _plural(info["demonym"])
            if plural:
                offer(plural, "demonym", iso, 2)
        for alt in info.get("altSpellings") or []:
            if len(alt) > 3 and not alt.isupper():
                offer(alt, "name", iso, 3)
    for code, display in PLOVER_EXTRA_COUNTRIES.items():
        names.setdefault(code, display)
    drop: set[str] = set()
    for name, text in data_files(settings, "actors/countries.yaml"):
        data = _load_yaml(name, text) or {}
        if not isinstance(data, dict):
            raise DataFileError(f"{name}: must map ISO 3166-1 alpha-3 codes to entries")
        for iso, item in data.items():
            if iso == "_drop":
                drop.update(_str_list(name, "_drop", item))
                continue
            if iso not in names:
                raise DataFileError(f"{name}: {iso!r} is not an ISO 3166-1 alpha-3 code")
            if not isinstance(item, dict):
                raise DataFileError(f"{name}: {iso}: must be a mapping")
            unknown = set(item) - {"names", "demonyms", "capitals"}
            if unknown:
                raise DataFileError(f"{name}: {iso}: unknown field(s) {sorted(unknown)}")
            for field_name, kind in (("names", "name"), ("demonyms", "demonym"), ("capitals", "capital")):
                for surface in _str_list(name, f"{iso}.{field_name}", item.get(field_name)):
                    offer(surface, kind, iso, 0)
    entries = {s: e for s, (_, e) in scored.items() if s not in drop}
    return entries, names


def _load_titles(settings: Settings) -> Titles:
    merged: dict[str, list[str]] = {}
    for name, text in data_files(settings, "actors/titles.yaml"):
        data = _load_yaml(name, text) or {}
        if not isinstance(data, dict):
            raise DataFileError(f"{name}: must be a mapping of word lists")
        for key, words in data.items():
            merged.setdefault(key, []).extend(_str_list(name, key, words))
    required = ("abbreviations", "ranks", "honorifics", "name_particles", "role_words")
    for key in required:
        if key not in merged:
            raise DataFileError(f"actors/titles.yaml: missing list {key!r}")
    return Titles(
        abbreviations=tuple(dict.fromkeys(merged["abbreviations"])),
        ranks=frozenset(merged["ranks"]),
        honorifics=frozenset(merged["honorifics"]),
        name_particles=frozenset(merged["name_particles"]),
        role_words=frozenset(w.lower() for w in merged["role_words"]),
        companion_verbs=frozenset(merged.get("companion_verbs", [])),
        meeting_verbs=frozenset(merged.get("meeting_verbs", [])),
        person_nouns=frozenset(w.lower() for w in merged.get("person_nouns", [])),
    )
