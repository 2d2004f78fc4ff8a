"""Properties that must hold for any input (Hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventcoder.pipeline import Coder, make_document
from eventcoder.records import CodedDocument

# Fragments that make the coder work: actors, triggers, claims, negation, dates, noise.
FRAGMENTS = [
    "Israel", "Iran", "Azerbaijan", "the United Nations", "Tehran", "Baku", "NATO", "Hamas", "Russian troops",
    "President John Mensah", "the minister", "he", "it", "they", "attacked", "met", "signed a deal with",
    "accused", "of shelling", "said", "denied", "will", "did not", "threatened to", "sanctions on", "visited",
    "talks with", "and", ",", ".", "!", "?", "\n", "\n\n", "on Tuesday", "last week", "in 2018", "(", ")", '"',
    "according to", "must", "the", "Mr.", "some of", "many of", "them", "those", "its", "their", "his",
    "Brig. Gen.", "\u0627\u0644\u0639\u0631\u0627\u0642", "\U0001f525",
]
news_like = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=40).map(" ".join)
any_text = st.one_of(st.text(max_size=400), news_like)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _code(coder: Coder, text: str, doc_id: str = "p") -> CodedDocument:
    result = coder.code_document(make_document(text, id=doc_id, date="2024-06-01"))
    assert isinstance(result, CodedDocument)
    return result


@SETTINGS
@given(text=any_text)
def test_code_never_raises_and_offsets_slice_to_the_sentence(coder: Coder, text: str) -> None:
    if not text.strip():
        return
    result = _code(coder, text)
    for e in result.events:
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start:e.end] == e.sentence
        assert e.trigger in e.sentence
        assert e.modality.value in {"asserted", "claimed", "negated", "intended", "hypothetical"}
        assert e.id.startswith("ev-")


@SETTINGS
@given(texts=st.lists(news_like, min_size=2, max_size=6, unique=True), batch_size=st.integers(1, 8))
def test_ids_do_not_depend_on_batch_order_or_size(coder: Coder, texts: list[str], batch_size: int) -> None:
    docs = [make_document(t, date="2024-06-01") for t in texts if t.strip()]

    def ids(seq: list) -> dict[str, list[str]]:
        out = {}
        for r in coder.code_documents(seq, batch_size=batch_size):
            assert isinstance(r, CodedDocument)
            out[r.document.id] = sorted(e.id for e in r.events)
        return out

    forward = ids(docs)
    assert ids(list(reversed(docs))) == forward
    assert ids(docs) == forward  # and across runs


def test_ids_do_not_depend_on_worker_count(coder: Coder) -> None:
    from eventcoder.ingest.files import read_inputs
    from tests.conftest import EXAMPLES

    docs = [d for d in read_inputs([str(EXAMPLES / "articles")]) if not hasattr(d, "reason")]
    one = {r.document.id: [e.to_dict() for e in r.events] for r in coder.code_documents(docs)
           if isinstance(r, CodedDocument)}
    two = {r.document.id: [e.to_dict() for e in r.events] for r in coder.code_documents(docs, workers=2)
           if isinstance(r, CodedDocument)}
    assert one == two
    assert sum(len(v) for v in one.values()) >= 20
