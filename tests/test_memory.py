"""Memory stays flat while ingesting a folder of thousands of files (documents stream)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

TEMPLATES = [
    "{a} and {b} held talks in the capital on {d}. Officials said more meetings would follow.",
    "{a} accused {b} of shelling border villages on {d}, the ministry said.",
    "{a} expelled two diplomats from {b} on {d}. The embassy declined to comment.",
    "Thousands protested in {a} on {d} against a deal with {b}.",
]
COUNTRIES = ["Kenya", "Ethiopia", "Chile", "Peru", "Poland", "Germany", "Japan", "India", "Egypt", "Sudan"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

PEAK = ("import resource, sys\n"
        "from eventcoder.cli import app\n"
        "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")


def _folder(path: Path, n: int) -> Path:
    path.mkdir()
    for i in range(n):
        a, b = COUNTRIES[i % 10], COUNTRIES[(i * 7 + 3) % 10]
        if a == b:
            b = COUNTRIES[(i + 1) % 10]
        text = TEMPLATES[i % 4].format(a=a, b=b, d=DAYS[i % 5]) + f" Report number {i}."
        (path / f"{i:05d}.txt").write_text(text, encoding="utf-8")
    return path


def _peak_kb(folder: Path, db: Path) -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", PEAK, "ingest", str(folder), "--db", str(db)], env=env,
                         capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1])


def test_peak_memory_does_not_grow_with_the_number_of_files(tmp_path: Path) -> None:
    small = _peak_kb(_folder(tmp_path / "small", 150), tmp_path / "small.duckdb")
    large = _peak_kb(_folder(tmp_path / "large", 1500), tmp_path / "large.duckdb")
    # Ten times the documents; the model dominates memory and the documents stream through.
    assert large < small * 1.2, (small, large)
