"""Corrections made in the app: added, undone and imported through `Store.writing()`, so that the app's own
writes wait for its readers (DuckDB refuses a writable and a read-only connection to one file in one process)
and queue behind one another: two browsers editing at once lose nothing, the log being append-only. A store
held by another process (a `detente ingest`) makes the write wait `lock_wait` seconds, then `StoreBusy` (503).

The corrections' version (`corrections.version`, as the app's last write left it) is part of the store's
version, so a report cached before a correction is never shown after it; corrections written by another
process change the store's file, which the version also follows.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
from fastapi import HTTPException, Request

from ..store import corrections as corr
from .access import Store

NOT_ALLOWED = "editing needs the server to run with --allow-edit"


def allowed(request: Request) -> None:
    """403 unless the server may edit."""
    if not request.app.state.settings.allow_edit:
        raise HTTPException(403, NOT_ALLOWED)


@dataclass
class Fields:
    """What a form or the API asks for (see `corrections.request`); `events` by canonical id or
    `DOC:START:END[:TYPE]`, `entities` by canonical id."""

    kind: str
    events: list[str]
    entities: list[str]
    type: str | None = None
    date: str | None = None
    precision: str | None = None
    approximate: bool = False
    swap: bool = False
    actors: list[str] | None = None
    recipients: list[str] | None = None
    reason: str | None = None
    author: str | None = None


class Edits:
    """The app's writes of corrections, and the corrections' version it registers with the store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seen = 0  # corrections.version after the app's last write
        store.version_parts.append(lambda: self.seen)

    def _write(self, change) -> object:
        """`change(con)` on a writable connection; a correction that cannot be made is 404 (what it names is not
        in the store) or 400, with its reason."""
        with self.store.writing() as con:
            try:
                out = change(con)
            except corr.Unknown as exc:
                raise HTTPException(404, str(exc)) from None
            except corr.CorrectionError as exc:
                raise HTTPException(400, str(exc)) from None
            self.seen = corr.version(con)
            return out

    def add(self, f: Fields) -> corr.Status:
        def change(con: duckdb.DuckDBPyConnection) -> corr.Status:
            made = corr.request(con, f.kind, [corr.event_ref(con, e) for e in f.events], f.entities, type_=f.type,
                                date=f.date, precision=f.precision, approximate=f.approximate, swap=f.swap,
                                actors=f.actors, recipients=f.recipients, reason=f.reason, author=f.author)  # fmt: skip
            corr.append(con, [made])
            return status(con, made.id)

        return self._write(change)

    def undo(self, correction_id: str, reason: str | None = None, author: str | None = None) -> corr.Status:
        def change(con: duckdb.DuckDBPyConnection) -> corr.Status:
            if status(con, correction_id).status == "undone":
                raise HTTPException(409, f"correction {correction_id} is undone already")
            made = corr.make(con, "undo", {"correction": correction_id}, None, reason, author)
            corr.append(con, [made])
            return status(con, made.id)

        return self._write(change)

    def import_(self, corrections: list[corr.Correction]) -> int:
        """Add what is new in an export; how many were new."""
        return self._write(lambda con: len(corr.append(con, corrections)))


def status(con: duckdb.DuckDBPyConnection, correction_id: str) -> corr.Status:
    found = next((s for s in corr.statuses(con) if s.correction.id == correction_id), None)
    if found is None:
        raise corr.Unknown(f"no correction {correction_id} in the store")
    return found


def statuses(store: Store, only: str | None = None) -> list[corr.Status]:
    """Every correction with its status (those of status `only`, if given), oldest first."""
    with store.reading() as con:
        return [s for s in corr.statuses(con) if only is None or s.status == only]


def export(store: Store) -> str:
    with store.reading() as con:
        return corr.export_json(con)


def one(store: Store, correction_id: str) -> corr.Status:
    with store.reading() as con:
        try:
            return status(con, correction_id)
        except corr.Unknown as exc:
            raise HTTPException(404, str(exc)) from None


