"""Embedded DuckDB storage; the only package that opens a database."""

from .store import IngestSummary, Store, ingest_results

__all__ = ["IngestSummary", "Store", "ingest_results"]
