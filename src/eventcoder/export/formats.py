"""Row shapes derived from the export schema: the contract's nested event, PLOVER JSON,
and the flat ACLED-like and GDELT-like profiles analysts already load.

Each takes one export row (a dict of the schema's columns) so every format says the same
thing about an event; only the layout differs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from ..codebook import Codebook
from .schema import EXPORT_VERSION


def partial_date(row: dict[str, Any]) -> str | None:
    """The date at the precision the text gives: 2021-09-05, 2021-09 or 2021."""
    d: dt.date | None = row.get("event_date")
    if d is None:
        return None
    return {"month": d.isoformat()[:7], "year": d.isoformat()[:4]}.get(row.get("date_precision") or "", d.isoformat())


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def actor_object(row: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    """The contract's actor object: ``name`` as written, ``canonical`` resolved, plus ``id``."""
    if row.get(f"{prefix}_name") is None:
        return None
    return {
        "name": row[f"{prefix}_text"], "canonical": row[f"{prefix}_name"], "id": row[f"{prefix}_id"],
        "country": row[f"{prefix}_country"], "igo": row[f"{prefix}_igo"], "sector": row[f"{prefix}_sector"],
        "role": row[f"{prefix}_role"], "kind": row[f"{prefix}_kind"],
    }


def nested(row: dict[str, Any]) -> dict[str, Any]:
    """The contract's event object (`../shared/CONTRACT.md`), extended with document metadata."""
    location = None
    if row.get("location_name"):
        location = {"name": row["location_name"], "country": row["location_country"]}
    return {
        "id": row["event_id"], "doc_id": row["doc_id"], "event_type": row["event_type"], "mode": row["mode"],
        "context": list(row["context"] or []), "quad_class": row["quad_class"],
        "source": actor_object(row, "source"), "target": actor_object(row, "target"),
        "modality": row["modality"], "claimed_by": actor_object(row, "claimant"),
        "date": partial_date(row), "date_precision": row["date_precision"],
        "date_start": _iso(row["event_date"]), "date_end": _iso(row["event_date_end"]),
        "location": location, "sentence": row["sentence"], "start": row["start_char"], "end": row["end_char"],
        "trigger": row["trigger"], "confidence": row["confidence"], "rule": row["rule"],
        "coder_version": row["coder_version"], "mentions": row["mentions"],
        "fusion": {"fused_id": row.get("fused_id"), "mentions": row.get("fused_mentions"),
                   "documents": row.get("fused_documents"), "sources": row.get("fused_sources"),
                   "asserted_sources": row.get("asserted_sources"), "claimed_sources": row.get("claimed_sources"),
                   "first_reported": _iso(row.get("first_reported")), "confidence": row.get("fused_confidence")},
        "document": {"title": row["doc_title"], "url": row["doc_url"], "outlet": row["doc_outlet"],
                     "author": row["doc_author"], "published": _iso(row["doc_published"])},
    }


def _code(row: dict[str, Any], prefix: str) -> str | None:
    return row.get(f"{prefix}_country") or row.get(f"{prefix}_igo")


def plover(row: dict[str, Any]) -> dict[str, Any]:
    """A PLOVER v2 JSON record (the codebook's ``json_fields``), one per event, no nested objects."""
    return {
        "id": row["event_id"], "date": partial_date(row), "enddate": _iso(row["event_date_end"]),
        "actor": _code(row, "source"), "actor_name": row["source_name"], "actor_sector": row["source_sector"],
        "recipient": _code(row, "target"), "recipient_name": row["target_name"],
        "recipient_sector": row["target_sector"],
        "event": row["event_type"], "mode": row["mode"], "context": ";".join(row["context"] or []) or None,
        "quad_code": row["quad_code"], "event_loc": row["location_name"], "event_text": row["sentence"],
        "modality": row["modality"], "claimant": _code(row, "claimant"), "link": row["doc_url"],
        "text_info": row["doc_title"], "cite_info": row["doc_outlet"] or row["doc_source"], "doc_id": row["doc_id"],
        "coder": f"eventcoder {row['coder_version']} (export {EXPORT_VERSION})", "coded_date": None,
        "comment": row["rule"],
    }


# ---- ACLED-like ---------------------------------------------------------------------------

ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
                 "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "iso3", "admin1", "location",
                 "latitude", "longitude", "source", "source_url", "notes", "fatalities", "plover_type", "plover_mode",
                 "modality", "timestamp"]
_REMOTE = {"explosives": "Remote explosive/landmine/IED", "aerial": "Air/drone strike", "drone": "Air/drone strike",
           "heavy-weapons": "Shelling/artillery/missile attack", "suicide-attack": "Suicide bomb",
           "unconventional": "Chemical weapon"}
_CIVILIAN = {"abduct": "Abduction/forced disappearance", "sexual": "Sexual violence", "targeted": "Attack",
             "torture": "Attack", "beat": "Attack"}
_STRATEGIC = {"AGREE": "Agreement", "CONSULT": "Other", "SUPPORT": "Other", "CONCEDE": "Agreement",
              "COOPERATE": "Agreement", "AID": "Other", "RETREAT": "Non-violent transfer of territory",
              "REQUEST": "Other", "ACCUSE": "Other", "REJECT": "Other", "THREATEN": "Other", "SANCTION": "Other",
              "MOBILIZE": "Change to group/activity", "COERCE": "Arrests"}


