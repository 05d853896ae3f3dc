"""Response headers every page carries, and what must never be kept by a cache.

- `Permissions-Policy`: the app uses no camera, microphone, location, payment or USB, so
  no page of ours (nor anything injected into one) may ask the browser for them.
- `Cache-Control: private, no-store` on every response to a signed-in person: their pages,
  evidence files and unpublished results are theirs alone; neither a shared proxy nor the
  browser's disk cache keeps them after the session (a shared office computer, the back
  button after logging out). Anonymous pages (published results, static files) keep their
  own caching.

And one guard on what a request may carry: a NUL byte in the path or the query string is
never a code, a name or an id of ours (PostgreSQL refuses it in any text, which made a 500);
such a request is answered with the Vietnamese 404 page before any view runs.
"""

from __future__ import annotations

from urllib.parse import unquote

from django.http import Http404

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
PRIVATE = "private, no-store"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = PRIVATE
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Before any view (after the session and the user are known, for the error page)."""
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            raise Http404("Đường dẫn chứa ký tự không hợp lệ.")
        return None
