"""Corrections: an analyst's word that a stored fact is wrong, kept as data and applied by every merge.

A correction is one row of the store's append-only `corrections` table (id,
kind, target, old, new, reason, created_at, author); rows are never changed or
deleted: an undo is a row of its own. The id is a hash of the row's content,
so the same correction exported and imported twice is stored once. Targets
are keys of content, not row ids, so that a correction outlives re-ingest and
a new extractor version; the merge (`merge.py`, with `corrected.py`) applies
them and records in `correction_status` whether each still applies or is
orphaned (its fact no longer exists), and why.

Kinds, with their `target` and `new`:

- `reject`: `{"event": [source keys]}` or `{"entity": entity key}`; new null
- `retype`: `{"event": […]}`; new `{"type": "ACCUSE"}` (a PLOVER type)
- `redirect`: `{"event": […]}`; new `{"actors": [entity keys], "recipients": [entity keys]}`
- `redate`: `{"event": […]}`; new `{"value": "2024-04", "precision": "month", "approximate": false}`
- `merge_entities`: `{"entities": [key, key]}` (the second joins the first); new null
- `merge_events`: `{"events": [[source keys], [source keys]]}`; new null
- `undo`: `{"correction": id}`; new null

A source key is one document's mention of an event: `{"doc": text hash,
"start", "end": the trigger's span, "type": its type as extracted (else its
subtype)}`; a canonical event is targeted by the keys of all its sources. An
entity key is `{"kb_id": …}` for a state or a knowledge-base entry, else
`{"kind", "name": folded name, "country"}`.

The library API for a front end:

- `make(con, kind, target, new, reason, author)`: a checked `Correction`, its old value read from the store;
  `event_target(con, event=…)` or `event_target(con, doc=…, start=…, end=…)` and `entity_target(con, id)`
  build targets from what the store shows; `event_ref(con, "event:…" or "DOC:START:END[:TYPE]")` the same.
- `request(con, kind, events, entities, type_=…, date=…, swap=…, …)`: the same from what a form or a command
  line gives (event targets, entity ids, the new value's parts).
- `add(db, corrections)`, `undo(db, id)`: append and re-merge in one write transaction (one writer at a time:
  threads of this process queue on a lock, other processes wait for the store's lock up to `lock_wait`);
  `append(con, corrections)` does it on a writable connection the caller holds.
- `statuses(con)`: every correction with its status; `version(con)`: a number that changes with every
  correction added or undone (to invalidate a cache of reports).
- `export_json(con)`, `import_file(db, path)`: the log as JSON to share; importing adds only what is new
  (`parse(data, name)`, `from_export(json, name)`: the corrections of an export without a file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from dataclasses import asdict, dataclass, field

import duckdb

from ..kb import fold
from ..schema import EVENT_TYPES, PRECISIONS
from .schema import connect

KINDS = ("reject", "retype", "redirect", "redate", "merge_entities", "merge_events", "undo")
STATUSES = ("applied", "orphaned", "undone", "superseded")
EVENT_KINDS = ("retype", "redirect", "redate")
FORMAT = "detente-corrections/1"
DATE = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}", "decade": r"\d{4}/\d{4}"}


class CorrectionError(ValueError):
    """A correction that cannot be made or read: the one-line reason."""


class Unknown(CorrectionError):
    """What a correction names (an event, an entity, a document, a correction) is not in the store."""


class Incomplete(CorrectionError):
    """A correction asked for without what its kind needs (two events to merge, a type to retype to)."""


@dataclass(frozen=True)
class Correction:
    """One row of the corrections log; `id` is derived from the rest when not given."""

    kind: str
    target: dict
    new: dict | None = None
    old: dict | list | None = None
    reason: str | None = None
    author: str | None = None
    created_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"))
    id: str = ""

    def __post_init__(self) -> None:
        check(self)
        if not self.id:
            object.__setattr__(self, "id", self.content_id())
        elif self.id != self.content_id():
            raise CorrectionError(f"correction {self.id}: its id does not match its content")

    def content_id(self) -> str:
        content = {k: v for k, v in asdict(self).items() if k != "id"}
        return "c" + hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:15]

    def to_json(self) -> dict:
        return {"id": self.id, **{k: v for k, v in asdict(self).items() if k != "id"}}

    def sources(self) -> list[list[dict]]:
        """The groups of source keys the correction is about (one group, or two for `merge_events`)."""
        if "event" in self.target:
            return [self.target["event"]]
        return list(self.target.get("events", ()))

    def entities(self) -> list[dict]:
        if "entity" in self.target:
            return [self.target["entity"]]
        return list(self.target.get("entities", ()))


@dataclass(frozen=True)
class Status:
    """Whether a correction still applies: `applied`, `orphaned` (its fact is gone), `undone` or `superseded`
    (a later correction decides the same thing); `reason` says why whenever it does not simply apply."""

    correction: Correction
    status: str
    reason: str | None = None

    def to_json(self) -> dict:
        return {**self.correction.to_json(), "status": self.status, "status_reason": self.reason}


# --- checking ------------------------------------------------------------------------------------------------


def _source_key(key) -> bool:
    return (isinstance(key, dict) and set(key) == {"doc", "start", "end", "type"} and isinstance(key["doc"], str)
            and all(isinstance(key[k], int) and not isinstance(key[k], bool) for k in ("start", "end"))
            and (key["type"] is None or isinstance(key["type"], str)))  # fmt: skip


def _sources(value) -> bool:
    return isinstance(value, list) and bool(value) and all(_source_key(k) for k in value)


def _entity_key(key) -> bool:
    if not isinstance(key, dict):
        return False
    if set(key) == {"kb_id"}:
        return isinstance(key["kb_id"], str)
    return set(key) == {"kind", "name", "country"} and isinstance(key["kind"], str) and isinstance(key["name"], str)


def _pair(value, item) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(item(v) for v in value)


def check(c: Correction) -> None:
    """Raise `CorrectionError` unless the correction's target and new value have the shape its kind needs."""
    t, new = c.target, c.new
    if c.kind not in KINDS:
        raise CorrectionError(f"unknown kind {c.kind!r} (one of {', '.join(KINDS)})")
    if not isinstance(t, dict) or len(t) != 1:
        raise CorrectionError(f"{c.kind}: the target must be an object with one key")
    shapes = {"reject": ("event" in t and _sources(t["event"])) or ("entity" in t and _entity_key(t["entity"])),
              "merge_entities": "entities" in t and _pair(t["entities"], _entity_key),
              "merge_events": "events" in t and _pair(t["events"], _sources),
              "undo": "correction" in t and isinstance(t["correction"], str)}  # fmt: skip
    if not shapes.get(c.kind, "event" in t and _sources(t["event"])):
        raise CorrectionError(f"{c.kind}: not a target of this kind: {json.dumps(t)[:200]}")
    if c.kind not in EVENT_KINDS:
        if new is not None:
            raise CorrectionError(f"{c.kind}: takes no new value")
        return
    if not isinstance(new, dict):
        raise CorrectionError(f"{c.kind}: the new value must be an object")
    if c.kind == "retype" and (set(new) != {"type"} or new["type"] not in EVENT_TYPES):
        raise CorrectionError(f"retype: the new type must be one of {', '.join(EVENT_TYPES)}")
    if c.kind == "redirect" and (set(new) != {"actors", "recipients"}
                                 or not all(isinstance(new[s], list) and all(_entity_key(k) for k in new[s])
                                            for s in ("actors", "recipients"))
                                 or not new["actors"] + new["recipients"]):  # fmt: skip
        raise CorrectionError("redirect: the new value needs actors and recipients (entity keys), not both empty")
    if c.kind == "redate":
        precision = new.get("precision")
        if (set(new) != {"value", "precision", "approximate"} or precision not in PRECISIONS
                or not isinstance(new["value"], str) or not re.fullmatch(DATE[precision], new["value"])
                or not isinstance(new["approximate"], bool)):  # fmt: skip
            raise CorrectionError("redate: the new date needs a value written as its precision says "
                                  "(day YYYY-MM-DD, month YYYY-MM, year YYYY, decade YYYY/YYYY)")  # fmt: skip
        _real_date(new["value"])


