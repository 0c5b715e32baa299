"""Known-item search quality on the real corpus: Sahafa's Arabic search against the
same engine with no Arabic processing, in the same run.

For a fixed random sample of articles, a query is made from 2–4 content words of the
headline, each word varied the way readers type: alef forms, ة/ه, ى/ي, diacritics,
tatweel, و/ب/ل/ال prefixes added or removed.  The article the headline came from is
the one right answer.  Reports MRR@10 and recall@10 for

* ``sahafa``: the configured backend (SQLite FTS5 or PostgreSQL) over analysed text;
* ``plain``: stock FTS5 ``unicode61`` / PostgreSQL ``simple`` over the raw text,
  same field weights (headline ×10);
* ``*_any_word``: the same stock engine asked for any of the words (OR), ranked by
  BM25 / ts_rank — kinder to misspelt words than the default all-words query;
* ``wordpress_like``: WordPress's stock search (``LIKE '%word%'`` per word, its own
  ordering);
* ``pg_arabic`` (PostgreSQL only): PostgreSQL's own ``arabic`` configuration.

``ratio_mrr_vs_plain`` compares with the stock engine's default query (the target);
``ratio_mrr_vs_best_baseline`` with the best of the baselines above.

Prints ONE JSON line.  Targets: MRR@10 ≥ 0.90 and ≥ 1.4× plain.

    python bench/search_quality.py --backend sqlite --sample 500
    python bench/search_quality.py --backend postgres --sample 500

PostgreSQL: a scratch database is created (and dropped) through
``$SAHAFA_BENCH_POSTGRES_URL`` (default ``postgres://sahafa:sahafa@127.0.0.1:5432/sahafa``).
Data comes from $SAHAFA_DATA_DIR (default ``<repo>/../shared/data``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_PG = "postgres://sahafa:sahafa@127.0.0.1:5432/sahafa"
HARAKAT = "\u064e\u064f\u0650\u0651\u0652\u064b\u064c\u064d"


def data_dir() -> Path:
    return Path(os.environ.get("SAHAFA_DATA_DIR") or REPO.parent / "shared" / "data")


def load_records(limit: int | None = None) -> list[dict]:
    path = data_dir() / "arabic-news.jsonl.gz"
    if not path.exists():
        sys.exit(f"search bench: corpus not found at {path} (set SAHAFA_DATA_DIR)")
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line))
            if limit and len(out) >= limit:
                break
    return out


def setup_django(backend: str) -> str | None:
    """Point Django at a scratch database of the wanted kind, create the search tables.

    Returns the name of a scratch PostgreSQL database to drop afterwards."""
    home = tempfile.mkdtemp(prefix="sahafa-search-bench-")
    os.environ["SAHAFA_HOME"] = home
    os.environ.setdefault("SAHAFA_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghij")
    os.environ["DJANGO_SETTINGS_MODULE"] = "sahafa.settings"
    scratch = None
    if backend == "postgres":
        import psycopg

        base = os.environ.get("SAHAFA_BENCH_POSTGRES_URL", DEFAULT_PG)
        scratch = f"sahafa_search_bench_{os.getpid()}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{scratch}"')
        os.environ["SAHAFA_DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + scratch
    else:
        os.environ.pop("SAHAFA_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    # Only the search app's tables: its migration has no dependencies.
    call_command("migrate", "search", verbosity=0)
    return scratch


def drop_scratch(scratch: str | None) -> None:
    if not scratch:
        return
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect(
        os.environ.get("SAHAFA_BENCH_POSTGRES_URL", DEFAULT_PG), autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def to_document(pk: int, rec: dict):
    from sahafa.search.documents import SearchDocument

    return SearchDocument(
        id=pk,
        title=rec["title"],
        external_id=rec["id"],
        standfirst=rec.get("summary") or "",
        body=rec["body"],
        section=rec.get("section") or "",
        authors=(rec["author"],) if rec.get("author") else (),
        published_at=parse_date(rec.get("date")),
    )


# --- query variations ------------------------------------------------------------------


def content_words(title: str) -> list[str]:
    from sahafa.arabic import STOP_WORDS, normalize, tokenize

    words = []
    for token in tokenize(title):
        norm = normalize(token.text, "match")
        if token.kind == "arabic" and len(norm) >= 3 and norm not in STOP_WORDS:
            words.append(token.text)
    return words


def vary(word: str, rng: random.Random) -> str:
    """One reader's spelling of ``word``."""
    kind = rng.choice(["alef", "taa", "yaa", "diacritics", "tatweel", "prefix", "prefix", "none"])
    if kind == "alef":
        if re.search("[أإآ]", word):
            return re.sub("[أإآ]", "ا", word)
        return (
            re.sub("^ا", "أ", word) if word.startswith("ا") else re.sub("^ال", "الأ", word, count=0)
        )
    if kind == "taa":
        if word.endswith("ة"):
            return word[:-1] + "ه"
        if word.endswith("ه"):
            return word[:-1] + "ة"
    if kind == "yaa":
        if word.endswith("ى"):
            return word[:-1] + "ي"
        if word.endswith("ي"):
            return word[:-1] + "ى"
    if kind == "diacritics":
        return "".join(c + (rng.choice(HARAKAT) if rng.random() < 0.4 else "") for c in word)
    if kind == "tatweel" and len(word) > 2:
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + "ـ" + word[i:]
    if kind == "prefix":
        if word.startswith("ال"):
            return rng.choice([word[2:], "و" + word, "ب" + word, "ل" + word[1:]])
        if word[0] in "وبل" and len(word) > 4 and rng.random() < 0.5:
            return word[1:]
        return rng.choice(["و", "ب", "ل", "ال"]) + word
    return word


