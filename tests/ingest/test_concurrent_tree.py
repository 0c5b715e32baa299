"""Two imports into one section at once (issue 12, finding 4): every item is saved.

Treebeard computes a new page's path from its parent's last child; a writer that
reads a stale last child (another import's page committed in between) computes a
path that is taken. SQLite serialises writers, so the race is forced here: the
first path computation sees the section as it was before the other import's last
page — as the second of two concurrent writers would.
"""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from treebeard.mp_tree import MP_Node

from sahafa.ingest.loader import Loader
from sahafa.ingest.records import ArticleRecord, Block
from sahafa.news.models import ArticlePage


def records(prefix: str, count: int) -> list[ArticleRecord]:
    return [
        ArticleRecord(
            title=f"خبر {prefix} رقم {n} عن الطاقة",
            blocks=[Block("paragraph", f"فقرة من الخبر {prefix} {n}.")],
            section="سياسة",
            external_id=f"{prefix}-{n}",
        )
        for n in range(count)
    ]


@pytest.fixture
def stale_last_child(monkeypatch):
    """The next path computation under a parent sees its last-but-one child as the
    last: the path it computes is the last child's, already taken."""
    real = MP_Node.get_last_child
    state = {"stale_reads": 0}

    def get_last_child(self):
        if state["stale_reads"] == 0:
            children = list(self.get_children())
            if len(children) >= 2:
                state["stale_reads"] += 1
                return children[-2]
        return real(self)

    monkeypatch.setattr(MP_Node, "get_last_child", get_last_child)
    return state


@pytest.mark.django_db
def test_a_taken_path_is_retried_and_every_item_saved(home, stale_last_child):
    Loader().load(records("a", 3))
    stale_last_child["stale_reads"] = 0  # the race is forced on the second import
    second = Loader().load(records("b", 3))
    assert stale_last_child["stale_reads"] == 1, "the race was not forced"
    assert second.failed == [] and second.imported == 3
    articles = ArticlePage.objects.all()
    assert articles.count() == 6
    paths = list(articles.values_list("path", flat=True))
    assert len(set(paths)) == 6
    section = articles.first().get_parent()
    assert section.numchild == 6  # the rolled-back attempt left no count behind


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="needs a database whose test copy takes concurrent writers (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_into_one_section_all_succeed(home, stale_last_child):
    """Two real writers at once (threads, each its own connection). On PostgreSQL only:
    SQLite's in-memory test database is shared between connections by table locks,
    which refuse a second writer at once ("database table is locked") instead of
    making it wait as the site's SQLite file does."""
    from django.db import connection

    Loader().load(records("seed", 2))
    stale_last_child["stale_reads"] = 0
    reports, errors = {}, []

    def run(prefix: str) -> None:
        try:
            reports[prefix] = Loader().load(records(prefix, 10))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(p,)) for p in ("x", "y")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    assert [reports[p].failed for p in ("x", "y")] == [[], []]
    assert ArticlePage.objects.count() == 22
    assert len(set(ArticlePage.objects.values_list("path", flat=True))) == 22
