"""Loading search backends, as Django loads caches.

``SAHAFA_SEARCH_BACKENDS`` maps names to ``{"BACKEND": "dotted.path", …}``; the path
names a module with a ``SearchBackend`` attribute or a backend class itself.
``sahafa.search.backends.auto`` picks the SQLite or PostgreSQL backend from the
database ENGINE in use (``connection.vendor``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from .base import BaseSearchBackend

__all__ = ["BaseSearchBackend", "InvalidSearchBackendError", "get_search_backend"]

_backends: dict[str, BaseSearchBackend] = {}


class InvalidSearchBackendError(ImproperlyConfigured):
    """A ``SAHAFA_SEARCH_BACKENDS`` entry that cannot be loaded."""


def _load(path: str):
    """A module's ``SearchBackend`` or the class/factory the dotted path names."""
    from importlib import import_module

    try:
        return import_module(path).SearchBackend
    except (ImportError, AttributeError):
        pass
    try:
        return import_string(path)
    except ImportError as exc:
        raise InvalidSearchBackendError(f"Could not find search backend {path!r}: {exc}") from exc


def get_search_backend(alias: str = "default") -> BaseSearchBackend:
    """The backend configured as ``alias`` in ``SAHAFA_SEARCH_BACKENDS`` (one instance per alias)."""
    if alias in _backends:
        return _backends[alias]
    config = getattr(settings, "SAHAFA_SEARCH_BACKENDS", {}).get(alias)
    if config is None:
        raise InvalidSearchBackendError(
            f"No search backend named {alias!r} in SAHAFA_SEARCH_BACKENDS"
        )
    path = config.get("BACKEND")
    if not path:
        raise InvalidSearchBackendError(f"Search backend {alias!r} has no BACKEND")
    factory = _load(path)
    if not callable(factory):
        raise InvalidSearchBackendError(f"{path!r} is not a search backend")
    params = {k: v for k, v in config.items() if k != "BACKEND"}
    backend = factory(params)
    if not isinstance(backend, BaseSearchBackend):
        raise InvalidSearchBackendError(f"{path!r} did not give a BaseSearchBackend")
    _backends[alias] = backend
    return backend


def _forget(*, setting: str, **kwargs) -> None:
    if setting in {"SAHAFA_SEARCH_BACKENDS", "DATABASES"}:
        _backends.clear()


setting_changed.connect(_forget, dispatch_uid="sahafa.search.backends.forget")
