"""WeasyPrint loads our own static files and nothing else."""

from pathlib import Path

import pytest
from django.conf import settings

from kernel.pdf import StaticOnlyFetcher, html_to_pdf

STATIC = Path(settings.BASE_DIR, "static")


def test_serves_the_shipped_font_and_stylesheet():
    fetcher = StaticOnlyFetcher()
    font = fetcher.fetch((STATIC / "fonts" / "Tinos-Regular.ttf").as_uri())
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    css = fetcher.fetch((STATIC / "css" / "print.css").as_uri())
    assert b"@font-face" in css.read()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/style.css",
        "http://127.0.0.1:8000/quan-tri/",
        "file:///etc/passwd",
        (STATIC / ".." / "db.sqlite3").resolve().as_uri(),
        (STATIC / ".." / "parindex" / "settings.py").as_uri(),
        "data:text/css,body{}",
    ],
)
def test_refuses_anything_else(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_a_document_pointing_elsewhere_still_renders_without_fetching():
    html = (
        '<link rel="stylesheet" href="https://example.com/x.css">'
        '<img src="file:///etc/hostname"><p>Chỉ số cải cách hành chính</p>'
    )
    assert html_to_pdf(html).startswith(b"%PDF")
