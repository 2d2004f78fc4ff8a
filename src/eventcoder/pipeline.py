"""The library entry point: documents in, coded documents out.

`Coder.load()` reads the model and data files once; `Coder.code_documents()` streams
documents through spaCy in batches and yields one result per input, in order: a
`CodedDocument`, or the `Rejected` record that came in or that coding produced.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpanType

from .actors.dictionary import ActorDictionary
from .actors.doc_actors import DocActors
from .actors.knowledge import Knowledge, KnownActor
from .actors.resolve import ActorResolver
from .cache import cached
from .config import Settings, data_files
from .datafiles import read_yaml
from .errors import DataFileError, Reason
from .events.coder import EventCoder
from .events.lexicon import Codebook, Lexicon
from .events.prefilter import SentenceFilter
from .events.words import OBLIGATION
from .nlp.pipeline import load_nlp, recognise_selected
from .records import Actor, CodedDocument, Document, Event, Mention, Rejected, make_document


def _load_contexts(settings: Settings, codebook: Codebook) -> dict[str, str]:
    cues: dict[str, str] = {}
    for name, text in data_files(settings, "patterns/contexts.yaml"):
        data = read_yaml(name, text) or {}
        if not isinstance(data, dict):
            raise DataFileError(f"{name}: must map contexts to lists of cue words")
        for ctx, words in data.items():
            if ctx not in codebook.contexts:
                raise DataFileError(f"{name}: {ctx!r} is not a PLOVER context")
            for w in words or []:
                cues[str(w).lower()] = str(ctx)
    return cues

T = TypeVar("T")


@dataclass
class Coder:
    """Everything needed to code text; build it with `Coder.load()` (which does the I/O)."""

    settings: Settings
    nlp: Language
    resolver: ActorResolver
    coder: EventCoder
    sentence_filter: SentenceFilter | None = None  # None: the model reads every sentence
    extra: dict[str, KnownActor] = field(default_factory=dict)  # named actors added over the dictionaries

    @classmethod
    def load(cls, settings: Settings | None = None) -> Coder:
        settings = settings or Settings.from_env()
        codebook = Codebook.load()
        dictionary, knowledge, lexicon, contexts = cached(settings, "knowledge", lambda: (
            ActorDictionary.load(settings), Knowledge.load(settings, settings.layers),
            Lexicon.load(settings, codebook), _load_contexts(settings, codebook)))
        nlp = load_nlp(settings.spacy_model, list(dictionary.titles.abbreviations))
        coder = EventCoder(lexicon, codebook, contexts, settings.coder_version)
        sentence_filter = _sentence_filter(nlp, lexicon, dictionary) if settings.prefilter else None
        return cls(settings, nlp, ActorResolver(dictionary, nlp, knowledge), coder, sentence_filter)

    def code_documents(self, documents: Iterable[Document | Rejected], batch_size: int = 16, workers: int = 1
                       ) -> Iterator[CodedDocument | Rejected]:
        """Code a stream of documents; rejects pass through, oversized ones are rejected here.

        ``workers`` > 1 runs the whole coding path in that many processes
        (`runner.processes`); results keep the input order and equal a single-process run.
        """
        if workers > 1:
            from .runner.processes import code_in_processes

            yield from code_in_processes(self.settings, documents, workers, self.extra)
            return

        Skipped = list[tuple[int, str]]

        def texts() -> Iterator[tuple[str, tuple[Document | Rejected, Skipped]]]:
            for d in documents:
                if isinstance(d, Rejected):
                    yield "", (d, [])
                elif len(d.text) > self.settings.max_doc_chars:
                    yield "", (Rejected(d.id, d.source or "", Reason.TOO_LARGE.value,
                                        f"{len(d.text):,} characters; the limit is "
                                        f"{self.settings.max_doc_chars:,} (EVENTCODER_MAX_DOC_CHARS)"), [])
                elif self.sentence_filter is not None:
                    masked, skipped = self.sentence_filter.mask(d.text)
                    yield masked, (d, skipped)
                else:
                    yield d.text, (d, [])

        selective = self.sentence_filter is not None and "ner" in self.nlp.pipe_names
        parsed = self.nlp.pipe(texts(), as_tuples=True, batch_size=batch_size, disable=["ner"] if selective else [])
        if selective:
            parsed = self._recognise(parsed, batch_size)
        for spacy_doc, (item, skipped) in parsed:
            if isinstance(item, Rejected):
                yield item
                continue
            try:
                actors = self.resolver.resolve(spacy_doc, item.date, skipped)
                events = self.coder.code(item, actors, self.settings.max_sentence_chars)
                hosted = {a.canonical: a for e in events if "+host" in e.rule for a in (e.source, e.target)
                          if a is not None and a.kind == "person" and a.country}
                mentions = tuple(_final_mention(m, actors, hosted) for m in actors.mentions)
            except Exception as exc:  # noqa: BLE001 - a coder bug must cost one document, not the batch
                yield Rejected(item.id, item.source or "", Reason.CODING.value,
                               f"{type(exc).__name__} while coding: {str(exc)[:200]}")
                continue
            yield CodedDocument(item, tuple(events), mentions)

    def _recognise(self, parsed: Iterable[tuple[SpacyDoc, T]], batch_size: int) -> Iterator[tuple[SpacyDoc, T]]:
        """Names for the sentences the coder can code; the others keep none (`recognise_selected`)."""
        ner = self.nlp.get_pipe("ner")
        stream = iter(parsed)
        while batch := list(islice(stream, batch_size)):
            recognise_selected(ner, [doc for doc, _ in batch], self._named_sentences, batch_size)
            yield from batch

    def _named_sentences(self, doc: SpacyDoc) -> list[SpanType]:
        """The sentences whose names matter: those the coder can code and those naming a role."""
        codable = self.coder.codable_sentences(doc)
        if self.sentence_filter is None:
            return codable
        seen = {s.start for s in codable}
        roles = [s for s in doc.sents if s.start not in seen and self.sentence_filter.names_role(s.text)]
        return sorted(codable + roles, key=lambda s: s.start)

    def with_knowledge(self, extra: dict[str, KnownActor]) -> Coder:
        """This coder with more named actors (the registry of a corpus) over its dictionaries."""
        if not extra:
            return self
        import copy

        resolver = copy.copy(self.resolver)
        resolver.knowledge = self.resolver.knowledge.with_overlay(extra)
        return Coder(self.settings, self.nlp, resolver, self.coder, self.sentence_filter, {**self.extra, **extra})

    def code_document(self, document: Document) -> CodedDocument | Rejected:
        return next(iter(self.code_documents([document])))


def _sentence_filter(nlp: Language, lexicon: Lexicon, dictionary: ActorDictionary) -> SentenceFilter:
    """The first pass, with the candidate lemmas the model's own lemmatizer could produce."""
    lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    rules, exceptions = lookups.get_table("lemma_rules"), lookups.get_table("lemma_exc")
    return SentenceFilter(
        lexicon,
        {pos: [(str(old), str(new)) for old, new in rules.get(pos, [])] for pos in ("verb", "noun")},
        {pos: dict(exceptions.get(pos, {})) for pos in ("verb", "noun")},
        OBLIGATION,
        dictionary.titles.abbreviations,
        dictionary.titles.person_nouns | dictionary.titles.ranks | dictionary.titles.honorifics,
    )


def _final_mention(m: Mention, actors: DocActors, hosted: dict[str, Actor]) -> Mention:
    """The mention with what the whole document taught us (a person's country from a visit)."""
    if m.actor.kind == "person" and m.actor.canonical in actors.persons:
        person = actors.persons[m.actor.canonical]
        learned = hosted.get(person.canonical)
        return replace(m, actor=replace(person, country=learned.country) if learned and not person.country else person)
    if m.via == "capital":
        return replace(m, actor=DocActors.state_actor(m))
    return m


@functools.lru_cache(maxsize=2)
def default_coder(settings: Settings | None = None) -> Coder:
    """One coder per process and settings: loading spaCy and the dictionaries takes seconds."""
    return Coder.load(settings)


def code(text: str, date: str | None = None, title: str | None = None, *, doc_id: str | None = None,
         settings: Settings | None = None) -> list[Event]:
    """Code one text and return its events (the notebook API)."""
    document = make_document(text, id=doc_id, title=title, date=date)
    result = default_coder(settings).code_document(document)
    return list(result.events) if isinstance(result, CodedDocument) else []
