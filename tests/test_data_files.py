"""Data files are validated on load and a user folder overrides them."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventcoder.config import Settings
from eventcoder.errors import DataFileError
from eventcoder.events.lexicon import Codebook, Lexicon


def test_packaged_lexicon_is_valid_and_covers_all_types() -> None:
    lex = Lexicon.load(Settings(), Codebook.load())
    types = {p.event_type for p in lex.patterns if p.event_type}
    assert len(types) == 16
    assert all(p.example for p in lex.patterns if p.origin == "hand")  # converted entries cite CAMEO instead


@pytest.mark.parametrize("entry, message", [
    ("- {verb: bombard, type: BOMB}", "not a PLOVER type"),
    ("- {verb: bombard, type: ASSAULT, mode: nukes}", "not a mode of ASSAULT"),
    ("- {verb: bombard, type: ASSAULT, colour: red}", "unknown field"),
    ("- {type: ASSAULT}", "exactly one of 'verb' or 'noun'"),
])
def test_bad_user_entries_name_file_and_field(tmp_path: Path, entry: str, message: str) -> None:
    (tmp_path / "patterns").mkdir()
    (tmp_path / "patterns" / "events.yaml").write_text(entry + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=message) as info:
        Lexicon.load(Settings(data_dir=tmp_path), Codebook.load())
    assert "events.yaml:1:" in str(info.value) and "[E201]" in str(info.value)


def test_user_entry_adds_a_verb(tmp_path: Path) -> None:
    (tmp_path / "patterns").mkdir()
    (tmp_path / "patterns" / "events.yaml").write_text(
        '- {verb: rebuke, type: ACCUSE, mode: disapprove, example: "Oslo rebuked Minsk."}\n', encoding="utf-8")
    from eventcoder.pipeline import Coder, make_document

    coder = Coder.load(Settings(data_dir=tmp_path))
    (event,) = coder.code_document(make_document("Norway rebuked Belarus.")).events
    assert (event.event_type, event.source.country, event.target.country) == ("ACCUSE", "NOR", "BLR")
