"""``sahafa related ID… --json`` and ``--rebuild``."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sahafa.related.models import ArticleProfile, Posting, RelatedArticle, TermStat

from .conftest import FOOTBALL, TALKS, TALKS_FOLLOWUP


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("related_articles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_lines_by_external_id(publish):
    publish(TALKS, external_id="ext-talks")
    publish(TALKS_FOLLOWUP, external_id="ext-followup")
    publish(FOOTBALL, external_id="ext-football")
    out, _ = run("ext-talks", "ext-followup", "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["ext-talks", "ext-followup"]
    first = lines[0]["related"][0]
    assert first["id"] == "ext-followup" and first["title"] == TALKS_FOLLOWUP[0]
    assert first["score"] > 0


def test_unknown_id_is_an_error(publish):
    publish(TALKS, external_id="ext-talks")
    with pytest.raises(CommandError, match="nope"):
        run("ext-talks", "nope")


def test_rebuild_recomputes_every_list(make_article):
    a = make_article(TALKS[0], body=TALKS[1])
    b = make_article(TALKS_FOLLOWUP[0], body=TALKS_FOLLOWUP[1])
    make_article(FOOTBALL[0], body=FOOTBALL[1])
    for model in (RelatedArticle, ArticleProfile, Posting, TermStat):  # as after a lost queue
        model.objects.all().delete()
    out, _ = run("--rebuild", "--verbosity", "0")
    assert "rebuilt 3 articles" in out
    assert RelatedArticle.objects.filter(source=a).order_by("rank").first().target_id == b.pk