@dataclass
class Shown:
    """A correction as its page lists it: what it is about (each part with the document and offset to link to,
    when it is an event) and the change it makes, in words."""

    status: corr.Status
    about: list[tuple[str, str | None, int | None]]  # (label, document, start)
    change: str


def _key_name(key: dict) -> str:
    if "kb_id" in key:
        return key["kb_id"]
    return f"{key['name']} ({key['kind']}{', ' + key['country'] if key.get('country') else ''})"


def _sides(value: dict | None) -> str:
    if not value:
        return "?"
    return "; ".join(f"{side} {', '.join(_key_name(k) for k in value.get(side, [])) or 'none'}"
                     for side in ("actors", "recipients"))  # fmt: skip


def _change(c: corr.Correction) -> str:
    old, new = c.old if isinstance(c.old, dict) else {}, c.new or {}
    if c.kind == "retype":
        return f"type {old.get('type') or '?'} → {new['type']}"
    if c.kind == "redate":
        approximate = ", approximate" if new["approximate"] else ""
        return f"date {old.get('value') or 'none'} → {new['value']} ({new['precision']}{approximate})"
    if c.kind == "redirect":
        return f"{_sides(c.old if isinstance(c.old, dict) else None)} → {_sides(new)}"
    if c.kind == "undo":
        return "taken back"
    return {"reject": "taken out", "merge_entities": "joined into one", "merge_events": "joined into one"}[c.kind]


def _about(con: duckdb.DuckDBPyConnection, c: corr.Correction) -> list[tuple[str, str | None, int | None]]:
    if c.kind == "undo":
        return [(f"correction {c.target['correction']}", None, None)]
    if c.entities():
        named = c.old if isinstance(c.old, list) else []
        return [(f"{o['name']} ({o['kind']})" if isinstance(o, dict) and o.get("name") else _key_name(k), None, None)
                for k, o in zip(c.entities(), named + [None] * 2, strict=False)]  # fmt: skip
    out = []
    for keys in c.sources():
        first = keys[0]
        row = con.execute("SELECT title, substr(text, ? + 1, ? - ?) FROM documents WHERE id = ?",
                          [first["start"], first["end"], first["start"], first["doc"]]).fetchone()  # fmt: skip
        more = f" and {len(keys) - 1} more" if len(keys) > 1 else ""
        if row is None:
            out.append((f"{first['type'] or 'event'} in document {first['doc'][:12]} (not stored){more}", None, None))
        else:
            title = row[0] or first["doc"][:12]
            out.append((f"“{row[1]}” ({first['type'] or 'event'}) in {title}{more}", first["doc"], first["start"]))
    return out


def shown(store: Store, only: str | None = None) -> tuple[list[Shown], dict[str, int]]:
    """`listing`, each correction described for its page, the newest first."""
    with store.reading() as con:
        every = corr.statuses(con)
        rows = [Shown(s, _about(con, s.correction), _change(s.correction)) for s in reversed(every)
                if only is None or s.status == only]  # fmt: skip
    return rows, {s: sum(1 for x in every if x.status == s) for s in corr.STATUSES}


def mention(doc: str, start: int, end: int, extracted_type: str | None) -> str:
    """One document's event as `corrections.event_ref` reads it."""
    return f"{doc}:{start}:{end}" + (f":{extracted_type}" if extracted_type else "")


def spec(what: str, ref: str, label: str, type_: str | None = None, date: str | None = None,
         actors: list[str] = (), recipients: list[str] = ()) -> dict:  # fmt: skip
    """What the edit dialog of a page needs of a fact: an event or an entity, how the API names it, how to show
    it, and its present type, date and sides to start from."""
    return {"what": what, "ref": ref, "label": label, "type": type_, "date": date, "actors": list(actors),
            "recipients": list(recipients)}  # fmt: skip
