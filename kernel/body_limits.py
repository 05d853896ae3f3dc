"""Request bodies refused by their declared size before anything reads them.

Django parses a POST body the first time something touches `request.POST` (the CSRF check
does, before any view): a multipart body past FILE_UPLOAD_MAX_MEMORY_SIZE is spooled to
FILE_UPLOAD_TEMP_DIR on the way. This middleware, first in MIDDLEWARE, answers 413 from the
Content-Length alone, whoever asks: each URL name listed in settings.BODY_LIMITS (the upload
URLs) gets its cap, every other URL settings.BODY_LIMIT_DEFAULT (a form's worth).

A chunked body (no Content-Length) is never read by Django (its stream is cut at length 0),
so nothing spools it; it is refused here with 411 all the same, rather than silently
dropped. In production nginx stands in front (deploy/nginx/), buffers every body, counts a
chunked one as it streams, applies the same caps per location and hands gunicorn complete
requests with a Content-Length only.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.urls import Resolver404, resolve

# Rendered without the request: at this point no session or user exists yet (and needs not).
REFUSAL_PAGE = """{% extends "base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block content %}
<h1>{{ title }}</h1>
<div class="card narrow">
  <p>{{ message }}</p>
  <p>{% if back %}<a href="{{ back }}">Quay lại</a> · {% endif %}<a href="{% url 'home' %}">Về trang chủ</a></p>
</div>
{% endblock %}
"""


def body_limit_for(path_info: str) -> int:
    """The largest body (bytes) accepted on this path."""
    try:
        name = resolve(path_info).view_name
    except Resolver404:
        return settings.BODY_LIMIT_DEFAULT
    return settings.BODY_LIMITS.get(name, settings.BODY_LIMIT_DEFAULT)


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB".replace(".", ",")


def refusal_page(
    status: int, title: str, message: str, *, request=None, back: str = ""
) -> HttpResponse:
    """A Vietnamese error page on the site's layout; `request` given, with its navigation."""
    context = {"title": title, "message": message, "back": back}
    page = engines["django"].from_string(REFUSAL_PAGE).render(context, request)
    return HttpResponse(page, status=status)


def refusal(status: int, title: str, message: str) -> HttpResponse:
    # No `Connection: close` (hop-by-hop, refused by WSGI servers): gunicorn's sync workers
    # close after every response, unread body and all.
    return refusal_page(status, title, message)


def body_limit_middleware(get_response):
    def middleware(request):
        declared = request.META.get("CONTENT_LENGTH") or ""
        if not declared and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return refusal(
                411,
                "Cần ghi rõ dung lượng",
                "Yêu cầu gửi dữ liệu phải ghi rõ dung lượng (Content-Length); "
                "hãy gửi lại từ trình duyệt.",
            )
        try:
            size = int(declared or 0)
        except ValueError:
            return refusal(400, "Yêu cầu không hợp lệ", "Dung lượng khai báo không hợp lệ.")
        if size < 0:
            return refusal(400, "Yêu cầu không hợp lệ", "Dung lượng khai báo không hợp lệ.")
        # Most requests carry less than any cap: no URL resolving for them.
        if size <= min(settings.BODY_LIMIT_DEFAULT, *settings.BODY_LIMITS.values()):
            return get_response(request)
        limit = body_limit_for(request.path_info)
        if size > limit:
            hint = (
                " Mỗi tệp tài liệu tối đa 20 MB, mỗi lần tối đa 10 tệp; tệp phiếu tối đa 100 MB."
                if limit > settings.BODY_LIMIT_DEFAULT
                else ""
            )
            return refusal(
                413,
                "Dữ liệu gửi lên quá lớn",
                f"Dữ liệu gửi lên ({megabytes(size)}) vượt quá giới hạn {megabytes(limit)} "
                f"của trang này; hệ thống từ chối trước khi nhận.{hint}",
            )
        return get_response(request)

    return middleware
