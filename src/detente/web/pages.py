"""The pages: home, search, a pair's report with its filters, an actor, a document, the paste page, the API's
reference. Server-rendered with Jinja2 (autoescaped: every text from an article or the store is shown as
text), with the report's own template and script for the pair page."""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from ..documents import parse_date
from ..report.html import FILTERS, report_context
from ..report.html import TEMPLATES as REPORT_TEMPLATES
from ..report.model import DIRECTIONS, TimelineEvent
from ..report.takeaway import write_timeline
from ..schema import EVENT_TYPES
from ..store import corrections as corr
from ..store.ingest import text_hash
from . import edits, reads
from .articles import Unreadable
from .filters import PairFilters, outlets
from .highlight import LAYER_NAMES, LAYERS, annotate

TEMPLATES = Path(__file__).parent / "templates"
router = APIRouter(include_in_schema=False)


def actor_url(entity_id: str) -> str:
    return "/actors/" + quote(entity_id, safe=":")


def document_url(doc_id: str) -> str:
    return "/documents/" + quote(doc_id, safe="")


def pair_url(a: str, b: str, query: str = "") -> str:
    return f"/pairs/{quote(a, safe='')}/{quote(b, safe='')}" + (f"?{query}" if query else "")


def _link(kind: str, ident: str) -> str:
    return actor_url(ident) if kind == "actor" else document_url(ident)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(TEMPLATES), jinja2.FileSystemLoader(REPORT_TEMPLATES)]),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )  # fmt: skip
    env.filters.update(FILTERS)
    env.globals.update(actor_url=actor_url, document_url=document_url, pair_url=pair_url, layers=LAYERS,
                       layer_names=LAYER_NAMES, event_types=EVENT_TYPES, mention=edits.mention,
                       spec=edits.spec)  # fmt: skip
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    settings = request.app.state.settings
    page = environment().get_template(template).render(settings=settings, path=request.url.path, **context)
    return HTMLResponse(page, status_code=status)


def render_error(request: Request, status: int, title: str, reason: str) -> str:
    return (
        environment()
        .get_template("error.html.j2")
        .render(settings=request.app.state.settings, path=request.url.path, status=status, title=title, reason=reason)
    )


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    state = request.app.state
    return render(request, "home.html.j2", view=reads.overview(state.store, state.cache), db=state.settings.db)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = ""):
    return render(request, "search.html.j2", q=q[:200], found=reads.search(request.app.state.store, q[:200]))


def _query_filters(request: Request) -> PairFilters:
    """The pair page's filters from its query string; an empty field is no filter, a bad value a 400."""
    q = {k: v.strip() for k, v in request.query_params.items() if v.strip()}
    if q.get("type") not in (None, *EVENT_TYPES):
        raise HTTPException(400, f"type: {q['type'][:40]!r} is not a PLOVER event type")
    if q.get("direction") not in (None, *DIRECTIONS):
        raise HTTPException(400, f"direction: {q['direction'][:40]!r} is not one of {', '.join(DIRECTIONS)}")
    confidence = None
    if "min_confidence" in q:
        try:
            confidence = float(q["min_confidence"])
        except ValueError:
            confidence = -1.0
        if not 0 <= confidence <= 1:
            raise HTTPException(400, f"min_confidence: {q['min_confidence'][:40]!r} is not a number from 0 to 1")
    f = PairFilters(q.get("since"), q.get("until"), q.get("type"), q.get("direction"), confidence, q.get("source"))
    return reads.check_filters(f)


def _event_spec(ev: TimelineEvent) -> dict:
    label = f"{ev.type or 'event'} · {ev.summary}"
    return edits.spec("event", ev.id, label, ev.type, ev.date, [r.id for r in ev.actors],
                      [r.id for r in ev.recipients])  # fmt: skip


@router.get("/pairs/{a}/{b}", response_class=HTMLResponse)
def pair(request: Request, a: str, b: str):
    state = request.app.state
    resolved = reads.pair_of(a, b)
    f = _query_filters(request)
    version = state.store.version()

    def build() -> str:  # the page is kept as well as the report: rendering it costs more than reading it
        whole, report = reads.pair_report(state.store, state.cache, resolved, f)
        edit = _event_spec if state.settings.allow_edit else None
        return render(request, "pair.html.j2", f=f, outlets=outlets(whole), types=EVENT_TYPES,
                      directions=DIRECTIONS, **report_context(report, _link, edit)).body.decode("utf-8")  # fmt: skip

    return HTMLResponse(state.cache.get(("page", resolved.a.code, resolved.b.code, f), version, build))


@router.get("/pairs/{a}/{b}/timeline.csv")
def pair_timeline_csv(request: Request, a: str, b: str):
    """The timeline of the pair page's view, as `detente report --csv` writes `timeline.csv`."""
    state = request.app.state
    resolved = reads.pair_of(a, b)
    _, report = reads.pair_report(state.store, state.cache, resolved, _query_filters(request))
    out = io.StringIO()
    write_timeline(report, out)
    name = f"{resolved.a.code}-{resolved.b.code}-timeline.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/actors/{entity_id}", response_class=HTMLResponse)
