"""The JSON API: what the command line gives, over HTTP (`/api/…`; the schema at `/openapi.json`, read at
`/docs`). Nothing here runs SQL from the request or reads a file: every answer comes from the store or from the
posted text."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ..documents import parse_date
from ..report.model import DIRECTIONS, Pair, RoleSpan, to_json
from ..report.reading_model import PairRow
from ..schema import EVENT_TYPES, PRECISIONS
from ..store import corrections as corr
from . import edits, reads
from .articles import Unreadable
from .filters import PairFilters


class Error(BaseModel):
    error: str = Field(description="one line saying what went wrong")


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": Error, "description": why}
    for status, why in ((400, "bad parameter"), (403, "refused (a cross-site post, or a flag of the server)"),
                        (404, "unknown id or state"), (413, "body over the size limit"),
                        (409, "in conflict with the log (a correction undone already)"),
                        (422, "invalid parameter or body"), (503, "the store is busy or cannot be read"))
}  # fmt: skip
router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)

DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"


def filters(
    since: Annotated[str | None, Query(pattern=DATE, description="facts from this date on (YYYY[-MM[-DD]])")] = None,
    until: Annotated[str | None, Query(pattern=DATE, description="facts up to this date")] = None,
    type: Annotated[Literal[EVENT_TYPES] | None, Query(description="events of this PLOVER type")] = None,  # noqa: A002
    direction: Annotated[Literal[DIRECTIONS] | None, Query(description="events in this direction")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1, description="events at least this confident")] = None,
    source: Annotated[str | None, Query(max_length=200, description="facts from this outlet (host name)")] = None,
) -> PairFilters:
    """The pair's filters from the query (the same on the pair page)."""
    return reads.check_filters(PairFilters(since, until, type, direction, min_confidence, source or None))


class ExtractIn(BaseModel):
    text: str = Field(min_length=1, description="the article: plain text (optional metadata block) or HTML")
    published: str | None = Field(
        None, pattern=r"^[12]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
        description="YYYY-MM-DD: anchors relative dates when the text has none",
    )  # fmt: skip
    html: bool = Field(False, description="read `text` as an HTML page (its main text is extracted)")


class EntityOut(BaseModel):
    id: str
    kind: str | None
    name: str | None
    country: str | None
    kb_id: str | None
    type: str | None
    aliases: list[str] | None
    documents: int | None
    mentions: int | None


class EntityEvent(BaseModel):
    doc: str
    local_id: str
    event: str
    type: str | None
    subtype: str | None
    date: str | None
    relation: str | None
    trigger: str | None
    sentence: str | None
    negated: bool | None
    hypothetical: bool | None
    confidence: float | None
    title: str | None
    published: str | None


class EntityQuote(BaseModel):
    doc: str
    local_id: str
    text: str | None
    direct: bool | None
    cue: str | None
    start: int
    end: int
    title: str | None
    published: str | None


class CoActor(BaseModel):
    id: str
    name: str | None
    kind: str | None
    country: str | None
    events: int


class EntityPage(BaseModel):
    entity: EntityOut
    offices: list[RoleSpan]
    events: list[EntityEvent]
    quotes: list[EntityQuote]
    co_actors: list[CoActor]


class DocumentMeta(BaseModel):
    id: str
    source: str | None
    external_id: str | None
    title: str | None
    published: str | None
    length: int | None
    extractor_version: str | None
    sections: list[dict[str, Any]]


class DocumentOut(BaseModel):
    document: DocumentMeta
    text: str
    entities: list[dict[str, Any]]
    events: list[dict[str, Any]]
    quantities: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    dates: list[dict[str, Any]]


@router.get("/pairs", response_model=list[PairRow], summary="every pair of states, the most one-sided first")
def pairs(request: Request, top: Annotated[int, Query(ge=0, description="the first N (0: all)")] = 0):
    state = request.app.state
    rows = reads.overview(state.store, state.cache).pairs
    return to_json(rows[: top or None])


@router.get("/report/{a}/{b}", summary="the relationship report of two states (docs/report.md)")
def report(
    request: Request, pair: Annotated[Pair, Depends(reads.pair_of)], f: Annotated[PairFilters, Depends(filters)]
) -> dict[str, Any]:
    state = request.app.state
    _, narrowed = reads.pair_report(state.store, state.cache, pair, f)
    return to_json(narrowed)


@router.get("/entities/{entity_id}", response_model=EntityPage, summary="an entity: offices, events, quotes")
def entity(request: Request, entity_id: str):
    view = reads.entity_view(request.app.state.store, request.app.state.entities, entity_id)
    return EntityPage(entity=view.entity, offices=view.offices, events=view.events, quotes=view.quotes,
                      co_actors=view.co_actors)  # fmt: skip


@router.get("/documents/{doc_id}", response_model=DocumentOut, summary="a stored document with its records")
def document(request: Request, doc_id: str):
    return reads.document_view(request.app.state.store, doc_id)


