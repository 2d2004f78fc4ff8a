"""Hostile inputs, generated at test time: what scrapers bring back on a bad night.

`write_hostile(folder)` writes every case and returns what each must become:
the expected status per document id (ok / skipped / error) and, for errors, the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

GOOD = "Kenya and Ethiopia signed a trade agreement in Nairobi on Monday."


@dataclass(frozen=True)
class Case:
    name: str
    doc_id: str  # the id the store records for it (the path, or path:line for JSONL lines)
    status: str  # ok | skipped | error
    reason: str | None = None


def write_hostile(folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def file(name: str, data: bytes, status: str, reason: str | None = None) -> None:
        path = folder / name
        path.write_bytes(data)
        cases.append(Case(name, str(path), status, reason))

    file("empty.txt", b"", "skipped", "empty")
    file("whitespace.txt", b"  \n\t\r\n   \n", "skipped", "empty")
    file("binary.txt", bytes(range(256)) * 64, "error", "binary")
    file("document.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >>\nendobj\n" + b"\x00" * 100,
         "error", "binary")
    file("latin1.txt", ("Caf\xe9 na\xefve r\xe9sum\xe9 " * 50).encode("latin-1"), "error", "decode")
    file("utf16.txt", b"\xff\xfe" + GOOD.replace("Kenya", "Uganda").encode("utf-16-le"), "ok")
    file("huge.txt", (b"The committee met again and discussed the budget at length. " * 340_000)[:20_000_000],
         "error", "too_large")
    file("deep.html", b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000 + b"</body></html>",
         "error", "no_main_text")
    file("scripts.html", b"<html><head><style>body{color:red}</style><script>var a=1;</script></head><body>"
         + b"<script>" + b"x=1;" * 5000 + b"</script><style>p{}</style></body></html>", "error", "no_main_text")
    file("run-on.txt", (" ".join(["word"] * 20_000)).encode(), "ok")  # 100,000 characters, no punctuation
    file("french.txt", "Le ministre a rencontr\u00e9 son homologue \u00e0 Paris pour discuter de la s\u00e9curit\u00e9."
         .encode(), "ok")
    file("emoji-rtl.txt", ("\U0001f525\U0001f4a5 \u0627\u0644\u0639\u0631\u0627\u0642 \u05e9\u05dc\u05d5\u05dd "
                           "\u202eevil\u202c " + GOOD).encode(), "ok")
    file("good.txt", GOOD.encode(), "ok")
    file("good.html", f"<html><head><title>Trade</title></head><body><nav>Home | World</nav><article><p>{GOOD}</p>"
         f"<p>Officials said more talks would follow next month in Addis Ababa.</p></article></body></html>".encode(),
         "ok")
    file("no-suffix", GOOD.encode(), "skipped")  # not picked from a folder: unknown type, so never read

    lines = [
        json.dumps({"id": "j-good-1", "text": GOOD, "date": "2024-05-01"}),
        "{this is not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "j-missing"}),
        json.dumps({"id": "j-wrong-type", "text": 12345}),
        json.dumps({"id": "j-bad-date", "text": GOOD.replace("Monday", "Friday"), "date": "yesterday"}),
        json.dumps({"id": "j-dup", "text": "Chile and Peru held talks in Lima."}),
        json.dumps({"id": "j-dup", "text": "Chile recalled its ambassador from Peru."}),
        "",
        json.dumps({"id": "j-good-2", "text": "Japan sent aid to the Philippines after the typhoon."}),
    ]
    jl = folder / "mixed.jsonl"
    jl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cases += [
        Case("jsonl good", "j-good-1", "ok"),
        Case("jsonl not json", f"{jl}:2", "error", "bad_json"),
        Case("jsonl not an object", f"{jl}:3", "error", "bad_json"),
        Case("jsonl missing text", "j-missing", "error", "missing_field"),
        Case("jsonl wrong type", "j-wrong-type", "error", "missing_field"),
        Case("jsonl bad date", "j-bad-date", "ok"),
        Case("jsonl duplicate id, first", "j-dup", "ok"),
        Case("jsonl good after blanks", "j-good-2", "ok"),
    ]
    return [c for c in cases if c.name != "no-suffix"]
