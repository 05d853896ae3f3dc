"""The admin (/quan-tri/) obeys the year's lifecycle (DOMAIN.md §9, issue 11 Why 3): a
published year's data is read-only there, a year's status is never set by hand, windows are
checked, and a unit's code is frozen once a published year knows it."""

from decimal import Decimal

import pytest
from django.contrib import admin

from criteria.models import Criterion, Year
from evidence.models import Score
from kernel.models import AuditEvent
from parindex.admin_lifecycle import LifecycleAdmin
from tests.personas import Node, local, year_build

from .admin_pages import home_affairs_admin, posted

TREE = [Node("1", "10"), Node("1.1", "4", "evidence"), Node("1.2", "6", "evidence")]
WINDOWS = {
    "self_assessment_opens": local(2023, 2, 1, 8),
    "self_assessment_closes": local(2023, 3, 1),
    "appraisal_opens": local(2023, 3, 1),
    "appraisal_closes": local(2023, 4, 1),
    "explanation_opens": local(2023, 4, 1),
    "explanation_closes": local(2023, 4, 15),
}


@pytest.fixture
def published(db):
    built = year_build(2022, units=["A18"], tree=TREE, status=Year.Status.PUBLISHED)
    score = Score.objects.create(
        participation=built.participations["A18"],
        criterion=built.leaf("1.1"),
        self_score=Decimal("4"),
        appraised_score=Decimal("3"),
    )
    return built, score


@pytest.fixture
def draft(db):
    return year_build(2023, units=["A18"], tree=TREE, **WINDOWS)


def score_url(score, action="change"):
    return f"/quan-tri/evidence/score/{score.pk}/{action}/"


def test_a_published_years_appraised_score_is_shown_read_only_and_a_post_is_refused(
    client, published
):
    _, score = published
    home_affairs_admin(client)

    page = client.get(score_url(score))
    refused = client.post(score_url(score), posted(page, appraised_score="4"))

    assert page.status_code == 200 and page.context["has_change_permission"] is False
    assert "Năm 2022 đã công bố" in page.content.decode()
    assert refused.status_code == 403
    score.refresh_from_db()
    assert score.appraised_score == Decimal("3")
    assert not AuditEvent.objects.exists()


def test_nothing_is_added_to_a_published_year_from_the_admin(client, published):
    built, _ = published
    home_affairs_admin(client)
    page = client.get("/quan-tri/evidence/score/add/")

    response = client.post(
        "/quan-tri/evidence/score/add/",
        posted(
            page,
            participation=str(built.participations["A18"].pk),
            criterion=str(built.leaf("1.2").pk),
            self_score="5",
        ),
    )

    assert response.status_code == 200
    assert "Năm 2022 đã công bố" in str(response.context["adminform"].form.errors)
    assert Score.objects.count() == 1 and not AuditEvent.objects.exists()


def test_nothing_of_a_published_year_is_deleted_one_by_one_or_in_bulk(client, published):
    built, score = published
    home_affairs_admin(client)

    one = client.post(score_url(score, "delete"), {"post": "yes"})
    bulk = client.post(
        "/quan-tri/criteria/criterion/",
        {
            "action": "delete_selected",
            "_selected_action": [str(c.pk) for c in built.criteria.values()],
            "post": "yes",
        },
    )

    assert one.status_code == 403 and bulk.status_code == 403
    assert Score.objects.filter(pk=score.pk).exists()
    assert Criterion.objects.filter(year=built.year).count() == len(TREE)
    assert not AuditEvent.objects.exists()


def test_a_published_years_criteria_and_block_rules_are_not_renamed(client, published):
    built, _ = published
    criterion = built.leaf("1.1")
    home_affairs_admin(client)
    url = f"/quan-tri/criteria/criterion/{criterion.pk}/change/"

    response = client.post(url, posted(client.get(url), name="Đổi tên"))
    year_page = client.get(f"/quan-tri/criteria/year/{built.year.pk}/change/")

    assert response.status_code == 403
    criterion.refresh_from_db()
    assert criterion.name == "Tiêu chí 1.1"
    rules = year_page.context["inline_admin_formsets"][0]
    assert not rules.has_add_permission and not rules.has_change_permission


