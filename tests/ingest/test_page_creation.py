"""The page-creation paths: ``sahafa.news.structure.create_article`` and its fast
path for bulk imports, ``create_live_article`` — every test runs on both (``create``),
so that both are held to the same end state.

Every article the importers, the demo and bulk jobs make comes through it, so what
Wagtail's own create-and-publish gives an editor must be there for each: revisions,
the history (log entries), the usage (reference) index, the admin's page search, the
publish event — live at once, scheduled, or a draft. With the test settings'
immediate task backend, the task that follows the publish runs at once, so readers'
search and related topics can be asserted straight away.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from wagtail.models import PageLogEntry, ReferenceIndex
from wagtail.signals import page_published

from sahafa.news.models import ArticlePage
from sahafa.news.signals import ChangeKind, batched_changes, content_changed
from sahafa.news.structure import create_article, create_live_article

BODY = [("paragraph", "<p>ارتفعت أسعار القمح في الأسواق العالمية بعد موسم جاف.</p>")]


@pytest.fixture(params=[create_article, create_live_article], ids=["wagtail", "fast"])
def create(request):
    """The full path, and the fast one (which hands drafts, scheduled and embargoed
    articles to the full path)."""
    return request.param


@pytest.fixture
def heard():
    """Every page_published and content_changed sent while the test runs."""
    events: dict[str, list] = {"published": [], "changed": []}

    def on_published(sender, instance, **kwargs):
        events["published"].append(instance.pk)

    def on_changed(sender, article_ids=(), kind=None, **kwargs):
        events["changed"].append((kind, sorted(article_ids)))

    page_published.connect(on_published, dispatch_uid="test_page_creation.published")
    content_changed.connect(on_changed, dispatch_uid="test_page_creation.changed")
    yield events
    page_published.disconnect(dispatch_uid="test_page_creation.published")
    content_changed.disconnect(dispatch_uid="test_page_creation.changed")


def actions(article) -> list[str]:
    return list(
        PageLogEntry.objects.filter(page=article).order_by("pk").values_list("action", flat=True)
    )


def admin_search(client, django_user_model, query: str) -> str:
    chief = django_user_model.objects.create_superuser("chief", "c@example.com", "pw-12345678")
    client.force_login(chief)
    return client.get("/admin/pages/search/", {"q": query}).content.decode()


def lead_image():
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = BytesIO()
    PILImage.new("RGB", (20, 10), (10, 120, 30)).save(buffer, "PNG")
    return Image.objects.create(title="حقل قمح", file=ImageFile(buffer, name="wheat.png"))


def test_a_published_article_is_what_wagtail_publishing_gives(
    client, politics, heard, django_user_model, create
):
    archive_date = timezone.now() - dt.timedelta(days=900)
    image = lead_image()
    article = create(
        politics,
        title="أسعار القمح ترتفع",
        body=BODY,
        lead_image=image,
        published_at=archive_date,
        tags=["القمح"],
    )
    # What is stored, not only the object returned.
    stored = ArticlePage.objects.get(pk=article.pk)
    assert stored.live and not stored.has_unpublished_changes
    assert stored.live_revision_id == stored.latest_revision_id == article.live_revision_id
    assert stored.first_published_at == archive_date == stored.last_published_at
    assert stored.latest_revision_created_at is not None
    assert [t.name for t in stored.tags.all()] == ["القمح"]
    # The revision is the page as published: Wagtail's editor and history read it.
    as_revision = stored.live_revision.as_object()
    assert as_revision.title == "أسعار القمح ترتفع" and as_revision.lead_image_id == image.pk
    assert [t.name for t in as_revision.tags.all()] == ["القمح"]
    assert article.live and not article.has_unpublished_changes
    assert article.revisions.count() == 1
    assert article.live_revision_id == article.latest_revision_id
    # The archive's date, not the import's: not «updated today» on an old story.
    assert article.first_published_at == archive_date == article.last_published_at
    assert article.get_parent().specific == politics == article.section
    assert actions(article) == ["wagtail.create", "wagtail.edit", "wagtail.publish"]
    entry = PageLogEntry.objects.get(page=article, action="wagtail.publish")
    assert entry.revision_id == stored.live_revision_id and entry.content_changed
    assert heard["published"] == [article.pk]
    assert (ChangeKind.ARTICLE, [article.pk]) in heard["changed"]
    # The image's usage lists the article (Wagtail's reference index).
    assert ReferenceIndex.get_references_to(image).filter(object_id=str(article.pk)).exists()
    # Readers find it; so does the admin's page search.
    html = client.get(article.url).content.decode()
    assert "أسعار القمح ترتفع" in html and "القمح" in html
    search = client.get("/search/", {"q": "القمح"}).content.decode()
    assert article.url in search
    assert f"/admin/pages/{article.pk}/edit/" in admin_search(client, django_user_model, "القمح")


def test_in_a_batch_the_event_is_sent_once_and_the_indexes_follow(
    client, politics, heard, django_user_model, create
):
    image = lead_image()
    with batched_changes():
        articles = [
            create(politics, title=f"موسم القمح {n}", body=BODY, lead_image=image) for n in range(3)
        ]
    ids = sorted(a.pk for a in articles)
    # Each page was published the Wagtail way; the event went out once, for all.
    assert sorted(heard["published"]) == ids
    assert [c for c in heard["changed"] if c[0] == ChangeKind.ARTICLE] == [
        (ChangeKind.ARTICLE, ids)
    ]
    refs = ReferenceIndex.get_references_to(image).values_list("object_id", flat=True)
    assert sorted(int(pk) for pk in refs) == ids
    html = admin_search(client, django_user_model, "موسم")
    assert all(f"/admin/pages/{pk}/edit/" in html for pk in ids)
    search = client.get("/search/", {"q": "موسم القمح"}).content.decode()
    assert all(a.url in search for a in articles)


def test_a_future_go_live_is_scheduled_by_wagtail(client, politics, heard, create):
    from sahafa.news.scheduling import run_due_work

    when = timezone.now() + dt.timedelta(days=2)
    article = create(politics, title="خبر مجدول", body=BODY, go_live_at=when)
    assert not article.live and article.first_published_at is None
    assert article.live_revision_id is None
    assert article.latest_revision.approved_go_live_at == when
    assert actions(article) == ["wagtail.create", "wagtail.edit", "wagtail.publish.schedule"]
    assert client.get(article.url).status_code == 404
    with time_machine.travel(when + dt.timedelta(minutes=1)):
        run_due_work()
        article.refresh_from_db()
        assert article.live and article.live_revision_id == article.latest_revision_id
        assert client.get(article.url).status_code == 200


def test_a_draft_is_saved_with_its_revision_and_not_published(client, politics, heard, create):
    article = create(politics, title="مسودة للمراجعة", body=BODY, publish=False)
    assert not article.live and article.has_unpublished_changes
    assert article.first_published_at is None and article.live_revision_id is None
    assert article.revisions.count() == 1
    assert actions(article) == ["wagtail.create", "wagtail.edit"]
    assert heard["published"] == []
    assert client.get(article.url).status_code == 404


def test_repeated_headlines_get_numbered_slugs(politics, create):
    slugs = [create(politics, title="أسعار الذهب اليوم", body=BODY).slug for _ in range(3)]
    assert slugs == ["أسعار-الذهب-اليوم", "أسعار-الذهب-اليوم-2", "أسعار-الذهب-اليوم-3"]


def test_an_embargoed_article_stays_a_draft_until_scheduled_at_its_end(
    client, politics, heard, create
):
    embargo = timezone.now() + dt.timedelta(days=1)
    draft = create(politics, title="بيان تحت الحظر", body=BODY, embargo_until=embargo)
    assert not draft.live and draft.live_revision_id is None
    assert actions(draft) == ["wagtail.create", "wagtail.edit"]
    assert heard["published"] == []
    assert client.get(draft.url).status_code == 404
    # Scheduled at the embargo's end, it is accepted (and stays off the site till then).
    scheduled = create(
        politics, title="بيان تحت الحظر", body=BODY, embargo_until=embargo, go_live_at=embargo
    )
    assert not scheduled.live and scheduled.latest_revision.approved_go_live_at == embargo
    assert actions(scheduled)[-1] == "wagtail.publish.schedule"
