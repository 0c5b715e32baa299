"""Scratch databases on the PostgreSQL server the test run points at
(``SAHAFA_DATABASE_URL``), for tests that start servers of their own."""

from __future__ import annotations

import os


def run_sql(url: str, sql: str) -> None:
    """One statement outside a transaction (CREATE / DROP DATABASE need that)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def named(server: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``server``."""
    return f"{server.rpartition('/')[0]}/{name}"


def server_url() -> str:
    """The run's PostgreSQL URL, or "" when the run is on SQLite."""
    database = os.environ.get("SAHAFA_DATABASE_URL", "")
    return database if database.startswith(("postgres://", "postgresql://")) else ""