def _real_date(value: str) -> None:
    parts = value.split("/")[0].split("-")
    try:
        dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        raise CorrectionError(f"redate: {value} is not a real date") from None


# --- targets and old values, from what the store shows ---------------------------------------------------------


def event_target(con: duckdb.DuckDBPyConnection, event: str | None = None, doc: str | None = None,
                 start: int | None = None, end: int | None = None, type_: str | None = None) -> dict:  # fmt: skip
    """The target of an event: a canonical event id (all its sources), or a document (its id or a unique prefix
    of 8 or more characters) and its trigger's span, with its type as extracted when two events share the span."""
    if event is not None:
        where, params, what = "event = ?", [event], f"no event {event} in the store"
    else:
        doc = document_id(con, doc or "")
        where, params = "doc = ? AND trigger_start = ? AND trigger_end = ?", [doc, start, end]
        what = f"no event with its trigger at characters {start}-{end} of document {doc[:12]}"
    rows = con.execute(
        f"SELECT doc, trigger_start, trigger_end, coalesce(type, subtype) FROM event_sources WHERE {where} "
        "ORDER BY doc, trigger_start, trigger_end",
        params,
    ).fetchall()
    if type_ is not None:
        rows = [r for r in rows if r[3] == type_]
    if not rows:
        raise Unknown(what + (f" typed {type_}" if type_ else ""))
    if event is None and len(rows) > 1:
        raise CorrectionError(f"{len(rows)} events share that trigger ({', '.join(str(r[3]) for r in rows)}): "
                              "say which by its type")  # fmt: skip
    return {"event": [{"doc": d, "start": s, "end": e, "type": t} for d, s, e, t in rows]}