def make_queries(records: list[dict], sample: int, seed: int) -> list[tuple[int, str]]:
    """``(index of the article, query)`` for ``sample`` articles with ≥2 content words."""
    rng = random.Random(seed)
    order = list(range(len(records)))
    rng.shuffle(order)
    out = []
    for i in order:
        words = content_words(records[i]["title"])
        if len(words) < 2:
            continue
        k = rng.randint(2, min(4, len(words)))
        picked = sorted(rng.sample(range(len(words)), k))
        out.append((i, " ".join(vary(words[j], rng) for j in picked)))
        if len(out) >= sample:
            break
    return out


# --- baselines: the same engine, no Arabic processing -------------------------------------

_WORD = re.compile(r"\w+")


class PlainFTS5:
    name = "plain_fts5_unicode61"
    joiner = " AND "  # FTS5's own reading of "a b"

    def __init__(self, connection):
        self.connection = connection
        with connection.cursor() as c:
            c.execute("DROP TABLE IF EXISTS bench_plain_fts")
            c.execute("CREATE VIRTUAL TABLE bench_plain_fts USING fts5(title, lead, body)")

    def index(self, docs) -> None:
        with self.connection.cursor() as c:
            c.executemany(
                "INSERT INTO bench_plain_fts (rowid, title, lead, body) VALUES (%s, %s, %s, %s)",
                [(d.id, d.title, d.standfirst, d.body) for d in docs],
            )

    def search(self, query: str, limit: int = 10) -> list[int]:
        words = _WORD.findall(query)
        if not words:
            return []
        match = self.joiner.join('"' + w.replace('"', '""') + '"' for w in words)
        with self.connection.cursor() as c:
            c.execute(
                "SELECT rowid FROM bench_plain_fts WHERE bench_plain_fts MATCH %s "
                "ORDER BY bm25(bench_plain_fts, 10.0, 4.0, 1.0) LIMIT %s",
                [match, limit],
            )
            return [r[0] for r in c.fetchall()]


class PlainFTS5Any(PlainFTS5):
    """Stock FTS5 again, asked for any of the words (OR) instead of all of them: the
    friendliest way to query an engine that does not know Arabic."""

    name = "plain_fts5_any_word"
    joiner = " OR "

    def __init__(self, connection):
        self.connection = connection  # shares PlainFTS5's table

    def index(self, docs) -> None:
        pass


