"""Recomputing the fused events of a store after it changed (an ingest, a shard load)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa

from .rules import FusionRules, Mention, cluster, combined_confidence, fused_id

if TYPE_CHECKING:
    from ..store import Store

_READ = """
SELECT event_id, doc_id, event_type, source_id, target_id, coalesce(source_country, source_igo) AS source_state,
       coalesce(target_country, target_igo) AS target_state, modality, event_date, event_date_end, doc_published,
       lower(coalesce(location_name, location_country)) AS place, sentence, doc_outlet, confidence, mentions,
       source_kind, target_kind, source_role, target_role
FROM ({select})"""


def mentions_of(store: Store) -> list[tuple[Mention, int]]:
    """Every stored event as a fusion mention, with how many documents carry it."""
    from ..query.table import EXPORT_SELECT

    rows = store.arrow(_READ.format(select=EXPORT_SELECT)).to_pylist()
    return [(_mention(r), int(r["mentions"] or 1)) for r in rows]


def _mention(r: dict[str, Any]) -> Mention:
    return Mention(event_id=r["event_id"], doc_id=r["doc_id"], event_type=r["event_type"], source=r["source_id"],
                   target=r["target_id"], source_state=r["source_state"], target_state=r["target_state"],
                   modality=r["modality"], start=r["event_date"], end=r["event_date_end"],
                   published=r["doc_published"], place=r["place"], sentence=r["sentence"] or "",
                   outlet=r["doc_outlet"], confidence=float(r["confidence"] or 0.5), source_kind=r["source_kind"],
                   target_kind=r["target_kind"], source_role=r["source_role"], target_role=r["target_role"])


def refresh(store: Store, rules: FusionRules | None = None) -> dict[str, int]:
    """Recompute every fused event (deterministic, whatever order the documents came in)."""
    pairs = mentions_of(store)
    carried = {m.event_id: n for m, n in pairs}
    groups = cluster((m for m, _ in pairs), rules)
    fused_rows, member_rows = [], []
    for group in groups:
        fid = fused_id(group)
        sources = {m.outlet or m.doc_id for m in group}
        asserted = {m.outlet or m.doc_id for m in group if m.modality == "asserted"}
        claimed = {m.outlet or m.doc_id for m in group if m.modality == "claimed"} - asserted
        published = [m.published for m in group if m.published is not None]
        fused_rows.append({"fused_id": fid, "representative": group[0].event_id,
                           "mentions": sum(carried[m.event_id] for m in group),
                           "documents": len({m.doc_id for m in group}), "sources": len(sources),
                           "asserted_sources": len(asserted), "claimed_sources": len(claimed),
                           "first_reported": min(published) if published else None,
                           "confidence": combined_confidence(group)})
        member_rows += [{"event_id": m.event_id, "fused_id": fid} for m in group]
    fused = pa.Table.from_pylist(fused_rows, schema=pa.schema([
        ("fused_id", pa.string()), ("representative", pa.string()), ("mentions", pa.int32()),
        ("documents", pa.int32()), ("sources", pa.int32()), ("asserted_sources", pa.int32()),
        ("claimed_sources", pa.int32()), ("first_reported", pa.date32()), ("confidence", pa.float64())]))
    members = pa.Table.from_pylist(member_rows, schema=pa.schema([("event_id", pa.string()),
                                                                  ("fused_id", pa.string())]))
    store.replace_fusion(fused, members)
    return {"events": len(pairs), "fused": len(groups), "multi": sum(1 for g in groups if len(g) > 1)}

