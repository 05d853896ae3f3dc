"""HTML → PDF with WeasyPrint, loading nothing but our own static files: the one locked-down
fetcher every PDF of the project (reports, blank ballots) goes through."""

from __future__ import annotations

import mimetypes
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = Path(settings.BASE_DIR, "static").resolve()
PDF = "application/pdf"


@lru_cache(maxsize=32)
def _static_bytes(path: Path) -> bytes:
    return path.read_bytes()


class StaticOnlyFetcher(URLFetcher):
    """Serves `file:` URLs inside static/ and refuses everything else (no network, no
    other file), so a name or a note typed by a user cannot make the renderer fetch."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ValueError(f"Không tải tài nguyên ngoài: {url}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(STATIC_DIR) or not path.is_file():
            raise ValueError(f"Chỉ tải được tệp tĩnh của hệ thống: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, _static_bytes(path), headers={"Content-Type": content_type})


def html_to_pdf(html: str) -> bytes:
    return HTML(
        string=html,
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=StaticOnlyFetcher(),
    ).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template, context))