MENTION = re.compile(r"^([0-9a-f]{8,64}):(\d{1,9}):(\d{1,9})(?::(\w+))?$")


def event_ref(con: duckdb.DuckDBPyConnection, ref: str) -> list[dict]:
    """The source keys of an event named by its canonical id, or as one document's event `DOC:START:END[:TYPE]`
    (a document id or its first 8+ characters, the trigger's span, its type as extracted)."""
    m = MENTION.match(ref)
    if m is None:
        return event_target(con, event=ref)["event"]
    return event_target(con, doc=m[1], start=int(m[2]), end=int(m[3]), type_=m[4])["event"]


def document_id(con: duckdb.DuckDBPyConnection, prefix: str) -> str:
    """The stored document whose id is `prefix` or starts with it (8 characters at least, one document)."""
    if len(prefix) < 8:
        raise CorrectionError(f"document {prefix!r}: give its id or at least its first 8 characters")
    rows = con.execute("SELECT id FROM documents WHERE starts_with(id, ?) LIMIT 2", [prefix]).fetchall()
    if len(rows) != 1:
        if not rows:
            raise Unknown(f"document {prefix}: no such document")
        raise CorrectionError(f"document {prefix}: prefix not unique")
    return rows[0][0]


def entity_key(con: duckdb.DuckDBPyConnection, entity: str) -> dict:
    """The key of a canonical entity: its knowledge-base id (a state's id), else kind, folded name and country."""
    row = con.execute("SELECT id, kind, name, country, kb_id FROM entities WHERE id = ?", [entity]).fetchone()
    if row is None:
        raise Unknown(f"no entity {entity} in the store")
    eid, kind, name, country, kb_id = row
    if kind == "state" or kb_id:
        return {"kb_id": kb_id or eid}
    return {"kind": kind, "name": fold(name), "country": country}


def entity_target(con: duckdb.DuckDBPyConnection, entity: str) -> dict:
    return {"entity": entity_key(con, entity)}


def _event_now(con: duckdb.DuckDBPyConnection, key: dict) -> tuple | None:
    """(doc, local_id, type, date value, precision, approximate, trigger text) of a source key, as corrected."""
    return con.execute(
        "SELECT f.doc, f.local_id, f.type, f.date_value, f.date_precision, coalesce(f.date_approximate, false), "
        "f.trigger_text FROM event_sources s JOIN event_facts f ON f.doc = s.doc AND f.local_id = s.local_id "
        "WHERE s.doc = ? AND s.trigger_start = ? AND s.trigger_end = ? "
        "AND coalesce(s.type, s.subtype) IS NOT DISTINCT FROM ?",
        [key["doc"], key["start"], key["end"], key["type"]],
    ).fetchone()


def _sides_now(con: duckdb.DuckDBPyConnection, doc: str, local_id: str) -> dict:
    rows = con.execute(
        "SELECT l.relation, l.entity FROM record_links l WHERE l.doc = ? AND l.record_type = 'event' "
        "AND l.record = ? AND l.relation IN ('actor', 'recipient') ORDER BY l.relation, l.position",
        [doc, local_id],
    ).fetchall()
    sides: dict[str, list] = {"actors": [], "recipients": []}
    for relation, entity in rows:
        try:
            sides[relation + "s"].append(entity_key(con, entity))
        except CorrectionError:  # a store not merged since: the document's own id stands
            sides[relation + "s"].append({"kb_id": entity})
    return sides


