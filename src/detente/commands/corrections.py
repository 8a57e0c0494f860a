"""`detente corrections`: list, add, undo, export and import the analysts' corrections of the store."""

from __future__ import annotations

import argparse
import json
import re
import sys

import duckdb

from ..schema import EVENT_TYPES, PRECISIONS
from ..store import DEFAULT_DB, StoreError
from ..store import corrections as corr
from ..store.schema import store_error
from ..textsafe import json_safe
from . import CommandError, one_line_failures
from .store_access import read_store

MENTION = re.compile(r"^([0-9a-f]{8,64}):(\d+):(\d+)(?::(\w+))?$")


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
        target = _target(con, args)
        made = corr.make(con, args.kind, target, _new(con, args, target), args.reason, args.author)
    corr.add(args.db, [made], args.wait)
    return _said(args.db, made.id)


def _target(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> dict:
    events = [corr.event_target(con, event=e)["event"] for e in args.event]
    for mention in args.mention:
        m = MENTION.match(mention)
        if not m:
            raise CommandError(f"--mention {mention}: expected DOC:START:END[:TYPE] (a document id or its first 8+ "
                               "characters, the trigger's character span, its type)", 2)  # fmt: skip
        events.append(corr.event_target(con, doc=m[1], start=int(m[2]), end=int(m[3]), type_=m[4])["event"])
    entities = [corr.entity_key(con, e) for e in args.entity]
    wanted = {"merge_entities": (0, 2), "merge_events": (2, 0)}.get(args.kind, (1, 0) if events else (0, 1))
    if (len(events), len(entities)) != wanted or (args.kind in corr.EVENT_KINDS and not events):
        raise CommandError(f"{args.kind} needs " + {(0, 2): "two --entity", (2, 0): "two events (--event or --mention)",
                                                    (1, 0): "one event (--event or --mention)",
                                                    (0, 1): "one event or one --entity"}[wanted], 2)  # fmt: skip
    if args.kind == "merge_entities":
        return {"entities": entities}
    if args.kind == "merge_events":
        return {"events": events}
    return {"event": events[0]} if events else {"entity": entities[0]}


def _new(con: duckdb.DuckDBPyConnection, args: argparse.Namespace, target: dict) -> dict | None:
    if args.kind == "retype":
        if not args.type:
            raise CommandError("retype needs --type", 2)
        return {"type": args.type}
    if args.kind == "redate":
        if not args.date:
            raise CommandError("redate needs --date", 2)
        precision = args.precision or next((p for p, form in corr.DATE.items() if re.fullmatch(form, args.date)), None)
        return {"value": args.date, "precision": precision, "approximate": args.approximate}
    if args.kind == "redirect":
        if args.swap == bool(args.actors or args.recipients):
            raise CommandError("redirect needs --swap, or --actors and/or --recipients", 2)
        if args.swap:
            old = corr.old_value(con, "redirect", target)
            return {"actors": old["recipients"], "recipients": old["actors"]}
        return {side: [corr.entity_key(con, e.strip()) for e in (getattr(args, side) or "").split(",") if e.strip()]
                for side in ("actors", "recipients")}  # fmt: skip
    return None


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
