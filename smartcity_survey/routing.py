"""How URLs are matched, for every blueprint: numbers in paths fit the database, and a path with an
empty segment is no address of ours."""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

#: the largest value of an INTEGER column on PostgreSQL (years, ids, page numbers)
MAX_INTEGER = 2**31 - 1


class DatabaseInteger(IntegerConverter):
    """`<int:…>` up to MAX_INTEGER: a bigger number in a URL matches no route (404) instead of
    reaching PostgreSQL as "integer out of range" (a 500). SQLite would take it; the two must agree."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INTEGER)
        super().__init__(map, *args, **kwargs)


def configure_url_map(app: Flask) -> None:
    """Before any blueprint is registered: the converters are bound when the rules are added."""
    app.url_map.converters["int"] = DatabaseInteger
    # A path with an empty segment (a slug that was "x/") is a 404 (JSON under /api/), rather than
    # werkzeug's HTML 308 to the path with the slashes merged.
    app.url_map.merge_slashes = False
