"""Reader throughput over HTTP: a cached article page against a static file.

Starts `sahafa serve` on loopback for a demo site (made in a temporary SAHAFA_HOME
unless --home is given), then runs wrk (Debian package) for a fixed time against
(1) a static file served by WhiteNoise — the baseline, "static-file speed" —,
(2) a published article page from the page cache, (3) the home page from the
cache, and (4) the article with the cache bypassed (a logged-in-like cookie).
Prints one JSON line with requests/s, latency percentiles and the ratios to (1).

    python bench/http_speed.py [--home DIR] [--seconds 10] [--connections 16]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str, seconds: int, connections: int, headers: list[str] | None = None) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    for header in headers or []:
        cmd[1:1] = ["-H", header]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(label: str) -> float:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": round(rps, 1),
        "p50_ms": pct("50"),
        "p99_ms": pct("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    home = args.home or tempfile.mkdtemp(prefix="sahafa-http-")
    env = {**os.environ, "SAHAFA_HOME": home, "DJANGO_SETTINGS_MODULE": "sahafa.settings"}
    if not (Path(home) / "sahafa.sqlite3").exists():
        subprocess.run(
            [sys.executable, "-m", "sahafa.cli", "demo", "--no-serve", "--home", home],
            env=env,
            check=True,
            capture_output=True,
        )
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sahafa.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/api/v1/articles/", timeout=5)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.5)
        api = json.load(urllib.request.urlopen(base + "/api/v1/articles/"))  # noqa: S310
        article = urlparse(api["results"][0]["url"]).path
        home_html = urllib.request.urlopen(base + "/").read().decode()  # noqa: S310
        css = re.search(r'href="(/static/news/site[^"]*\.css)"', home_html).group(1)
        for path in (article, "/"):
            urllib.request.urlopen(base + path).read()  # noqa: S310 - fill the cache
        results = {
            "static_file": wrk(base + css, args.seconds, args.connections),
            "article_cached": wrk(base + article, args.seconds, args.connections),
            "home_cached": wrk(base + "/", args.seconds, args.connections),
            "article_uncached": wrk(
                base + article, args.seconds, args.connections, ["Cookie: sessionid=bench"]
            ),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    static = results["static_file"]["rps"]
    ratios = {
        name: round(r["rps"] / static, 2) for name, r in results.items() if name != "static_file"
    }
    print(
        json.dumps(
            {
                "bench": "http_speed",
                "workers": args.workers,
                "connections": args.connections,
                "seconds": args.seconds,
                "results": results,
                "ratio_to_static": ratios,
            }
        )
    )


if __name__ == "__main__":
    main()
