"""The editor-in-chief writes the outlet's policies in its settings, and an editor
adds a correction to a published article from its editor: both reach readers."""

from __future__ import annotations

from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, rich_text

from .conftest import article_data, client_for, outlet_settings_data


def test_the_editor_in_chief_writes_the_corrections_policy(newsroom, client):
    from sahafa.news.models import OutletSettings

    outlet = OutletSettings.load()
    url = reverse("wagtailsettings:edit", args=["news", "outletsettings", outlet.pk])
    chief = client_for(newsroom["editor_in_chief"])
    response = chief.post(
        url,
        outlet_settings_data(
            corrections_policy=rich_text("<p>نعلن كل تصحيح في أسفل الخبر مع وقته.</p>"),
            publishing_principles=rich_text(""),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get("/masthead/corrections-policy/")
    assert page.status_code == 200
    assert "نعلن كل تصحيح في أسفل الخبر مع وقته." in page.content.decode()
    assert client.get("/masthead/principles/").status_code == 404


def test_an_editor_adds_a_correction_and_republishes(newsroom, draft, client):
    editor = newsroom["section_editor"]
    page = draft(editor, "ارتفاع أسعار الخضار في الأسواق", publish=True)
    correction = {
        "kind": "correction",
        "at": "2026-12-02 09:30",
        "text": "صُحّحت نسبة الارتفاع: سبعة في المئة لا سبعون.",
    }
    response = client_for(editor).post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        article_data(
            page.title,
            slug=page.slug,
            corrections=inline_formset([correction]),
            **{"action-publish": "1"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    body = client.get(page.url).content.decode()
    assert "تصحيحات وتحديثات" in body
    assert "صُحّحت نسبة الارتفاع: سبعة في المئة لا سبعون." in body
