"""`detente corrections`: list, add, undo, export and import the analysts' corrections of the store."""

from __future__ import annotations

import argparse
import json
import sys

import duckdb

from ..schema import EVENT_TYPES, PRECISIONS
from ..store import DEFAULT_DB, StoreError
from ..store import corrections as corr
from ..store.schema import store_error
from ..textsafe import json_safe
from . import CommandError, one_line_failures
from .store_access import read_store


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    store = argparse.ArgumentParser(add_help=False)
    store.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"the store (default {DEFAULT_DB})")
    writes = argparse.ArgumentParser(add_help=False, parents=[store])
    writes.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                        help="how long to wait for another process writing the store (default 5)")  # fmt: skip
    ls = sub.add_parser("list", parents=[store], help="every correction with its status")
    ls.add_argument("--orphaned", action="store_true", help="only those whose fact no longer exists")
    ls.add_argument("--json", action="store_true", help="one JSON array")
    add = sub.add_parser("add", parents=[writes], help="correct a fact", description=(
        "Correct an event (by --event ID, or --mention DOC:START:END: a document id or its first 8+ characters and "
        "the trigger's span) or an entity (--entity ID)."))  # fmt: skip
    add.add_argument("kind", choices=[k for k in corr.KINDS if k != "undo"])
    add.add_argument("--event", action="append", default=[], metavar="ID", help="a canonical event (repeatable)")
    add.add_argument("--mention", action="append", default=[], metavar="DOC:START:END[:TYPE]",
                     help="one document's event by its trigger's span, and its type as extracted when two events "
                          "share the span (repeatable)")  # fmt: skip
    add.add_argument("--entity", action="append", default=[], metavar="ID", help="a canonical entity (repeatable)")
    add.add_argument("--type", choices=EVENT_TYPES, help="retype: the event's PLOVER type")
    add.add_argument("--date", metavar="VALUE", help="redate: YYYY-MM-DD, YYYY-MM, YYYY or YYYY/YYYY")
    add.add_argument("--precision", choices=PRECISIONS, help="redate: the date's precision (default: as written)")
    add.add_argument("--approximate", action="store_true", help="redate: the date is approximate")
    add.add_argument("--swap", action="store_true", help="redirect: swap actors and recipients")
    add.add_argument("--actors", metavar="IDS", help="redirect: the acting entities, comma-separated")
    add.add_argument("--recipients", metavar="IDS", help="redirect: the entities acted on, comma-separated")
    for action in (add, undo := sub.add_parser("undo", parents=[writes], help="undo a correction by its id")):
        action.add_argument("--reason", help="why (kept with the correction)")
        action.add_argument("--author", help="who (kept with the correction)")
    undo.add_argument("id", metavar="ID")
    export = sub.add_parser("export", parents=[store], help="write every correction to FILE as JSON (- for stdout)")
    export.add_argument("file", metavar="FILE")
    load = sub.add_parser("import", parents=[writes], help="add the corrections of an exported FILE (idempotent)")
    load.add_argument("file", metavar="FILE")


@one_line_failures("detente corrections")
def run(args: argparse.Namespace) -> int:
    try:
        return ACTIONS[args.action](args)
    except (corr.CorrectionError, StoreError) as exc:
        raise CommandError(str(exc)) from None
    except duckdb.Error as exc:
        raise CommandError(str(store_error(args.db, exc))) from None


def _list(args: argparse.Namespace) -> int:
    with read_store(args.db) as con:
        rows = [s for s in corr.statuses(con) if not args.orphaned or s.status == "orphaned"]
    if args.json:
        sys.stdout.write(json_safe(json.dumps([s.to_json() for s in rows], ensure_ascii=False, indent=1)) + "\n")
        return 0
    from .query import print_table

    print_table(["id", "kind", "status", "created_at", "target", "new", "reason", "why"],
                [(s.correction.id, s.correction.kind, s.status, s.correction.created_at[:19],
                  _short(s.correction.target), _short(s.correction.new), s.correction.reason, s.reason)
                 for s in rows])  # fmt: skip
    return 0


def _short(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False)[:120]


def _add(args: argparse.Namespace) -> int:
    with read_store(args.db) as con:
        for mention in args.mention:
            if not corr.MENTION.match(mention):
                raise CommandError(f"--mention {mention}: expected DOC:START:END[:TYPE] (a document id or its first "
                                   "8+ characters, the trigger's character span, its type)", 2)  # fmt: skip
        events = [corr.event_target(con, event=e)["event"] for e in args.event]
        events += [corr.event_ref(con, m) for m in args.mention]
        try:
            made = corr.request(con, args.kind, events, args.entity, type_=args.type, date=args.date,
                                precision=args.precision, approximate=args.approximate, swap=args.swap,
                                actors=_ids(args.actors), recipients=_ids(args.recipients), reason=args.reason,
                                author=args.author)  # fmt: skip
        except corr.Incomplete as exc:
            raise CommandError(str(exc), 2) from None
    corr.add(args.db, [made], args.wait)
    return _said(args.db, made.id)


def _ids(listed: str | None) -> list[str] | None:
    return None if listed is None else [e.strip() for e in listed.split(",") if e.strip()]


def _undo(args: argparse.Namespace) -> int:
    made = corr.undo(args.db, args.id, args.reason, args.author, args.wait)
    return _said(args.db, made.id)


def _said(db: str, cid: str) -> int:
    """Print the correction's id and its status."""
    with read_store(db) as con:
        status = next(s for s in corr.statuses(con) if s.correction.id == cid)
    print(f"{cid} {status.correction.kind} {status.status}" + (f": {status.reason}" if status.reason else ""))
    return 0


def _export(args: argparse.Namespace) -> int:
    with read_store(args.db) as con:
        text = corr.export_json(con) + "\n"
    if args.file == "-":
        sys.stdout.write(text)
        return 0
    try:
        with open(args.file, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise CommandError(f"{args.file}: cannot write ({exc.strerror})") from None
    return 0


def _import(args: argparse.Namespace) -> int:
    read = corr.read_file(args.file)
    added = corr.add(args.db, read, args.wait)
    print(f"{added} added, {len(read) - added} already in {args.db}", file=sys.stderr)
    return 0


ACTIONS = {"list": _list, "add": _add, "undo": _undo, "export": _export, "import": _import}
