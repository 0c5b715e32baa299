"""«الأكثر قراءة»: the most-read articles of the last 24 hours and the last 7 days.

How a view travels, and what each step keeps:

1. **The beacon.** An article page carries its id (``data-article-id``, the same
   for every reader, so the cached page stays one page); ``site.js`` sends
   ``navigator.sendBeacon`` to ``/fragments/views/<id>`` — a POST with no cookie and
   no body, which no cache stores. :func:`count_view` answers nothing back (the
   view says 204 whatever happened) and counts the view only if it is a reader's:
   not a known robot, not sent from another site, the article published, the first
   view of this article by this client today, and the client under its rate. The
   client is a keyed hash (HMAC with ``SECRET_KEY``, salted with the day) of its
   address and User-Agent, kept in the cache until the day ends: nothing
   identifying is stored in clear, nothing outlives the day.
2. **The counter** (:mod:`.backends`): a row in the database by default, a Redis
   hash field when ``SAHAFA_CACHE_URL`` names Redis. One cheap write a view.
3. **The fold**, by the worker every ``SAHAFA_MOST_READ_INTERVAL`` seconds
   (:func:`run_due`): pending views become hourly counts (``ArticleViewCount``),
   counts older than eight days go, the two lists are computed over published
   articles only and kept in the cache, and — if either list changed — the one
   address that shows them, ``/fragments/most-read.json``, is purged. No page is.
4. **The block** on the home page and on articles is an empty, hidden container in
   the cached page; ``site.js`` fills it from the fragment (public, shared for a
   minute) and shows it once there is something to show.

A flood from one client moves the counts by at most its rate: ``CLIENT_RATE``
counted views a minute per address and User-Agent, and no more than
``ADDRESS_RATE`` beacons a minute from one address, whatever they carry.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from sahafa.news.clients import client_address
from sahafa.news.converters import MAX_ID
from sahafa.news.models import ArticlePage

from .. import purge
from ..models import ArticleViewCount
from .backends import Counts, get_backend
from .bots import is_bot

logger = logging.getLogger("sahafa.delivery.most_read")

#: The lists, by name: how many hours back each sums (the current hour included).
WINDOWS: dict[str, int] = {"24h": 24, "7d": 24 * 7}
#: Hourly counts are kept this long: the 7-day list and a day's margin.
KEEP = timedelta(days=8)
#: Ranks kept per list (more than any block shows; a few unpublished meanwhile
#: still leave a full list).
STORED = 20
#: Items per list in the fragment the pages show.
FRAGMENT_ITEMS = 5
#: Counted views a minute per client (address + User-Agent), and beacons of any
#: kind a minute per address (readers behind one carrier NAT share an address).
CLIENT_RATE = 10
ADDRESS_RATE = 120
#: How long the beacon believes what it learnt about an article (published or not).
#: An article unpublished meanwhile may gain views for that long: the lists filter
#: on publication when they are computed and when they are read, so it shows nowhere.
READABLE_SECONDS = 60

#: The addresses that show the lists: the pages' fragment and the API's.
MOST_READ_PATHS = {purge.MOST_READ_PATH, purge.MOST_READ_API_PATH}
LISTS_KEY = "sahafa:most-read:lists:v1"
DUE_KEY = "sahafa:most-read:due"
PG_LOCK_ID = 0x5A4AFB  # the folds' advisory lock (the scheduler's is 0x5A4AFA)


def interval_seconds() -> float:
    return float(getattr(settings, "SAHAFA_MOST_READ_INTERVAL", 300))


def hour_of(moment: datetime) -> datetime:
    """The UTC hour ``moment`` falls in."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class MostRead:
    id: int
    title: str
    url: str
    views: int


# The beacon ---------------------------------------------------------------------


