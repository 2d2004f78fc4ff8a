"""One export schema: fixed names and types whatever the data, loadable and concatenable everywhere."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.export import EXPORT_SCHEMA, EXPORT_VERSION
from eventcoder.export.formats import ACLED_COLUMNS, GDELT_COLUMNS, acled_types, global_event_id, nested
from eventcoder.query.filters import EventQuery
from eventcoder.query.table import events_table
from eventcoder.store import Store

runner = CliRunner()
FORMATS = ["csv", "jsonl", "json", "parquet", "plover", "acled", "gdelt"]
SUFFIX = {"csv": "csv", "jsonl": "jsonl", "json": "json", "parquet": "parquet", "plover": "json", "acled": "csv",
          "gdelt": "csv"}


def _export(db: Path, fmt: str, out: Path, *args: str) -> Path:
    result = runner.invoke(app, ["events", "--db", str(db), "--format", fmt, "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def _load_pandas(path: Path, fmt: str) -> pd.DataFrame:
    if fmt == "parquet":
        return pd.read_parquet(path)
    if fmt == "jsonl":
        return pd.read_json(path, lines=True)
    if fmt in {"json", "plover"}:
        return pd.read_json(path)
    return pd.read_csv(path)


def _load_polars(path: Path, fmt: str) -> pl.DataFrame:
    if fmt == "parquet":
        return pl.read_parquet(path)
    if fmt == "jsonl":
        return pl.read_ndjson(path)
    if fmt in {"json", "plover"}:
        return pl.read_json(path)
    return pl.read_csv(path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_loads_in_pandas_and_polars_and_concatenates_across_databases(
        fmt: str, corpus_db: Path, second_db: Path, tmp_path: Path) -> None:
    a = _export(corpus_db, fmt, tmp_path / f"a.{SUFFIX[fmt]}")
    b = _export(second_db, fmt, tmp_path / f"b.{SUFFIX[fmt]}")
    pa_, pb = _load_pandas(a, fmt), _load_pandas(b, fmt)
    assert len(pa_) > len(pb) > 0
    assert list(pa_.columns) == list(pb.columns)  # same header whatever the data
    both = pd.concat([pa_, pb], ignore_index=True)
    assert len(both) == len(pa_) + len(pb)
    la, lb = _load_polars(a, fmt), _load_polars(b, fmt)
    # Parquet carries its types: a strict vertical concat must work. Text formats carry none, so
    # an all-empty column may be inferred as null in one file: relaxed concat is the honest test.
    how = "vertical" if fmt == "parquet" else "diagonal_relaxed"
    assert pl.concat([la, lb], how=how).height == la.height + lb.height
    if fmt in {"csv", "acled", "gdelt"}:
        header = a.read_text(encoding="utf-8").splitlines()[0].split(",")
        expected = {"csv": list(EXPORT_SCHEMA.names), "acled": ACLED_COLUMNS, "gdelt": GDELT_COLUMNS}[fmt]
        assert header == expected


def test_parquet_types_are_the_schema_even_when_columns_are_empty(second_db: Path, tmp_path: Path) -> None:
    full = pq.read_schema(_export(second_db, "parquet", tmp_path / "x.parquet"))
    empty = pq.read_schema(_export(second_db, "parquet", tmp_path / "e.parquet", "--type", "ASSAULT"))
    assert full.remove_metadata() == EXPORT_SCHEMA.remove_metadata() == empty.remove_metadata()
    assert full.metadata[b"eventcoder.export_version"] == EXPORT_VERSION.encode()
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 0
    assert pl.concat([pl.read_parquet(tmp_path / "x.parquet"), pl.read_parquet(tmp_path / "e.parquet")]).height > 0


def test_dates_are_real_dates_with_their_precision(corpus_db: Path) -> None:
    with Store.open(corpus_db, read_only=True) as store:
        rows = events_table(store).to_pylist()
        store.conn.execute("SELECT 1")  # the store is still usable after an Arrow read
    assert {r["date_precision"] for r in rows} >= {"day", "week", "month", "year"}
    for r in rows:
        start, end, precision = r["event_date"], r["event_date_end"], r["date_precision"]
        if precision == "unknown":
            assert start is None and end is None
            continue
        assert isinstance(start, dt.date) and isinstance(end, dt.date) and start <= end
        span = (end - start).days
        assert {"day": span == 0, "week": span == 6 and start.weekday() == 0, "month": 27 <= span <= 30,
                "year": span in {364, 365}}[precision]
        assert nested(r)["date"] == {"day": start.isoformat(), "week": start.isoformat(),
                                     "month": start.isoformat()[:7], "year": start.isoformat()[:4]}[precision]


def test_resolved_actors_roles_and_documents_travel_with_each_event(corpus_db: Path) -> None:
    with Store.open(corpus_db, read_only=True) as store:
        rows = events_table(store, EventQuery.parse(doc_id="own-1")).to_pylist()
    meeting = next(r for r in rows if r["event_type"] == "CONSULT")
    assert meeting["source_country"] == "GRC" and meeting["target_country"] == "TUR"
    assert meeting["source_kind"] == "person" and meeting["source_role"]
    assert meeting["source_id"].startswith("GRC:") and meeting["doc_title"] == "Talks in Ankara"
    assert meeting["doc_published"] == dt.date(2023, 9, 20)


def test_code_and_ingest_export_the_same_events(corpus_db: Path, tmp_path: Path) -> None:
    """`code` (no database) and `ingest` + `events` write the same schema and the same ids."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "own-2", "date": "2023-10-04", "title": "Arms request",
                               "text": "Ukraine asked Germany for more Taurus cruise missiles. Germany delivered "
                                       "two Patriot air defence systems to Ukraine in August. Berlin refused to "
                                       "supply Kyiv with fighter jets."}) + "\n", encoding="utf-8")
    coded = tmp_path / "coded.parquet"
    result = runner.invoke(app, ["code", str(src), "--format", "parquet", "-o", str(coded)])
    assert result.exit_code == 0, result.output
    stored = _export(corpus_db, "parquet", tmp_path / "stored.parquet", "--doc", "own-2")
    a, b = pq.read_table(coded), pq.read_table(stored)
    assert a.schema == b.schema
    assert sorted(a.column("event_id").to_pylist()) == sorted(b.column("event_id").to_pylist())
    assert a.num_rows >= 2


def test_profiles_map_types_codes_and_scores() -> None:
    assert acled_types("ASSAULT", "aerial") == ("Explosions/Remote violence", "Air/drone strike")
    assert acled_types("PROTEST", "riot") == ("Riots", "Violent demonstration")
    assert acled_types("ASSAULT", None) == ("Battles", "Armed clash")
    assert acled_types("AGREE", None)[0] == "Strategic developments"
    ids = {global_event_id(f"ev-{i}") for i in range(2000)}
    assert len(ids) == 2000 and all(0 < i < 2**63 for i in ids)
    assert global_event_id("ev-x") == global_event_id("ev-x")


def test_gdelt_rows_carry_cameo_root_quad_and_goldstein(corpus_db: Path, tmp_path: Path) -> None:
    df = pd.read_csv(_export(corpus_db, "gdelt", tmp_path / "g.csv"), dtype={"EventRootCode": str})
    assert df["GLOBALEVENTID"].is_unique
    row = df[df["PLOVERType"] == "CONSULT"].iloc[0]
    assert row["EventRootCode"] == "04" and row["QuadClass"] == 1 and row["GoldsteinScale"] > 0
    assert (df[df["PLOVERType"] == "ASSAULT"]["GoldsteinScale"] < -5).all()
