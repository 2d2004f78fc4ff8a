"""Event dates from the sentence, resolved against the publication date.

Precision says what the text pins down: ``day``, ``week``, ``month``, ``year``, or
``unknown`` when neither the sentence nor the document gives a date. A ``week`` date is
the Monday of that week. A sentence with
no date expression takes the publication date (``day``), as wire-service coders do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                         "sunday"])}
MONTH_DAY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?(?:,?\s+(\d{4}))?\b")
MONTH_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{4})\b")
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class ResolvedDate:
    date: str | None
    precision: str


def _parse_pub(date: str | None) -> dt.date | None:
    if not date:
        return None
    try:
        return dt.date.fromisoformat(date[:10])
    except ValueError:
        return None


def _past_year(month: int, day: int, pub: dt.date) -> int:
    """A date with no year is the most recent one not after publication."""
    try:
        candidate = dt.date(pub.year, month, day)
    except ValueError:
        return pub.year
    return pub.year if candidate <= pub + dt.timedelta(days=7) else pub.year - 1


class DateResolver:
    def resolve(self, sent_ents: list[Span], trigger: Token, pub_date: str | None) -> ResolvedDate:
        """The trigger's date from the sentence's DATE/TIME entities, else the publication date."""
        pub = _parse_pub(pub_date)
        ents = [e for e in sent_ents if e.label_ in {"DATE", "TIME"}]
        # Prefer a date attached to the trigger's own clause.
        near = [e for e in ents if e.root.head.i == trigger.i or trigger in e.root.ancestors
                or e.root.head.head.i == trigger.i]
        for ent in near + [e for e in ents if e not in near]:
            found = self._expression(ent.text, pub)
            if found is not None:
                return found
        if pub is not None:
            return ResolvedDate(pub.isoformat(), "day")
        return ResolvedDate(None, "unknown")

    def _expression(self, text: str, pub: dt.date | None) -> ResolvedDate | None:
        low = text.lower().strip()
        m = MONTH_DAY.search(text)
        if m and m.group(1).lower().rstrip(".") in MONTHS:
            month, day = MONTHS[m.group(1).lower().rstrip(".")], int(m.group(2))
            year = int(m.group(3)) if m.group(3) else (_past_year(month, day, pub) if pub else None)
            return self._day(year, month, day)
        m = DAY_MONTH.search(text)
        if m and m.group(2).lower() in MONTHS:
            month, day = MONTHS[m.group(2).lower()], int(m.group(1))
            year = int(m.group(3)) if m.group(3) else (_past_year(month, day, pub) if pub else None)
            return self._day(year, month, day)
        m = MONTH_YEAR.search(text)
        if m and m.group(1).lower() in MONTHS:
            return ResolvedDate(f"{int(m.group(2)):04d}-{MONTHS[m.group(1).lower()]:02d}", "month")
        m = YEAR.search(text)
        if m and not re.search(r"\d{4}s\b", text):
            return ResolvedDate(m.group(1), "year")
        if pub is None:
            return None
        if low in {"today", "tonight", "this morning", "this afternoon", "this evening"}:
            return ResolvedDate(pub.isoformat(), "day")
        if low in {"yesterday", "last night"}:
            return ResolvedDate((pub - dt.timedelta(days=1)).isoformat(), "day")
        for name, idx in WEEKDAYS.items():
            if name in low:
                delta = (pub.weekday() - idx) % 7
                return ResolvedDate((pub - dt.timedelta(days=delta)).isoformat(), "day")
        if "last week" in low or "past week" in low:
            # a week is given by its Monday
            return ResolvedDate((pub - dt.timedelta(days=pub.weekday() + 7)).isoformat(), "week")
        if "last month" in low:
            first = pub.replace(day=1) - dt.timedelta(days=1)
            return ResolvedDate(f"{first.year:04d}-{first.month:02d}", "month")
        if "last year" in low:
            return ResolvedDate(f"{pub.year - 1:04d}", "year")
        if "this year" in low:
            return ResolvedDate(f"{pub.year:04d}", "year")
        if "recent months" in low or "this month" in low:
            return ResolvedDate(f"{pub.year:04d}-{pub.month:02d}", "month")
        if low in MONTHS:
            month = MONTHS[low]
            year = pub.year if month <= pub.month else pub.year - 1
            return ResolvedDate(f"{year:04d}-{month:02d}", "month")
        return None

    @staticmethod
    def _day(year: int | None, month: int, day: int) -> ResolvedDate | None:
        if year is None:
            return ResolvedDate(None, "unknown")
        try:
            return ResolvedDate(dt.date(year, month, day).isoformat(), "day")
        except ValueError:
            return None
