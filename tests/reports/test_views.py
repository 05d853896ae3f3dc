"""Who downloads what, for every URL: staff any time; once published, everyone."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from criteria.models import Year

pytestmark = pytest.mark.django_db

DOWNLOADS = [
    ("reports:documents", {}),
    ("reports:annex", {"code": "A1"}),
    ("reports:annex", {"code": "A18"}),
    ("reports:summary", {}),
    ("reports:report_pdf", {}),
    ("reports:report_docx", {}),
    ("reports:bundle", {}),
]
CONTENT_TYPES = {
    "reports:annex": "application/pdf",
    "reports:report_pdf": "application/pdf",
    "reports:summary": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "reports:report_docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "reports:bundle": "application/zip",
}


def url(name, year=2022, **kwargs):
    return reverse(name, kwargs={"year": year, **kwargs})


@pytest.fixture
def as_user(client):
    def login(username):
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        return client

    return login


@pytest.fixture
def unpublished(rendered):
    Year.objects.filter(year=2022).update(status=Year.Status.REVIEW)


@pytest.fixture
def no_render_job(monkeypatch):
    started = []
    monkeypatch.setattr("reports.views.render_start", lambda **kw: started.append(kw))
    return started


# canbo.yte: the CCHC officer of Sở Y tế (A18); hoidong: a council member (province staff).
@pytest.mark.parametrize("username", [None, "canbo.yte", "thutruong.yte", "hoidong"])
@pytest.mark.parametrize("name,kwargs", DOWNLOADS)
def test_published_year_everything_is_downloadable_by_everyone(
    rendered, as_user, username, name, kwargs
):
    response = as_user(username).get(url(name, **kwargs))
    assert response.status_code == 200
    if name in CONTENT_TYPES:
        assert response["Content-Type"] == CONTENT_TYPES[name]
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content)


@pytest.mark.parametrize("username", [None, "canbo.yte", "thutruong.yte"])
@pytest.mark.parametrize("name,kwargs", DOWNLOADS)
def test_unpublished_year_is_404_for_anyone_but_staff_even_the_units_own_annex(
    unpublished, as_user, username, name, kwargs
):
    assert as_user(username).get(url(name, **kwargs)).status_code == 404


@pytest.mark.parametrize(
    "name,kwargs",
    [d for d in DOWNLOADS if d[0] != "reports:bundle"],
)
def test_unpublished_year_staff_download_drafts(unpublished, as_user, name, kwargs):
    response = as_user("hoidong").get(url(name, **kwargs))
    assert response.status_code == 200
    if name in CONTENT_TYPES:
        assert response["Content-Type"] == CONTENT_TYPES[name]


def test_unpublished_draft_pdf_is_marked_as_draft(unpublished, as_user):
    from .conftest import pdf_text

    response = as_user("hoidong").get(url("reports:annex", code="B2"))
    import io

    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.getvalue())).pages)
    assert "DỰ THẢO" in text
    assert pdf_text  # the helper is shared


def test_staff_zip_of_a_changed_year_starts_a_render_and_says_so(
    unpublished, as_user, no_render_job
):
    response = as_user("hoidong").get(url("reports:bundle"))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert len(no_render_job) == 1


@pytest.mark.parametrize("username", [None, "canbo.yte"])
def test_render_and_job_pages_are_staff_only(rendered, as_user, username):
    client = as_user(username)
    assert client.post(url("reports:render")).status_code == 404
    assert client.get(reverse("reports:job", kwargs={"job_id": 1})).status_code == 404


def test_staff_start_a_render_and_follow_it(rendered, as_user, monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())
    client = as_user("hoidong")
    response = client.post(url("reports:render"))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Hoàn thành" in page.content.decode()
    assert "33 / 33" in page.content.decode()


def test_render_is_post_only(rendered, as_user):
    assert as_user("hoidong").get(url("reports:render")).status_code == 405


@pytest.mark.parametrize("username", [None, "hoidong"])
def test_a_year_without_results_and_an_unknown_unit_are_404(rendered, as_user, username):
    client = as_user(username)
    assert client.get(url("reports:report_pdf", year=2023)).status_code == 404
    assert client.get(url("reports:report_pdf", year=1999)).status_code == 404
    assert client.get(url("reports:annex", code="Z9")).status_code == 404


@pytest.mark.parametrize("username", [None, "canbo.yte"])
def test_visitors_get_the_stored_document_of_a_published_year_and_never_start_a_render(
    rendered, as_user, username, monkeypatch
):
    from reports.models import RenderedFile

    RenderedFile.objects.filter(year__year=2022, kind="report").update(digest="an older layout")
    monkeypatch.setattr(
        "reports.services.render", lambda *a, **kw: pytest.fail("a visitor started a render")
    )

    response = as_user(username).get(url("reports:report_pdf"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_staff_downloading_a_stale_published_document_get_it_rendered_afresh(rendered, as_user):
    from reports.models import RenderedFile

    RenderedFile.objects.filter(year__year=2022, kind="report").update(digest="an older layout")

    response = as_user("hoidong").get(url("reports:report_pdf"))

    assert response.status_code == 200
    assert RenderedFile.objects.get(year__year=2022, kind="report").digest != "an older layout"