def test_a_years_status_is_never_set_by_hand(client, draft):
    home_affairs_admin(client)
    url = f"/quan-tri/criteria/year/{draft.year.pk}/change/"
    page = client.get(url)

    response = client.post(url, posted(page, status=Year.Status.PUBLISHED, name="Năm 2023"))

    assert "status" not in page.context["adminform"].form.fields
    assert response.status_code == 302
    draft.year.refresh_from_db()
    assert draft.year.status == Year.Status.DRAFT and draft.year.name == "Năm 2023"


def test_a_window_that_closes_before_it_opens_is_refused_in_vietnamese(client, draft):
    home_affairs_admin(client)
    url = f"/quan-tri/criteria/year/{draft.year.pk}/change/"
    data = posted(client.get(url))
    data["self_assessment_closes_0"] = data["self_assessment_opens_0"]
    data["self_assessment_closes_1"] = "07:00"

    response = client.post(url, data)

    errors = response.context["adminform"].form.errors
    assert response.status_code == 200
    assert errors["self_assessment_closes"] == [
        "Thời điểm đóng tự đánh giá phải sau thời điểm mở (08:00 01/02/2023)."
    ]
    draft.year.refresh_from_db()
    assert draft.year.self_assessment_closes == WINDOWS["self_assessment_closes"]
    assert not AuditEvent.objects.exists()


def test_overlapping_windows_are_refused(client, draft):
    home_affairs_admin(client)
    url = f"/quan-tri/criteria/year/{draft.year.pk}/change/"
    data = posted(client.get(url))
    data["appraisal_opens_0"] = data["self_assessment_opens_0"]

    response = client.post(url, data)

    errors = response.context["adminform"].form.errors
    assert errors["appraisal_opens"] == [
        "Đợt thẩm định chỉ mở khi đợt tự đánh giá đã đóng (00:00 01/03/2023): "
        "các đợt không được chồng lên nhau."
    ]
    draft.year.refresh_from_db()
    assert draft.year.appraisal_opens == WINDOWS["appraisal_opens"]
    assert not AuditEvent.objects.exists()


def test_a_window_needs_both_ends(client, draft):
    home_affairs_admin(client)
    url = f"/quan-tri/criteria/year/{draft.year.pk}/change/"

    response = client.post(
        url, posted(client.get(url), explanation_closes_0="", explanation_closes_1="")
    )

    assert response.context["adminform"].form.errors["explanation_closes"] == [
        "Nhập cả thời điểm mở và thời điểm đóng giải trình."
    ]


def test_a_units_code_is_frozen_by_a_published_year_but_its_name_may_be_corrected(
    client, published
):
    built, _ = published
    unit = built.units["A18"]
    home_affairs_admin(client)
    url = f"/quan-tri/units/unit/{unit.pk}/change/"

    response = client.post(url, posted(client.get(url), code="Z9", name="Sở Y tế tỉnh"))

    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.code, unit.name) == ("A18", "Sở Y tế tỉnh")
    assert built.participations["A18"].name == "Sở Y tế"
    assert (
        client.post(f"/quan-tri/units/unit/{unit.pk}/delete/", {"post": "yes"}).status_code == 403
    )


def test_a_unit_of_no_published_year_may_change_its_code(client, draft):
    unit = draft.units["A18"]
    home_affairs_admin(client)
    url = f"/quan-tri/units/unit/{unit.pk}/change/"

    client.post(url, posted(client.get(url), code="A18X"))

    unit.refresh_from_db()
    assert unit.code == "A18X"


def test_every_admin_obeys_the_lifecycle_and_every_years_model_says_where_its_year_is():
    year_apps = {"criteria", "evidence", "surveys", "appraisal"}
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, LifecycleAdmin), model
        if model._meta.app_label in year_apps:
            assert model_admin.year_scoped, model
