"""Where the beacon counts views: ``SAHAFA_MOST_READ["BACKEND"]``, a dotted path to a
module ending ``ViewCounterBackend = …`` or to the class itself.

- ``sahafa.delivery.most_read.backends.database`` (the default): rows in the site's
  database;
- ``sahafa.delivery.most_read.backends.redis`` (the default when ``SAHAFA_CACHE_URL``
  names a Redis server): a hash in Redis, ``LOCATION`` its URL.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .base import BaseViewCounter, Counts

__all__ = ["BaseViewCounter", "Counts", "InvalidViewCounterBackendError", "get_backend"]

DEFAULT = {"BACKEND": "sahafa.delivery.most_read.backends.database"}


class InvalidViewCounterBackendError(ImproperlyConfigured):
    pass


def get_backend() -> BaseViewCounter:
    """The configured counter (cheap: read per call, so settings overrides apply)."""
    params = dict(getattr(settings, "SAHAFA_MOST_READ", None) or DEFAULT)
    path = params.get("BACKEND", DEFAULT["BACKEND"])
    try:
        found = import_string(path)
    except ImportError:
        try:
            found = import_string(f"{path}.ViewCounterBackend")
        except ImportError as exc:
            raise InvalidViewCounterBackendError(
                f"SAHAFA_MOST_READ: could not import backend {path!r}: {exc}"
            ) from exc
    if isinstance(found, type) and issubclass(found, BaseViewCounter):
        return found(params)
    backend = getattr(found, "ViewCounterBackend", None)
    if backend is None:
        raise InvalidViewCounterBackendError(f"SAHAFA_MOST_READ: {path!r} is not a view counter")
    return backend(params)
