"""Every survey page: anonymous → login, a unit officer → 403, Sở Nội vụ → 200."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from criteria.models import Criterion
from surveys.models import BallotUpload, Scale
from surveys.uploads import ballot_upload_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(year):
    upload = ballot_upload_create(
        year=year,
        uploaded=SimpleUploadedFile("b.csv", b"ballot,group,unit,criterion,option\n"),
    )
    leaf = Criterion.objects.get(year=year, code="2.1.1")
    scale = Scale.objects.get(year=year, code="muc4")
    return [
        reverse("surveys:index"),
        reverse("surveys:dashboard", args=[2022]),
        reverse("surveys:tallies", args=[2022, "A"]),
        reverse("surveys:upload_new", args=[2022]),
        reverse("surveys:upload", args=[upload.pk]),
        reverse("surveys:upload_progress", args=[upload.pk]),
        reverse("surveys:questionnaire", args=[2022]),
        reverse("surveys:groups_edit", args=[2022]),
        reverse("surveys:plan_edit", args=[2022]),
        reverse("surveys:scale_new", args=[2022]),
        reverse("surveys:scale_edit", args=[2022, scale.pk]),
        reverse("surveys:question_edit", args=[2022, leaf.pk]),
        reverse("surveys:blank_ballot", args=[2022, "A", "hdnd"]),
    ]


def test_anonymous_visitors_are_sent_to_login(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_a_unit_officer_is_refused(client, unit_officer, pages):
    client.force_login(unit_officer)
    for url in pages:
        assert client.get(url).status_code == 403, url


def test_home_affairs_officers_see_every_page(client, home_affairs, pages):
    client.force_login(home_affairs)
    for url in pages:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("name", ["upload_confirm", "upload_cancel"])
def test_post_only_actions(client, year, unit_officer, home_affairs, name):
    upload = ballot_upload_create(
        year=year,
        uploaded=SimpleUploadedFile("b.csv", b"ballot,group,unit,criterion,option\n"),
    )
    url = reverse(f"surveys:{name}", args=[upload.pk])
    assert client.post(url).url.startswith(reverse("login"))
    client.force_login(unit_officer)
    assert client.post(url).status_code == 403
    client.force_login(home_affairs)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert BallotUpload.objects.get().status != BallotUpload.Status.IMPORTED


def test_forms_carry_a_csrf_token(client, home_affairs):
    client.force_login(home_affairs)
    page = client.get(reverse("surveys:upload_new", args=[2022])).content.decode()
    assert "csrfmiddlewaretoken" in page
    assert "<script>" not in page and "hx-on" not in page
