"""Under DEBUG (`make run`), Django answers an unknown address with its English technical
page; people trying the demo get the same Vietnamese 404 page as in production instead.
Outside DEBUG Django already renders templates/404.html, and this middleware does nothing."""

from django.conf import settings
from django.shortcuts import render

# A phrase of Django's technical 404 page (django/views/templates/technical_404.html).
TECHNICAL_404 = b"because you have <code>DEBUG = True</code>"


def debug_not_found_middleware(get_response):
    def middleware(request):
        response = get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and TECHNICAL_404 in getattr(response, "content", b"")
        ):
            return render(request, "404.html", status=404)
        return response

    return middleware
