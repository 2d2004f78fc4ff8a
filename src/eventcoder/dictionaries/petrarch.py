"""Convert the PETRARCH-2 dictionaries (MIT) into eventcoder's own data files.

PETRARCH-2 matches CoreNLP constituency parses against TABARI-style patterns; eventcoder
matches spaCy dependency parses against its own lexicon. What carries over is the
knowledge, not the machinery: which verb (with which particle or object) means which
event, which name stands for which state on which dates, which noun names which sector.

    eventcoder dictionaries build ../shared/dictionaries/petrarch2

writes ``data/petrarch/`` (verbs.yaml, actors.csv, agents.yaml, discards.yaml and the
licence). The conversion is deterministic: the same input gives byte-identical output.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pycountry
import yaml

from ..errors import DataFileError

SECTORS = frozenset({"COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "AGR", "BUS", "CRM",
                     "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL"})
# CAMEO sector codes that PLOVER names differently.
SECTOR_ALIASES = {"INS": "REB", "SEP": "REB", "RAD": "REB", "UIS": "UAF", "HLH": "MED", "ENV": "CVL",
                  "HRI": "CVL", "IGO": None, "NGO": None, "MNC": "BUS", "SPY": "SPY", "CRM": "CRM"}
# CAMEO "country" codes that name kinds of organisation, not states.
ORG_PREFIXES = {"IGO": "IGO", "NGO": "NGO", "IMG": "IMG", "MNC": "MNC", "UNO": "UNO", "EUR": "EUR"}
IGO_SUBCODES = {"UNO": "UNO", "EUR": "EUR", "NAT": "NATO", "EEC": "EUR"}
# Particles a two-word verb may take in our lexicon ("call on", "pull out").
PARTICLES = {"on", "off", "out", "in", "up", "down", "for", "with", "to", "against", "back", "over", "away", "into",
             "from", "at", "about", "upon", "through", "behind", "across", "by", "around", "after"}
# Verbs whose CAMEO reading is too broad for spaCy's dependency arguments: they code
# everyday business and sport prose as political events. Hand entries decide these.
TOO_BROAD = {"be", "have", "do", "get", "go", "come", "make", "take", "put", "set", "see", "say", "tell", "give",
             "keep", "let", "look", "run", "turn", "move", "hold", "bring", "leave", "play", "work", "use",
             "find", "show", "try", "ask", "call", "feel", "seem", "become", "start", "begin", "end", "open",
             "close", "win", "lose", "beat", "hit", "meet", "pay", "buy", "sell", "raise", "cut", "drop", "fall",
             "rise", "grow", "add", "expect", "report", "post", "record", "launch", "back", "lead", "face", "hope",
             "engage", "involve", "want", "need", "like", "seek", "plan", "prepare", "consider", "step", "stand"}
LICENCE_NOTE = """\
Data in this folder is converted from the PETRARCH-2 dictionaries
(https://github.com/openeventdata/petrarch2, commit 676801cd9cb2924bbbad09f86d15c9323e7097bf,
folder petrarch2/data/dictionaries/) by `eventcoder dictionaries build`. The original notice:

"""


def _countries() -> set[str]:
    return {c.alpha_3 for c in pycountry.countries} | {"KOS"}


@dataclass
class Crosswalk:
    """CAMEO code -> (PLOVER type, mode), from codebook.json's crosswalk."""

    two_digit: dict[str, str | None]
    exceptions: dict[str, tuple[str, str | None]]  # CAMEO prefix -> (PLOVER type, mode)
    modes: dict[str, str]

    @classmethod
    def from_codebook(cls, path: Path) -> Crosswalk:
        cw = json.loads(path.read_text(encoding="utf-8"))["cameo_crosswalk"]
        two = {r["cameo"]: r["plover"] for r in cw["two_digit"]}
        # The codebook defines REQUEST as "requests, demands, appeals"; its two-digit table
        # drops CAMEO 02 (appeal). We follow the type definition: appeals are requests.
        two["02"] = "REQUEST"
        exc = {r["cameo"]: (r["plover"], r.get("mode")) for r in cw["three_digit_exceptions"]}
        modes = {r["cameo"]: r["mode"] for r in cw["suggested_modes"] if "|" not in (r["mode"] or "|")}
        return cls(two, exc, modes)

    def map(self, code: str) -> tuple[str, str | None] | None:
        # "042:043": the source's and the target's codes of one act (visit / host); the first is the actor's
        code = code.strip().split(":")[0].strip()
        if not code.isdigit() or len(code) < 2:
            return None
        if code.startswith("08") and code[:3] in {"080", "081", "082", "083"}:
            return ("CONCEDE", None)
        for n in (4, 3):
            if code[:n] in self.exceptions:
                exc_type, exc_mode = self.exceptions[code[:n]]
                return exc_type, self.modes.get(code) or exc_mode
        two = self.two_digit.get(code[:2])
        if two is None:
            return None
        return two, self.modes.get(code) or self.modes.get(code[:3])


