"""Exports of the store: tables (csv, parquet, jsonl), a GraphML actor network, PLOVER-style event JSON."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from .schema import public_tables

TABLE_FORMATS = {"csv": "(FORMAT csv, HEADER)", "parquet": "(FORMAT parquet)", "jsonl": "(FORMAT json)"}
FORMATS = (*TABLE_FORMATS, "graphml", "plover")
NETWORK_KINDS = ("state", "person", "organization", "group")


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def export_tables(con: duckdb.DuckDBPyConnection, out: Path, fmt: str) -> list[Path]:
    """Every table and view as one file each (`entities.csv`, …), as corrected, written by DuckDB itself."""
    paths = []
    for name, source in public_tables():
        path = out / f"{name}.{fmt}"
        con.execute(f"COPY (SELECT * FROM {source}) TO {_sql_string(str(path))} {TABLE_FORMATS[fmt]}")
        paths.append(path)
    return paths


def actor_network(con: duckdb.DuckDBPyConnection, min_comentions: int = 1):
    """The actor network: entities as nodes; edges weighted by shared events and documents mentioning both."""
    import networkx as nx

    graph = nx.Graph()
    kinds = ", ".join(f"'{k}'" for k in NETWORK_KINDS)
    for eid, name, kind, country, etype, docs in con.execute(
        f"SELECT id, name, kind, country, type, documents FROM entities WHERE kind IN ({kinds}) ORDER BY id"
    ).fetchall():
        graph.add_node(eid, label=name, kind=kind, country=country or "", type=etype or "", documents=docs)
    events = con.execute("""
        SELECT a.entity, b.entity, coalesce(e.type, e.subtype), count(*)
        FROM event_participants a JOIN event_participants b ON a.event = b.event AND a.entity < b.entity
        JOIN events e ON e.id = a.event
        GROUP BY ALL ORDER BY ALL""").fetchall()  # fmt: skip
    for a, b, etype, n in events:
        if a in graph and b in graph:
            edge = _edge(graph, a, b)
            edge["events"] += n
            edge["types"][etype] = edge["types"].get(etype, 0) + n
    comentions = con.execute(
        f"""
        WITH de AS (SELECT DISTINCT d.doc, d.entity FROM document_entities d JOIN entities e ON e.id = d.entity
                    WHERE e.kind IN ({kinds}))
        SELECT a.entity, b.entity, count(*) AS n FROM de a JOIN de b ON a.doc = b.doc AND a.entity < b.entity
        GROUP BY ALL HAVING n >= ? ORDER BY ALL""",
        [min_comentions],
    ).fetchall()
    for a, b, n in comentions:
        _edge(graph, a, b)["comentions"] = n
    for _, _, data in graph.edges(data=True):
        types = data.pop("types")
        data["event_types"] = " ".join(f"{t}:{n}" for t, n in sorted(types.items()))
        data["weight"] = data["events"] + data["comentions"]
    return graph


def _edge(graph, a: str, b: str) -> dict:
    if not graph.has_edge(a, b):
        graph.add_edge(a, b, events=0, comentions=0, types={})
    return graph.edges[a, b]


def export_graphml(con: duckdb.DuckDBPyConnection, out: Path, min_comentions: int = 1) -> list[Path]:
    import networkx as nx

    path = out / "actors.graphml"
    nx.write_graphml(actor_network(con, min_comentions), path)
    return [path]


PLOVER_QUERY = """
    SELECT e.id, e.type, e.mode, e.subtype, e.context, e.date_value, e.date_precision, e.location,
           e.location_country, e.negated, e.hypothetical, e.confidence,
           (SELECT list({'id': p.entity, 'name': x.name, 'kind': x.kind, 'country': p.country, 'role': p.role}
                        ORDER BY p.entity)
            FROM event_participants p LEFT JOIN entities x ON x.id = p.entity WHERE p.event = e.id),
           (SELECT list({'document': s.doc, 'url': d.source, 'published': d.published::VARCHAR,
                         'trigger': {'text': s.trigger_text, 'start': s.trigger_start, 'end': s.trigger_end},
                         'sentence': {'start': s.sentence_start, 'end': s.sentence_end,
                                      'text': d.text[s.sentence_start + 1 : s.sentence_end]}}
                        ORDER BY d.published, s.doc, s.local_id)
            FROM event_sources s JOIN documents d ON d.id = s.doc WHERE s.event = e.id)
    FROM events e WHERE e.type IS NOT NULL ORDER BY e.id"""


def plover_records(con: duckdb.DuckDBPyConnection):
    """One PLOVER/POLECAT-style record per event (events without a PLOVER type are left out)."""
    cur = con.execute(PLOVER_QUERY)
    while rows := cur.fetchmany(1000):
        for (eid, etype, mode, subtype, context, date, precision, location, loc_country, negated, hypothetical,
             confidence, participants, evidence) in rows:  # fmt: skip
            people = participants or []

            def side(role: str, people=people) -> list[dict]:
                return [{k: p[k] for k in ("id", "name", "kind", "country")} for p in people if p["role"] == role]

            source, target = side("actor"), side("recipient")
            yield {
                "id": eid,
                "event_type": etype,
                "mode": mode,
                "subtype": subtype,
                "context": context or [],
                "date": date,
                "date_precision": precision,
                "source_actors": source,
                "source_countries": sorted({a["country"] for a in source if a["country"]}),
                "target_actors": target,
                "target_countries": sorted({a["country"] for a in target if a["country"]}),
                "attendees": side("attendee"),
                "location": {"name": location, "country": loc_country} if location else None,
                "negated": negated,
                "hypothetical": hypothetical,
                "confidence": confidence,
                "evidence": evidence or [],
            }


def export_plover(con: duckdb.DuckDBPyConnection, out: Path) -> list[Path]:
    path = out / "events.plover.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for record in plover_records(con):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return [path]


def export(con: duckdb.DuckDBPyConnection, fmt: str, out: Path, min_comentions: int = 1) -> list[Path]:
    """Write the store in `fmt` under `out` (created); the files written."""
    out.mkdir(parents=True, exist_ok=True)
    if fmt in TABLE_FORMATS:
        return export_tables(con, out, fmt)
    if fmt == "graphml":
        return export_graphml(con, out, min_comentions)
    return export_plover(con, out)
