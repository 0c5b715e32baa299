import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sahafa.settings")
django_application = get_wsgi_application()

from sahafa.delivery.wsgi_cache import PageCacheApp  # noqa: E402 - needs Django set up

# Readers' cached pages are answered here, before Django (sahafa.delivery.wsgi_cache).
application = PageCacheApp(django_application)
