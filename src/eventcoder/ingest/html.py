"""HTML page -> main text and metadata, boilerplate (navigation, footers, "Related news") dropped.

Trafilatura does the extraction; htmldate (through it) finds the publication date.
A page with no main text is a `Rejected` with a reason, not an exception.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None
    author: str | None
    date: str | None


def extract_html(html: str | bytes, url: str | None = None) -> Extracted | None:
    """The article's main text and metadata, or None when the page has no main text."""
    import trafilatura  # here, not at the top: a JSONL or text run never loads it (0.08 s)

    try:
        result = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        )
    except (ValueError, TypeError, RecursionError):
        return None
    if result is None:
        return None
    text = (getattr(result, "text", None) or "").strip()
    if not text:
        return None
    return Extracted(
        text=text,
        title=getattr(result, "title", None) or None,
        author=getattr(result, "author", None) or None,
        date=getattr(result, "date", None) or None,
    )
