"""A small per-app cache whose entries carry a stamp: an entry is served only while the stamp the
caller computes now equals the one it was stored with. Bounded (least recently used goes first) and
safe to share between a worker's threads."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Hashable

from flask import current_app


class StampedCache:
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, stamp: Hashable) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != stamp:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, stamp: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = (stamp, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def app_cache(name: str, max_entries: int) -> StampedCache:
    """The current app's cache called `name` (a test's fresh app starts with empty caches)."""
    return current_app.extensions.setdefault(f"smartcity_cache:{name}", StampedCache(max_entries))
