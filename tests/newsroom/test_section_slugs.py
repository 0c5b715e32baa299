"""The editor-in-chief adding a section at an address the site already uses gets the
reason on the slug field, in Arabic, and no section is made."""

from __future__ import annotations

from django.urls import reverse

from .conftest import client_for, page_data


def test_the_admin_refuses_a_section_at_api(newsroom, home):
    from sahafa.news.models import SectionPage

    class New:
        title, slug, intro = "واجهة", "api", ""

    response = client_for(newsroom["editor_in_chief"]).post(
        reverse("wagtailadmin_pages:add", args=("news", "sectionpage", home.pk)),
        page_data(New(), **{"action-publish": "1"}),
    )
    assert response.status_code == 200  # the form again, with the error
    assert "العنوان /api/ مستخدم في الموقع" in response.content.decode()
    assert not SectionPage.objects.filter(slug="api").exists()
