"""Gold files for the page importers: where the data lives and how to read the gold.

Gold files (``tests/ingest/gold/<id>.json``) hold **positions**, never page text:
``{"line": n}`` is the whole (stripped) line ``n`` (1-based, lines split on ``\\n``),
``{"line": n, "start": s, "end": e}`` the characters ``s:e`` of that line, and the
ticker is ``{"line": n, "segments": [[s, e], ...]}``. The text is read from the
shared data at test time, so no sentence of the pages is copied into the repo.

One gold file serves both the ``.txt`` dump and the ``.html`` page of an id: the
dump is derived from the HTML, so the expected *texts* are the same — the bench
compares texts (display-normalised), not positions, for both formats.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
GOLD_DIR = Path(__file__).resolve().parent / "gold"


def data_dir() -> Path:
    """``$SAHAFA_DATA_DIR`` or ``<repo>/../shared/data``."""
    return Path(os.environ.get("SAHAFA_DATA_DIR") or REPO.parent / "shared" / "data")


def seed_page() -> Path:
    return data_dir().parent / "reference" / "seed-page.txt"


def gold_ids() -> list[str]:
    return sorted(p.stem for p in GOLD_DIR.glob("*.json"))


def load(gold_id: str) -> dict[str, Any]:
    return json.loads((GOLD_DIR / f"{gold_id}.json").read_text(encoding="utf-8"))


def page_path(gold: dict[str, Any], fmt: str = "text") -> Path | None:
    rel = gold.get(fmt)
    return (data_dir() / rel).resolve() if rel else None


def _span(lines: list[str], span: dict[str, int] | None) -> str | None:
    if not span:
        return None
    raw = lines[span["line"] - 1]
    if "start" in span:
        return raw[span["start"] : span["end"]]
    return raw.strip()


def resolve(gold: dict[str, Any]) -> dict[str, Any]:
    """The gold with every position replaced by the text it points at."""
    path = page_path(gold, "text")
    assert path is not None
    lines = path.read_text(encoding="utf-8").split("\n")
    out: dict[str, Any] = {"id": gold["id"], "kind": gold["kind"]}
    if gold["kind"] != "article":
        return out
    out["title"] = _span(lines, gold["title"])
    out["site_name"] = _span(lines, gold.get("site_name"))
    out["section"] = _span(lines, gold.get("section"))
    out["masthead"] = {role: _span(lines, s) for role, s in gold.get("masthead", {}).items()}
    ticker = gold.get("ticker")
    out["ticker"] = (
        [lines[ticker["line"] - 1][s:e] for s, e in ticker["segments"]] if ticker else []
    )
    for key in ("captions", "subheadings", "paragraphs", "quotes", "tags", "authors"):
        out[key] = [_span(lines, s) for s in gold.get(key, [])]
    out["date"] = gold.get("date")
    return out
