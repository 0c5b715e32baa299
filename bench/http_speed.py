"""Reader throughput over HTTP, against nginx serving the same bytes, in one run.

Starts, on loopback: `sahafa serve` (granian, the page cache before Django, its
worker) for a site (``--home``; by default a new demo site), Varnish with the
shipped deploy/varnish/sahafa.vcl in front of it, and nginx serving the *same bytes*
as static files (the article and home page as the app sends them, plain and gzip,
with ``gzip_static``; the ticker fragment too) — the baseline. Then wrk measures, for plain
and gzip readers: the cached article from nginx, from `sahafa serve`, through the
edge; the home page and the ticker fragment from `sahafa serve` and the edge; the
article rendered by Django on every request (a session cookie bypasses the caches);
and publish-to-visible through the edge (an edit published by another process until
the edge serves the new headline). Optionally (``--renders``) the uncached render
figures of bench/page_render.py on the same site.

Each measurement alternates with its nginx baseline for ``--rounds`` rounds; the
ratio is the median of the per-round ratios (the machine's load drifts between runs).
Prints one JSON line: requests/s, p50/p99 latency (medians), the ratios to nginx.

    python bench/http_speed.py [--home DIR] [--seconds 5] [--rounds 3] [--connections 32]
                               [--renders]
"""

from __future__ import annotations