def old_value(con: duckdb.DuckDBPyConnection, kind: str, target: dict) -> dict | list | None:
    """What the store shows now of the target, as the correction's old value."""
    if kind == "undo":
        row = con.execute("SELECT kind FROM corrections WHERE id = ?", [target["correction"]]).fetchone()
        if row is None:
            raise Unknown(f"no correction {target['correction']} to undo")
        return {"kind": row[0]}
    if kind in ("reject", "merge_entities") and "event" not in target:
        keys = [target["entity"]] if "entity" in target else target["entities"]
        return [_entity_now(con, k) for k in keys]
    groups = [target["event"]] if "event" in target else target["events"]
    now = [_event_now(con, g[0]) for g in groups]
    if any(n is None for n in now):
        raise CorrectionError("that event is not in the store as corrected (rejected already?)")
    doc, local_id, type_, value, precision, approximate, trigger = now[0]
    if kind == "retype":
        return {"type": type_}
    if kind == "redate":
        return {"value": value, "precision": precision, "approximate": approximate}
    if kind == "redirect":
        return _sides_now(con, doc, local_id)
    return [{"type": n[2], "trigger": n[6]} for n in now]


def _entity_now(con: duckdb.DuckDBPyConnection, key: dict) -> dict:
    row = con.execute(
        "SELECT id, name, kind, country FROM entities WHERE id = ? OR kb_id = ? LIMIT 1",
        [key.get("kb_id"), key.get("kb_id")],
    ).fetchone() if "kb_id" in key else None  # fmt: skip
    if row is None:
        return dict(key)
    return {"id": row[0], "name": row[1], "kind": row[2], "country": row[3]}


def make(con: duckdb.DuckDBPyConnection, kind: str, target: dict, new: dict | None = None,
         reason: str | None = None, author: str | None = None) -> Correction:  # fmt: skip
    """A correction of what the store behind `con` shows now, its old value read from it."""
    Correction(kind, target, new)  # the shape first, so that reading the old value can trust it
    return Correction(kind, target, new, old_value(con, kind, target), reason or None, author or None)


NEEDS = {"merge_entities": (0, 2), "merge_events": (2, 0)}
SAY_NEEDS = {(0, 2): "two entities", (2, 0): "two events", (1, 0): "one event", (0, 1): "one event or one entity"}


def request(con: duckdb.DuckDBPyConnection, kind: str, events: list[list[dict]] = (), entities: list[str] = (), *,
            type_: str | None = None, date: str | None = None, precision: str | None = None,
            approximate: bool = False, swap: bool = False, actors: list[str] | None = None,
            recipients: list[str] | None = None, reason: str | None = None,
            author: str | None = None) -> Correction:  # fmt: skip
    """A correction as a front end asks for it: the events it is about (each as `event_target` gives its source
    keys), the entities (canonical ids), and the parts of the new value its kind takes; `Incomplete` names what
    is missing."""
    if kind not in KINDS or kind == "undo":
        raise CorrectionError(f"unknown kind {kind!r} (one of {', '.join(k for k in KINDS if k != 'undo')})")
    keys = [entity_key(con, e) for e in entities]
    wanted = NEEDS.get(kind, (1, 0) if events else (0, 1))
    if (len(events), len(keys)) != wanted or (kind in EVENT_KINDS and not events):
        raise Incomplete(f"{kind} needs {SAY_NEEDS[(1, 0) if kind in EVENT_KINDS else wanted]}")
    if kind == "merge_entities":
        target = {"entities": keys}
    elif kind == "merge_events":
        target = {"events": list(events)}
    else:
        target = {"event": events[0]} if events else {"entity": keys[0]}
    new = None
    if kind == "retype":
        if not type_:
            raise Incomplete("retype needs a type")
        new = {"type": type_}
    elif kind == "redate":
        if not date:
            raise Incomplete("redate needs a date")
        precision = precision or next((p for p, form in DATE.items() if re.fullmatch(form, date)), None)
        new = {"value": date, "precision": precision, "approximate": approximate}
    elif kind == "redirect":
        if swap == (actors is not None or recipients is not None):
            raise Incomplete("redirect needs a swap, or the actors and/or the recipients")
        if swap:
            old = old_value(con, "redirect", target)
            new = {"actors": old["recipients"], "recipients": old["actors"]}
        else:
            new = {"actors": [entity_key(con, e) for e in actors or ()],
                   "recipients": [entity_key(con, e) for e in recipients or ()]}  # fmt: skip
    return make(con, kind, target, new, reason, author)


# --- reading and writing the log ---------------------------------------------------------------------------------

COLUMNS = "id, kind, target, old, new, reason, created_at, author"


def _from_row(row: tuple) -> Correction:
    cid, kind, target, old, new, reason, created_at, author = row
    return Correction(kind, json.loads(target), json.loads(new) if new else None, json.loads(old) if old else None,
                      reason, author, created_at, cid)  # fmt: skip


