"""A section never takes an address a route of the site already answers under: an
archive's «Media» category stays reachable, and the admin refuses /api/ by name."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_an_imported_media_category_gets_an_address_of_its_own(client, home, make_article):
    from sahafa.news.structure import ensure_section

    media = ensure_section("Media")
    assert media.slug == "media-2"
    assert ensure_section("Media").pk == media.pk  # found again, not made twice
    article = make_article("معرض الصور الصحفية يفتتح غدًا", section=media, body="نص الخبر.")
    assert client.get("/media-2/").status_code == 200
    assert "معرض الصور الصحفية" in client.get(article.url).content.decode()


@pytest.mark.parametrize("slug", ["media", "api", "feeds", "masthead", "admin", "search"])
def test_a_section_on_a_routes_address_is_refused(home, slug):
    from django.core.exceptions import ValidationError

    from sahafa.news.models import SectionPage

    section = SectionPage(title="قسم", slug=slug)
    with pytest.raises(ValidationError) as refused:
        home.add_child(instance=section)
    assert f"/{slug}/" in " ".join(refused.value.message_dict["slug"])
    assert not SectionPage.objects.filter(slug=slug).exists()


def test_free_slugs_are_left_alone():
    from sahafa.news.reserved import free_section_slug, reserved_owner

    assert reserved_owner("siyasa") is None and free_section_slug("siyasa") == "siyasa"
    assert reserved_owner("رياضة") is None
    assert reserved_owner("static") and free_section_slug("static") == "static-2"