def parse_article_id(raw: str) -> int | None:
    """The id in a beacon's address, or None (not ASCII digits, or past any id)."""
    if not raw or len(raw) > 19 or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def count_view(request, raw_id: str) -> str:
    """Count one view of the article ``raw_id`` from ``request`` if it is a reader's.

    Returns what happened (``"counted"`` or why not), for tests and logs; the
    reader is told nothing either way.
    """
    if request.method != "POST":
        return "not-a-beacon"
    article_id = parse_article_id(raw_id)
    if article_id is None:
        return "malformed"
    # A page of another site sending our readers' browsers here: their beacons are
    # real browsers, so only the browser's own word on where it was tells them apart.
    if request.META.get("HTTP_SEC_FETCH_SITE", "same-origin") not in ("same-origin", "same-site"):
        return "cross-site"
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    if is_bot(user_agent):
        return "bot"
    now = timezone.now()
    day = now.astimezone(UTC).strftime("%Y-%m-%d")
    address = client_address(request)
    minute = int(now.timestamp() // 60)
    if not _under_rate(f"address:{_digest(day, address)}:{minute}", ADDRESS_RATE):
        return "rate"
    client = _digest(day, address, user_agent)
    if not cache.add(
        f"sahafa:most-read:seen:{_digest(day, client, str(article_id))}", 1, _rest_of_day(now)
    ):
        return "duplicate"
    if not _under_rate(f"client:{client}:{minute}", CLIENT_RATE):
        return "rate"
    if not _readable(article_id):
        return "unknown"
    get_backend().add(article_id, hour_of(now))
    return "counted"


def _digest(day: str, *parts: str) -> str:
    """A keyed hash of ``parts``: the same all day, unguessable without the secret key,
    and unrelated to the next day's."""
    return salted_hmac(f"sahafa.delivery.most_read:{day}", "\n".join(parts)).hexdigest()[:32]


def _rest_of_day(now: datetime) -> int:
    utc = now.astimezone(UTC)
    tomorrow = (utc + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(60, int((tomorrow - utc).total_seconds()) + 60)


def _under_rate(name: str, limit: int) -> bool:
    """Count one more in this minute's window for ``name``; True while within ``limit``."""
    key = f"sahafa:most-read:rate:{name}"
    cache.add(key, 0, 120)
    try:
        seen = cache.incr(key)
    except ValueError:  # evicted between the two calls
        cache.set(key, 1, 120)
        seen = 1
    return seen <= limit


def _readable(article_id: int) -> bool:
    key = f"sahafa:most-read:readable:{article_id}"
    known = cache.get(key)
    if known is None:
        known = ArticlePage.objects.published().filter(pk=article_id).exists()
        cache.set(key, known, READABLE_SECONDS)
    return bool(known)


# The fold -----------------------------------------------------------------------


@dataclass
class FoldReport:
    folded: int = 0  # views moved into the hourly counts
    dropped: int = 0  # views of articles deleted since
    pruned: int = 0  # hourly counts past KEEP deleted
    purged: bool = False  # the fragment's address purged (a list changed)


def run_due(now: datetime | None = None) -> FoldReport | None:
    """:func:`aggregate`, if ``SAHAFA_MOST_READ_INTERVAL`` has passed since the last
    fold on any node sharing this cache (the worker calls this every tick)."""
    interval = interval_seconds()
    if interval <= 0 or not cache.add(DUE_KEY, 1, max(1, int(interval))):
        return None
    return aggregate(now)


def aggregate(now: datetime | None = None) -> FoldReport:
    """Fold the pending views, prune, recompute both lists; purge the fragment if
    they changed. Safe to run on several nodes at once and to run twice."""
    now = now or timezone.now()
    report = FoldReport()
    with transaction.atomic():
        _lock_folds()
        with get_backend().drain() as counts:
            report.folded, report.dropped = _fold(counts)
    report.pruned, _ = ArticleViewCount.objects.filter(hour__lt=hour_of(now) - KEEP).delete()
    ranks = {window: _rank(window, now, STORED) for window in WINDOWS}
    before = cache.get(LISTS_KEY) or {window: [] for window in WINDOWS}
    cache.set(LISTS_KEY, ranks, _lists_seconds())
    if _order(before) != _order(ranks):
        purge.purge(MOST_READ_PATHS)
        report.purged = True
    if report.folded or report.pruned:
        logger.info("most read: %s", report)
    return report


def _lock_folds() -> None:
    """One fold at a time: on PostgreSQL an advisory lock held to the commit; SQLite's
    transactions here begin IMMEDIATE, which already takes the one write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PG_LOCK_ID])


def _fold(counts: Counts) -> tuple[int, int]:
    if not counts:
        return 0, 0
    known = set(
        ArticlePage.objects.filter(pk__in={article for article, _ in counts}).values_list(
            "pk", flat=True
        )
    )
    kept = {key: n for key, n in counts.items() if key[0] in known}
    dropped = sum(counts.values()) - sum(kept.values())
    if not kept:
        return 0, dropped
    rows = ArticleViewCount.objects.filter(
        article_id__in={article for article, _ in kept}, hour__in={hour for _, hour in kept}
    )
    existing = {(row.article_id, row.hour): row for row in rows}
    changed, new = [], []
    for (article, hour), n in kept.items():
        row = existing.get((article, hour))
        if row is None:
            new.append(ArticleViewCount(article_id=article, hour=hour, views=n))
        else:
            row.views += n
            changed.append(row)
    ArticleViewCount.objects.bulk_update(changed, ["views"], batch_size=500)
    ArticleViewCount.objects.bulk_create(new, batch_size=500)
    return sum(kept.values()), dropped


def _rank(window: str, now: datetime, limit: int) -> list[list[int]]:
    """``[[article id, views], …]`` for ``window``, most read first (a tie: the newer
    article first), published articles only."""
    since = hour_of(now) - timedelta(hours=WINDOWS[window] - 1)
    rows = (
        ArticleViewCount.objects.filter(
            hour__gte=since, article__in=ArticlePage.objects.published()
        )
        .values("article_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-article_id")[:limit]
    )
    return [[row["article_id"], row["total"]] for row in rows]


def _order(ranks: dict) -> dict:
    return {window: [pair[0] for pair in pairs] for window, pairs in ranks.items()}


def _lists_seconds() -> int:
    # Outlives several folds; gone, it is computed again from the hourly counts.
    return max(3600, int(interval_seconds() * 4))


def _ranks(now: datetime | None = None) -> dict[str, list[list[int]]]:
    ranks = cache.get(LISTS_KEY)
    if ranks is None:
        now = now or timezone.now()
        ranks = {window: _rank(window, now, STORED) for window in WINDOWS}
        cache.set(LISTS_KEY, ranks, _lists_seconds())
    return ranks


# Reading the lists ----------------------------------------------------------------


def ranked(window: str, limit: int = 10) -> list[list[int]]:
    """``[[article id, views], …]`` of ``window`` (``"24h"`` or ``"7d"``), most read
    first, as of the last fold: enough for ``limit`` (1–100) articles, not yet checked
    against publication (the caller reads the articles, and leaves out any
    unpublished since the fold). One query at most, when the cache lost the ranks."""
    if window not in WINDOWS:
        raise ValueError(f"unknown window {window!r}: one of {', '.join(WINDOWS)}")
    limit = max(0, min(int(limit), 100))
    if not limit:
        return []
    return _ranks()[window] if limit <= STORED else _rank(window, timezone.now(), limit)


def top_articles(window: str, limit: int = 10) -> list[MostRead]:
    """The most-read published articles of ``window``, at most ``limit``: the
    :func:`ranked` ids, then their titles and addresses in one query."""
    pairs = ranked(window, limit)
    articles = ArticlePage.objects.published().filter(pk__in=[pk for pk, _ in pairs])
    by_id = {a.pk: a for a in articles.only("title", "url_path")}
    found = [
        MostRead(pk, by_id[pk].title, by_id[pk].url or "", views)
        for pk, views in pairs
        if pk in by_id
    ]
    return found[:limit]


def fragment() -> dict:
    """What ``/fragments/most-read.json`` answers: titles and addresses, no counts."""
    return {
        "windows": {
            window: [
                {"title": item.title, "url": item.url}
                for item in top_articles(window, FRAGMENT_ITEMS)
            ]
            for window in WINDOWS
        }
    }
