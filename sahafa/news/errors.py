"""Arabic error pages for readers."""

from django.http import HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def page_not_found(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("404.html", {}, request))


@requires_csrf_token
def server_error(request):
    # Rendered without the request context: whatever failed may fail again there.
    return HttpResponseServerError(loader.render_to_string("500.html"))
