"""The dashboard (FastAPI): every HTML page has a JSON twin under ``/api``.

Safety, by construction rather than by care in each handler:
- the database is opened read-only for each request and closed after it, so an ingest can
  write between requests (both sides wait briefly for the other's lock);
- templates autoescape every value; chart SVG escapes its own text; a Content-Security-
  Policy allows no inline script and nothing from other origins;
- every filter goes through `EventQuery.parse` (validated, bound parameters); a bad value
  is a 400 with the reason, a page or limit out of range a 400, never a 500.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import pyarrow as pa
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.base import BaseHTTPMiddleware

from ..config import CODER_VERSION
from ..errors import StoreError, UsageError
from ..export import Writer
from ..export.formats import nested
from ..query import summaries
from ..query import transfers as arms_q
from ..query.filters import EventQuery, actor_code
from ..query.table import EXPORT_SELECT, count, events_table
from ..store import Store
from .charts import chart_for, link_to_events

PAGE_SIZE = 50
MAX_PAGE = 1000  # rows per page (HTML and JSON)
MAX_DOWNLOAD = 1_000_000
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")


class _SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: Callable[[Request], Any]) -> Response:
        response: Response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response


class Filters:
    """The event filters as query parameters (the CLI's names), validated into an `EventQuery`."""

    def __init__(
        self,
        type: Annotated[str | None, Query(description="PLOVER type(s), comma-separated")] = None,
        quad: Annotated[str | None, Query(description="quad class or 1-4")] = None,
        modality: str | None = None,
        context: str | None = None,
        country: Annotated[str | None, Query(description="ISO3 or IGO code, either side")] = None,
        source: str | None = None,
        target: str | None = None,
        actor: Annotated[str | None, Query(description="actor id or resolved name, either side")] = None,
        text: Annotated[str | None, Query(description="words in the sentence or title")] = None,
        since: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
        until: str | None = None,
        doc: str | None = None,
        order: str | None = None,
        raw: Annotated[bool, Query(description="every mention instead of one row per fused event")] = False,
    ) -> None:
        self.raw = {k: v for k, v in {"type": type, "quad": quad, "modality": modality, "context": context,
                                      "country": country, "source": source, "target": target, "actor": actor,
                                      "text": text, "since": since, "until": until, "doc": doc,
                                      "order": order, "raw": "true" if raw else None}.items() if v not in (None, "")}
        self.query = EventQuery.parse(
            event_type=type or None, quad_class=quad or None, modality=modality or None, context=context or None,
            country=country or None, source=source or None, target=target or None, actor=actor, text=text,
            since=since or None, until=until or None, doc_id=doc, order=order or "date_desc", raw=raw or None)


def _page(limit: int = Query(PAGE_SIZE, ge=0, le=MAX_PAGE), offset: int = Query(0, ge=0, le=10**9)
          ) -> tuple[int, int]:
    return limit, offset


def create_app(db: str | Path, wait: float = 15.0) -> FastAPI:
    """The dashboard over ``db``; nothing is opened until a request needs it."""
    db_path = Path(db)
    app = FastAPI(title="eventcoder", version=CODER_VERSION, docs_url=None, redoc_url=None,
                  description="Coded political events: every dashboard page has a JSON twin here.")
    app.add_middleware(_SecurityHeaders)
    static = resources.files("eventcoder").joinpath("web", "static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    templates = Jinja2Templates(directory=str(resources.files("eventcoder").joinpath("web", "templates")))
    templates.env.autoescape = True

    @contextmanager
    def store() -> Iterator[Store]:
        try:
            s = Store.open(db_path, read_only=True, wait=wait)
        except StoreError as exc:
            raise HTTPException(503, exc.message) from None
        try:
            yield s
        finally:
            s.close()

    @app.exception_handler(UsageError)
    async def _usage(request: Request, exc: UsageError) -> Response:
        if request.url.path.startswith("/api/") or request.url.path.startswith("/download/"):
            return JSONResponse({"error": exc.message}, status_code=400)
        return templates.TemplateResponse(request, "error.html", {"status": 400, "message": exc.message},
                                          status_code=400)

    def html(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"version": CODER_VERSION, **context})

    def qs(filters: Filters, **extra: Any) -> str:
        return urlencode({**filters.raw, **{k: v for k, v in extra.items() if v is not None}})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    # ---- overview ------------------------------------------------------------------------

    def overview_data(filters: Filters) -> dict[str, Any]:
        with store() as s:
            data = summaries.overview(s, filters.query)
            data["top_dyads"] = summaries.top_dyads(s, filters.query, 10).to_pylist()
            data["top_actors"] = summaries.top_actors(s, filters.query, 10).to_pylist()
        return data

    @app.get("/api/overview", tags=["overview"])
    def api_overview(filters: Annotated[Filters, Depends()]) -> dict[str, Any]:
        return overview_data(filters)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_overview(request: Request, filters: Annotated[Filters, Depends()]) -> HTMLResponse:
        data = overview_data(filters)
        with store() as s:
            charts = {k: chart_for(s, k, filters.query).to_svg(link=link_to_events)
                      for k in ("timeline", "map", "types")}
        return html(request, "overview.html", data=data, charts=charts, filters=filters.raw, qs=qs(filters))

    # ---- events --------------------------------------------------------------------------

    def events_data(filters: Filters, limit: int, offset: int) -> dict[str, Any]:
        with store() as s:
            table = events_table(s, filters.query, limit=limit, offset=offset, max_limit=MAX_PAGE)
            total = count(s, filters.query)
        return {"events": [nested(r) for r in table.to_pylist()], "total": total, "limit": limit,
                "offset": offset}

    @app.get("/api/events", tags=["events"])
    def api_events(filters: Annotated[Filters, Depends()],
                   page: Annotated[tuple[int, int], Depends(_page)]) -> dict[str, Any]:
        """Event objects in the contract's shape, newest first; ``total`` counts every match."""
        return events_data(filters, *page)

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def page_events(request: Request, filters: Annotated[Filters, Depends()],
                    page: Annotated[tuple[int, int], Depends(_page)]) -> HTMLResponse:
        limit, offset = page
        data = events_data(filters, limit, offset)
        prev_qs = qs(filters, limit=limit, offset=max(0, offset - limit)) if offset > 0 else None
        next_qs = qs(filters, limit=limit, offset=offset + limit) if offset + limit < data["total"] else None
        pages = max(1, math.ceil(data["total"] / limit)) if limit else 1
        return html(request, "events.html", data=data, filters=filters.raw, qs=qs(filters), prev_qs=prev_qs,
                    next_qs=next_qs, page_no=offset // limit + 1 if limit else 1, pages=pages)

    def event_data(event_id: str) -> dict[str, Any]:
        with store() as s:
            table = s.arrow(f"SELECT * FROM ({EXPORT_SELECT}) x WHERE event_id = ?", [event_id])
            if table.num_rows == 0:
                raise HTTPException(404, "no such event")
            row = table.to_pylist()[0]
            doc = s.document(row["doc_id"]) or {}
        event = nested(row)
        text = doc.get("text") or ""
        start, end = event["start"] or 0, event["end"] or 0
        if not (0 <= start <= end <= len(text)) or text[start:end] != event["sentence"]:
            start = end = 0  # offsets do not fit the stored text: show it without a highlight
        event["context_text"] = {"before": text[:start], "evidence": text[start:end], "after": text[end:]}
        event["fusion"] = {k: row[k] for k in ("fused_id", "fused_mentions", "fused_documents", "fused_sources",
                                               "asserted_sources", "claimed_sources", "fused_confidence")}
        event["fusion"]["first_reported"] = row["first_reported"].isoformat() if row["first_reported"] else None
        event["mentions_of_happening"] = []
        if row["fused_id"]:
            with store() as s:
                members = s.arrow(f"SELECT * FROM ({EXPORT_SELECT}) x WHERE fused_id = ? "
                                  "ORDER BY doc_published NULLS LAST, event_id", [row["fused_id"]]).to_pylist()
            event["mentions_of_happening"] = [nested(m) for m in members]
        return event

    @app.get("/api/events/{event_id}", tags=["events"])
    def api_event(event_id: str) -> dict[str, Any]:
        """One event with its document text split around the evidence sentence."""
        return event_data(event_id)

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_event(request: Request, event_id: str) -> HTMLResponse:
        return html(request, "event.html", e=event_data(event_id))

    # ---- actors and dyads -------------------------------------------------------------------

    @app.get("/api/actors", tags=["actors"])
    def api_actors(filters: Annotated[Filters, Depends()],
                   page: Annotated[tuple[int, int], Depends(_page)]) -> dict[str, Any]:
        """Actors in most events (by canonical id), as source and as target."""
        with store() as s:
            rows = summaries.top_actors(s, filters.query, page[0]).to_pylist()
        return {"actors": rows}

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def page_actors(request: Request, filters: Annotated[Filters, Depends()],
                    page: Annotated[tuple[int, int], Depends(_page)]) -> HTMLResponse:
        with store() as s:
            rows = summaries.top_actors(s, filters.query, page[0]).to_pylist()
            svg = chart_for(s, "network", filters.query).to_svg(link=link_to_events)
        return html(request, "actors.html", actors=rows, network=svg, filters=filters.raw)

    def actor_data(actor_id: str) -> dict[str, Any]:
        with store() as s:
            profile = summaries.actor_profile(s, actor_id)
            if profile is None:
                raise HTTPException(404, "no such actor")
            q = EventQuery(actor=profile.id, order="date_desc")
            events = [nested(r) for r in events_table(s, q, limit=200).to_pylist()]
        return {"profile": profile.to_dict(), "events": events}

    @app.get("/api/actors/{actor_id}", tags=["actors"])
    def api_actor(actor_id: str) -> dict[str, Any]:
        return actor_data(actor_id)

    @app.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_actor(request: Request, actor_id: str) -> HTMLResponse:
        return html(request, "actor.html", **actor_data(actor_id))

    @app.get("/api/dyads", tags=["dyads"])
    def api_dyads(filters: Annotated[Filters, Depends()],
                  page: Annotated[tuple[int, int], Depends(_page)]) -> dict[str, Any]:
        """Source -> target pairs of states or organisations with the most events, by quad class."""
        with store() as s:
            return {"dyads": summaries.top_dyads(s, filters.query, page[0]).to_pylist()}

    def dyad_data(a: str, b: str, filters: Filters) -> dict[str, Any]:
        with store() as s:
            rows = summaries.dyad(s, a, b, filters.query).to_pylist()
        return {"a": a, "b": b, "months": rows}

    @app.get("/api/dyads/{a}/{b}", tags=["dyads"])
    def api_dyad(a: str, b: str, filters: Annotated[Filters, Depends()]) -> dict[str, Any]:
        """Counts per month, type and direction between two actors (codes, ids or names)."""
        return dyad_data(a, b, filters)

    @app.get("/dyads/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
    def page_dyad(request: Request, a: str, b: str, filters: Annotated[Filters, Depends()]) -> HTMLResponse:
        data = dyad_data(a, b, filters)
        with store() as s:
            both = [EventQuery.parse(source=a, target=b), EventQuery.parse(source=b, target=a)] \
                if _is_code(a) and _is_code(b) else [EventQuery(actor=a)]
            events = [nested(r) for q in both for r in events_table(s, q.narrowed(order="date"), limit=200)
                      .to_pylist()]
        return html(request, "dyad.html", data=data, events=events)

    @app.get("/dyads", response_class=HTMLResponse, include_in_schema=False)
    def page_dyads(request: Request, filters: Annotated[Filters, Depends()]) -> HTMLResponse:
        with store() as s:
            rows = summaries.top_dyads(s, filters.query, 100).to_pylist()
        return html(request, "dyads.html", dyads=rows, filters=filters.raw)

    # ---- registry -------------------------------------------------------------------------

    def registry_rows(name: str | None) -> list[dict[str, Any]]:
        from ..store.registry import entries

        if name is not None and len(name) > 200:
            raise UsageError("name: longer than 200 characters")
        with store() as s:
            present = s.one("SELECT count(*) FROM information_schema.tables WHERE table_name = 'registry_edits'")
            rows = [e.to_dict() for e in entries(s).values()] if present and present[0] else []
        if name:
            rows = [r for r in rows if any(name.lower() in n.lower() for n in r["names"])]
        return sorted(rows, key=lambda r: (-r["documents"], r["actor_id"]))

    @app.get("/api/registry", tags=["actors"])
    def api_registry(name: str | None = None,
                     page: Annotated[tuple[int, int], Depends(_page)] = (PAGE_SIZE, 0)) -> dict[str, Any]:
        """What the corpus taught about persons and organisations: names, countries with evidence, roles."""
        rows = registry_rows(name)
        return {"registry": rows[page[1]: page[1] + page[0]], "total": len(rows)}

    @app.get("/registry", response_class=HTMLResponse, include_in_schema=False)
    def page_registry(request: Request, name: str | None = None) -> HTMLResponse:
        return html(request, "registry.html", rows=registry_rows(name)[:MAX_PAGE], query=name or "")

    # ---- arms register ------------------------------------------------------------------

    def arms_rows(filters: Filters) -> pa.Table:
        with store() as s:
            return arms_q.register(s, filters.query)

    @app.get("/api/arms", tags=["arms"])
    def api_arms(filters: Annotated[Filters, Depends()],
                 page: Annotated[tuple[int, int], Depends(_page)]) -> dict[str, Any]:
        """The arms-transfer register: supplier, recipient, description, status, date, evidence."""
        limit, offset = page
        rows = [arms_q.nested(r) for r in arms_rows(filters).to_pylist()]
        return {"arms": rows[offset: offset + limit], "total": len(rows)}

    @app.get("/arms", response_class=HTMLResponse, include_in_schema=False)
    def page_arms(request: Request, filters: Annotated[Filters, Depends()]) -> HTMLResponse:
        rows = [arms_q.nested(r) for r in arms_rows(filters).to_pylist()]
        return html(request, "arms.html", rows=rows, filters=filters.raw, qs=qs(filters))

    # ---- documents ----------------------------------------------------------------------

    @app.get("/api/documents", tags=["documents"])
    def api_documents(status: str | None = None,
                      page: Annotated[tuple[int, int], Depends(_page)] = (PAGE_SIZE, 0)) -> dict[str, Any]:
        """Every stored document with its status (ok / skipped / error) and why."""
        if status not in (None, "ok", "skipped", "error"):
            raise UsageError(f"status: unknown value {status!r}; choose from ok, skipped, error")
        limit, offset = page
        with store() as s:
            rows = s.documents(status)
        return {"documents": rows[offset: offset + limit], "total": len(rows)}

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def page_documents(request: Request, status: str | None = None) -> HTMLResponse:
        data = api_documents(status or None, (MAX_PAGE, 0))
        return html(request, "documents.html", data=data, status=status)

    def document_data(doc_id: str) -> dict[str, Any]:
        with store() as s:
            doc = s.document(doc_id)
            if doc is None:
                raise HTTPException(404, "no such document")
            doc["events"] = [nested(r) for r in events_table(s, EventQuery(doc_id=doc_id, raw=True)).to_pylist()]
        doc.pop("content_hash", None)
        return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in doc.items()}

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    def api_document(doc_id: str) -> dict[str, Any]:
        """One document: status, metadata, text, events and actors."""
        return document_data(doc_id)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_document(request: Request, doc_id: str) -> HTMLResponse:
        return html(request, "document.html", doc=document_data(doc_id))

    # ---- downloads ----------------------------------------------------------------------

    @app.get("/download/events.{fmt}", tags=["downloads"])
    def download_events(fmt: str, filters: Annotated[Filters, Depends()]) -> Response:
        """The current events view in the export schema: csv, parquet, jsonl, acled or gdelt (CSV)."""
        if fmt not in {"csv", "parquet", "jsonl", "acled", "gdelt"}:
            raise HTTPException(404, "no such format")
        with store() as s:
            table = events_table(s, filters.query, limit=MAX_DOWNLOAD)
        return _download(table, fmt, f"events.{fmt if fmt in {'csv', 'parquet', 'jsonl'} else fmt + '.csv'}")

    @app.get("/download/arms.{fmt}", tags=["downloads"])
    def download_arms(fmt: str, filters: Annotated[Filters, Depends()]) -> Response:
        if fmt not in {"csv", "parquet"}:
            raise HTTPException(404, "no such format")
        table = arms_rows(filters)
        buf = io.BytesIO()
        if fmt == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, buf)
            media = "application/vnd.apache.parquet"
        else:
            import pyarrow.csv as pcsv

            pcsv.write_csv(table, buf)
            media = "text/csv; charset=utf-8"
        return Response(buf.getvalue(), media_type=media,
                         headers={"Content-Disposition": f'attachment; filename="arms.{fmt}"'})

    return app


def _download(table: pa.Table, fmt: str, filename: str) -> Response:
    if fmt == "parquet":
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".parquet") as tmp:
            with Writer("parquet", path=tmp.name) as w:
                w.write(table)
            body = Path(tmp.name).read_bytes()
        media = "application/vnd.apache.parquet"
    else:
        text = io.StringIO()
        with Writer(fmt, stream=text) as w:
            w.write(table)
        body = text.getvalue().encode("utf-8")
        media = "application/x-ndjson" if fmt == "jsonl" else "text/csv; charset=utf-8"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _is_code(value: str) -> bool:
    try:
        actor_code("dyad", value)
        return True
    except UsageError:
        return False
