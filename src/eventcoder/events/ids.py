"""Stable ids: the same text and coder version always give the same ids.

Document ids derive from the normalised text when none is given; event ids from the
coder version, the text's hash and the event's place and reading in it, never from the
batch, the worker or the order documents arrive in.
"""

from __future__ import annotations

import hashlib

from ..records import Document, Event, content_hash, doc_id_for

__all__ = ["content_hash", "doc_id_for", "event_id"]


def event_id(document: Document, event: Event, trigger_offset: int) -> str:
    def actor(a: object) -> str:
        return getattr(a, "canonical", "") or ""

    parts = [
        event.coder_version, document.content_hash or content_hash(document.text), str(event.start),
        str(trigger_offset), event.event_type, event.mode or "", actor(event.source), actor(event.target),
        event.modality.value,
    ]
    return "ev-" + hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:20]
