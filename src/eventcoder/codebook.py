"""What the PLOVER v2 codebook says about event types, read once from the packaged summary.

Shared by the coder (valid modes and contexts), the query layer (validating filter values)
and the exports (quad codes, Goldstein-like scores, CAMEO roots for GDELT-style rows).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

MODALITIES = ("asserted", "claimed", "negated", "intended", "hypothetical")


@dataclass(frozen=True)
class Codebook:
    quad_class: dict[str, str]  # type -> quad class id
    modes: dict[str, frozenset[str]]
    contexts: frozenset[str]
    quad_code: dict[str, int]  # quad class id -> 1..4
    score: dict[str, float]  # "TYPE" or "TYPE/mode" -> score on the codebook's -10..10 scale
    cameo_root: dict[str, str]  # "TYPE" or "TYPE/mode" -> CAMEO two-digit root

    @classmethod
    def load(cls) -> Codebook:
        return _load()

    @property
    def event_types(self) -> tuple[str, ...]:
        return tuple(self.quad_class)

    def score_of(self, event_type: str, mode: str | None) -> float | None:
        """The mode's score where the codebook gives one, else the type's."""
        return self.score.get(f"{event_type}/{mode}", self.score.get(event_type))

    def cameo_root_of(self, event_type: str, mode: str | None) -> str | None:
        return self.cameo_root.get(f"{event_type}/{mode}", self.cameo_root.get(event_type))


@cache
def _load() -> Codebook:
    text = resources.files("eventcoder").joinpath("data", "plover.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return Codebook(
        quad_class=dict(data["quad_class"]),
        modes={k: frozenset(v) for k, v in data["modes"].items()},
        contexts=frozenset(data["contexts"]),
        quad_code={k: int(v) for k, v in data["quad_code"].items()},
        score={k: float(v) for k, v in data["score"].items()},
        cameo_root=dict(data["cameo_root"]),
    )
