"""An import stopped mid-way (``kill -9``: nothing after its last commit runs) leaves
every batch it committed whole and followed — its task row committed with it — and
the re-run imports exactly the rest, replaying nothing. The real kill is in
``test_loader.py``; here the death is staged in-process (with the test settings'
immediate task backend, a batch's task runs as it is written) so that the site
around it can be set up precisely.
"""

from __future__ import annotations

import re

import pytest
from test_loader import run_import, write_jsonl  # tests/ingest is on sys.path (conftest)

from sahafa.news.models import ArticlePage
from sahafa.news.signals import ChangeKind, content_changed

OIL = [
    {
        "id": f"oil-{n}",
        "title": f"أسعار النفط ترتفع مع تراجع المخزون الأمريكي {label}",
        "body": "ارتفعت أسعار النفط الخام في الأسواق العالمية مع تراجع المخزون.\n"
        f"وقال محللون إن أوبك قد تخفض الإنتاج {label}.",
        "section": "اقتصاد",
    }
    for n, label in enumerate(["صباحا", "ظهرا", "مساء", "ليلا", "فجرا"])
]

OTHER = [
    ("الأهلي يفوز على الزمالك في نهائي الكأس", "سجل المهاجم هدف الفوز في الدقيقة الأخيرة."),
    ("انتخابات رئاسية مبكرة في البلاد", "دعا البرلمان إلى انتخابات رئاسية مبكرة."),
    ("مهرجان السينما يفتتح دورته الجديدة", "عرض فيلم الافتتاح وسط حضور كبير."),
    ("أسعار الذهب تستقر في الأسواق", "استقر سعر الذهب في الأسواق العالمية."),
    ("موجة حر تضرب المنطقة", "ارتفعت درجات الحرارة إلى مستويات قياسية."),
    ("افتتاح جسر جديد في العاصمة", "افتتح الوزير الجسر الجديد أمس."),
    ("أوبك تجتمع لبحث الإنتاج", "يجتمع وزراء أوبك لبحث خفض إنتاج النفط."),
    ("تراجع البورصة في ختام التداول", "تراجع المؤشر الرئيسي للبورصة."),
]


class Killed(BaseException):
    """The process dies: no ``except``, no ``finally`` of the loader's makes a difference."""


def search_page(client, query: str) -> list[str]:
    html = client.get("/search/", {"q": query}).content.decode()
    return re.findall(r'<h2 class="card-title"><a href="([^"]+)"', html)


def related_shown(client, article: ArticlePage) -> list[str]:
    html = client.get(article.url).content.decode()
    start = html.index('id="related-h"')
    return re.findall(r'href="([^"]+)"', html[start : html.index("</section>", start)])


@pytest.mark.django_db
def test_killed_run_is_followed_and_the_rerun_imports_exactly_the_rest(
    client, make_article, economy, tmp_path, monkeypatch
):
    from sahafa.ingest import loader as loader_module
    from sahafa.ingest.loader import Loader
    from sahafa.ingest.parsers import iter_records

    # A site whose related-topics engine already holds its articles.
    for title, body in OTHER:
        make_article(title, section=economy, body=body)
    path = write_jsonl(tmp_path / "oil.jsonl", OIL)

    def dies_after(count: int):
        for n, record in enumerate(iter_records("jsonl", str(path))):
            if n == count:
                raise Killed
            yield record

    # The first run commits two batches of two, then dies.
    with monkeypatch.context() as m:
        m.setattr(loader_module, "BATCH_SIZE", 2)
        with pytest.raises(Killed):
            Loader().load(dies_after(4))
    saved = list(ArticlePage.objects.filter(external_id__startswith="oil-").order_by("pk"))
    assert [a.external_id for a in saved] == ["oil-0", "oil-1", "oil-2", "oil-3"]

    # Each committed batch was followed: searchable, with related topics, at once.
    assert {a.url for a in saved} <= set(search_page(client, "أسعار النفط"))
    for article in saved:
        shown = set(related_shown(client, article))
        assert shown & ({a.url for a in saved} - {article.url}), article.external_id

    # The re-run writes the one missing record and announces only it: nothing replayed.
    events = []

    def heard(sender, article_ids=(), kind=None, **kwargs):
        events.append((kind, list(article_ids)))

    content_changed.connect(heard, dispatch_uid="test_resume.heard")
    try:
        out, _err = run_import("jsonl", str(path))
    finally:
        content_changed.disconnect(dispatch_uid="test_resume.heard")
    assert "imported 1, updated 0, skipped 4" in out
    new = ArticlePage.objects.get(external_id="oil-4")
    assert events == [(ChangeKind.ARTICLE, [new.pk])]
    oil = {a.url for a in ArticlePage.objects.filter(external_id__startswith="oil-")}
    assert len(oil) == 5
    assert oil <= set(search_page(client, "أسعار النفط"))
    assert set(related_shown(client, new)) & (oil - {new.url})


@pytest.mark.django_db
def test_a_failed_record_does_not_cost_its_batch(client, home, tmp_path, monkeypatch):
    """Records share a transaction, each in its own savepoint: one that fails after
    writing its page leaves nothing behind, and its neighbours are saved and searchable."""
    from django.db import DatabaseError

    from sahafa.ingest.loader import Loader

    rows = [
        {"id": f"farm-{n}", "title": f"خبر عن الزراعة رقم {n}", "body": "نص."} for n in range(3)
    ]
    remember = Loader._remember

    def fails_for_the_second(self, record, article_id):
        if record.external_id == "farm-1":
            raise DatabaseError("value too long for type character varying(255)")
        remember(self, record, article_id)

    monkeypatch.setattr(Loader, "_remember", fails_for_the_second)
    out, err = run_import("jsonl", str(write_jsonl(tmp_path / "farm.jsonl", rows)), fails=True)
    assert "imported 2, updated 0, skipped 0, failed 1" in out
    assert "farm-1" in err
    saved = ArticlePage.objects.filter(external_id__startswith="farm-").order_by("external_id")
    assert [a.external_id for a in saved] == ["farm-0", "farm-2"]
    assert set(search_page(client, "الزراعة")) == {a.url for a in saved}


@pytest.mark.django_db
def test_a_batch_whose_commit_fails_is_written_again_record_by_record(
    client, home, tmp_path, monkeypatch
):
    """Nothing of a batch that fails as a whole (here: writing its task row) is saved;
    its records are written again one by one, counted once, and end up saved and
    searchable."""
    from django.db import DatabaseError

    from sahafa.ingest import loader as loader_module

    rows = [
        {"id": f"rain-{n}", "title": f"أمطار غزيرة على الساحل رقم {n}", "body": "نص."}
        for n in range(3)
    ]
    flush, calls = loader_module.flush_batch, []

    def fails_once():
        calls.append(1)
        if len(calls) == 1:
            raise DatabaseError("could not serialize access")
        return flush()

    monkeypatch.setattr(loader_module, "flush_batch", fails_once)
    out, _err = run_import("jsonl", str(write_jsonl(tmp_path / "rain.jsonl", rows)))
    assert "imported 3, updated 0, skipped 0, failed 0" in out
    assert len(calls) == 4  # the batch, then each record on its own
    saved = {a.url for a in ArticlePage.objects.filter(external_id__startswith="rain-")}
    assert len(saved) == 3
    assert set(search_page(client, "أمطار")) == saved
