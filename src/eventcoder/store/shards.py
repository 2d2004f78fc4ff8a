"""Loading Parquet shards (from the Ray runner, or any data lake) into the store.

Shards come in four kinds under one root: ``documents/`` (the store's document rows),
``events/`` (the export schema), ``actors/`` and ``links/`` (event -> document, with the
document's content hash). The same rules as a local ingest apply, set-based: a document
already stored ``ok`` is unchanged (same text) or a reported duplicate (other text), never
replaced; of one id seen twice in the shards, a coded copy wins over a failed one; an event
is stored once and linked to every document that carries it. Loading twice changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import Store

KINDS = ("documents", "events", "actors", "links")


def dataset(root: str, kind: str) -> Any:
    """The shards of one kind under ``root`` as a pyarrow dataset (None when there are none)."""
    import pyarrow.dataset as ds
    import pyarrow.fs as pafs

    if "://" in root:
        fs, base = pafs.FileSystem.from_uri(root)
    else:
        fs, base = pafs.LocalFileSystem(), str(Path(root).resolve())
    files = [i.path for i in fs.get_file_info(pafs.FileSelector(f"{base}/{kind}", allow_not_found=True))
             if i.path.endswith(".parquet")]
    return ds.dataset(sorted(files), filesystem=fs, format="parquet") if files else None


_EVENT_FROM_EXPORT = """
    event_id, doc_id, event_type, mode, to_json(context)::VARCHAR, quad_class,
    source_text, source_name, source_country, source_igo, source_sector, source_role, source_kind,
    target_text, target_name, target_country, target_igo, target_sector, target_role, target_kind,
    modality,
    CASE WHEN claimant_name IS NULL THEN NULL ELSE json_object('name', claimant_text, 'canonical', claimant_name,
        'country', claimant_country, 'igo', claimant_igo, 'sector', claimant_sector, 'role', claimant_role,
        'kind', claimant_kind)::VARCHAR END,
    CASE date_precision WHEN 'month' THEN strftime(event_date, '%Y-%m') WHEN 'year' THEN strftime(event_date, '%Y')
        ELSE strftime(event_date, '%Y-%m-%d') END,
    date_precision,
    CASE WHEN location_name IS NULL THEN NULL ELSE json_object('name', location_name, 'country',
        location_country)::VARCHAR END,
    sentence, start_char, end_char, trigger, confidence, rule, coder_version"""


def load(store: Store, root: str) -> dict[str, int]:
    """Load every shard under ``root``; returns counts (documents seen, stored, unchanged, ...)."""
    from .store import EVENT_COLUMNS

    sets = {k: dataset(root, k) for k in KINDS}
    if sets["documents"] is None:
        return {"documents": 0, "stored": 0, "unchanged": 0, "duplicates": 0, "events": 0}
    conn = store.conn
    for kind, data in sets.items():
        if data is not None:
            conn.register(f"_shard_{kind}", data)
    try:
        conn.execute("BEGIN TRANSACTION")
        before = _count(store, "events")
        # One row per id: coded copies first, then by content hash (deterministic whatever the shard order).
        conn.execute("""CREATE TEMP TABLE _chosen AS
            SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY doc_id ORDER BY (status = 'ok') DESC,
                           content_hash NULLS LAST, status, reason) AS _rank FROM _shard_documents) WHERE _rank = 1""")
        conn.execute("""CREATE TEMP TABLE _verdict AS SELECT c.doc_id, c.content_hash, c.status,
            CASE WHEN d.status = 'ok' AND d.content_hash = c.content_hash THEN 'unchanged'
                 WHEN d.status = 'ok' THEN CASE WHEN c.status = 'ok' THEN 'duplicate' ELSE 'kept' END
                 ELSE 'write' END AS verdict
            FROM _chosen c LEFT JOIN documents d USING (doc_id)""")
        conn.execute("DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM _verdict WHERE verdict = 'write')")
        conn.execute("""INSERT INTO documents (doc_id, content_hash, title, date, url, author, source, text, status,
                reason, detail, coder_version, n_events)
            SELECT doc_id, content_hash, title, date, url, author, source, text, status, reason, detail,
                coder_version, n_events FROM _chosen
            WHERE doc_id IN (SELECT doc_id FROM _verdict WHERE verdict = 'write')""")
        written = "(SELECT doc_id, content_hash FROM _verdict WHERE verdict = 'write' AND status = 'ok')"
        if sets["actors"] is not None:
            conn.execute(f"DELETE FROM actors WHERE doc_id IN (SELECT doc_id FROM {written})")
            conn.execute(f"""INSERT INTO actors SELECT doc_id, name, canonical, country, igo, sector, role, kind,
                mentions, coder_version FROM _shard_actors WHERE (doc_id, content_hash) IN {written}""")
        if sets["links"] is not None:
            conn.execute(f"""INSERT OR IGNORE INTO event_documents SELECT DISTINCT event_id, doc_id FROM _shard_links
                WHERE (doc_id, content_hash) IN {written}""")
        if sets["events"] is not None:
            conn.execute(f"""INSERT INTO events ({EVENT_COLUMNS})
                SELECT {_EVENT_FROM_EXPORT} FROM (SELECT DISTINCT ON (event_id) * FROM _shard_events
                    WHERE event_id IN (SELECT event_id FROM event_documents) ORDER BY event_id, doc_id)
                WHERE event_id NOT IN (SELECT id FROM events)""")
        verdicts = dict(conn.execute("SELECT verdict, count(*) FROM _verdict GROUP BY verdict").fetchall())
        seen = conn.execute("SELECT count(*) FROM _shard_documents").fetchall()[0]
        events = _count(store, "events") - before
        conn.execute("DROP TABLE _chosen")
        conn.execute("DROP TABLE _verdict")
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    finally:
        for kind, data in sets.items():
            if data is not None:
                conn.unregister(f"_shard_{kind}")
    return {"documents": int(seen[0]) if seen else 0, "stored": int(verdicts.get("write", 0)),
            "unchanged": int(verdicts.get("unchanged", 0)), "duplicates": int(verdicts.get("duplicate", 0)),
            "events": events}


def _count(store: Store, table: str) -> int:
    """Inside the load's transaction (a separate cursor would not see its rows)."""
    rows = store.conn.execute(f"SELECT count(*) FROM {table}").fetchall()  # constant table names
    return int(rows[0][0])
