"""The backend for whichever database is in use: SQLite FTS5 or PostgreSQL full text."""

from __future__ import annotations

from django.db import connections

from .base import BaseSearchBackend
from .postgres import PostgresSearchBackend
from .sqlite import SQLiteSearchBackend

BACKENDS_BY_VENDOR: dict[str, type[BaseSearchBackend]] = {
    "sqlite": SQLiteSearchBackend,
    "postgresql": PostgresSearchBackend,
}


def SearchBackend(params: dict | None = None) -> BaseSearchBackend:  # noqa: N802 - the loader's name
    """Instantiate the backend matching the ENGINE of ``params["DATABASE"]`` (default "default")."""
    from . import InvalidSearchBackendError

    alias = (params or {}).get("DATABASE", "default")
    vendor = connections[alias].vendor
    try:
        backend_class = BACKENDS_BY_VENDOR[vendor]
    except KeyError:
        raise InvalidSearchBackendError(
            f"No search backend for the {vendor!r} database; use SQLite or PostgreSQL"
        ) from None
    return backend_class(params)
