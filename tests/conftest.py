"""Shared fixtures: one real coder per test session; ../shared data when it is there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventcoder.pipeline import Coder

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def coder() -> Coder:
    return Coder.load()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "acceptance" / "seed" / "input.jsonl").exists():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def seed_record(shared: Path) -> dict:
    return json.loads((shared / "acceptance" / "seed" / "input.jsonl").read_text(encoding="utf-8").splitlines()[0])


def events_of(coder: Coder, text: str, date: str | None = None) -> list:
    from eventcoder.pipeline import make_document

    result = coder.code_document(make_document(text, date=date))
    return list(getattr(result, "events", ()))
