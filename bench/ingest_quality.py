"""Extraction quality of the page importers against the hand-made gold files.

Scores ``parse_text_page`` on the ``.txt`` dumps (and the reference seed page) and
``parse_html_page`` on the ``.html`` pages, per field: headline exact, masthead
exact, paragraphs / captions / sub-headings precision-recall-F1 (fuzzy line
matching: similarity ≥ 0.9 after display normalisation), ticker headlines split
exactly, date (day), kind (article vs listing). In the same run trafilatura's own
output on the HTML pages (its title and main-text lines, default settings) is
scored as the comparison. Prints ONE JSON line.

    .venv/bin/python bench/ingest_quality.py
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sahafa.ingest.parsers import parse_html_page, parse_text_page  # noqa: E402
from sahafa.ingest.records import ArticleRecord, RecordError  # noqa: E402
from sahafa.ingest.text import clean  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "goldfiles", REPO / "tests" / "ingest" / "goldfiles.py"
)
assert _spec and _spec.loader
goldfiles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(goldfiles)

FUZZY = 0.9
TARGETS = {"headline_exact": 1.0, "masthead_exact": 1.0, "paragraphs_f1": 0.95, "ticker_exact": 0.8}


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= FUZZY and matcher.ratio() >= FUZZY


class PRF:
    """Micro-averaged precision/recall over many pages, one-to-one fuzzy matches."""

    def __init__(self) -> None:
        self.tp = self.predicted = self.expected = 0

    def add(self, predicted: list[str], expected: list[str]) -> None:
        pred = [clean(p) for p in predicted if clean(p)]
        gold = [clean(g) for g in expected if clean(g)]
        used: set[int] = set()
        for p in pred:
            for k, g in enumerate(gold):
                if k not in used and _similar(p, g):
                    used.add(k)
                    self.tp += 1
                    break
        self.predicted += len(pred)
        self.expected += len(gold)

    def scores(self) -> dict[str, float]:
        precision = self.tp / self.predicted if self.predicted else 1.0
        recall = self.tp / self.expected if self.expected else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4)}


class Ratio:
    def __init__(self) -> None:
        self.ok = self.n = 0
        self.misses: list[str] = []

    def add(self, ok: bool, label: str = "") -> None:
        self.n += 1
        self.ok += int(ok)
        if not ok and label:
            self.misses.append(label)

    def value(self) -> float:
        return round(self.ok / self.n, 4) if self.n else 1.0


def _first_article(records: list[Any]) -> ArticleRecord | None:
    for rec in records:
        if isinstance(rec, ArticleRecord) and rec.kind in ("article", "listing"):
            return rec
    return None


def score(fmt: str, parse: Any) -> dict[str, Any]:
    fields = {k: Ratio() for k in ("headline", "masthead", "date", "kind", "site_name", "section")}
    prf = {k: PRF() for k in ("paragraphs", "captions", "subheadings", "tags", "authors")}
    ticker = Ratio()
    pages = 0
    for gold_id in goldfiles.gold_ids():
        gold_raw = goldfiles.load(gold_id)
        path = goldfiles.page_path(gold_raw, fmt)
        if path is None or not path.exists():
            continue
        gold = goldfiles.resolve(gold_raw)
        pages += 1
        try:
            rec = _first_article(list(parse(path.read_bytes(), source=str(path))))
        except RecordError:
            rec = None
        kind = rec.kind if rec else "error"
        fields["kind"].add(kind == gold["kind"], gold_id)
        if gold["kind"] != "article":
            continue
        if rec is None or rec.kind != "article":
            rec = ArticleRecord(title="")
        fields["headline"].add(clean(gold["title"]) == rec.title, gold_id)
        want_mast = {k: clean(v) for k, v in gold["masthead"].items()}
        fields["masthead"].add(want_mast == rec.masthead, gold_id)
        got_date = rec.date.date().isoformat() if rec.date else None
        fields["date"].add(got_date == gold["date"], gold_id)
        fields["site_name"].add(clean(gold["site_name"] or "") == rec.site_name, gold_id)
        fields["section"].add(clean(gold["section"] or "") == rec.section, gold_id)
        prf["paragraphs"].add(rec.paragraphs, gold["paragraphs"])
        prf["captions"].add(rec.captions, gold["captions"])
        prf["subheadings"].add(rec.subheadings, gold["subheadings"])
        prf["tags"].add(rec.tags, gold["tags"])
        prf["authors"].add(rec.authors, gold["authors"])
        if fmt == "text":
            got = set(rec.ticker)
            for headline in gold["ticker"]:
                ticker.add(clean(headline) in got, gold_id)
    out: dict[str, Any] = {"pages": pages}
    for name, ratio in fields.items():
        out[f"{name}_exact" if name in ("headline", "masthead") else f"{name}_acc"] = ratio.value()
        if ratio.misses:
            out.setdefault("misses", {})[name] = ratio.misses
    for name, acc in prf.items():
        out[name] = acc.scores()
    if fmt == "text":
        out["ticker_exact"] = ticker.value()
        out["ticker_headlines"] = ticker.n
    return out


def trafilatura_baseline() -> dict[str, Any]:
    """trafilatura alone on the HTML pages: title and main-text lines as paragraphs."""
    import trafilatura

    headline = Ratio()
    date = Ratio()
    paras = PRF()
    pages = 0
    for gold_id in goldfiles.gold_ids():
        gold_raw = goldfiles.load(gold_id)
        path = goldfiles.page_path(gold_raw, "html")
        if path is None or not path.exists() or gold_raw["kind"] != "article":
            continue
        gold = goldfiles.resolve(gold_raw)
        pages += 1
        html = path.read_text(encoding="utf-8", errors="replace")
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
        title = clean(doc.title or "") if doc else ""
        headline.add(title == clean(gold["title"]), gold_id)
        date.add(bool(doc and doc.date == gold["date"]), gold_id)
        text = doc.text if doc and doc.text else ""
        paras.add([line for line in text.split("\n") if line.strip()], gold["paragraphs"])
    return {
        "pages": pages,
        "headline_exact": headline.value(),
        "date_acc": date.value(),
        "paragraphs": paras.scores(),
    }


def main() -> None:
    started = time.perf_counter()
    if not goldfiles.seed_page().exists() and not goldfiles.data_dir().exists():
        print(
            json.dumps({"bench": "ingest_quality", "skipped": f"no data at {goldfiles.data_dir()}"})
        )
        return
    text = score("text", parse_text_page)
    html = score("html", parse_html_page)
    base = trafilatura_baseline()
    targets = {
        "headline_exact": min(text["headline_exact"], html["headline_exact"])
        >= TARGETS["headline_exact"],
        "masthead_exact": min(text["masthead_exact"], html["masthead_exact"])
        >= TARGETS["masthead_exact"],
        "paragraphs_f1": min(text["paragraphs"]["f1"], html["paragraphs"]["f1"])
        >= TARGETS["paragraphs_f1"],
        "ticker_exact": text["ticker_exact"] >= TARGETS["ticker_exact"],
    }
    result = {
        "bench": "ingest_quality",
        "text": text,
        "html": html,
        "trafilatura_baseline_html": base,
        "paragraphs_f1_ratio_vs_trafilatura": round(
            html["paragraphs"]["f1"] / base["paragraphs"]["f1"], 3
        )
        if base["paragraphs"]["f1"]
        else None,
        "targets_met": targets,
        "all_targets_met": all(targets.values()),
        "seconds": round(time.perf_counter() - started, 2),
    }
    print(json.dumps(result, ensure_ascii=False, separators=(",", ":")))


if __name__ == "__main__":
    main()
