"""The application factory: `create_app(Settings(...))` gives the FastAPI app that `detente serve` runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.requests import Request

from .. import __version__
from ..store import DEFAULT_DB
from ..store.schema import LOCK_WAIT_SECONDS
from .access import RETRY_AFTER, Store, StoreBusy, StoreUnavailable
from .articles import Articles
from .cache import ReportCache
from .edits import Edits
from .safety import Guard, error_response

STATIC = Path(__file__).parent / "static"
MAX_BODY = 2_000_000  # bytes: a long article as HTML, with room to spare
ENTITY_ENTRIES = 256  # entity views kept, beside the reports
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class Settings:
    db: str = DEFAULT_DB
    host: str = "127.0.0.1"
    port: int = 8000
    allow_ingest: bool = False  # the paste page may store what it extracted
    allow_edit: bool = False  # corrections may be made, undone and imported
    max_body: int = MAX_BODY
    lock_wait: float = LOCK_WAIT_SECONDS  # seconds a request waits for another process's write to end
    extra_hosts: frozenset[str] = field(default_factory=frozenset)

    @property
    def allowed_hosts(self) -> frozenset[str] | None:
        """Host names a request may address: loopback and the bound host; None (any) when bound to every
        interface, whose names the app cannot know."""
        if self.host in ("0.0.0.0", "::", ""):
            return None
        return LOOPBACK | {self.host.lower()} | self.extra_hosts


@asynccontextmanager
async def _closing_store(app: FastAPI) -> AsyncIterator[None]:
    """The store's idle read connections are closed when the server stops."""
    yield
    app.state.store.close()


def create_app(settings: Settings) -> FastAPI:
    from . import api, pages

    app = FastAPI(
        title="détente", version=__version__, docs_url=None, redoc_url=None, lifespan=_closing_store,
        description="The store of détente as JSON: the pairs of states, a pair's report, an entity, a document, "
                    "the extraction of a text, and the analysts' corrections. Read-only, except what the "
                    "server's flags allow.",
    )  # fmt: skip
    app.state.settings = settings
    app.state.store = Store(settings.db, settings.lock_wait)
    app.state.cache = ReportCache()
    app.state.entities = ReportCache(ENTITY_ENTRIES)
    app.state.articles = Articles()
    app.state.edits = Edits(app.state.store)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return error_response(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "body")
        return error_response(request, 422, f"{where}: {first.get('msg', 'invalid')}" if where else "invalid request")

    @app.exception_handler(StoreBusy)
    async def busy(request: Request, exc: StoreBusy):
        return error_response(request, 503, f"the store is busy: {exc}", {"Retry-After": str(RETRY_AFTER)})

    @app.exception_handler(StoreUnavailable)
    async def unavailable(request: Request, exc: StoreUnavailable):
        return error_response(request, 503, f"the store cannot be read: {exc}", {"Retry-After": str(RETRY_AFTER)})

    @app.exception_handler(Exception)
    async def failure(request: Request, exc: Exception):
        return error_response(request, 500, f"internal error ({type(exc).__name__}); the server's log has more")

    app.add_middleware(Guard, max_body=settings.max_body, allowed_hosts=settings.allowed_hosts)
    return app
