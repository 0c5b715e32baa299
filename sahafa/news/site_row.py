"""Wagtail's default ``Site`` row follows ``SAHAFA_BASE_URL``.

Sahafa's own absolute URLs come from the setting (:mod:`sahafa.news.addresses`);
Wagtail's — ``page.full_url``, the admin's "view live" links, the redirects admin,
previews — come from the ``Site`` row, which Wagtail's migrations create as
``localhost:80``. After every ``migrate`` (and so on ``sahafa demo``) and when
``sahafa serve`` starts, :func:`follow_base_url` gives the row the setting's
hostname and port.

Whose row it is: on a site with one ``Site`` row, Wagtail answers every host with
it, and its address only names the site in links — so it is Sahafa's, and follows
the setting (change the environment, not the row). An operator who adds a second
site has taken the addresses into their own hands: with more than one row, none is
touched.
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, connections

from .addresses import site_address

logger = logging.getLogger("sahafa.news")


def follow_base_url(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Give the default site SAHAFA_BASE_URL's hostname and port if it is the only
    site and has another address; True if it was changed."""
    from wagtail.models import Site

    if Site._meta.db_table not in connections[using].introspection.table_names():
        return False  # Wagtail's tables are not there (yet)
    sites = list(Site.objects.using(using).only("pk", "hostname", "port", "is_default_site")[:2])
    if len(sites) != 1 or not sites[0].is_default_site:
        return False
    site = sites[0]
    hostname, port = site_address()
    if (site.hostname, site.port) == (hostname, port):
        return False
    logger.info(
        "default site %s:%s now answers as %s:%s (SAHAFA_BASE_URL)",
        site.hostname,
        site.port,
        hostname,
        port,
    )
    site.hostname, site.port = hostname, port
    # save(): Wagtail's own handlers then forget the cached site root paths.
    site.save(using=using, update_fields=["hostname", "port"])
    return True


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """``post_migrate`` (connected for the news app only: once per migrate)."""
    follow_base_url(using)
