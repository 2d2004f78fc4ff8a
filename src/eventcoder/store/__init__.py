"""Embedded DuckDB storage; the only package that imports duckdb."""

from .store import EventFilter, IngestSummary, Store, event_row_to_dict, ingest_results, write_parquet

__all__ = ["EventFilter", "IngestSummary", "Store", "event_row_to_dict", "ingest_results", "write_parquet"]
