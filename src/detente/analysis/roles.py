"""The roles people held, as stored: the one a document gives near a point, else the latest one known then."""

from __future__ import annotations

import datetime as dt

from .facts import RoleRow


class RoleIndex:
    def __init__(self, rows: list[RoleRow]):
        self.by_entity: dict[str, list[RoleRow]] = {}
        for r in rows:
            self.by_entity.setdefault(r.entity, []).append(r)

    def at(self, entity: str, doc: str | None = None, offset: int = 0, day: dt.date | None = None) -> RoleRow | None:
        """The role `doc` gives `entity` nearest `offset`; else the latest from a document published by `day`."""
        rows = self.by_entity.get(entity, [])
        here = [r for r in rows if r.doc == doc and not r.former]
        if here:
            return min(here, key=lambda r: (abs(r.start - offset), r.start))
        current = [r for r in rows if not r.former]
        known = [r for r in current if r.published and (day is None or r.published <= day)] or current
        return max(known, key=lambda r: (r.published or dt.date.min, r.doc, r.start), default=None)
