"""Who reaches which self-assessment URL: every view and the file download."""

import pytest
from django.urls import reverse

from evidence import services

from .conftest import pdf_file

pytestmark = pytest.mark.usefixtures("during_window")


@pytest.fixture
def world(yte, tuphap, officer, head, other_officer, appraiser, council_member, home_affairs, leaf):
    """Sở Y tế with one evidence file; everybody logged in by persona name."""
    stored = services.evidence_upload(
        participation=yte, criterion=leaf("1.1"), uploaded_file=pdf_file(), by=officer
    )
    theirs = services.evidence_upload(
        participation=tuphap,
        criterion=leaf("1.1"),
        uploaded_file=pdf_file(body=b"tp"),
        by=other_officer,
    )
    return {
        "file": stored,
        "their_file": theirs,
        "leaf": leaf("1.1"),
        "people": {
            "officer": officer,
            "head": head,
            "other_officer": other_officer,
            "appraiser": appraiser,
            "council": council_member,
            "home_affairs": home_affairs,
        },
    }


def pages(world):
    """(name, method, url) of every self-assessment URL about Sở Y tế."""
    c, f = world["leaf"].pk, world["file"].pk
    return [
        ("home", "get", reverse("evidence:home")),
        ("leaf", "get", reverse("evidence:leaf", args=[c])),
        ("leaf_save", "post", reverse("evidence:leaf_save", args=[c])),
        ("upload", "post", reverse("evidence:upload", args=[c])),
        ("link", "post", reverse("evidence:link", args=[c])),
        ("unlink", "post", reverse("evidence:unlink", args=[c, f])),
        ("replace", "post", reverse("evidence:replace", args=[c, f])),
        ("not_applicable", "post", reverse("evidence:not_applicable", args=[c])),
        ("delegate", "post", reverse("evidence:delegate", args=[c])),
        ("submit", "get", reverse("evidence:submit")),
        ("withdraw", "post", reverse("evidence:withdraw")),
        ("download", "get", reverse("evidence:download", args=[f])),
    ]


PAGE_NAMES = [
    "home", "leaf", "leaf_save", "upload", "link", "unlink", "replace", "not_applicable",
    "delegate", "submit", "withdraw", "download",
]  # fmt: skip


def fetch(client, world, name):
    method, url = next((m, u) for n, m, u in pages(world) if n == name)
    return getattr(client, method)(url)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_anonymous_goes_to_login(client, world, name):
    response = fetch(client, world, name)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGE_NAMES)
@pytest.mark.parametrize("persona", ["officer", "head"])
def test_own_unit_reaches_every_page(client, world, persona, name):
    client.force_login(world["people"][persona])
    response = fetch(client, world, name)
    # Pages answer 200; form posts redirect back to the page (302 to the unit's own page).
    expected = 200 if name in {"home", "leaf", "submit", "download"} else 302
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("evidence:home")) or response[
            "Location"
        ].startswith(reverse("evidence:submit"))


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_officer_of_another_unit_gets_404_on_our_files(client, world, name):
    """Sở Tư pháp's officer has a self-assessment of their own: our leaf pages resolve to
    their unit, but our file is not theirs."""
    client.force_login(world["people"]["other_officer"])
    response = fetch(client, world, name)
    if name in {"unlink", "replace", "download"}:
        assert response.status_code == 404
    else:
        # The same criterion exists in their own tree: the page is theirs, not ours.
        assert response.status_code in {200, 302}


def test_guessing_another_units_file_url_is_404(client, world):
    client.force_login(world["people"]["other_officer"])
    assert client.get(reverse("evidence:download", args=[world["file"].pk])).status_code == 404
    assert (
        client.get(reverse("evidence:download", args=[world["their_file"].pk])).status_code == 200
    )
    assert client.get(reverse("evidence:download", args=[999999])).status_code == 404


def test_another_units_officer_never_sees_our_work(client, world, yte, officer, leaf):
    services.score_save(
        participation=yte, criterion=leaf("1.1"), by=officer, score="1", note="Bí mật Sở Y tế"
    )
    client.force_login(world["people"]["other_officer"])
    page = client.get(reverse("evidence:home")).content.decode()
    assert "Sở Tư pháp" in page and "Bí mật Sở Y tế" not in page
    page = client.get(reverse("evidence:leaf", args=[leaf("1.1").pk])).content.decode()
    assert "Bí mật Sở Y tế" not in page and "ke-hoach.pdf" in page  # their own file


@pytest.mark.parametrize("persona", ["appraiser", "council", "home_affairs"])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_province_staff_download_files_but_edit_nothing(client, world, persona, name):
    client.force_login(world["people"][persona])
    response = fetch(client, world, name)
    if name == "download":
        # An appraiser reads only files of their assigned areas: this one has none.
        assert response.status_code == (404 if persona == "appraiser" else 200)
    else:
        assert response.status_code in {403, 404}


def test_a_criterion_outside_the_units_tree_is_404(client, world, year):
    from decimal import Decimal

    from criteria.models import Criterion
    from units.models import Block

    district = Block.objects.create(code="B", name="UBND cấp huyện")
    theirs = Criterion.objects.create(
        year=year, block=district, code="1.1", name="Tiêu chí khối B", max_points=Decimal(1),
        method="evidence",
    )  # fmt: skip
    client.force_login(world["people"]["officer"])
    assert client.get(reverse("evidence:leaf", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("evidence:leaf_save", args=[theirs.pk]), {"score": "1"})
    assert response.status_code == 404
