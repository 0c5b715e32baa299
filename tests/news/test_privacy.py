"""A page made private with Wagtail's privacy settings is private everywhere.

Wagtail refuses a restricted page at its own address; every other path a reader has
to an article — listings, feeds, sitemaps, search, the API, the ticker, related
topics, the short link — goes through ``ArticlePage.objects.published()``, which
must leave it out too. Each path is asked as an anonymous reader would ask it.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db

SECRET_TITLE = "خطة الموازنة الخفية للعام المقبل"
SECRET_WORD = "زمرديات"  # in the secret body only: search for it finds nothing public


@pytest.fixture
def stories(outlet, make_article, politics, economy):
    from sahafa.news.models import Author

    author = Author.objects.create(name="سعاد الكاتبة", slug="suad")
    public = make_article(
        "الموازنة العامة تعرض على البرلمان",
        body="عرضت الحكومة الموازنة العامة على البرلمان للعام المقبل.",
        tags=["الموازنة"],
        authors=[author],
    )
    secret = make_article(
        SECRET_TITLE,
        body=f"تفاصيل الموازنة العامة للعام المقبل قبل عرضها {SECRET_WORD}.",
        tags=["الموازنة"],
        authors=[author],
    )
    neighbour = make_article(
        "الموازنة في الاقتصاد الجديد",
        section=economy,
        body="الموازنة العامة للعام المقبل.",
        tags=["الموازنة"],
        authors=[author],
    )
    return public, secret, neighbour


def reader_paths(public, secret) -> list[str]:
    tag = public.tags.first()
    return [
        "/",
        public.section.url,
        f"/tag/{tag.slug}/",
        "/author/suad/",
        "/feeds/latest.xml",
        "/feeds/atom.xml",
        f"/feeds/section/{public.section.slug}.xml",
        f"/feeds/tag/{tag.slug}.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
        "/api/v1/articles/",
        f"/api/v1/articles/?section={public.section.slug}",
        f"/search/?q={SECRET_WORD}",
        "/search/?q=الموازنة",
        f"/search.json?q={SECRET_WORD}",
        "/fragments/ticker.json",
        public.url,  # its related topics
    ]


def restrict(page, kind: str) -> PageViewRestriction:
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=kind, password="سر-1234" if kind == "password" else ""
        )
        if kind == PageViewRestriction.GROUPS:
            restriction.groups.add(Group.objects.create(name="المشتركون"))
    return restriction


def leaks(client, public, secret) -> list[str]:
    found = []
    for path in reader_paths(public, secret):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        if "search" in path:  # the search page repeats the words searched for
            body = body.replace(SECRET_WORD, "")
        if SECRET_TITLE in body or SECRET_WORD in body or secret.url in body:
            found.append(path)
    if client.get(f"/api/v1/articles/{secret.pk}/").status_code != 404:
        found.append("/api/v1/articles/<id>/")
    if client.get(f"/a/{secret.pk}/").status_code != 404:
        found.append("/a/<id>/")
    return found


def test_a_public_article_is_on_every_reader_path(client, stories):
    public, secret, _ = stories
    seen = [
        p for p in reader_paths(public, secret) if SECRET_TITLE in client.get(p).content.decode()
    ]
    # The article's own page lists it as related; search finds it by its words.
    assert len(seen) >= 14, seen


@pytest.mark.parametrize("kind", ["password", "login", "groups"])
@pytest.mark.parametrize("on", ["article", "section"])
def test_a_restricted_article_leaks_nowhere(client, stories, kind, on):
    public, secret, neighbour = stories
    restricted = secret if on == "article" else secret.section
    restrict(restricted, kind)
    if on == "section":
        # The whole section is private: its public sibling with it.
        assert client.get(public.url).status_code in (200, 302)
        public = neighbour
    assert leaks(client, public, secret) == []
    own = client.get(secret.url)
    assert own.status_code in (200, 302)  # Wagtail's password form, or to sign in
    assert SECRET_WORD not in own.content.decode()
    assert "private" in own["Cache-Control"] and "no-store" in own["Cache-Control"]


def test_making_a_cached_article_private_purges_it(reader, stories):
    public, secret, _ = stories
    assert SECRET_TITLE in reader.get("/").text()
    assert reader.get(secret.url).status_code == 200
    assert reader.get(secret.url)["X-Sahafa-Cache"] == "hit"

    restriction = restrict(secret, "password")
    assert SECRET_TITLE not in reader.get("/").text()
    page = reader.get(secret.url)
    assert SECRET_WORD not in page.text()
    assert page.headers.get("x-sahafa-cache") != "hit"
    assert "no-store" in page["Cache-Control"]

    # Public again: back on home, on the next request.
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        restriction.delete()
    assert SECRET_TITLE in reader.get("/").text()
    assert SECRET_WORD in reader.get(secret.url).text()


def test_a_reader_with_the_password_gets_a_private_copy(client, stories):
    public, secret, _ = stories
    restriction = restrict(secret, "password")
    answer = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{secret.pk}/",
        {"password": "سر-1234", "return_url": secret.url},
    )
    assert answer.status_code == 302
    page = client.get(secret.url)
    assert SECRET_WORD in page.content.decode()
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