class WordPressLike:
    """WordPress's stock search: every word must occur (``LIKE '%word%'``) in the title,
    excerpt or content; ordered as ``WP_Query::parse_search_order`` does — whole query in
    the title, all words in the title, any word in the title, whole query in the excerpt,
    in the content — then newest first."""

    name = "wordpress_like"

    def __init__(self, connection):
        self.connection = connection
        with connection.cursor() as c:
            c.execute("DROP TABLE IF EXISTS bench_wp_posts")
            c.execute(
                "CREATE TABLE bench_wp_posts (id bigint PRIMARY KEY, post_title text, "
                "post_excerpt text, post_content text, post_date text)"
            )

    def index(self, docs) -> None:
        with self.connection.cursor() as c:
            c.executemany(
                "INSERT INTO bench_wp_posts VALUES (%s, %s, %s, %s, %s)",
                [
                    (
                        d.id,
                        d.title,
                        d.standfirst,
                        d.body,
                        (d.published_at or datetime.min).isoformat(),
                    )
                    for d in docs
                ],
            )

    def search(self, query: str, limit: int = 10) -> list[int]:
        words = query.split()
        if not words:
            return []

        def like(text: str) -> str:
            return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

        any_field = "(post_title LIKE %s ESCAPE '\\' OR post_excerpt LIKE %s ESCAPE '\\' OR post_content LIKE %s ESCAPE '\\')"
        in_title = "post_title LIKE %s ESCAPE '\\'"
        where = " AND ".join([any_field] * len(words))
        order = (
            f"CASE WHEN {in_title} THEN 1 WHEN {' AND '.join([in_title] * len(words))} THEN 2 "
            f"WHEN {' OR '.join([in_title] * len(words))} THEN 3 "
            "WHEN post_excerpt LIKE %s ESCAPE '\\' THEN 4 WHEN post_content LIKE %s ESCAPE '\\' THEN 5 "
            "ELSE 6 END, post_date DESC"
        )
        whole = like(query)
        params = [like(w) for w in words for _ in range(3)]
        params += [whole] + [like(w) for w in words] * 2 + [whole, whole, limit]
        with self.connection.cursor() as c:
            c.execute(
                f"SELECT id FROM bench_wp_posts WHERE {where} ORDER BY {order} LIMIT %s",  # noqa: S608 - placeholders only
                params,
            )
            return [r[0] for r in c.fetchall()]


class PlainPostgres:
    def __init__(self, connection, config: str = "simple", any_word: bool = False):
        self.connection, self.config, self.any_word = connection, config, any_word
        self.name = f"pg_{config}" + ("_any_word" if any_word else "")
        self.table = f"bench_plain_{config}"
        if any_word:
            return  # shares the all-words baseline's table
        with connection.cursor() as c:
            c.execute(f"DROP TABLE IF EXISTS {self.table}")
            c.execute(f"CREATE TABLE {self.table} (id bigint PRIMARY KEY, document tsvector)")

    def index(self, docs) -> None:
        if self.any_word:
            return
        cfg = self.config
        with self.connection.cursor() as c:
            c.executemany(
                f"INSERT INTO {self.table} (id, document) VALUES (%s, "  # noqa: S608 - bench-owned names
                f"setweight(to_tsvector('{cfg}', %s), 'A') || setweight(to_tsvector('{cfg}', %s), 'B') "
                f"|| setweight(to_tsvector('{cfg}', %s), 'D'))",
                [(d.id, d.title, d.standfirst, d.body) for d in docs],
            )
            c.execute(f"CREATE INDEX ON {self.table} USING gin (document)")
            c.execute(f"ANALYZE {self.table}")

    def search(self, query: str, limit: int = 10) -> list[int]:
        # plainto_tsquery ANDs the words; the any-word variant ORs the same lexemes.
        tsquery = (
            f"to_tsquery('{self.config}', replace(plainto_tsquery('{self.config}', %s)::text, '&', '|'))"
            if self.any_word
            else f"plainto_tsquery('{self.config}', %s)"
        )
        with self.connection.cursor() as c:
            c.execute(
                f"SELECT id FROM {self.table}, {tsquery} q "  # noqa: S608
                "WHERE document @@ q ORDER BY ts_rank('{0.1,0.3,0.4,1.0}', document, q, 1) DESC LIMIT %s",
                [query, limit],
            )
            return [r[0] for r in c.fetchall()]