def actor(request: Request, entity_id: str):
    return render(
        request, "actor.html.j2", v=reads.entity_view(request.app.state.store, request.app.state.entities, entity_id)
    )


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document(request: Request, doc_id: str):
    doc = reads.document_view(request.app.state.store, doc_id)
    a = annotate(doc, doc["text"], editable=request.app.state.settings.allow_edit)
    return render(request, "document.html.j2", doc=doc, meta=doc["document"], a=a)


@router.get("/corrections", response_class=HTMLResponse)
def corrections(request: Request, status: str = "", imported: int | None = None, already: int | None = None):
    if status and status not in corr.STATUSES:
        raise HTTPException(400, f"status: {status[:40]!r} is not one of {', '.join(corr.STATUSES)}")
    rows, counts = edits.shown(request.app.state.store, status or None)
    return render(request, "corrections.html.j2", rows=rows, counts=counts, only=status, imported=imported,
                  already=already)  # fmt: skip


@router.post("/corrections/{correction_id}/undo")
async def undo(request: Request, correction_id: str):
    edits.allowed(request)
    form = await request.form()
    reason = str(form.get("reason") or "").strip()[:1000] or None
    await run_in_threadpool(request.app.state.edits.undo, correction_id, reason)
    return RedirectResponse(f"/corrections#{quote(correction_id, safe='')}", status_code=303)


@router.post("/corrections/import")
async def import_corrections(request: Request):
    edits.allowed(request)
    form = await request.form(max_part_size=request.app.state.settings.max_body)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise HTTPException(400, "choose a file of corrections (an export) to import")
    try:
        read = corr.parse(await upload.read(), upload.filename)
    except corr.CorrectionError as exc:
        raise HTTPException(400, str(exc)) from None
    added = await run_in_threadpool(request.app.state.edits.import_, read)
    return RedirectResponse(f"/corrections?imported={added}&already={len(read) - added}", status_code=303)


@router.get("/paste", response_class=HTMLResponse)
def paste_form(request: Request):
    return render(request, "paste.html.j2", form={"text": "", "published": "", "format": "auto"}, doc=None)


async def _article(request: Request) -> tuple[dict, Any]:
    """The posted form (text or file, publication date, format) and the article read from it."""
    settings = request.app.state.settings
    form = await request.form(max_part_size=settings.max_body)
    upload = form.get("file")
    text = str(form.get("text") or "")
    name = ""
    if isinstance(upload, UploadFile) and upload.filename:
        data, name = await upload.read(), upload.filename
    else:
        data = text.encode("utf-8")
    fields = {"text": text, "published": str(form.get("published") or "").strip(),
              "format": str(form.get("format") or "auto")}  # fmt: skip
    published: dt.date | None = None
    if fields["published"]:
        published = parse_date(fields["published"])
        if published is None:
            raise HTTPException(400, f"published: {fields['published'][:40]!r} is not a YYYY-MM-DD date")
    opening = data.lstrip()[:15].lower()
    looks_html = name.lower().endswith((".html", ".htm")) or opening.startswith((b"<!doctype", b"<html"))
    html = fields["format"] == "html" or (fields["format"] == "auto" and looks_html)
    if not data.strip():
        raise HTTPException(400, "paste a text or choose a file: nothing was posted")
    try:
        document = request.app.state.articles.read(data, published, html)
    except Unreadable as exc:
        raise HTTPException(400, str(exc)) from None
    if not text:
        fields["text"] = document.text
    fields["format"] = "html" if html else "text"
    return fields, document


@router.post("/paste", response_class=HTMLResponse)
async def paste(request: Request):
    fields, document = await _article(request)
    doc = await run_in_threadpool(request.app.state.articles.extract, document)
    return render(request, "paste.html.j2", form=fields, doc=doc, a=annotate(doc, doc["document"]["text"]))


@router.post("/paste/store", response_class=HTMLResponse)
async def paste_store(request: Request):
    state = request.app.state
    if not state.settings.allow_ingest:
        raise HTTPException(403, "storing an article needs the server to run with --allow-ingest")
    _, document = await _article(request)
    counts = await run_in_threadpool(state.articles.store, state.store, document)
    state.cache.clear()
    state.entities.clear()
    return render(request, "stored.html.j2", counts=counts, doc_id=text_hash(document.text))


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request):
    return render(request, "docs.html.j2", schema=request.app.openapi())


@router.get("/assets/report.{kind}")
def report_asset(kind: str):
    if kind not in ("css", "js"):
        raise HTTPException(404, f"no asset report.{kind[:20]}")
    media = "text/css" if kind == "css" else "text/javascript"
    return FileResponse(REPORT_TEMPLATES / f"report.{kind}", media_type=media)