@router.get("/search", summary="entities, documents and events whose names or words contain `q`")
def search(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> dict[str, list[dict[str, Any]]]:
    return reads.search(request.app.state.store, q)


@router.post("/extract", summary="extract a posted article, as `detente extract --with-text` (nothing stored)")
def extract(request: Request, body: ExtractIn) -> dict[str, Any]:
    published = None
    if body.published:
        published = parse_date(body.published)
        if published is None:
            raise HTTPException(400, f"published: {body.published[:40]!r} is not a YYYY-MM-DD date")
    articles = request.app.state.articles
    try:
        return articles.extract(articles.read(body.text.encode("utf-8"), published, body.html))
    except Unreadable as exc:
        raise HTTPException(400, str(exc)) from None


Ref = Annotated[str, Field(min_length=1, max_length=200)]
Words = Annotated[str, Field(max_length=1000)]


class CorrectionIn(BaseModel):
    kind: Literal[tuple(k for k in corr.KINDS if k != "undo")] = Field(description="what to do")
    events: list[Ref] = Field([], max_length=2, description="the event(s): a canonical id (`event:…`, as a report "
                              "gives it) or one document's event as DOC:START:END[:TYPE]; two to merge")  # fmt: skip
    entities: list[Ref] = Field([], max_length=2, description="the entity (or two to merge) by canonical id")
    type: Literal[EVENT_TYPES] | None = Field(None, description="retype: the PLOVER type")
    date: str | None = Field(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?|/\d{4})?$",
                             description="redate: YYYY-MM-DD, YYYY-MM, YYYY or YYYY/YYYY")  # fmt: skip
    precision: Literal[PRECISIONS] | None = Field(None, description="redate: the date's precision (default: as "
                                                  "written)")  # fmt: skip
    approximate: bool = Field(False, description="redate: the date is approximate")
    swap: bool = Field(False, description="redirect: swap actors and recipients")
    actors: list[Ref] | None = Field(None, max_length=20, description="redirect: the acting entities' ids")
    recipients: list[Ref] | None = Field(None, max_length=20, description="redirect: the ids of those acted on")
    reason: Words | None = Field(None, description="why (kept with the correction)")
    author: Words | None = Field(None, description="who (kept with the correction)")


class CorrectionOut(BaseModel):
    id: str
    kind: str
    target: dict[str, Any] = Field(description="what it corrects, by content (see `detente corrections`)")
    old: dict[str, Any] | list[Any] | None = Field(description="what the store showed when it was made")
    new: dict[str, Any] | None
    reason: str | None
    author: str | None
    created_at: str
    status: Literal[corr.STATUSES]
    status_reason: str | None = Field(description="why it does not simply apply (undone, superseded, orphaned)")


class UndoIn(BaseModel):
    reason: Words | None = None
    author: Words | None = None


class CorrectionsExport(BaseModel):
    format: Literal[corr.FORMAT]
    corrections: list[dict[str, Any]] = Field(max_length=100_000)


class Imported(BaseModel):
    added: int
    already: int


def _out(s: corr.Status) -> dict[str, Any]:
    return s.to_json()


@router.get("/corrections", response_model=list[CorrectionOut], summary="every correction with its status")
def corrections(
    request: Request,
    status: Annotated[Literal[corr.STATUSES] | None, Query(description="only those of this status")] = None,
):
    return [_out(s) for s in edits.statuses(request.app.state.store, status)]


@router.post("/corrections", response_model=CorrectionOut, status_code=201,
             summary="correct a fact (needs --allow-edit): reject, retype, redirect, redate, merge")  # fmt: skip
def add_correction(request: Request, body: CorrectionIn):
    edits.allowed(request)
    fields = edits.Fields(**body.model_dump())
    return _out(request.app.state.edits.add(fields))


@router.get("/corrections/export", response_model=CorrectionsExport,
            summary="the whole log as JSON, to import elsewhere")  # fmt: skip
def export_corrections(request: Request):
    return Response(edits.export(request.app.state.store), media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="corrections.json"'})  # fmt: skip


@router.post("/corrections/import", response_model=Imported,
             summary="add what is new in an export (needs --allow-edit; importing twice adds nothing)")  # fmt: skip
def import_corrections(request: Request, body: CorrectionsExport):
    edits.allowed(request)
    try:
        read = corr.from_export(body.model_dump(), "the posted export")
    except corr.CorrectionError as exc:
        raise HTTPException(400, str(exc)) from None
    added = request.app.state.edits.import_(read)
    return Imported(added=added, already=len(read) - added)


@router.get("/corrections/{correction_id}", response_model=CorrectionOut, summary="one correction with its status")
def correction(request: Request, correction_id: str):
    return _out(edits.one(request.app.state.store, correction_id))


@router.post("/corrections/{correction_id}/undo", response_model=CorrectionOut, status_code=201,
             summary="undo a correction (needs --allow-edit): the undo is added to the log")  # fmt: skip
def undo_correction(request: Request, correction_id: str, body: Annotated[UndoIn | None, Body()] = None):
    edits.allowed(request)
    body = body or UndoIn()
    return _out(request.app.state.edits.undo(correction_id, body.reason, body.author))
