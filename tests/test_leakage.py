"""No evaluated text in the project: the coder must learn the language, not the gold.

A run of 6+ words shared between any line of the package (code, comments, lexicon
examples, data files), the tests, examples or our own gold and a shared gold or seed
text fails. So does a data file with a duplicate key or an unknown field.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from eventcoder.config import Settings
from eventcoder.errors import DataFileError
from eventcoder.events.lexicon import Codebook, Lexicon
from tests.conftest import ROOT

SHARED = ROOT.parent / "shared"
RUN = 6


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _runs(words: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _evaluated_texts() -> list[str]:
    texts = []
    dev = SHARED / "eval" / "plover" / "dev.jsonl"
    if dev.exists():
        texts += [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    seed = SHARED / "acceptance" / "seed"
    for name in ("article.txt", "input.jsonl"):
        if (seed / name).exists():
            texts.append((seed / name).read_text(encoding="utf-8"))
    return texts


def _project_files() -> list[Path]:
    files = [p for p in (ROOT / "src").rglob("*") if p.suffix in {".py", ".yaml", ".csv", ".json"}]
    files += list((ROOT / "tests").rglob("*.py")) + list((ROOT / "examples").rglob("*.*"))
    # our own hard cases; the annotators' wire sets are evaluation text, checked by the stop hook's 7-word runs
    files += [ROOT / "eval" / "hard_cases.jsonl"] + list((ROOT / "scripts").glob("*.py"))
    return [f for f in files if f.is_file() and f.name != Path(__file__).name]


def test_no_line_of_the_project_repeats_a_gold_or_seed_text() -> None:
    texts = _evaluated_texts()
    if not texts:
        pytest.skip("../shared is not present")
    gold_runs: set[tuple[str, ...]] = set()
    for t in texts:
        gold_runs |= _runs(_words(t))
    hits = []
    for f in _project_files():
        for no, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            shared = _runs(_words(line)) & gold_runs
            if shared:
                hits.append(f"{f.relative_to(ROOT)}:{no}: {' '.join(next(iter(shared)))}")
    assert not hits, "lines that repeat evaluated text:\n" + "\n".join(hits[:20])


def test_the_check_would_catch_a_copied_example() -> None:
    """The detector itself: a lexicon example copied from a gold text is found."""
    texts = _evaluated_texts()
    if not texts:
        pytest.skip("../shared is not present")
    copied = " ".join(_words(texts[0])[:8])
    assert _runs(_words(f'- {{verb: x, example: "{copied}"}}')) & _runs(_words(texts[0]))


@pytest.mark.parametrize("relative, text, message", [
    ("patterns/events.yaml",
     '- {verb: rebuke, type: ACCUSE, example: "a"}\n- {verb: rebuke, type: REJECT, example: "b"}\n',
     "repeats the key of line 1"),
    ("patterns/events.yaml", '- {verb: rebuke, type: ACCUSE, colour: red}\n', "unknown field"),
    ("patterns/events.yaml", "- {verb: rebuke, type: ACCUSE, type: REJECT}\n", "duplicate key 'type'"),
    ("actors/groups.yaml", "- {names: [Foo Front], country: FRA, sector: REB}\n- {names: [Foo Front], country: BEL}\n",
     "already listed on line 1"),
    ("actors/groups.yaml", "- {names: [Foo Front], country: FRA, colour: red}\n", "unknown field"),
    ("actors/igos.yaml", "- {code: IGO, names: [Foo Union], sector: XYZ}\n", "not a PLOVER sector code"),
])
def test_bad_data_files_name_file_and_line(tmp_path: Path, relative: str, text: str, message: str) -> None:
    from eventcoder.actors.dictionary import ActorDictionary

    path = tmp_path / relative
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    settings = Settings(data_dir=tmp_path)
    with pytest.raises(DataFileError, match=message) as info:
        if relative.startswith("patterns"):
            Lexicon.load(settings, Codebook.load())
        else:
            ActorDictionary.load(settings)
    assert f"{relative}:" in str(info.value)


def test_packaged_data_files_have_no_duplicate_keys_or_unknown_fields() -> None:
    from eventcoder.actors.dictionary import ActorDictionary
    from eventcoder.actors.knowledge import Knowledge

    lexicon = Lexicon.load(Settings(), Codebook.load())  # raises on any bad entry
    assert len({(p.pos, p.lemma, p.particle, p.objects, p.before, p.then) for p in lexicon.patterns}) == len(
        lexicon.patterns)
    ActorDictionary.load(Settings())
    assert Knowledge.load(Settings()).actors
