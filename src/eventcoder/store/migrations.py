"""Numbered schema migrations; each runs once and is logged in ``_migrations``.

Add a migration by appending a function; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb


def _m001_initial(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("""
        CREATE TABLE documents (
            doc_id VARCHAR PRIMARY KEY,
            content_hash VARCHAR,
            title VARCHAR, date VARCHAR, url VARCHAR, author VARCHAR, source VARCHAR,
            text VARCHAR,
            status VARCHAR NOT NULL,          -- ok | skipped | error
            reason VARCHAR, detail VARCHAR,   -- why, for skipped/error
            coder_version VARCHAR,
            n_events INTEGER DEFAULT 0,
            ingested_at TIMESTAMP DEFAULT current_timestamp
        )""")
    conn.execute("""
        CREATE TABLE events (
            id VARCHAR PRIMARY KEY,
            doc_id VARCHAR NOT NULL,
            event_type VARCHAR NOT NULL, mode VARCHAR, context VARCHAR, quad_class VARCHAR,
            source_name VARCHAR, source_canonical VARCHAR, source_country VARCHAR, source_igo VARCHAR,
            source_sector VARCHAR, source_role VARCHAR, source_kind VARCHAR,
            target_name VARCHAR, target_canonical VARCHAR, target_country VARCHAR, target_igo VARCHAR,
            target_sector VARCHAR, target_role VARCHAR, target_kind VARCHAR,
            modality VARCHAR NOT NULL, claimed_by VARCHAR,
            date VARCHAR, date_precision VARCHAR, location VARCHAR,
            sentence VARCHAR, start_char INTEGER, end_char INTEGER, trigger VARCHAR,
            confidence DOUBLE, rule VARCHAR, coder_version VARCHAR NOT NULL
        )""")
    conn.execute("""
        CREATE TABLE event_documents (
            event_id VARCHAR NOT NULL, doc_id VARCHAR NOT NULL, PRIMARY KEY (event_id, doc_id)
        )""")
    conn.execute("""
        CREATE TABLE actors (
            doc_id VARCHAR NOT NULL, name VARCHAR NOT NULL, canonical VARCHAR NOT NULL,
            country VARCHAR, igo VARCHAR, sector VARCHAR, role VARCHAR, kind VARCHAR,
            mentions INTEGER, coder_version VARCHAR
        )""")
    conn.execute("CREATE INDEX events_doc ON events (doc_id)")
    conn.execute("CREATE INDEX actors_doc ON actors (doc_id)")


def _m002_fusion(conn: duckdb.DuckDBPyConnection) -> None:
    """Fused events: reports of one happening in several documents (see `fusion.rules`)."""
    conn.execute("""
        CREATE TABLE fused_events (
            fused_id VARCHAR PRIMARY KEY,
            representative VARCHAR NOT NULL,       -- the earliest mention's event id
            mentions INTEGER NOT NULL,             -- member events times the documents carrying each
            documents INTEGER NOT NULL,
            sources INTEGER NOT NULL,              -- distinct outlets (documents without one count alone)
            asserted_sources INTEGER NOT NULL,
            claimed_sources INTEGER NOT NULL,
            first_reported DATE,
            confidence DOUBLE
        )""")
    conn.execute("CREATE TABLE fused_members (event_id VARCHAR PRIMARY KEY, fused_id VARCHAR NOT NULL)")


def _m003_registry(conn: duckdb.DuckDBPyConnection) -> None:
    """The actor registry: persons and organisations the corpus taught us (see `store.registry`)."""
    conn.execute("""
        CREATE TABLE registry_observations (
            actor_id VARCHAR NOT NULL,             -- COUNTRY:slug, as in the export schema
            name VARCHAR NOT NULL,                 -- the resolved name
            surface VARCHAR,                       -- how the document wrote it
            kind VARCHAR, country VARCHAR, igo VARCHAR, sector VARCHAR, role VARCHAR,
            seen DATE,                             -- the document's date
            doc_id VARCHAR NOT NULL, sentence VARCHAR,
            source VARCHAR NOT NULL                -- learned | user
        )""")
    conn.execute("CREATE INDEX registry_actor ON registry_observations (actor_id)")
    conn.execute("""
        CREATE TABLE registry_edits (
            n INTEGER PRIMARY KEY,                 -- applied in order
            action VARCHAR NOT NULL,               -- correct | merge | split | load
            actor_id VARCHAR NOT NULL,
            other VARCHAR,                         -- merge: the id merged in; split: the name moved out
            country VARCHAR, igo VARCHAR, sector VARCHAR, role VARCHAR, name VARCHAR, kind VARCHAR,
            start DATE, "end" DATE,
            made_at TIMESTAMP DEFAULT current_timestamp
        )""")


MIGRATIONS: list[tuple[str, Callable[[duckdb.DuckDBPyConnection], None]]] = [
    ("001_initial", _m001_initial),
    ("002_fusion", _m002_fusion),
    ("003_registry", _m003_registry),
]


def apply(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations in order, each in its own transaction; returns their names."""
    conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP "
                 "DEFAULT current_timestamp)")
    done = {r[0] for r in conn.execute("SELECT name FROM _migrations").fetchall()}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            fn(conn)
            conn.execute("INSERT INTO _migrations (name) VALUES (?)", [name])
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
