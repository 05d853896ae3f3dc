"""Assigning appraisers to areas: who may, what is checked, what is audited."""

import pytest
from django.core.exceptions import ValidationError

from appraisal.models import Assignment
from appraisal.services.assignments import (
    assignment_create,
    assignment_delete,
    assignment_reassign,
    demo_assignments_create,
)
from kernel.models import AuditEvent

from .personas import *  # noqa: F403 - fixtures
from .personas import person


def test_the_lead_assigns_an_area_and_it_is_audited(world, lead, other_appraiser):
    assignment = assignment_create(
        year=world.year, block=world.block, area_code="1", appraiser=other_appraiser, by=lead
    )
    assert (assignment.area_code, assignment.appraiser, assignment.assigned_by) == (
        "1",
        other_appraiser,
        lead,
    )
    event = AuditEvent.objects.get(action="assignment_create")
    assert event.actor == lead and event.changes == {"appraiser": [None, "thamdinh.gtvt"]}


def test_home_affairs_may_assign(world, noivu, other_appraiser):
    assignment_create(
        year=world.year, block=world.block, area_code="1", appraiser=other_appraiser, by=noivu
    )
    assert Assignment.objects.filter(appraiser=other_appraiser).exists()


@pytest.mark.parametrize("who", ["appraiser", "council"])
def test_others_may_not_assign(world, request, who, other_appraiser):
    with pytest.raises(ValidationError, match="Chỉ Tổ trưởng"):
        assignment_create(
            year=world.year,
            block=world.block,
            area_code="1",
            appraiser=other_appraiser,
            by=request.getfixturevalue(who),
        )


def test_only_secretariat_members_are_assigned(world, lead, council):
    with pytest.raises(ValidationError, match="không phải thành viên Tổ thư ký"):
        assignment_create(
            year=world.year, block=world.block, area_code="1", appraiser=council, by=lead
        )


def test_a_survey_area_is_not_assigned(world, lead, other_appraiser):
    with pytest.raises(ValidationError, match="không có lĩnh vực 3"):
        assignment_create(
            year=world.year, block=world.block, area_code="3", appraiser=other_appraiser, by=lead
        )


def test_the_same_assignment_twice_is_refused(world, lead, appraiser):
    with pytest.raises(ValidationError, match="đã được phân công"):
        assignment_create(
            year=world.year, block=world.block, area_code="2", appraiser=appraiser, by=lead
        )


def test_reassigning_hands_the_area_over_and_is_audited(world, lead, appraiser, other_appraiser):
    assignment = Assignment.objects.get(appraiser=appraiser)
    assignment_reassign(assignment=assignment, appraiser=other_appraiser, by=lead)
    assignment.refresh_from_db()
    assert assignment.appraiser == other_appraiser
    event = AuditEvent.objects.get(action="assignment_reassign")
    assert event.changes == {"appraiser": ["thamdinh.tuphap", "thamdinh.gtvt"]}


def test_removing_an_assignment_is_audited(world, lead, appraiser):
    assignment_delete(assignment=Assignment.objects.get(appraiser=appraiser), by=lead)
    assert not Assignment.objects.exists()
    assert AuditEvent.objects.filter(action="assignment_delete").count() == 1


def test_a_published_year_refuses_every_assignment_change(world, lead, appraiser, other_appraiser):
    world.year.status = world.year.Status.PUBLISHED
    world.year.save()
    assignment = Assignment.objects.get(appraiser=appraiser)
    assignment.year.refresh_from_db()
    with pytest.raises(ValidationError, match="đã công bố"):
        assignment_create(
            year=world.year, block=world.block, area_code="1", appraiser=other_appraiser, by=lead
        )
    with pytest.raises(ValidationError, match="đã công bố"):
        assignment_reassign(assignment=assignment, appraiser=other_appraiser, by=lead)
    with pytest.raises(ValidationError, match="đã công bố"):
        assignment_delete(assignment=assignment, by=lead)


def test_demo_assignments_give_institutions_to_tu_phap_and_the_rest_to_the_lead(world, lead):
    tuphap = person("thamdinh.tuphap")
    assert demo_assignments_create(world.year) == 2
    assert demo_assignments_create(world.year) == 0
    assert dict(Assignment.objects.values_list("area_code", "appraiser__username")) == {
        "1": "totruong",
        "2": "thamdinh.tuphap",
    }
    assert tuphap.appraisal_assignments.count() == 1
