"""JSON lines news records → records."""

from __future__ import annotations

import gzip
import itertools
import json

from sahafa.ingest.parsers import iter_records, parse_jsonl
from sahafa.ingest.records import ArticleRecord, RecordError

GOOD = {
    "id": "ant-XX-1",
    "title": "عنوان الخبر",
    "body": "الفقرة الأولى.\nالفقرة الثانية.\n\n",
    "section": "اقتصاد",
    "date": "2018-05-06T07:08:09+00:00",
    "url": "https://example.com/1",
    "summary": "ملخص الخبر",
    "author": "مراسل",
    "source": "مصدر",
}


def test_fields_mapping():
    (record,) = parse_jsonl(json.dumps(GOOD, ensure_ascii=False), source="x")
    assert record.external_id == "ant-XX-1" and record.identity() == "ant-XX-1"
    assert record.paragraphs == ["الفقرة الأولى.", "الفقرة الثانية."]
    assert record.standfirst == "ملخص الخبر"
    assert record.authors == ["مراسل"]
    assert record.section == "اقتصاد"
    assert record.date.isoformat() == "2018-05-06T07:08:09+00:00"
    assert record.site_name == "مصدر"
    assert record.source_url == "https://example.com/1"


def test_malformed_lines_do_not_stop_the_run(tmp_path):
    lines = [
        json.dumps(GOOD, ensure_ascii=False),
        "{not json",
        json.dumps({**GOOD, "id": "2", "title": ""}),
        json.dumps({**GOOD, "id": "3", "date": "2018-05-06", "author": None, "summary": None}),
        json.dumps({**GOOD, "id": "4", "date": "yesterday"}),
        "[1, 2]",
    ]
    path = tmp_path / "mixed.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    results = list(iter_records("jsonl", str(path)))
    assert [type(r).__name__ for r in results] == [
        "ArticleRecord", "RecordError", "RecordError", "ArticleRecord", "RecordError", "RecordError",
    ]  # fmt: skip
    assert results[1].item.endswith(":2") and "invalid JSON" in results[1].reason
    assert results[3].date.isoformat() == "2018-05-06T00:00:00" and results[3].authors == []


def test_real_corpus_sample(news_jsonl):
    with gzip.open(news_jsonl, "rb") as fh:
        sample = list(itertools.islice(parse_jsonl(fh, source=str(news_jsonl)), 2000))
    records = [r for r in sample if isinstance(r, ArticleRecord)]
    assert len(records) == 2000
    assert all(r.external_id.startswith("ant-") and r.title and r.paragraphs for r in records)
    assert sum(1 for r in records if r.date) == 2000
    assert not [r for r in sample if isinstance(r, RecordError)]
