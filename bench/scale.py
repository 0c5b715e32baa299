"""One app node against two, on PostgreSQL + Redis, behind Varnish, in one run.

Starts on loopback: a scratch database on the PostgreSQL server of ``--database-url``
(the demo site grown by ``--articles`` records of ``arabic-news.jsonl.gz``), a Redis
database of its own, two `sahafa serve` nodes (each with its worker) sharing them,
Varnish in front of both (the shipped VCL, a round-robin director) and nginx serving
the article's bytes as a static file: the baseline. Then wrk measures:

- the cached article (each node's page cache, shared in Redis): node A alone, and A
  and B together (half the connections each, the requests/s added up);
- the article rendered on every request (a session cookie passes every cache): node
  A alone, and A and B together;
- the cached article through the edge, and nginx's static file;
- publish to visible: an edit committed by another process, until node B and the
  edge serve the new headline (node A's worker or B's takes the task).

Both nodes run on this one machine, so two nodes share its cores with each other
and with wrk: the two-node/one-node ratio shows the overhead of a second node here,
not the gain it gives on a machine of its own. Prints one JSON line.

    python bench/scale.py [--database-url postgres://…] [--cache-url redis://…]
                          [--articles 2000] [--seconds 5] [--rounds 3] [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import uuid
from pathlib import Path

from http_speed import free_port, get, median_run, publish_to_visible, start_nginx, wait_for, wrk

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.publishing.edge import vcl_for  # noqa: E402 - the two-node VCL the tests run


def data_dir() -> Path:
    return Path(os.environ.get("SAHAFA_DATA_DIR", REPO.parent / "shared" / "data"))


def psql(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql)


SAHAFA = [sys.executable, "-m", "sahafa.cli"]


def setup(arguments: list[str], env: dict[str, str]) -> None:
    """One `sahafa` set-up command; when it fails, what it said, and the bench stops."""
    done = subprocess.run([*SAHAFA, *arguments], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"sahafa {arguments[0]} failed (exit {done.returncode}); see above")


def together(urls: list[str], seconds: int, connections: int, headers: list[str]) -> dict:
    """wrk on every URL at once, the connections shared out; requests/s added up."""
    share = max(1, connections // len(urls))
    results: list[dict] = [{}] * len(urls)

    def one(index: int) -> None:
        results[index] = wrk(urls[index], seconds, share, headers)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(urls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "rps": round(sum(r["rps"] for r in results), 1),
        "p50_ms": max(r["p50_ms"] for r in results),
        "p99_ms": max(r["p99_ms"] for r in results),
        "non_2xx": sum(r["non_2xx"] for r in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("SAHAFA_TEST_POSTGRES_URL", ""))
    parser.add_argument("--cache-url", default=os.environ.get("SAHAFA_TEST_REDIS_URL", ""))
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1, help="server processes per node")
    parser.add_argument("--publish-rounds", type=int, default=5)
    args = parser.parse_args()
    for tool in ("wrk", "nginx", "varnishd"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed (scripts/install.sh --test installs it)")
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("--database-url postgres://… (or SAHAFA_TEST_POSTGRES_URL) is needed")
    if not args.cache_url.startswith("redis://"):
        sys.exit("--cache-url redis://… (or SAHAFA_TEST_REDIS_URL) is needed")
    corpus = data_dir() / "arabic-news.jsonl.gz"
    if args.articles and not corpus.exists():
        sys.exit(f"{corpus} not found (set SAHAFA_DATA_DIR)")

    name = f"sahafa_scale_{uuid.uuid4().hex[:8]}"
    server = args.database_url
    database = urllib.parse.urlunsplit(urllib.parse.urlsplit(server)._replace(path=f"/{name}"))
    cache = urllib.parse.urlunsplit(urllib.parse.urlsplit(args.cache_url)._replace(path="/13"))
    home = Path(tempfile.mkdtemp(prefix="sahafa-scale-"))
    work = Path(tempfile.mkdtemp(prefix="sahafa-scale-bench-"))
    ports = (free_port(), free_port())
    edge_port, nginx_port = free_port(), free_port()
    host = f"127.0.0.1:{edge_port}"
    env = {
        **os.environ,
        "SAHAFA_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "sahafa.settings",
        "SAHAFA_DATABASE_URL": database,
        "SAHAFA_CACHE_URL": cache,
        "SAHAFA_EDGE_PURGE_URL": f"http://{host}",
        "SAHAFA_BASE_URL": f"http://{host}",
    }
    psql(server, f'CREATE DATABASE "{name}"')
    subprocess.run(["redis-cli", "-u", cache, "flushdb"], check=True, capture_output=True)
    children: list[subprocess.Popen] = []
    try:
        setup(["demo", "--no-serve"], env)
        if args.articles:
            setup(
                ["import", "jsonl", str(corpus), "--limit", str(args.articles), "--no-progress"],
                env,
            )
            setup(["worker", "--once"], env)
        for index, port in enumerate(ports):
            children.append(
                subprocess.Popen(  # noqa: S603
                    [*SAHAFA, "serve", "--port", str(port), "--workers", str(args.workers)],
                    env=env,
                    stdout=open(work / f"serve-{index}.log", "wb"),  # noqa: SIM115
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        (work / "sahafa.vcl").write_text(vcl_for(ports))
        children.append(
            subprocess.Popen(  # noqa: S603, S607
                ["varnishd", "-F", "-j", "none", "-n", str(work / "varnish")]
                + ["-a", host, "-f", str(work / "sahafa.vcl"), "-s", "malloc,256m"]
                + ["-p", "http_gzip_support=off"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        for index, port in enumerate(ports):
            wait_for(port, host, work / f"serve-{index}.log")
        wait_for(edge_port, host, work)
        api = json.loads(get(ports[0], "/api/v1/articles/", host)[2])
        article_id = api["results"][0]["id"]
        article = get(ports[0], f"/a/{article_id}/", host)[1]["location"].split(host, 1)[-1]

        www = work / "www"
        www.mkdir()
        work.chmod(0o755)
        www.chmod(0o755)
        (www / "article.html").write_bytes(get(ports[0], article, host)[2])
        (www / "article.html").chmod(0o644)
        children.append(start_nginx(work, nginx_port))
        wait_for(nginx_port, host, work / "nginx.err", 30, "/article.html")
        for port in (*ports, edge_port):
            get(port, article, host)

        a, b = (f"http://127.0.0.1:{p}{article}" for p in ports)
        edge = f"http://{host}{article}"
        static = f"http://127.0.0.1:{nginx_port}/article.html"
        hosted = [f"Host: {host}"]
        uncached = [*hosted, "Cookie: sessionid=bench"]
        run = lambda url, headers=hosted: wrk(url, args.seconds, args.connections, headers)  # noqa: E731
        both = lambda headers=hosted: together([a, b], args.seconds, args.connections, headers)  # noqa: E731
        # Alternating, several rounds: the machine's load drifts between runs, so each
        # ratio is taken within a round and the median reported.
        rounds = []
        for _ in range(args.rounds):
            rounds.append(
                {
                    "nginx_static": run(static),
                    "cached_one_node": run(a),
                    "cached_two_nodes": both(),
                    "cached_through_edge": run(edge),
                    "uncached_one_node": run(a, uncached),
                    "uncached_two_nodes": both(uncached),
                }
            )
        results = {key: median_run([r[key] for r in rounds]) for key in rounds[0]}

        def ratio(top: str, bottom: str) -> float:
            return round(statistics.median(r[top]["rps"] / r[bottom]["rps"] for r in rounds), 3)

        ratios = {
            "cached_two_nodes_over_one": ratio("cached_two_nodes", "cached_one_node"),
            "uncached_two_nodes_over_one": ratio("uncached_two_nodes", "uncached_one_node"),
            "cached_one_node_over_nginx": ratio("cached_one_node", "nginx_static"),
            "edge_over_nginx": ratio("cached_through_edge", "nginx_static"),
        }
        visible_on_b = publish_to_visible(env, ports[1], host, article_id, args.publish_rounds)
        visible_at_edge = publish_to_visible(env, edge_port, host, article_id, args.publish_rounds)
    finally:
        for child in children:
            try:
                if child in children[:2]:
                    os.killpg(child.pid, signal.SIGTERM)
                else:
                    child.terminate()
                child.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                child.kill()
        psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not os.environ.get("SAHAFA_BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
            shutil.rmtree(home, ignore_errors=True)
    print(
        json.dumps(
            {
                "bench": "scale",
                "articles_imported": args.articles,
                "workers_per_node": args.workers,
                "connections": args.connections,
                "seconds": args.seconds,
                "rounds": args.rounds,
                "cpus": os.cpu_count(),
                "results": results,
                "ratios": ratios,
                "publish_to_visible_on_node_b": visible_on_b,
                "publish_to_visible_through_edge": visible_at_edge,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
