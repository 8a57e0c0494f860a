"""Built pair reports (and entity views), kept while the store stays as it was.

Building a report reads every fact of the pair and takes about a second; a page or an API call asks for the
same pair (or entity) again and again. An entry is keyed on what it was built from: the pair, the filters and the
store's version (`access.Store.version()`: the file's size and time of change, which every ingest, merge and checkpoint
moves, and any extra part registered there, such as the corrections' version). An entry of an older version is
never returned, and the least recently used entries go first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

MAX_ENTRIES = 64


class ReportCache:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}  # one builder per missing entry; the others wait for it
        self.hits = self.misses = 0

    def _kept(self, full: Hashable) -> tuple[bool, Any]:
        with self._lock:
            if full in self._entries:
                self._entries.move_to_end(full)
                self.hits += 1
                return True, self._entries[full]
            return False, None

    def get(self, key: Hashable, version: Hashable, build: Callable[[], Any]) -> Any:
        """The value of `key` at `version`, built by `build()` when not kept. Requests for the same missing entry
        wait for the one that builds it, so many readers arriving at once cost one build."""
        full = (key, version)
        found, value = self._kept(full)
        if found:
            return value
        with self._lock:
            building = self._building.setdefault(full, threading.Lock())
        with building:
            found, value = self._kept(full)
            if found:
                return value
            with self._lock:
                self.misses += 1
            try:
                value = build()
                with self._lock:
                    for stale in [k for k in self._entries if k[0] == key and k[1] != version]:
                        del self._entries[stale]
                    self._entries[full] = value
                    while len(self._entries) > self.max_entries:
                        self._entries.popitem(last=False)
            finally:
                with self._lock:
                    self._building.pop(full, None)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
