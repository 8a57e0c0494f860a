"""`detente serve`: the store in a browser and as a JSON API, on the loopback address unless told otherwise."""

from __future__ import annotations

import argparse
import sys

from ..store import DEFAULT_DB
from . import CommandError, one_line_failures
from .store_access import read_store


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"the store (default {DEFAULT_DB})")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--allow-ingest", action="store_true", help="let the paste page store articles in the store")
    p.add_argument("--allow-edit", action="store_true", help="let the pages record corrections")


@one_line_failures("detente serve")
def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from ..web.app import Settings, create_app
    except ImportError as exc:
        raise CommandError(f"the web app needs the `web` extra ({exc.name} is missing): "
                           "pip install -e '.[web]'") from None  # fmt: skip
    if not 0 < args.port < 65536:
        raise CommandError(f"--port {args.port} is not a port number (1-65535)", 2)
    with read_store(args.db):  # a missing or unreadable store is said now, in one line, not on the first page
        pass
    settings = Settings(db=args.db, host=args.host, port=args.port, allow_ingest=args.allow_ingest,
                        allow_edit=args.allow_edit)  # fmt: skip
    where = "every interface" if args.host in ("0.0.0.0", "::") else args.host
    print(
        f"detente serve: {args.db} on http://{args.host}:{args.port}/ ({where}; "
        f"{'may store pasted articles' if args.allow_ingest else 'read-only'}); Ctrl-C stops",
        file=sys.stderr,
    )
    try:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")
    except (OSError, SystemExit) as exc:
        raise CommandError(f"cannot listen on {args.host}:{args.port} ({exc})") from None
    return 0