# ---- verbs ------------------------------------------------------------------------------

_CODE = re.compile(r"\[([^\]]*)\]")


@dataclass
class _Block:
    code: str | None
    verbs: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # lemma, particle, code
    patterns: list[tuple[str | None, str, str]] = field(default_factory=list)  # orig verb, body, code


def _strip_comment(line: str) -> tuple[str, str]:
    body, _, comment = line.partition("#")
    return body.rstrip(), comment.strip()


def _read_blocks(text: str) -> tuple[list[_Block], dict[str, list[str]]]:
    """Verb blocks (synonym verbs + patterns) and noun synsets (&WEAPON ...) of CAMEO.2.0.txt."""
    synsets: dict[str, list[str]] = {}
    blocks: list[_Block] = []
    current_set: str | None = None
    block: _Block | None = None
    for raw in text.splitlines():
        line, comment = _strip_comment(raw)
        s = line.strip()
        if not s:
            continue
        if s.startswith("&"):
            current_set, block = s.split()[0], None
            synsets[current_set] = []
            continue
        if s.startswith("---"):
            m = _CODE.search(s)
            code = m.group(1).strip() if m else None
            block, current_set = _Block(None if not code or code == "---" else code), None
            blocks.append(block)
            continue
        if current_set is not None:
            if s.startswith("+"):
                synsets[current_set].append(s[1:].split()[0].strip("_").replace("_", " ").lower())
            continue
        if block is None:
            continue
        if s.startswith("-"):
            m = _CODE.search(s)
            if m:
                first = comment.split()[0].lower() if comment else ""
                block.patterns.append((first if first.isalpha() else None, s[1:m.start()].strip(), m.group(1).strip()))
            continue
        word = s.lstrip("+").split()[0].split("{")[0].strip("_")
        m = _CODE.search(re.sub(r"\{[^}]*\}", "", s))
        own = m.group(1).strip() if m else None
        parts = word.lower().split("_")
        if len(parts) == 1 and parts[0].isalpha():
            block.verbs.append((parts[0], None, own))
        elif len(parts) == 2 and parts[0].isalpha() and parts[1] in PARTICLES:
            block.verbs.append((parts[0], parts[1], own))
    return blocks, synsets


def _lemma(word: str) -> str:
    """A rough singular for PETRARCH's upper-case surface nouns ("ATTACKS" -> "attack")."""
    w = word.lower()
    if w in {"series", "species", "news", "arms", "talks", "means", "headquarters"}:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def _pattern_key(body: str, synsets: dict[str, list[str]]) -> tuple[str | None, frozenset[str] | None] | None:
    """(particle, objects) for a pattern body like "* (FOR &AID)" or "* {AIR RAID}".

    Patterns that constrain the subject (words before "*") are skipped: spaCy's subject is
    found by the parse, not by adjacent words.
    """
    pre, star, post = body.partition("*")
    if not star or pre.strip():
        return None
    post = post.replace("$", " ").replace("+", " ").replace("%", " ").replace("^", " ").strip()
    if not post:
        return None
    if post.startswith("("):
        inner = post[1:post.find(")")] if ")" in post else post[1:]
        words = inner.split()
        if not words or not words[0].isalpha():
            return None
        return words[0].lower(), None
    first = post.split("(")[0].strip()
    if first.startswith("{"):
        return None  # "{AIR OPERATION}": our object test sees one head word, and "operation" alone is not a raid
    head = first.split()[0] if first.split() else ""
    if head.startswith("&"):
        members = [m.split()[-1] for m in synsets.get(head, []) if m.split() and m.split()[-1].isalpha()]
        return (None, frozenset(_lemma(m) for m in members)) if members else None
    if head.replace("-", "").isalpha():
        return None, frozenset({_lemma(head)})
    return None


