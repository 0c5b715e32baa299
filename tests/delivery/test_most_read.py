"""«الأكثر قراءة»: the beacon, the fold and the lists, through HTTP.

The cache that remembers clients (and rates) is the in-process one, whatever the run:
the clock moves here, and a Redis server keeps real time. The counters are the
database's, but for the Redis contract suite at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client

from sahafa.delivery import most_read
from sahafa.delivery.most_read import backends, bots

BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
OTHER_BROWSER = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
ROBOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "WhatsApp/2.24.6.77 A",
    "Twitterbot/1.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "",
]
DATABASE = {"BACKEND": "sahafa.delivery.most_read.backends.database"}
REDIS_URL = os.environ.get("SAHAFA_TEST_REDIS_URL", "")


@pytest.fixture(autouse=True)
def _counters_in_the_database(settings, local_cache):
    settings.SAHAFA_MOST_READ = DATABASE
    settings.SAHAFA_MOST_READ_INTERVAL = 300


_client = Client()  # the beacon sets no cookie: one client serves every reader


def beacon(article_id, *, ua: str = BROWSER, ip: str = "203.0.113.7", client=None, **headers):
    client = client or _client
    return client.post(
        f"/fragments/views/{article_id}",
        REMOTE_ADDR=ip,
        headers={"User-Agent": ua, **headers},
    )


def pending() -> int:
    return backends.get_backend().pending()


def titles(window: str) -> list[str]:
    return [
        item["title"]
        for item in Client().get("/fragments/most-read.json").json()["windows"][window]
    ]


def read_by(article, readers: int, *, start: int = 1) -> None:
    """``readers`` distinct readers (addresses) view ``article``."""
    for n in range(start, start + readers):
        assert beacon(article.pk, ip=f"198.51.100.{n}").status_code == 204


# The beacon --------------------------------------------------------------------


def test_a_view_counts_once_per_client_and_article(outlet, make_article):
    article = make_article("قمة الرياض تبحث أمن الطاقة")
    first = beacon(article.pk)
    assert first.status_code == 204
    assert first.content == b""
    assert first["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in first
    assert pending() == 1
    assert beacon(article.pk).status_code == 204  # the same reader again: no count
    assert pending() == 1
    beacon(article.pk, ip="203.0.113.8")  # another reader
    beacon(article.pk, ua=OTHER_BROWSER)  # another device behind the same address
    assert pending() == 3
    beacon(make_article("خبر ثانٍ").pk)  # the first reader, another article
    assert pending() == 4


def test_the_same_reader_counts_again_the_next_day(outlet, make_article):
    article = make_article("خبر يُقرأ يومين")
    with time_machine.travel(dt.datetime(2026, 3, 1, 22, 0, tzinfo=dt.UTC), tick=False):
        beacon(article.pk)
        beacon(article.pk)
    with time_machine.travel(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False):
        beacon(article.pk)
    assert pending() == 2


@pytest.mark.parametrize("user_agent", ROBOTS)
def test_known_robots_count_nothing(outlet, make_article, user_agent):
    article = make_article("خبر تزوره الروبوتات")
    assert beacon(article.pk, ua=user_agent).status_code == 204
    assert pending() == 0


def test_robot_patterns_leave_browsers_alone():
    assert not bots.is_bot(BROWSER)
    assert not bots.is_bot(OTHER_BROWSER)
    assert bots.is_bot("x" * 600)  # longer than any browser's


def test_a_beacon_sent_from_another_site_counts_nothing(outlet, make_article):
    article = make_article("خبر يُستدعى من موقع آخر")
    beacon(article.pk, **{"Sec-Fetch-Site": "cross-site"})
    assert pending() == 0
    beacon(article.pk, **{"Sec-Fetch-Site": "same-origin"})
    assert pending() == 1


def test_bad_beacons_get_204_and_count_nothing(outlet, make_article):
    draft = make_article("مسودة لم تُنشر", publish=False)
    gone = make_article("خبر سُحب")
    gone.unpublish()
    for raw in [
        "999999",
        str(draft.pk),
        str(gone.pk),
        "abc",
        "12x",
        "-3",
        "0",
        "٣",  # Arabic-Indic digits: no id is written so
        "9" * 30,
        str(2**63),
    ]:
        answer = beacon(raw)
        assert answer.status_code == 204, raw
        assert answer.content == b"", raw
        assert answer["Cache-Control"] == "no-store", raw
    assert pending() == 0


def test_only_a_post_counts_and_any_method_gets_204(outlet, make_article):
    article = make_article("خبر يُطلب بـ GET")
    for method in ("get", "head", "put", "delete"):
        answer = getattr(Client(), method)(
            f"/fragments/views/{article.pk}", headers={"User-Agent": BROWSER}
        )
        assert answer.status_code == 204, method
    assert pending() == 0


def test_the_beacon_needs_no_csrf_token(outlet, make_article):
    article = make_article("خبر بلا رمز")
    assert beacon(article.pk, client=Client(enforce_csrf_checks=True)).status_code == 204
    assert pending() == 1


def test_a_flood_from_one_client_moves_the_counts_by_at_most_its_rate(outlet, make_article):
    articles = [make_article(f"خبر رقم {n}") for n in range(30)]
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, 5, tzinfo=dt.UTC), tick=False):
        for n in range(1000):
            beacon(articles[n % len(articles)].pk)
        assert pending() == most_read.CLIENT_RATE
        # One address sending every beacon under another User-Agent: its address's rate.
        for n in range(300):
            beacon(articles[n % len(articles)].pk, ua=f"{BROWSER} r{n}", ip="203.0.113.99")
        assert pending() <= most_read.CLIENT_RATE + most_read.ADDRESS_RATE
    # Readers are not locked out: the next minute, the same client counts again.
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 1, 5, tzinfo=dt.UTC), tick=False):
        before = pending()
        beacon(articles[-1].pk, ip="203.0.113.7", ua=OTHER_BROWSER)
        assert pending() == before + 1


def test_a_flood_of_unknown_ids_counts_nothing(outlet, home):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, 5, tzinfo=dt.UTC), tick=False):
        for n in range(300):
            assert beacon(10_000 + n).status_code == 204
    assert pending() == 0


def test_nothing_identifying_is_stored(outlet, make_article):
    article = make_article("خبر بلا أثر")
    beacon(article.pk, ip="203.0.113.77")
    cache = caches["default"]
    stored = " ".join(str(key) for key in cache._cache)  # the in-process cache's keys
    assert "203.0.113.77" not in stored
    assert "Android" not in stored
    from sahafa.delivery.models import PendingView

    assert list(PendingView.objects.values_list("article_id", flat=True)) == [article.pk]


# The page cache ----------------------------------------------------------------


def page_entries() -> int:
    """How many entries the page cache holds, in process or in Redis."""
    pages = caches["pages"]
    if hasattr(pages._cache, "get_client"):  # Django's Redis cache
        return len(pages._cache.get_client(None).keys(pages.make_key("*")))
    return len(pages._cache)


def test_a_beacon_neither_creates_nor_purges_page_cache_entries(reader, outlet, make_article):
    article = make_article("خبر في الصفحة الأولى")
    assert reader.get("/")["X-Sahafa-Cache"] == "miss"
    home = reader.get("/")
    assert home["X-Sahafa-Cache"] == "hit"
    entries = page_entries()
    for method in ("POST", "GET", "POST"):
        answer = reader.get(
            f"/fragments/views/{article.pk}", {"User-Agent": BROWSER}, method=method
        )
        assert answer.status_code == 204
        assert answer["Cache-Control"] == "no-store"
        assert "X-Sahafa-Cache" not in answer
    assert page_entries() == entries
    again = reader.get("/")
    assert again["X-Sahafa-Cache"] == "hit"
    assert again["ETag"] == home["ETag"]
    assert pending() == 1


def test_the_fold_purges_the_fragment_and_no_page(reader, outlet, make_article):
    article = make_article("خبر يتصدر القراءات")
    reader.get("/")
    reader.get(article.url)
    empty = reader.get("/fragments/most-read.json")
    assert empty.status_code == 200
    assert empty.content and "خبر" not in empty.text()
    assert reader.get("/fragments/most-read.json")["X-Sahafa-Cache"] == "hit"
    beacon(article.pk)
    report = most_read.aggregate()
    assert report.folded == 1 and report.purged
    assert reader.get("/")["X-Sahafa-Cache"] == "hit"
    assert reader.get(article.url)["X-Sahafa-Cache"] == "hit"
    fresh = reader.get("/fragments/most-read.json")
    assert fresh["X-Sahafa-Cache"] == "miss"
    assert "خبر يتصدر القراءات" in fresh.text()
    assert "s-maxage=60" in fresh["Cache-Control"] and "public" in fresh["Cache-Control"]
    # The same order again: nothing to purge.
    beacon(article.pk, ip="203.0.113.8")
    assert not most_read.aggregate().purged
    assert reader.get("/fragments/most-read.json")["X-Sahafa-Cache"] == "hit"


# The fold and the lists ----------------------------------------------------------


def test_the_lists_rank_the_last_24_hours_and_the_last_7_days(outlet, make_article):
    now = dt.datetime(2026, 3, 10, 12, 30, tzinfo=dt.UTC)
    with time_machine.travel(now - dt.timedelta(days=3), tick=False):
        old_hit = make_article("خبر الأسبوع الأكثر قراءة")
        steady = make_article("خبر يُقرأ كل يوم")
        read_by(old_hit, 6)
        read_by(steady, 1)
        most_read.aggregate()
    with time_machine.travel(now - dt.timedelta(hours=2), tick=False):
        fresh = make_article("خبر اليوم")
        read_by(steady, 3, start=10)
        read_by(fresh, 2, start=20)
    with time_machine.travel(now, tick=False):
        report = most_read.aggregate()
        assert report.folded == 5
        assert titles("24h") == ["خبر يُقرأ كل يوم", "خبر اليوم"]
        assert titles("7d") == ["خبر الأسبوع الأكثر قراءة", "خبر يُقرأ كل يوم", "خبر اليوم"]
        top = most_read.top_articles("7d")
        assert [(item.id, item.views) for item in top] == [
            (old_hit.pk, 6),
            (steady.pk, 4),
            (fresh.pk, 2),
        ]
        assert top[0].url == old_hit.url
        assert [item.id for item in most_read.top_articles("7d", limit=1)] == [old_hit.pk]
        with pytest.raises(ValueError):
            most_read.top_articles("30d")
    # Eight days on, the 7-day list is empty and the old hourly counts are gone.
    with time_machine.travel(now + dt.timedelta(days=9), tick=False):
        report = most_read.aggregate()
        assert report.pruned == 4  # 3 days ago: two articles; 2 hours ago: two
        assert titles("7d") == [] and titles("24h") == []


def test_an_article_unpublished_leaves_the_lists_at_once(reader, outlet, make_article):
    first = make_article("خبر سيُسحب من القائمة")
    second = make_article("خبر يبقى في القائمة")
    read_by(first, 3)
    read_by(second, 1)
    most_read.aggregate()
    assert "خبر سيُسحب من القائمة" in reader.get("/fragments/most-read.json").text()
    first.unpublish()  # its task purges what lists every article, this fragment too
    shown = json.loads(reader.get("/fragments/most-read.json").content)["windows"]
    assert [item["title"] for item in shown["24h"]] == ["خبر يبقى في القائمة"]
    most_read.aggregate()
    assert [item.id for item in most_read.top_articles("24h")] == [second.pk]


def test_views_of_a_deleted_article_are_dropped_by_the_fold(outlet, make_article):
    article = make_article("خبر سيُحذف")
    beacon(article.pk)
    article.delete()
    report = most_read.aggregate()
    assert (report.folded, report.dropped) == (0, 1)
    assert pending() == 0


def test_the_worker_folds_once_per_interval(outlet, make_article):
    from sahafa.publishing import worker

    article = make_article("خبر يجمعه العامل")
    beacon(article.pk)
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        worker.run(once=True)  # its tick folds
        assert pending() == 0
        beacon(article.pk, ip="203.0.113.8")
        assert most_read.run_due() is None  # within the interval
        assert pending() == 1
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 5, 1, tzinfo=dt.UTC), tick=False):
        assert most_read.run_due() is not None
        assert pending() == 0


def test_top_articles_with_nothing_counted_is_empty(outlet, home):
    assert most_read.top_articles("24h") == []
    assert most_read.fragment() == {"windows": {"24h": [], "7d": []}}


# The pages -----------------------------------------------------------------------


def test_home_and_article_pages_carry_the_hidden_block(client, outlet, make_article):
    article = make_article("خبر بصفحته")
    for url in ["/", article.url]:
        html = client.get(url).content.decode()
        assert 'class="most-read"' in html, url
        assert 'data-most-read-url="/fragments/most-read.json"' in html
        assert (
            'aria-labelledby="most-read-h" data-most-read-url="/fragments/most-read.json" data-digits="arabic" hidden>'
            in html
        )
        assert "الأكثر قراءة" in html
        assert "آخر ٢٤ ساعة" in html and "آخر ٧ أيام" in html
        assert 'role="tablist"' in html and 'role="tabpanel"' in html
    assert f'data-article-id="{article.pk}"' in client.get(article.url).content.decode()
    assert "data-article-id" not in client.get("/").content.decode()


# One contract for every counter backend ----------------------------------------------


class ViewCounterContract:
    @pytest.fixture
    def counter(self):
        raise NotImplementedError

    def test_views_fold_into_the_lists(self, counter, outlet, make_article):
        first = make_article("الأول قراءة")
        second = make_article("الثاني قراءة")
        read_by(second, 2)
        read_by(first, 3, start=10)
        beacon(first.pk, ip="198.51.100.10")  # a repeat
        assert counter.pending() == 5
        assert most_read.aggregate().folded == 5
        assert counter.pending() == 0
        assert titles("24h") == ["الأول قراءة", "الثاني قراءة"]
        assert [item.views for item in most_read.top_articles("7d")] == [3, 2]

    def test_a_fold_that_fails_keeps_its_views(self, counter, outlet, make_article, monkeypatch):
        article = make_article("خبر لا يضيع")
        read_by(article, 2)

        def broken(counts):
            raise RuntimeError("the database went away")

        monkeypatch.setattr(most_read, "_fold", broken)
        with pytest.raises(RuntimeError):
            most_read.aggregate()
        monkeypatch.undo()
        assert counter.pending() == 2
        assert most_read.aggregate().folded == 2

    def test_views_counted_during_a_drain_wait_for_the_next(self, counter, outlet, make_article):
        article = make_article("خبر يُقرأ أثناء الجمع")
        now = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
        with time_machine.travel(now, tick=False):
            read_by(article, 2)
            hour = most_read.hour_of(now)
            with counter.drain() as counts:
                counter.add(article.pk, hour)
                assert counts == {(article.pk, hour): 2}
        assert counter.pending() == 1


class TestDatabaseCounter(ViewCounterContract):
    @pytest.fixture
    def counter(self):
        return backends.get_backend()


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="needs SAHAFA_TEST_REDIS_URL")
class TestRedisCounter(ViewCounterContract):
    @pytest.fixture
    def counter(self, settings):
        settings.SAHAFA_MOST_READ = {
            "BACKEND": "sahafa.delivery.most_read.backends.redis",
            "LOCATION": REDIS_URL,
            # Its own keys: the test run may share the server with another.
            "KEY_PREFIX": f"sahafa-test:most-read:{uuid.uuid4().hex}",
        }
        backend = backends.get_backend()
        yield backend
        backend.forget_everything()

    def test_a_beacon_writes_nothing_to_the_database(self, counter, outlet, make_article):
        from sahafa.delivery.models import PendingView

        article = make_article("خبر في ريديس")
        beacon(article.pk)
        assert counter.pending() == 1
        assert not PendingView.objects.exists()


def test_a_wrong_backend_is_refused_by_name(settings):
    settings.SAHAFA_MOST_READ = {"BACKEND": "sahafa.nowhere.Counter"}
    with pytest.raises(backends.InvalidViewCounterBackendError, match="sahafa.nowhere"):
        backends.get_backend()


# The read API ------------------------------------------------------------------------


def test_the_api_lists_the_most_read_with_cards_and_no_counts(reader, outlet, make_article):
    first = make_article("خبر يتصدر قراءات التطبيق")
    second = make_article("خبر ثانٍ في قراءات التطبيق")
    draft = make_article("مسودة لا تظهر في التطبيق", publish=False)
    read_by(second, 3)
    read_by(first, 1)
    beacon(draft.pk, ip="198.51.100.99")
    assert reader.get("/api/v1/most-read/").status_code == 200  # empty, then cached
    most_read.aggregate()  # purges the API's list with the fragment

    answer = reader.get("/api/v1/most-read/")
    assert answer["X-Sahafa-Cache"] == "miss"
    data = json.loads(answer.content)
    assert data["window"] == "24h"
    assert [item["id"] for item in data["results"]] == [second.pk, first.pk]
    assert data["results"][0]["title"] == "خبر ثانٍ في قراءات التطبيق"
    assert data["results"][0]["url"].startswith("http")
    assert "views" not in data["results"][0]
    assert "s-maxage=60" in answer["Cache-Control"]
    week = json.loads(reader.get("/api/v1/most-read/?window=7d&limit=1").content)
    assert week["window"] == "7d" and [i["id"] for i in week["results"]] == [second.pk]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("window=30d", "window"), ("limit=0", "limit"), ("limit=500", "limit"), ("day=1", "day")],
)
def test_the_api_refuses_a_bad_most_read_query_by_name(client, outlet, home, query, parameter):
    answer = client.get(f"/api/v1/most-read/?{query}")
    assert answer.status_code == 400
    assert answer.json()["parameter"] == parameter
