"""Exports: the versioned export schema and the writers for every format built on it."""

from .schema import COLUMNS, EXPORT_SCHEMA, EXPORT_VERSION
from .writers import FORMATS, Writer, write_tables

__all__ = ["COLUMNS", "EXPORT_SCHEMA", "EXPORT_VERSION", "FORMATS", "Writer", "write_tables"]
