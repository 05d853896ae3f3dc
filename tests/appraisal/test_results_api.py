"""GET /api/years/<Y>/results: the results document, public once published, staff before."""

import io
import json

import pytest
from django.core.management import call_command

from .conftest import person


@pytest.fixture
def computed_year(small_year):
    call_command("compute_results", "--year", "2022", stdout=io.StringIO())
    return small_year


def get(client, year=2022):
    return client.get(f"/api/years/{year}/results")


def test_anonymous_cannot_see_unpublished_results(client, computed_year):
    assert get(client).status_code == 404


def test_unit_officer_cannot_see_unpublished_results(client, computed_year, unit_officer):
    client.force_login(unit_officer)
    assert get(client).status_code == 404


@pytest.mark.parametrize("role", ["home_affairs", "council", "secretariat_lead"])
def test_province_staff_see_unpublished_results(client, computed_year, role):
    client.force_login(person(f"staff-{role}", role))

    response = get(client)

    assert response.status_code == 200
    assert response.json()["year"] == 2022


def test_published_results_are_public_and_equal_the_exported_document(
    client, computed_year, tmp_path
):
    computed_year.status = computed_year.Status.PUBLISHED
    computed_year.save()
    out = tmp_path / "results.json"
    call_command("export_results", "--year", "2022", "--out", str(out), stdout=io.StringIO())

    response = get(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == json.loads(out.read_text(encoding="utf-8"))
    assert response.json()["blocks"][0]["units"][0]["index"] == "56.67"


def test_unknown_or_uncomputed_year_is_404(client, small_year, home_affairs_officer):
    client.force_login(home_affairs_officer)
    assert get(client, 1999).status_code == 404
    assert get(client).status_code == 404  # imported, not computed yet


def test_an_appraiser_cannot_see_unpublished_results(client, computed_year):
    client.force_login(person("staff-appraiser", "appraiser"))
    assert get(client).status_code == 404