def read_all(con: duckdb.DuckDBPyConnection) -> list[Correction]:
    """Every correction, oldest first: the order they are applied in."""
    rows = con.execute(f"SELECT {COLUMNS} FROM corrections ORDER BY created_at, id").fetchall()
    return [_from_row(r) for r in rows]


def rows_of(corrections: list[Correction]) -> list[tuple]:
    def js(v) -> str | None:
        return None if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True)

    return [(c.id, c.kind, js(c.target), js(c.old), js(c.new), c.reason, c.created_at, c.author) for c in corrections]


def statuses(con: duckdb.DuckDBPyConnection) -> list[Status]:
    """Every correction with its status as of the last merge, oldest first."""
    rows = con.execute(
        f"SELECT {', '.join('c.' + col for col in COLUMNS.split(', '))}, s.status, s.reason FROM corrections c "
        "LEFT JOIN correction_status s ON s.correction = c.id ORDER BY c.created_at, c.id"
    ).fetchall()
    return [Status(_from_row(r[:8]), r[8] or "orphaned", r[9] if r[8] else "not merged yet") for r in rows]


def version(con: duckdb.DuckDBPyConnection) -> int:
    """How many corrections the log holds: it only grows, so any change to what applies changes it."""
    return con.execute("SELECT count(*) FROM corrections").fetchone()[0]


_WRITING = threading.Lock()  # one writer per process; other processes wait for the store's own lock


def append(con: duckdb.DuckDBPyConnection, corrections: list[Correction]) -> list[Correction]:
    """Append the corrections not yet in the store behind the writable `con` and re-merge, in one transaction;
    those that were new."""
    from .merge import merge

    ids = [c.id for c in corrections]
    known = {r[0] for r in con.execute("SELECT id FROM corrections WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                                       [ids]).fetchall()}  # fmt: skip
    new = list({c.id: c for c in corrections if c.id not in known}.values())
    if new:
        merge(con, corrections=new)
    return new


def add(db: str, corrections: list[Correction], lock_wait: float | None = None) -> int:
    """Append the corrections not yet in the store at `db` and re-merge, in one write transaction; how many
    were new."""
    with _WRITING:
        con = connect(db, lock_wait=lock_wait)
        try:
            return len(append(con, corrections))
        finally:
            con.close()


def undo(db: str, correction_id: str, reason: str | None = None, author: str | None = None,
         lock_wait: float | None = None) -> Correction:  # fmt: skip
    """Append the undoing of correction `correction_id` and re-merge; the undo."""
    con = connect(db, read_only=True)
    try:
        made = make(con, "undo", {"correction": correction_id}, None, reason, author)
    finally:
        con.close()
    add(db, [made], lock_wait)
    return made


def export_json(con: duckdb.DuckDBPyConnection) -> str:
    """The whole log as one JSON document, for `import_file` elsewhere."""
    return json.dumps({"format": FORMAT, "corrections": [c.to_json() for c in read_all(con)]}, ensure_ascii=False,
                      indent=1)  # fmt: skip


def read_file(path: str) -> list[Correction]:
    """The corrections of an exported file; `CorrectionError` naming the file and what is wrong."""
    try:
        with open(path, "rb") as fh:
            return parse(fh.read(), path)
    except OSError as exc:
        raise CorrectionError(f"{path}: cannot be read ({exc.strerror})") from None


def parse(data: bytes, name: str) -> list[Correction]:
    """The corrections of an export read as `data`; `CorrectionError` naming `name` and what is wrong."""
    try:
        exported = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise CorrectionError(f"{name}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise CorrectionError(f"{name}: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    return from_export(exported, name)


def from_export(data: object, name: str) -> list[Correction]:
    """The corrections of an export already read as JSON."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("corrections"), list):
        raise CorrectionError(f"{name}: not an export of corrections (an object with \"format\": \"{FORMAT}\" "
                              "and a list \"corrections\")")  # fmt: skip
    out = []
    for n, item in enumerate(data["corrections"], 1):
        try:
            if not isinstance(item, dict):
                raise CorrectionError("not an object")
            out.append(Correction(**item))
        except TypeError as exc:
            raise CorrectionError(f"{name}: correction {n}: {str(exc).split('.__init__() ')[-1]}") from None
        except CorrectionError as exc:
            raise CorrectionError(f"{name}: correction {n}: {exc}") from None
    return out


def import_file(db: str, path: str, lock_wait: float | None = None) -> int:
    """Add the corrections of an exported file to the store at `db`; how many were new."""
    return add(db, read_file(path), lock_wait)