def convert_verbs(text: str, crosswalk: Crosswalk) -> tuple[list[dict[str, object]], Counter[str]]:
    """Lexicon entries (events.yaml format) from CAMEO.2.0.txt, and counts of what was kept or dropped."""
    blocks, synsets = _read_blocks(text)
    stats: Counter[str] = Counter()
    # (verb, particle, objects) -> PLOVER readings seen, with their CAMEO codes
    Key = tuple[str, str | None, frozenset[str] | None]
    readings: dict[Key, Counter[tuple[str, str | None]]] = defaultdict(Counter)
    for block in blocks:
        verbs = [(v, prt) for v, prt, _ in block.verbs]
        for v, prt, own in block.verbs:
            code = own or block.code
            mapped = crosswalk.map(code) if code else None
            stats["verb synonyms"] += 1
            if mapped is None:
                stats["verb synonyms without a PLOVER event (CAMEO 01, no code)"] += 1
                continue
            readings[(v, prt, None)][mapped] += 1
        for orig, body, code in block.patterns:
            stats["patterns"] += 1
            mapped = crosswalk.map(code)
            key = _pattern_key(body, synsets)
            if mapped is None or key is None:
                stats["patterns skipped (no PLOVER event, or a subject/word-order constraint)"] += 1
                continue
            particle, objects = key
            # A pattern belongs to the verb its comment names; else to every verb of the block.
            owners = [(v, p) for v, p in verbs if v == orig] or verbs
            for v, p in owners:
                if p is not None and particle is not None:
                    continue
                readings[(v, p or particle, objects)][mapped] += 1
    entries: list[dict[str, object]] = []
    for (verb, particle, objects), seen in sorted(readings.items(), key=lambda kv: (kv[0][0], kv[0][1] or "",
                                                                                   sorted(kv[0][2] or ()))):
        if verb in TOO_BROAD and particle is None and objects is None:
            stats["bare verbs left to the hand lexicon (too broad)"] += 1
            continue
        types = {t for t, _ in seen}
        if len(types) > 1:
            stats["keys dropped: CAMEO codes disagree on the PLOVER type"] += 1
            continue
        (ptype, mode), _ = seen.most_common(1)[0]
        entry: dict[str, object] = {"verb": verb}
        if particle:
            entry["particle"] = particle
        if objects:
            entry["object"] = sorted(objects)
        entry["type"] = ptype
        if mode:
            entry["mode"] = mode
        if ptype in {"PROTEST", "MOBILIZE", "RETREAT"}:
            entry["target_optional"] = True
        entries.append(entry)
    stats["lexicon entries written"] = len(entries)
    return entries, stats


# ---- actors -----------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{6}|\d{8})$")


def _date(raw: str) -> str | None:
    raw = raw.strip()
    if not _DATE.match(raw):
        return None
    if len(raw) == 6:
        yy = int(raw[:2])
        raw = ("20" if yy <= 30 else "19") + raw
    try:
        return date(int(raw[:4]), max(1, int(raw[4:6])), max(1, int(raw[6:8]))).isoformat()
    except ValueError:
        return None


def _restriction(spec: str) -> tuple[str, str | None, str | None] | None:
    """ "RUSGOV 991231-080507" -> ("RUSGOV", "1999-12-31", "2008-05-07"); ">080508" opens-ended."""
    parts = spec.split()
    if not parts:
        return None
    code, rest = parts[0], " ".join(parts[1:]).strip()
    if not rest:
        return code, None, None
    if rest.startswith(">"):
        return code, _date(rest[1:]), None
    if rest.startswith("<"):
        return code, None, _date(rest[1:])
    a, _, b = rest.partition("-")
    return code, _date(a), _date(b)


def _split_code(code: str, countries: set[str]) -> tuple[str | None, str | None, str | None]:
    """CAMEO actor code -> (country, igo, sector): "RUSGOV" -> RUS/GOV, "IGOUNOKID" -> igo UNO."""
    code = code.strip().upper()
    head, rest = code[:3], code[3:]
    country = igo = None
    if head in countries:
        country = head
    elif head in ORG_PREFIXES:
        igo = ORG_PREFIXES[head]
        if head == "IGO" and rest[:3] in IGO_SUBCODES:
            igo, rest = IGO_SUBCODES[rest[:3]], rest[3:]
    else:
        return None, None, None
    sector = None
    for i in range(0, len(rest) - 2, 3):
        part = rest[i:i + 3]
        if part in SECTORS:
            sector = part
            break
        if part in SECTOR_ALIASES and SECTOR_ALIASES[part]:
            sector = SECTOR_ALIASES[part]
            break
    return country, igo, sector


