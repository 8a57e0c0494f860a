"""Read-only looks at the store: counts, top actors, top pairs of states, a pair's events (any SQL: `sandbox`)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .schema import public_tables

DIRECTED_ROLES = ("actor", "recipient")


@dataclass
class Stats:
    counts: dict[str, int]
    top_actors: list[tuple]  # (id, name, kind, country, documents, events)
    top_pairs: list[tuple]  # (country, country, events)


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table and view, in schema order (the amended tables as corrected)."""
    return {name: con.execute(f"SELECT count(*) FROM {source}").fetchone()[0] for name, source in public_tables()}


def top_actors(con: duckdb.DuckDBPyConnection, limit: int | None = 10) -> list[tuple]:
    """States, people and organizations in the most documents, with how many events they take part in."""
    return con.execute(
        """
        SELECT e.id, e.name, e.kind, e.country, e.documents, count(DISTINCT p.event) AS events
        FROM entities e LEFT JOIN event_participants p ON p.entity = e.id
        WHERE e.kind IN ('state', 'person', 'organization')
        GROUP BY ALL ORDER BY e.documents DESC, events DESC, e.id LIMIT ?""",
        [limit],
    ).fetchall()


def top_state_pairs(con: duckdb.DuckDBPyConnection, limit: int | None = 10) -> list[tuple]:
    """Pairs of sides (the countries of actors and recipients) by the number of events between them."""
    return con.execute(
        f"""
        WITH sides AS (SELECT DISTINCT event, country FROM event_participants
                       WHERE country IS NOT NULL AND role IN {DIRECTED_ROLES})
        SELECT a.country, b.country, count(*) AS events
        FROM sides a JOIN sides b ON a.event = b.event AND a.country < b.country
        GROUP BY ALL ORDER BY events DESC, a.country, b.country LIMIT ?""",
        [limit],
    ).fetchall()


def stats(con: duckdb.DuckDBPyConnection, limit: int | None = 10) -> Stats:
    """Rows per table, and the top actors and pairs (`limit` of each; None: all)."""
    return Stats(counts(con), top_actors(con, limit), top_state_pairs(con, limit))


def pair_events(con: duckdb.DuckDBPyConnection, a: str, b: str) -> list[tuple]:
    """The events between two sides (country codes), by date: the typical question asked of the store."""
    return con.execute(
        f"""
        SELECT e.* FROM events e
        WHERE e.id IN (SELECT event FROM event_participants WHERE country = ? AND role IN {DIRECTED_ROLES})
          AND e.id IN (SELECT event FROM event_participants WHERE country = ? AND role IN {DIRECTED_ROLES})
        ORDER BY e.date_value NULLS LAST, e.id""",
        [a, b],
    ).fetchall()
