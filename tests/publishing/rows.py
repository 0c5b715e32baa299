"""Read a process-test site's tables directly (no Django in the test process, which
is set up for the test database, not the site's)."""

from __future__ import annotations

import sqlite3
from collections import Counter

from .conftest import Site


def query(site: Site, sql: str) -> list[tuple]:
    url = site.env.get("SAHAFA_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            return list(conn.execute(sql).fetchall())
    with sqlite3.connect(site.home / "sahafa.sqlite3", timeout=30) as conn:
        return list(conn.execute(sql).fetchall())


def task_statuses(site: Site) -> Counter:
    return Counter(
        s for (s,) in query(site, "SELECT status FROM django_tasks_database_dbtaskresult")
    )


def count(site: Site, table: str, where: str = "") -> int:
    return query(site, f"SELECT count(*) FROM {table} {where}")[0][0]  # noqa: S608 - tests' own SQL


def live_article_ids(site: Site) -> set[int]:
    return {
        pk
        for (pk,) in query(
            site,
            "SELECT a.page_ptr_id FROM news_articlepage a "
            "JOIN wagtailcore_page p ON p.id = a.page_ptr_id WHERE p.live",
        )
    }


def indexed_ids(site: Site) -> set[int]:
    return {pk for (pk,) in query(site, "SELECT id FROM search_entry")}


def profiled_ids(site: Site) -> set[int]:
    return {pk for (pk,) in query(site, "SELECT article_id FROM related_articleprofile")}


def related_lists(site: Site) -> dict[int, list[int]]:
    lists: dict[int, list[int]] = {}
    for source, target in query(
        site, "SELECT source_id, target_id FROM related_relatedarticle ORDER BY source_id, rank"
    ):
        lists.setdefault(source, []).append(target)
    return lists
