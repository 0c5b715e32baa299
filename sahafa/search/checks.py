"""System checks: report search capability problems out loud, never fall back silently."""

from __future__ import annotations

from django.core import checks


def check_search_backends(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from django.conf import settings

    from .backends import InvalidSearchBackendError, get_search_backend

    messages: list[checks.CheckMessage] = []
    for alias in getattr(settings, "SAHAFA_SEARCH_BACKENDS", {}) or {}:
        try:
            backend = get_search_backend(alias)
        except InvalidSearchBackendError as exc:
            messages.append(
                checks.Error(
                    f"Search backend {alias!r} cannot be loaded: {exc}",
                    hint="Fix SAHAFA_SEARCH_BACKENDS; 'sahafa.search.backends.auto' suits SQLite "
                    "and PostgreSQL.",
                    id="sahafa.search.E001",
                )
            )
            continue
        messages.extend(backend.check())
    if "default" not in (getattr(settings, "SAHAFA_SEARCH_BACKENDS", {}) or {}):
        messages.append(
            checks.Error(
                "SAHAFA_SEARCH_BACKENDS has no 'default' backend.",
                hint='Add {"default": {"BACKEND": "sahafa.search.backends.auto"}}.',
                id="sahafa.search.E002",
            )
        )
    return messages