LOWER_WORDS = {"of", "the", "and", "de", "del", "la", "le", "al", "el", "bin", "ibn", "van", "von", "der", "du", "da",
               "dos", "das", "y", "e", "for", "in", "on", "to", "at"}
ORG_WORDS = {"army", "forces", "force", "ministry", "party", "council", "police", "government", "congress",
             "parliament", "court", "committee", "commission", "assembly", "front", "movement", "union", "navy",
             "agency", "office", "department", "guard", "guards", "service", "bank", "corps", "brigade", "league",
             "organization", "organisation", "association", "federation", "institute", "group", "militia"}


def _word(w: str) -> str:
    low = w.lower()
    if low in LOWER_WORDS:
        return low
    if any(c.islower() for c in w):
        return w
    if len(w) <= 4 and not any(c in "AEIOUY" for c in w):
        return w  # an acronym: PLA, NPC
    return "-".join(part[:1] + part[1:].lower() for part in w.split("-")).replace("'S", "'s")


def _name(raw: str) -> str:
    words = raw.strip().strip("_").replace("_", " ").replace("]", "").split()
    out = " ".join(_word(w) for w in words)
    return out[:1].upper() + out[1:]


@dataclass
class ActorRecord:
    name: str
    aliases: list[str]
    kind: str
    roles: list[tuple[str | None, str | None, str | None, str | None, str | None]]  # country, igo, sector, start, end


def _read_actor_records(text: str) -> list[tuple[list[str], list[str]]]:
    """(phrases, restriction specs) per record: a primary phrase, its '+' synonyms, its codes."""
    records: list[tuple[list[str], list[str]]] = []
    phrases: list[str] = []
    specs: list[str] = []
    for raw in text.splitlines():
        line, _ = _strip_comment(raw)
        if not line.strip():
            continue
        if line.startswith(("\t", " ")) and line.strip().startswith("["):
            specs += [m.group(1) for m in _CODE.finditer(line)]
            continue
        s = line.strip()
        inline = [m.group(1) for m in _CODE.finditer(s)]
        phrase = _CODE.sub("", s).strip()
        if s.startswith("+"):
            phrases.append(phrase[1:].strip())
            specs += inline
            continue
        if phrases and specs:
            records.append((phrases, specs))
            phrases, specs = [], []
        # else: a record with no code yet shares the codes that follow (PETRARCH's convention)
        phrases.append(phrase)
        specs += inline
    if phrases and specs:
        records.append((phrases, specs))
    return records


def convert_actors(text: str, kind_hint: str, countries: set[str]) -> tuple[list[ActorRecord], Counter[str]]:
    stats: Counter[str] = Counter()
    out: list[ActorRecord] = []
    for phrases, specs in _read_actor_records(text):
        names = [_name(p) for p in phrases if p and not p.startswith("!")]
        names = [n for n in dict.fromkeys(names) if n]
        if not names:
            continue
        roles = []
        for spec in specs:
            r = _restriction(spec)
            if r is None:
                continue
            code, start, end = r
            country, igo, sector = _split_code(code, countries)
            if country is None and igo is None:
                continue
            roles.append((country, igo, sector, start, end))
        if not roles:
            stats[f"{kind_hint} records without a usable code"] += 1
            continue
        dated = any(r[3] or r[4] for r in roles)
        if kind_hint == "country" and all(r[0] and r[1] is None and r[2] is None for r in roles):
            kind = "place"  # a state's block (codes with no sector, dated for regime changes): names, cities
        elif kind_hint == "group":
            kind = "group"
        elif set(names[0].lower().split()) & ORG_WORDS or (not dated and len(names[0].split()) > 3):
            kind = "org"
        else:
            kind = "person"
        if kind_hint == "igo" and not dated:
            kind = "igo"  # an organisation of the international file ("Oxfam", "Boeing" as MNC)
        out.append(ActorRecord(names[0], names[1:], kind, roles))
        stats[f"{kind} records"] += 1
    return out, stats


def actors_csv(records: list[ActorRecord]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["name", "aliases", "kind", "country", "igo", "sector", "role", "start", "end"])
    for rec in records:
        for n, (country, igo, sector, start, end) in enumerate(rec.roles):
            w.writerow([rec.name, "|".join(rec.aliases) if n == 0 else "", rec.kind, country or "", igo or "",
                        sector or "", "", start or "", end or ""])
    return buf.getvalue()


# ---- agents and discards -------------------------------------------------------------------

