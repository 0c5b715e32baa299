"""``sahafa search`` and ``rebuild_search_index``."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> str:
    out = StringIO()
    call_command("search_articles", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_batch_mode_prints_one_json_line_per_query(tmp_path, make_article):
    make_article("المفاوضات الروسية في إسطنبول", external_id="ext-1")
    make_article("الأزمة الاقتصادية", external_id="ext-2")
    queries = tmp_path / "q.txt"
    queries.write_text("مفاوضات روسيا\nالأزمه\n\nكلمةمجهولة\n", encoding="utf-8")
    lines = run("--queries", str(queries), "--json").splitlines()
    assert len(lines) == 4
    first, second, empty, unknown = (json.loads(line) for line in lines)
    assert first["query"] == "مفاوضات روسيا"
    assert [r["id"] for r in first["results"]] == ["ext-1"]
    assert set(first["results"][0]) >= {"id", "title", "score"}
    assert [r["id"] for r in second["results"]] == ["ext-2"]
    assert empty["results"] == [] and unknown["results"] == []


@pytest.mark.django_db
def test_single_query_text_and_json(make_article):
    make_article("مباراة القمة", external_id="m-1")
    assert "مباراة القمة" in run("القمة")
    payload = json.loads(run("القمة", "--json", "--limit", "1"))
    assert payload["results"][0]["id"] == "m-1"


@pytest.mark.django_db
def test_bad_arguments():
    with pytest.raises(CommandError):
        run()
    with pytest.raises(CommandError):
        run("x", "--limit", "0")
    with pytest.raises(CommandError):
        run("--queries", "/no/such/file")


@pytest.mark.django_db
def test_rebuild_command_reports_counts(make_article):
    make_article("خبر أول")
    out = StringIO()
    call_command("rebuild_search_index", "--no-progress", stdout=out, stderr=StringIO())
    assert "found 1, indexed 1" in out.getvalue()
