"""Wagtail's default Site row follows SAHAFA_BASE_URL after migrate."""

from __future__ import annotations

from django.core.management import call_command
from wagtail.models import Site


def test_the_default_site_follows_the_base_url_after_migrate(settings, home):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", 80  # as Wagtail's migrations leave it
    site.save()
    settings.BASE_URL = "https://news.example.org"
    call_command("migrate", interactive=False, verbosity=0)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("news.example.org", 443)
    assert home.full_url.startswith("https://news.example.org/")


def test_several_sites_are_left_to_the_operator(settings, home):
    from sahafa.news.site_row import follow_base_url

    Site.objects.create(hostname="other.example.org", port=80, root_page=home)
    before = list(Site.objects.values_list("hostname", "port").order_by("pk"))
    settings.BASE_URL = "https://news.example.org"
    assert follow_base_url() is False
    assert list(Site.objects.values_list("hostname", "port").order_by("pk")) == before
