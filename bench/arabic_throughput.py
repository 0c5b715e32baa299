"""Throughput of the sahafa.arabic matching pipeline against a naive baseline.

Normalises, tokenises and stems article bodies from ``arabic-news.jsonl.gz`` and
prints ONE JSON line: MB/s and tokens/s per stage (normalize, tokenize, stem,
analyze) for the real implementation and for a naive one (a ``re.sub`` per rule,
a ``re.finditer`` tokenizer building objects, an uncached stemmer), plus ratios.
Medians over ``--repeats`` runs, because the machine is noisy.

    python bench/arabic_throughput.py --limit 5000 --repeats 3

Data comes from $SAHAFA_DATA_DIR (default ``<repo>/../shared/data``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sahafa.arabic import normalize  # noqa: E402
from sahafa.arabic.analyze import analyze  # noqa: E402
from sahafa.arabic.lexicon import STOP_WORDS  # noqa: E402
from sahafa.arabic.normalize import RULES  # noqa: E402
from sahafa.arabic.stem import _stem_normalized, cached_stemmer  # noqa: E402
from sahafa.arabic.tokenize import MATCH_TOKEN_RE  # noqa: E402


def load_bodies(limit: int) -> list[str]:
    data_dir = Path(os.environ.get("SAHAFA_DATA_DIR", REPO.parent / "shared" / "data"))
    path = data_dir / "arabic-news.jsonl.gz"
    if not path.is_file():
        sys.exit(f"arabic_throughput: {path} not found; set SAHAFA_DATA_DIR to the shared data dir")
    bodies: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            bodies.append(json.loads(line).get("body") or "")
            if len(bodies) >= limit:
                break
    return bodies


# --- naive baseline: what one writes without thinking about speed ---------------


def _naive_rules() -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]:
    # One regex per rule, as a textbook normaliser does.
    compiled = []
    for rule in RULES:
        mapping = rule.mapping
        chars = "".join(re.escape(chr(cp)) for cp in mapping)
        compiled.append(
            (re.compile(f"[{chars}]"), lambda m, mp=mapping: mp.get(ord(m.group())) or "")
        )
    return compiled


NAIVE_RULES = _naive_rules()
NAIVE_SPACES = re.compile(r"\s+")
NAIVE_TOKEN = re.compile(r"\w+")


def naive_normalize(text: str) -> str:
    for pattern, repl in NAIVE_RULES:
        text = pattern.sub(repl, text)
    return NAIVE_SPACES.sub(" ", text).strip()


def naive_tokenize(text: str) -> list[str]:
    return [m.group() for m in NAIVE_TOKEN.finditer(text)]


def naive_stem(word: str) -> str:
    # Same rules, no cache, normalising every word again.
    return _stem_normalized(naive_normalize(word), "light") or word


def naive_analyze(text: str) -> list[str]:
    return [naive_stem(t) for t in naive_tokenize(naive_normalize(text)) if t not in STOP_WORDS]


# --- measurement ----------------------------------------------------------------


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=5000, help="articles to read (default 5000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per stage; the median is kept")
    args = parser.parse_args()

    bodies = load_bodies(args.limit)
    megabytes = sum(len(b.encode("utf-8", "surrogatepass")) for b in bodies) / 1e6
    normalized = [normalize(b, "match") for b in bodies]
    tokens = [MATCH_TOKEN_RE.findall(n) for n in normalized]
    n_tokens = sum(len(t) for t in tokens)
    flat = [t for ts in tokens for t in ts]
    n_naive_tokens = sum(len(naive_tokenize(n)) for n in normalized)

    def stem_all() -> None:
        cached = cached_stemmer("light")
        for t in flat:
            cached(t)

    stages: dict[str, dict[str, Callable[[], object]]] = {
        "fast": {
            "normalize": lambda: [normalize(b, "match") for b in bodies],
            "tokenize": lambda: [MATCH_TOKEN_RE.findall(n) for n in normalized],
            "stem": stem_all,
            "analyze": lambda: [analyze(b) for b in bodies],
        },
        "naive": {
            "normalize": lambda: [naive_normalize(b) for b in bodies],
            "tokenize": lambda: [naive_tokenize(n) for n in normalized],
            "stem": lambda: [naive_stem(t) for t in flat],
            "analyze": lambda: [naive_analyze(b) for b in bodies],
        },
    }
    # Warm the stem cache once, as a long-running indexer would have it.
    analyze(" ".join(bodies[:200]))

    result: dict[str, object] = {
        "bench": "arabic_throughput",
        "articles": len(bodies),
        "megabytes": round(megabytes, 3),
        "tokens": n_tokens,
        "repeats": args.repeats,
    }
    for impl, funcs in stages.items():
        impl_result: dict[str, dict[str, float]] = {}
        for stage, fn in funcs.items():
            seconds = median_seconds(fn, args.repeats)
            count = n_naive_tokens if impl == "naive" and stage == "tokenize" else n_tokens
            impl_result[stage] = {
                "seconds": round(seconds, 3),
                "mb_per_s": round(megabytes / seconds, 2),
                "tokens_per_s": round(count / seconds),
            }
        result[impl] = impl_result
    fast, naive = result["fast"], result["naive"]
    assert isinstance(fast, dict) and isinstance(naive, dict)
    result["speedup"] = {s: round(fast[s]["mb_per_s"] / naive[s]["mb_per_s"], 2) for s in fast}
    result["targets_met"] = {
        "analyze_mb_per_s_ge_5": fast["analyze"]["mb_per_s"] >= 5,
        "analyze_speedup_ge_3": result["speedup"]["analyze"] >= 3,
    }
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