def convert_agents(text: str) -> tuple[dict[str, list[str]], Counter[str]]:
    """Agent nouns -> PLOVER sector: {"COP": ["police", "policeman", ...]}."""
    stats: Counter[str] = Counter()
    subst: dict[str, list[str]] = {}
    out: dict[str, set[str]] = defaultdict(set)
    for raw in text.splitlines():
        line, _ = _strip_comment(raw)
        s = line.strip()
        if not s or s.startswith("<"):
            continue
        m = re.match(r"^(!\w+!)\s*=\s*(.+)$", s)
        if m:
            subst[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        code_m = re.search(r"\[([^\]]*)[\]}]", s)
        if not code_m:
            continue
        code = code_m.group(1).replace("~", "").strip().upper()
        sector = code[:3] if code[:3] in SECTORS else SECTOR_ALIASES.get(code[:3])
        if sector is None:
            stats["agents without a PLOVER sector"] += 1
            continue
        phrase = s[:code_m.start()]
        plural: str | None = None
        pm = re.search(r"\{([^}]*)\}", phrase)
        if pm:
            plural = pm.group(1).strip()
            phrase = phrase[:pm.start()]
        phrase = phrase.strip()
        forms = [phrase]
        for marker, words in subst.items():
            if marker in phrase:
                forms = [phrase.replace(marker, w) for w in words]
        for f in forms:
            word = f.replace("_", " ").strip().lower()
            if not word or not all(c.isalpha() or c in " -'." for c in word):
                continue
            out[sector].add(word)
            if pm is None and "!" not in phrase:
                out[sector].add(word[:-1] + "ies" if word.endswith("y") else word + ("es" if word.endswith("ss")
                                                                                     else "s"))
            elif plural:
                out[sector].add(plural.replace("_", " ").lower())
        stats["agent phrases"] += 1
    return {k: sorted(v) for k, v in sorted(out.items())}, stats


def convert_discards(text: str) -> list[str]:
    out = []
    for raw in text.splitlines():
        line, _ = _strip_comment(raw)
        s = line.strip()
        if not s or s.startswith("<") or s.isdigit():
            continue
        out.append(s.lstrip("+").replace("_", " ").strip().lower())
    return sorted({d for d in out if len(d) > 3})


# ---- build ------------------------------------------------------------------------------------

def build(source: Path, codebook: Path, out: Path) -> dict[str, int]:
    """Convert every PETRARCH-2 file in ``source`` into ``out``; returns counts for the report."""
    if not (source / "CAMEO.2.0.txt").is_file():
        raise DataFileError(f"{source}: no CAMEO.2.0.txt here (expected the petrarch2 dictionary folder)")
    read = lambda name: (source / name).read_text(encoding="latin-1")  # noqa: E731 - some Latin-1 bytes
    countries = _countries()
    out.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    verbs, s1 = convert_verbs(read("CAMEO.2.0.txt"), Crosswalk.from_codebook(codebook))
    counts.update(s1)
    header = "# Converted from PETRARCH-2 CAMEO.2.0.txt by `eventcoder dictionaries build` (MIT; see LICENSE).\n"
    (out / "verbs.yaml").write_text(header + yaml.safe_dump(verbs, sort_keys=False, width=200,
                                                             default_flow_style=None), encoding="utf-8")
    records: list[ActorRecord] = []
    for name, hint in (("Phoenix.Countries.actors.txt", "country"), ("Phoenix.International.actors.txt", "igo"),
                       ("Phoenix.MilNonState.actors.txt", "group")):
        recs, s = convert_actors(read(name), hint, countries)
        records += recs
        counts.update(s)
    (out / "actors.csv").write_text(actors_csv(records), encoding="utf-8")
    agents, s3 = convert_agents(read("Phoenix.agents.txt"))
    counts.update(s3)
    (out / "agents.yaml").write_text("# Converted from PETRARCH-2 Phoenix.agents.txt (MIT; see LICENSE).\n"
                                     + yaml.safe_dump(agents, width=200), encoding="utf-8")
    discards = convert_discards(read("Phoenix.discards.txt"))
    counts["discard phrases"] = len(discards)
    (out / "discards.yaml").write_text("# Converted from PETRARCH-2 Phoenix.discards.txt (MIT; see LICENSE).\n"
                                       + yaml.safe_dump(discards, width=200), encoding="utf-8")
    (out / "LICENSE").write_text(LICENCE_NOTE + (source / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8")
    return dict(counts)
