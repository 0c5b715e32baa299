"""The read API and the most-read beacon over HTTP, against nginx, in one run.

Starts, on loopback: `sahafa serve` (granian, the page cache before Django) for a
site (``--home``; by default a new demo site) and nginx serving the *same bytes* the
API answers (the article list and one article's detail, as JSON files) and answering
the beacon's POST with an empty 204 — the baselines. Then wrk measures:

- the article list and detail from `sahafa serve`'s page cache, each beside nginx
  serving its bytes (rounds alternate; the ratio is the median of per-round ratios);
- the same two rendered by django-ninja on every request (a session cookie passes the
  page cache: the stock library path, as an app's reader would meet it on a miss);
- the beacon (``POST /fragments/views/<id>``, no body, no cookie), beside nginx's 204.
  Each wrk connection is one reader address of the rate limit, so most beacons are
  counted as repeats (one view per client per article per day), as under a real
  flood: the figure is what the origin sustains, not how many views it records.

Prints one JSON line: requests/s and p50/p99 latency (medians) and the ratios.

    python bench/api.py [--home DIR] [--seconds 5] [--rounds 3] [--connections 32]
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
from pathlib import Path

from http_speed import free_port, get, median_run, start_nginx, wait_for, wrk

BEACON_LUA = """
wrk.method = "POST"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
wrk.headers["Content-Length"] = "0"
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", help="an existing site's SAHAFA_HOME (default: a new demo)")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="alternations per measurement")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed (scripts/install.sh --test installs it)")
    home = args.home or tempfile.mkdtemp(prefix="sahafa-api-")
    work = Path(tempfile.mkdtemp(prefix="sahafa-api-bench-"))
    app_port, nginx_port = free_port(), free_port()
    host = f"127.0.0.1:{app_port}"
    env = {
        **os.environ,
        "SAHAFA_HOME": home,
        "DJANGO_SETTINGS_MODULE": "sahafa.settings",
        "SAHAFA_BASE_URL": f"http://{host}",
        # One wrk is one client: the reader's rate limit would answer 429s instead.
        "SAHAFA_API_RATE": "",
    }
    if not (Path(home) / "sahafa.sqlite3").exists():
        subprocess.run(
            [sys.executable, "-m", "sahafa.cli", "demo", "--no-serve", "--home", home],
            env=env,
            check=True,
            capture_output=True,
        )
    serve = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "sahafa.cli", "serve", "--port", str(app_port),
         "--workers", str(args.workers)],
        env=env,
        stdout=open(work / "serve.log", "wb"),  # noqa: SIM115 - the child owns it
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    children = [serve]
    try:
        wait_for(app_port, host, work / "serve.log")
        listing = "/api/v1/articles/"
        article_id = json.loads(get(app_port, listing, host)[2])["results"][0]["id"]
        detail = f"/api/v1/articles/{article_id}/"
        www = work / "www"
        www.mkdir()
        work.chmod(0o755)  # nginx's workers run as an unprivileged user
        www.chmod(0o755)
        for name, path in (("list.json", listing), ("detail.json", detail)):
            status, _headers, body = get(app_port, path, host)
            if status != 200:
                sys.exit(f"{path} answered {status}")
            (www / name).write_bytes(body)
            (www / name).chmod(0o644)
        # nginx's answer to a beacon: an empty 204, the least any origin can do.
        children.append(start_nginx(work, nginx_port, "location /beacon { return 204; }"))
        wait_for(nginx_port, host, work / "nginx.err", 30, "/list.json")
        app, ngx = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{nginx_port}"
        hosted = [f"Host: {host}"]
        beacon_script = work / "beacon.lua"
        beacon_script.write_text(BEACON_LUA)

        def run(url: str, extra=(), script: Path | None = None) -> dict:
            return wrk(url, args.seconds, args.connections, [*hosted, *extra], script)

        pairs = {
            "list_cached": (f"{ngx}/list.json", app + listing, [], None),
            "detail_cached": (f"{ngx}/detail.json", app + detail, [], None),
            "beacon": (f"{ngx}/beacon", f"{app}/fragments/views/{article_id}", [], beacon_script),
        }
        for path in (listing, detail):
            get(app_port, path, host)  # stored in the page cache before measuring
        results, ratios = {}, {}
        for name, (baseline, target, extra, script) in pairs.items():
            rounds = [
                (run(baseline, extra, script), run(target, extra, script))
                for _ in range(args.rounds)
            ]
            results[name] = median_run([t for _, t in rounds])
            results[f"{name}:nginx"] = median_run([b for b, _ in rounds])
            ratios[name] = round(statistics.median(t["rps"] / b["rps"] for b, t in rounds), 3)
        uncached = ["Cookie: sessionid=bench"]  # past the page cache: django-ninja each time
        results["list_uncached"] = median_run([run(app + listing, uncached) for _ in range(2)])
        results["detail_uncached"] = median_run([run(app + detail, uncached) for _ in range(2)])
    finally:
        for child in children:
            try:
                os.killpg(child.pid, signal.SIGTERM) if child is serve else child.terminate()
                child.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                child.kill()
        if not os.environ.get("SAHAFA_BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    print(
        json.dumps(
            {
                "bench": "api",
                "workers": args.workers,
                "connections": args.connections,
                "seconds": args.seconds,
                "rounds": args.rounds,
                "results": results,
                "ratio_to_nginx": ratios,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
