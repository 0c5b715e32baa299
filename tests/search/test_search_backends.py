"""One contract for every search backend, run on the database of the test run
(SQLite FTS5 or PostgreSQL) and on the in-memory dummy backend."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from sahafa.search.backends import InvalidSearchBackendError, get_search_backend
from sahafa.search.backends.dummy import DummySearchBackend
from sahafa.search.documents import SearchDocument, SearchFilters

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


def doc(pk: int, title: str, body: str = "", days_old: float = 10, **fields) -> SearchDocument:
    return SearchDocument(
        id=pk,
        title=title,
        body=body,
        external_id=f"x-{pk}",
        published_at=NOW - timedelta(days=days_old),
        **fields,
    )


FIXTURE = [
    doc(
        1,
        "المفاوضات الروسيّة الأمريكية تُستأنف في إسطنبول",
        "جولة جديدة من الحوار.",
        section_id=1,
        author_ids=(7,),
    ),
    doc(
        2,
        "الأزمة الاقتصادية تضرب الأسواق",
        "تراجعت البورصة ٣ بالمئة في يوم واحد.",
        section_id=2,
        tag_ids=(5,),
    ),
    doc(
        3,
        "وزير التعليم يفتتح المدرسة الجديدة",
        "افتتح الوزير والمدرسون المدرسة في القرية.",
        section_id=1,
    ),
    doc(4, "إطلاق سراح رهائن في غزة", "أعلنت حماس إطلاق سراح ٤ رهائن.", section_id=1, tag_ids=(5,)),
    doc(5, "مباراة الأهلي والزمالك", "فاز الأهلي في مباراة مثيرة عام ٢٠٢٤.", section_id=3),
    doc(6, "أسعار النفط", "تحدث الخبراء عن وقف إطلاق النار وأثره على أسعار النفط.", section_id=2),
    doc(7, "إطلاق النار في شمال المدينة", "وقف السير بعد إطلاق النار.", section_id=1, days_old=400),
]


class SearchBackendTests:
    """The behaviour every backend must show; subclasses provide ``backend``."""

    @pytest.fixture
    def indexed(self, backend):
        backend.index_documents(FIXTURE)
        return backend

    def ids(self, backend, query: str, **kwargs) -> list[int]:
        return [hit.id for hit in backend.search(query, now=NOW, **kwargs).hits]

    @pytest.mark.parametrize(
        "query",
        ["مفاوضات روسيا", "وبالمفاوضات", "المفاوضات", "مفاوضات الروسيه", "الأمريكيه", "امريكا"],
    )
    def test_spelling_and_clitic_variants_find_the_story(self, indexed, query):
        assert self.ids(indexed, query)[:1] == [1]

    @pytest.mark.parametrize("query", ["الأزمه", "الازمة", "أزمة", "الأَزْمَة", "الأزمـــة"])
    def test_hamza_taa_marbuta_diacritics_tatweel(self, indexed, query):
        assert self.ids(indexed, query) == [2]

    def test_waw_prefix_and_plural(self, indexed):
        assert self.ids(indexed, "والمدرسة") == [3]
        assert self.ids(indexed, "لمدرسة") == [3]

    def test_arabic_indic_digits_match_western(self, indexed):
        assert self.ids(indexed, "2024") == [5]
        assert self.ids(indexed, "٢٠٢٤") == [5]

    def test_headline_match_ranks_first_and_recency_breaks_ties_mildly(self, indexed):
        # 7 has the phrase in its headline (but is old); 6 only in the body.
        assert (
            self.ids(indexed, "إطلاق النار")[:2] == [7, 4]
            or self.ids(indexed, "إطلاق النار")[0] == 7
        )

    def test_exact_phrase(self, indexed):
        assert set(self.ids(indexed, '"وقف إطلاق النار"')) == {6}
        assert set(self.ids(indexed, "وقف إطلاق النار")) == {6, 7}

    def test_exclusion(self, indexed):
        assert set(self.ids(indexed, "إطلاق")) == {4, 6, 7}
        assert set(self.ids(indexed, "إطلاق -رهائن")) == {6, 7}
        assert set(self.ids(indexed, 'إطلاق -"وقف السير"')) == {4, 6}

    def test_filters(self, indexed):
        assert set(self.ids(indexed, "إطلاق", filters=SearchFilters(section_id=1))) == {4, 7}
        assert self.ids(indexed, "الأزمة", filters=SearchFilters(tag_id=5)) == [2]
        assert self.ids(indexed, "المفاوضات", filters=SearchFilters(author_id=7)) == [1]
        assert self.ids(indexed, "المفاوضات", filters=SearchFilters(author_id=8)) == []
        recent = SearchFilters(date_from=(NOW - timedelta(days=30)).date())
        assert set(self.ids(indexed, "إطلاق", filters=recent)) == {4, 6}
        old = SearchFilters(date_to=date(2024, 12, 31))
        assert self.ids(indexed, "إطلاق", filters=old) == [7]

    def test_what_is_indexed_is_found_whatever_the_clock(self, indexed):
        # Publication is decided before indexing (only published articles are
        # indexed): searching applies no time rule, ``now`` only measures recency.
        for now in (NOW - timedelta(days=365), NOW, NOW + timedelta(days=365)):
            assert [h.id for h in indexed.search("البورصة", now=now).hits] == [2]
        assert [h.id for h in indexed.search("البورصة").hits] == [2]

    def test_now_moves_only_the_recency_boost(self, indexed):
        # The same matches at any moment; an article seen later is older, so it scores less.
        late = NOW + timedelta(days=400)
        young = {h.id: h.score for h in indexed.search("إطلاق سراح", now=NOW).hits}
        older = {h.id: h.score for h in indexed.search("إطلاق سراح", now=late).hits}
        assert set(young) == set(older) == {4}
        assert older[4] < young[4]

    def test_pagination_and_total(self, indexed):
        first = indexed.search("إطلاق", now=NOW, limit=2)
        second = indexed.search("إطلاق", now=NOW, limit=2, offset=2)
        assert first.total == second.total == 3
        assert len(first.hits) == 2 and len(second.hits) == 1
        assert {h.id for h in first.hits} | {h.id for h in second.hits} == {4, 6, 7}
        beyond = indexed.search("إطلاق", now=NOW, limit=2, offset=10)
        assert beyond.hits == [] and beyond.total == 3

    def test_when_no_article_has_every_word_some_words_are_enough(self, indexed):
        results = indexed.search("الأزمة كلمةلاتوجد", now=NOW)
        assert [h.id for h in results.hits] == [2]
        assert results.query.any_term
        assert not indexed.search("الأزمة", now=NOW).query.any_term

    def test_hits_carry_external_id_title_and_score(self, indexed):
        (hit,) = indexed.search("الأزمة", now=NOW).hits
        assert (hit.external_id, hit.title) == ("x-2", FIXTURE[1].title)
        assert hit.score > 0

    def test_reindex_replaces_and_remove_deletes(self, indexed):
        indexed.index_documents([doc(2, "عنوان آخر تماماً")])
        assert self.ids(indexed, "الأزمة") == []
        assert self.ids(indexed, "عنوان آخر") == [2]
        assert indexed.remove([2, 999]) == 1
        assert self.ids(indexed, "عنوان آخر") == []
        assert indexed.indexed_ids([1, 2]) == {1}

    @pytest.mark.parametrize(
        "query",
        [
            "",
            "ـ" * 10_000,
            "\u064b\u064c\u064d",
            '" * ( ) NEAR : ^ -',
            "'; DROP TABLE search_entry; --",
            "\x00\x07\x1b",
            "Россия روسيا 俄罗斯",
            "\ud800",
            "a" * 10_000,
            "-روسيا",
        ],
    )
    def test_bad_input_never_raises(self, indexed, query):
        results = indexed.search(query, now=NOW)
        assert results.total >= 0


@pytest.mark.django_db
class TestDatabaseBackend(SearchBackendTests):
    """The backend picked for this run's database (SQLite FTS5 or PostgreSQL)."""

    @pytest.fixture
    def backend(self, db):
        return get_search_backend()

    def test_auto_picks_the_vendor_backend(self, backend):
        from django.db import connection

        assert backend.vendor == connection.vendor

    def test_index_size_is_measured(self, indexed):
        assert indexed.index_size_bytes() > 0

    def test_the_index_keeps_no_embargo_and_the_migration_reverses(self, backend):
        import importlib

        from django.db import connection

        migration = importlib.import_module("sahafa.search.migrations.0002_drop_embargo")

        class Editor:  # the part of a schema editor the migration uses
            def __init__(self, connection):
                self.connection = connection

            def execute(self, sql):
                with self.connection.cursor() as cursor:
                    cursor.execute(sql)

        def columns() -> set[str]:
            with connection.cursor() as cursor:
                return {
                    c.name
                    for c in connection.introspection.get_table_description(cursor, "search_entry")
                }

        assert "embargo_until" not in columns()
        migration.add_embargo(None, Editor(connection))
        assert "embargo_until" in columns()
        migration.drop_embargo(None, Editor(connection))
        migration.drop_embargo(None, Editor(connection))  # a second run is harmless
        assert "embargo_until" not in columns()
        backend.index_documents(FIXTURE)
        assert self.ids(backend, "الأزمة") == [2]


class TestDummyBackend(SearchBackendTests):
    @pytest.fixture
    def backend(self):
        return DummySearchBackend()


def test_loader_rejects_unknown_backends():
    with override_settings(SAHAFA_SEARCH_BACKENDS={"default": {"BACKEND": "no.such.backend"}}):
        with pytest.raises(InvalidSearchBackendError) as info:
            get_search_backend()
        assert isinstance(info.value, ImproperlyConfigured)
    with override_settings(
        SAHAFA_SEARCH_BACKENDS={"default": {"BACKEND": "sahafa.search.backends.dummy"}}
    ):
        assert isinstance(get_search_backend(), DummySearchBackend)


def test_system_check_reports_a_broken_backend():
    from sahafa.search.checks import check_search_backends

    with override_settings(SAHAFA_SEARCH_BACKENDS={"default": {"BACKEND": "no.such.backend"}}):
        assert [m.id for m in check_search_backends()] == ["sahafa.search.E001"]
    assert check_search_backends() == []
