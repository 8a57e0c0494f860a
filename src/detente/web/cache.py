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
        self.hits = self.misses = 0

    def get(self, key: Hashable, version: Hashable, build: Callable[[], Any]) -> Any:
        """The value of `key` at `version`, built by `build()` when not kept. Two requests for the same missing
        key may both build it: the cost is doubled once, never a wrong answer."""
        full = (key, version)
        with self._lock:
            if full in self._entries:
                self._entries.move_to_end(full)
                self.hits += 1
                return self._entries[full]
            self.misses += 1
        value = build()
        with self._lock:
            for stale in [k for k in self._entries if k[0] == key and k[1] != version]:
                del self._entries[stale]
            self._entries[full] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
