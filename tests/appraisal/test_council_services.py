"""year_publish, and the freeze it puts on every write path."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from appraisal.jobs import compute_start
from appraisal.models import AppraisalEntry, Computation
from appraisal.services.appraisals import appraisal_save
from appraisal.services.assignments import assignment_create
from appraisal.services.compute import results_compute
from appraisal.services.explanations import explanation_submit
from appraisal.services.publication import results_are_current, year_publish
from kernel.models import AuditEvent

from .personas import *  # noqa: F403 - fixtures
from .personas import AFTER_ALL, IN_APPRAISAL, IN_EXPLANATION, appraise_everything

S = AppraisalEntry.Status


def test_publishing_needs_computed_results(world, council):
    with pytest.raises(ValidationError, match="chưa tính chỉ số"):
        year_publish(year=world.year, by=council, at=AFTER_ALL)


def test_publishing_freezes_the_year_and_is_audited(world, council):
    appraise_everything(world)
    results_compute(year=world.year)
    year_publish(year=world.year, by=council, at=AFTER_ALL)
    world.year.refresh_from_db()
    assert world.year.is_published
    assert world.year.published_on == date(2024, 2, 20)
    event = AuditEvent.objects.get(action="year_publish")
    assert event.actor == council
    assert event.changes["status"] == ["appraisal", "published"]


def test_results_computed_before_a_score_changed_cannot_be_published(world, council):
    appraise_everything(world)
    results_compute(year=world.year)
    assert results_are_current(world.year)
    score = world.score("A1", "2.1")
    score.appraised_score = Decimal("1")
    score.save()
    assert not results_are_current(world.year)
    with pytest.raises(ValidationError, match="tính lại"):
        year_publish(year=world.year, by=council, at=AFTER_ALL)


def test_no_publication_while_appraisal_is_open(world, council):
    results_compute(year=world.year)
    with pytest.raises(ValidationError, match="thẩm định chưa kết thúc"):
        year_publish(year=world.year, by=council, at=IN_APPRAISAL)


def test_a_year_is_published_once(world, council):
    appraise_everything(world)
    results_compute(year=world.year)
    year_publish(year=world.year, by=council, at=AFTER_ALL)
    with pytest.raises(ValidationError, match="đã công bố"):
        year_publish(year=world.year, by=council, at=AFTER_ALL)


@pytest.fixture
def published(world, council, appraiser, officer):
    """Sở Y tế's 2.1 disputed in round 1, then the year computed and published."""
    appraisal_save(
        participation=world.participations["A18"],
        criterion=world.criteria["2.1"],
        status=S.NEEDS_EXPLANATION,
        comment="Bổ sung.",
        by=appraiser,
        at=IN_APPRAISAL,
    )
    appraise_everything(world)
    results_compute(year=world.year)
    year_publish(year=world.year, by=council, at=AFTER_ALL)
    world.year.refresh_from_db()
    return world


def test_a_published_year_refuses_appraisal(published, appraiser):
    with pytest.raises(ValidationError, match="đã công bố"):
        appraisal_save(
            participation=published.participations["A1"],
            criterion=published.criteria["2.1"],
            status=S.AGREED,
            by=appraiser,
            at=IN_APPRAISAL,
        )


def test_a_published_year_refuses_explanations(published, officer):
    with pytest.raises(ValidationError, match="đã công bố"):
        explanation_submit(
            score=published.score("A18", "2.1"), note="x", by=officer, at=IN_EXPLANATION
        )


def test_a_published_year_refuses_assignments(published, lead, other_appraiser):
    with pytest.raises(ValidationError, match="đã công bố"):
        assignment_create(
            year=published.year,
            block=published.block,
            area_code="1",
            appraiser=other_appraiser,
            by=lead,
        )


def test_a_published_year_refuses_recomputation(published, council):
    computed_at = Computation.objects.get(year=published.year).computed_at
    with pytest.raises(ValidationError, match="đã công bố"):
        compute_start(year=published.year, by=council)
    with pytest.raises(ValidationError, match="đã công bố"):
        results_compute(year=published.year)
    assert Computation.objects.get(year=published.year).computed_at == computed_at