def acled_types(event_type: str, mode: str | None) -> tuple[str, str]:
    """ACLED's event_type / sub_event_type for a PLOVER type and mode (documented in the README)."""
    m = mode or ""
    if event_type == "ASSAULT":
        if m in _REMOTE:
            return "Explosions/Remote violence", _REMOTE[m]
        if m in _CIVILIAN:
            return "Violence against civilians", _CIVILIAN[m]
        if m == "crowd-control":
            return "Protests", "Excessive force against protesters"
        if m == "destroy":
            return "Strategic developments", "Looting/property destruction"
        return "Battles", "Armed clash"
    if event_type == "PROTEST":
        return ("Riots", "Violent demonstration") if m in {"riot", "vandalize"} else ("Protests", "Peaceful protest")
    if event_type == "COERCE" and m != "arrest":
        return "Strategic developments", "Other"
    if event_type == "RETREAT" and m != "withdraw":
        return "Strategic developments", "Other"
    return "Strategic developments", _STRATEGIC.get(event_type, "Other")


def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    c = pycountry.countries.get(alpha_3=code)
    return getattr(c, "common_name", None) or (c.name if c else code)


def _assoc(row: dict[str, Any], prefix: str) -> str | None:
    """The state or organisation an actor acts for, when the actor is not that state itself."""
    if row.get(f"{prefix}_kind") == "state":
        return None
    return _country_name(row.get(f"{prefix}_country")) or row.get(f"{prefix}_igo")


def acled(row: dict[str, Any]) -> dict[str, Any]:
    event_type, sub = acled_types(row["event_type"], row["mode"])
    d = row["event_date"]
    return {
        "event_id_cnty": row["event_id"], "event_date": _iso(d), "year": d.year if d else None,
        "time_precision": {"day": 1, "week": 2, "month": 3, "year": 3}.get(row["date_precision"]),
        "event_type": event_type, "sub_event_type": sub,
        "actor1": row["source_name"], "assoc_actor_1": _assoc(row, "source"),
        "actor2": row["target_name"], "assoc_actor_2": _assoc(row, "target"),
        "country": _country_name(row["location_country"]), "iso3": row["location_country"], "admin1": None,
        "location": row["location_name"], "latitude": None, "longitude": None,
        "source": row["doc_outlet"] or row["doc_source"], "source_url": row["doc_url"], "notes": row["sentence"],
        "fatalities": None, "plover_type": row["event_type"], "plover_mode": row["mode"],
        "modality": row["modality"], "timestamp": _iso(row["doc_published"]),
    }


# ---- GDELT-like ---------------------------------------------------------------------------

GDELT_COLUMNS = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "Actor1Code", "Actor1Name", "Actor1CountryCode",
                 "Actor1Type1Code", "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code",
                 "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
                 "NumMentions", "NumSources", "NumArticles", "ActionGeo_FullName", "ActionGeo_CountryCode",
                 "DATEADDED", "SOURCEURL", "PLOVERType", "PLOVERMode", "Modality", "EventcoderId"]


def global_event_id(event_id: str) -> int:
    """A stable positive 63-bit integer for an event id (same event, same number, any database)."""
    return int.from_bytes(hashlib.sha256(event_id.encode()).digest()[:8], "big") >> 1


def _ymd(d: dt.date | None) -> int | None:
    return int(d.strftime("%Y%m%d")) if d else None


def gdelt(row: dict[str, Any]) -> dict[str, Any]:
    book = Codebook.load()
    d = row["event_date"] or row["doc_published"]
    root = book.cameo_root_of(row["event_type"], row["mode"])
    actor_codes = {p: (_code(row, p) or "") + (row.get(f"{p}_sector") or "") or None for p in ("source", "target")}
    return {
        "GLOBALEVENTID": global_event_id(row["event_id"]), "SQLDATE": _ymd(d),
        "MonthYear": int(d.strftime("%Y%m")) if d else None, "Year": d.year if d else None,
        "Actor1Code": actor_codes["source"], "Actor1Name": row["source_name"],
        "Actor1CountryCode": row["source_country"], "Actor1Type1Code": row["source_sector"],
        "Actor2Code": actor_codes["target"], "Actor2Name": row["target_name"],
        "Actor2CountryCode": row["target_country"], "Actor2Type1Code": row["target_sector"],
        "IsRootEvent": 1, "EventCode": root, "EventBaseCode": root, "EventRootCode": root,
        "QuadClass": row["quad_code"], "GoldsteinScale": book.score_of(row["event_type"], row["mode"]),
        "NumMentions": row.get("fused_mentions") or row["mentions"], "NumSources": row.get("fused_sources") or 1,
        "NumArticles": row.get("fused_documents") or row["mentions"],
        "ActionGeo_FullName": row["location_name"], "ActionGeo_CountryCode": row["location_country"],
        "DATEADDED": _ymd(row["doc_published"]), "SOURCEURL": row["doc_url"] or row["doc_source"],
        "PLOVERType": row["event_type"], "PLOVERMode": row["mode"], "Modality": row["modality"],
        "EventcoderId": row["event_id"],
    }
