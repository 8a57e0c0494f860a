"""The corpus store: extracted documents in an embedded DuckDB file, merged across documents.

`schema` opens (and creates or migrates) a database file; `ingest` writes one
document's records atomically; `merge` recomputes canonical entities and
events; `export` and `queries` read it. The store knows no screen.
"""

from .schema import DEFAULT_DB, StoreError, connect

__all__ = ["DEFAULT_DB", "StoreError", "connect"]