import argparse
import gzip as gzip_module
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VCL = REPO / "deploy" / "varnish" / "sahafa.vcl"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(
    url: str,
    seconds: int,
    connections: int,
    headers: list[str] | None = None,
    script: Path | None = None,
) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers or []:
        cmd += ["-H", header]
    if script is not None:  # a Lua script: another method, a body
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(label: str) -> float:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 3)

    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": round(rps, 1),
        "p50_ms": pct("50"),
        "p99_ms": pct("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def median_run(runs: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def get(port: int, path: str, host: str, **headers: str) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host, **headers})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def wait_for(port: int, host: str, log: Path, seconds: float = 180, path: str = "/") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get(port, path, host)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"nothing answered on port {port} (logs: {log})")


def start_nginx(root: Path, port: int, locations: str = "") -> subprocess.Popen:
    """nginx serving ``root/www`` as static files (with ``gzip_static``): the
    baseline of every HTTP benchmark; ``locations``, extra ``location`` blocks."""
    conf = root / "nginx.conf"
    conf.write_text(
        f"""
worker_processes {os.cpu_count() or 1};
daemon off;
pid {root}/nginx.pid;
error_log {root}/nginx.err;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    types {{ text/html html; application/json json; }}
    server {{
        listen 127.0.0.1:{port};
        root {root}/www;
        {locations}
        location / {{ gzip_static on; }}
    }}
}}
"""
    )
    return subprocess.Popen(["nginx", "-c", str(conf), "-p", str(root)])  # noqa: S603, S607


def start_varnish(root: Path, port: int, app_port: int) -> subprocess.Popen:
    vcl = root / "sahafa.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000"', f'.port = "{app_port}"'))
    return subprocess.Popen(  # noqa: S603
        [
            "varnishd",
            "-F",
            "-j",
            "none",
            "-n",
            str(root / "varnish"),
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-s",
            "malloc,256m",
            "-p",
            "http_gzip_support=off",
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def publish_to_visible(env: dict, edge_port: int, host: str, article_id: int, rounds: int) -> dict:
    """An edit published by another process, until the edge serves the new headline."""
    times = []
    for n in range(rounds):
        title = f"عنوان محدّث للقياس رقم {n} {int(time.time())}"
        script = (
            "import django, time\ndjango.setup()\n"
            "from sahafa.news.models import ArticlePage\n"
            f"a = ArticlePage.objects.get(pk={article_id})\n"
            f"a.title = {title!r}\n"
            "a.save_revision().publish()\n"
            "print(time.time())\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        published = float(done.stdout.split()[-1])
        deadline = published + 30
        path = f"/a/{article_id}/"
        status, headers, _ = get(edge_port, path, host)
        target = headers.get("location", "")
        while time.time() < deadline:
            status, _, body = get(edge_port, target or path, host)
            if title.encode() in body:
                times.append(time.time() - published)
                break
            time.sleep(0.05)
        else:
            times.append(float("inf"))
    finite = [t for t in times if t != float("inf")]
    return {
        "rounds": rounds,
        "median_s": round(statistics.median(finite), 3) if finite else None,
        "max_s": round(max(times), 3),
        "missed": len(times) - len(finite),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", help="an existing site's SAHAFA_HOME (default: a new demo)")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="alternations per measurement")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--publish-rounds", type=int, default=5)
    parser.add_argument("--renders", action="store_true", help="add bench/page_render.py's figures")
    args = parser.parse_args()
    for tool in ("wrk", "nginx", "varnishd"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed (scripts/install.sh --test installs it)")
    home = args.home or tempfile.mkdtemp(prefix="sahafa-http-")
    work = Path(tempfile.mkdtemp(prefix="sahafa-http-bench-"))
    app_port, edge_port, nginx_port = free_port(), free_port(), free_port()
    host = f"127.0.0.1:{edge_port}"
    env = {
        **os.environ,
        "SAHAFA_HOME": home,
        "DJANGO_SETTINGS_MODULE": "sahafa.settings",
        "SAHAFA_EDGE_PURGE_URL": f"http://{host}",
        "SAHAFA_BASE_URL": f"http://{host}",
    }
    if not (Path(home) / "sahafa.sqlite3").exists():
        subprocess.run(
            [sys.executable, "-m", "sahafa.cli", "demo", "--no-serve", "--home", home],
            env=env,
            check=True,
            capture_output=True,
        )
    children = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "sahafa.cli",
                "serve",
                "--port",
                str(app_port),
                "--workers",
                str(args.workers),
            ],  # fmt: skip
            env=env,
            stdout=open(work / "serve.log", "wb"),  # noqa: SIM115 - the child owns it
            stderr=subprocess.STDOUT,
            start_new_session=True,
        ),
        start_varnish(work, edge_port, app_port),
    ]
    try:
        wait_for(app_port, host, work / "serve.log")
        wait_for(edge_port, host, work)
        api = json.loads(get(app_port, "/api/v1/articles/", host)[2])
        article_id = api["results"][0]["id"]
        location = get(app_port, f"/a/{article_id}/", host)[1]["location"]
        article = location.split(host, 1)[-1]
        # The baseline serves exactly the bytes the app sends, plain and gzip.
        www = work / "www"
        www.mkdir()
        # nginx's workers run as an unprivileged user: let them read the bytes.
        work.chmod(0o755)
        www.chmod(0o755)
        for name, path in (
            ("article.html", article),
            ("home.html", "/"),
            ("ticker.json", "/fragments/ticker.json"),
        ):
            plain = get(app_port, path, host)[2]
            (www / name).write_bytes(plain)
            (www / f"{name}.gz").write_bytes(gzip_module.compress(plain, 6, mtime=0))
        for file in www.iterdir():
            file.chmod(0o644)
        children.append(start_nginx(work, nginx_port))
        wait_for(nginx_port, host, work / "nginx.err", 30, "/home.html")
        for port in (app_port, edge_port):
            for path in (article, "/", "/fragments/ticker.json"):
                for coding in ("", "gzip"):
                    get(port, path, host, **{"Accept-Encoding": coding})
        app, edge, ngx = (f"http://127.0.0.1:{p}" for p in (app_port, edge_port, nginx_port))
        gz = ["Accept-Encoding: gzip"]
        hosted = [f"Host: {host}"]
        run = lambda url, extra=(): wrk(url, args.seconds, args.connections, [*hosted, *extra])  # noqa: E731
        # Each measurement beside its baseline, alternating, several rounds: on a
        # shared machine the load drifts between runs; the ratio is taken per round.
        pairs = {
            "serve_article": (f"{ngx}/article.html", app + article, []),
            "edge_article": (f"{ngx}/article.html", edge + article, []),
            "serve_article_gzip": (f"{ngx}/article.html", app + article, gz),
            "edge_article_gzip": (f"{ngx}/article.html", edge + article, gz),
            "serve_home": (f"{ngx}/home.html", app + "/", []),
            "edge_home": (f"{ngx}/home.html", edge + "/", []),
            "serve_ticker": (f"{ngx}/ticker.json", app + "/fragments/ticker.json", []),
            "edge_ticker": (f"{ngx}/ticker.json", edge + "/fragments/ticker.json", []),
        }
        results, ratios = {}, {}
        for name, (baseline, target, extra) in pairs.items():
            rounds = [(run(baseline, extra), run(target, extra)) for _ in range(args.rounds)]
            results[name] = median_run([t for _, t in rounds])
            results[f"{name}:nginx"] = median_run([b for b, _ in rounds])
            ratios[name] = round(statistics.median(t["rps"] / b["rps"] for b, t in rounds), 3)
        results["serve_article_uncached"] = run(app + article, ["Cookie: sessionid=bench"])
        visible = publish_to_visible(env, edge_port, host, article_id, args.publish_rounds)
    finally:
        for child in children:
            try:
                os.killpg(child.pid, signal.SIGTERM) if child is children[0] else child.terminate()
                child.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                child.kill()
        if not os.environ.get("SAHAFA_BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)

    renders = None
    if args.renders:
        done = subprocess.run(
            [sys.executable, str(REPO / "bench" / "page_render.py"), "--home", home],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        renders = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        json.dumps(
            {
                "bench": "http_speed",
                "workers": args.workers,
                "connections": args.connections,
                "seconds": args.seconds,
                "results": results,
                "rounds": args.rounds,
                "ratio_to_nginx": ratios,
                "publish_to_visible_through_edge": visible,
                "uncached_renders": renders,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