def score(ranked: list[list[int]], wanted: list[int]) -> dict:
    rr, hits = 0.0, 0
    for ids, want in zip(ranked, wanted, strict=True):
        if want in ids[:10]:
            hits += 1
            rr += 1.0 / (ids.index(want) + 1)
    n = len(wanted) or 1
    return {"mrr10": round(rr / n, 4), "recall10": round(hits / n, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--limit", type=int, default=None, help="index only the first N articles")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument(
        "--show-misses", type=int, default=0, help="print N missed queries to stderr"
    )
    args = parser.parse_args()

    records = load_records(args.limit)
    scratch = setup_django(args.backend)
    try:
        from django.db import connection, transaction

        from sahafa.search.backends import get_search_backend

        backend = get_search_backend()
        docs = [to_document(i + 1, r) for i, r in enumerate(records)]
        started = time.perf_counter()
        with transaction.atomic():
            backend.clear()
            backend.index_documents(docs)
        build_seconds = time.perf_counter() - started
        backend.optimize()

        baselines = (
            [PlainFTS5(connection), PlainFTS5Any(connection)]
            if connection.vendor == "sqlite"
            else [
                PlainPostgres(connection, "simple"),
                PlainPostgres(connection, "simple", any_word=True),
                PlainPostgres(connection, "arabic"),
            ]
        ) + [WordPressLike(connection)]
        with transaction.atomic():
            for b in baselines:
                b.index(docs)

        queries = make_queries(records, args.sample, args.seed)
        wanted = [i + 1 for i, _q in queries]
        sahafa_ranked = [[h.id for h in backend.search(q, limit=10).hits] for _i, q in queries]
        report = {
            "bench": "search_quality",
            "backend": connection.vendor,
            "articles": len(docs),
            "queries": len(queries),
            "seed": args.seed,
            "index_build_articles_per_s": round(len(docs) / build_seconds, 1),
            "sahafa": score(sahafa_ranked, wanted),
        }
        for b in baselines:
            report[b.name] = score([b.search(q) for _i, q in queries], wanted)
        plain = report[baselines[0].name]["mrr10"]
        report["ratio_mrr_vs_plain"] = (
            round(report["sahafa"]["mrr10"] / plain, 3) if plain else None
        )
        best = max(report[b.name]["mrr10"] for b in baselines)
        report["ratio_mrr_vs_best_baseline"] = (
            round(report["sahafa"]["mrr10"] / best, 3) if best else None
        )
        report["targets"] = {"mrr10": 0.90, "ratio_vs_plain": 1.4}
        report["pass"] = bool(
            report["sahafa"]["mrr10"] >= 0.90 and (report["ratio_mrr_vs_plain"] or 0) >= 1.4
        )
        report["examples"] = [q for _i, q in queries[:3]]
        if args.show_misses:
            shown = 0
            for (i, q), ids in zip(queries, sahafa_ranked, strict=True):
                if i + 1 not in ids[:1] and shown < args.show_misses:
                    shown += 1
                    got = records[ids[0] - 1]["title"] if ids else "-"
                    print(f"MISS q={q!r} want={records[i]['title']!r} got={got!r}", file=sys.stderr)
        print(json.dumps(report, ensure_ascii=False))  # noqa: T201 - the bench's one line
    finally:
        drop_scratch(scratch)


if __name__ == "__main__":
    main()
