"""Tag suggestions: the key-phrase reader and the admin endpoint over HTTP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sahafa.related.suggest import key_phrases, tag_terms

TEXT = (
    "قال الرئيس الروسي فلاديمير بوتين، إن المفاوضات مع واشنطن ستستمر. "
    "وأكد وزير الخارجية الأمريكي مايك بومبيو الأربعاء ذلك. "
    "وقالت المتحدثة باسم وزارة الخارجية الروسية إن الأمين العام للأمم المتحدة أنطونيو غوتيريش مدعو. "
    "وقال بوتين إن الحوار مفيد."
)


def test_key_phrases_read_names_after_news_cues():
    names = [s.name for s in key_phrases(TEXT)]
    assert names[0] == "فلاديمير بوتين"  # mentioned twice
    assert {"مايك بومبيو", "وزارة الخارجية الروسية", "أنطونيو غوتيريش"} <= set(names)
    assert not any("الأربعاء" in n or "قال" in n for n in names)


def test_key_phrases_mark_site_tags():
    found = {s.name: s.existing for s in key_phrases(TEXT, [tag_terms("وزارة الخارجية الروسية")])}
    assert found["وزارة الخارجية الروسية"] is True
    assert found["مايك بومبيو"] is False


@pytest.fixture
def tagged_site(make_article):
    make_article("مقال قديم", tags=["روسيا", "المفاوضات النووية", "كرة القدم", "إسطنبول"])


@pytest.fixture
def url():
    return reverse("sahafa_related:suggest_tags")


def test_endpoint_ranks_site_tags_and_phrases(admin_client, tagged_site, url):
    response = admin_client.post(
        url, {"title": "مفاوضات نووية في إسطنبول", "body": TEXT + " وصل الوفد الروسي إلى إسطنبول."}
    )
    assert response.status_code == 200
    data = response.json()
    names = [t["name"] for t in data["tags"]]
    assert "إسطنبول" in names and "المفاوضات النووية" in names
    assert "كرة القدم" not in names
    assert "فلاديمير بوتين" in [p["name"] for p in data["phrases"]]


def test_endpoint_skips_tags_already_chosen(admin_client, tagged_site, url):
    response = admin_client.post(
        url, {"title": "إسطنبول", "body": "زيارة إلى إسطنبول", "tags": "إسطنبول"}
    )
    assert "إسطنبول" not in [t["name"] for t in response.json()["tags"]]


def test_endpoint_refuses_anonymous_and_non_admin(client, django_user_model, url):
    response = client.post(url, {"title": "x"})
    assert response.status_code == 302 and "login" in response["Location"]
    user = django_user_model.objects.create_user("reader", password="pw-123456")
    client.force_login(user)
    response = client.post(url, {"title": "x"})
    assert response.status_code in {302, 403}
    assert "application/json" not in response.get("Content-Type", "")


def test_editor_page_loads_the_suggestions_script(admin_client, make_article):
    article = make_article("خبر")
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "related/tag_suggestions.js" in html
    assert f'data-url="{reverse("sahafa_related:suggest_tags")}"' in html
