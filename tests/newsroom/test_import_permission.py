"""«استيراد أرشيف» belongs to the editor-in-chief and the administrator: an import
publishes into any section. Reporters and section editors are refused by the URL
itself, with an Arabic explanation, and don't see the menu item."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("actor", ["editor_in_chief", "administrator"])
def test_chief_and_administrator_may_import(newsroom, actor):
    client = client_for(newsroom[actor])
    response = client.get(reverse("ingest_upload"))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert reverse("ingest_upload") in client.get("/admin/").content.decode()


@pytest.mark.parametrize("actor", ["reporter", "section_editor"])
def test_reporters_and_section_editors_are_refused(newsroom, actor):
    client = client_for(newsroom[actor])
    response = client.get(reverse("ingest_upload"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "ليست لديك صلاحية استيراد المقالات" in page
    assert 'dir="rtl"' in page  # the admin's own page, not a bare line of text
    assert reverse("ingest_upload") not in client.get("/admin/").content.decode()
