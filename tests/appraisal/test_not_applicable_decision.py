"""The appraiser's decision on a unit's request to exclude a leaf (DOMAIN §2)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appraisal.services.appraisals import not_applicable_decide
from kernel.models import AuditEvent

from .personas import *  # noqa: F403 - fixtures
from .personas import AFTER_EXPLANATION, IN_APPRAISAL


def request_exclusion(world, unit="A1", code="2.1"):
    score = world.score(unit, code)
    score.not_applicable_requested = True
    score.not_applicable_reason = "Đơn vị không có văn bản QPPL phải ban hành trong năm."
    score.save()
    return score


def decide(world, by, approve, unit="A1", code="2.1", at=IN_APPRAISAL, comment=""):
    return not_applicable_decide(
        participation=world.participations[unit],
        criterion=world.criteria[code],
        approve=approve,
        comment=comment,
        by=by,
        at=at,
    )


def test_approving_excludes_the_leaf_for_the_engine_and_is_audited(world, appraiser):
    request_exclusion(world)

    score = decide(world, appraiser, approve=True)

    assert score.not_applicable and score.appraised_score is None
    event = AuditEvent.objects.get(action="not_applicable_decide")
    assert event.changes["not_applicable"] == [False, True]


def test_refusing_needs_a_reason_and_keeps_the_leaf(world, appraiser):
    request_exclusion(world)
    with pytest.raises(ValidationError, match="Nhập lý do"):
        decide(world, appraiser, approve=False)

    score = decide(world, appraiser, approve=False, comment="Đơn vị có nhiệm vụ này.")

    assert not score.not_applicable


def test_no_request_no_decision(world, appraiser):
    with pytest.raises(ValidationError, match="không đề nghị"):
        decide(world, appraiser, approve=True)


def test_decisions_follow_the_appraisal_window_assignment_and_own_unit(
    world, appraiser, other_appraiser
):
    request_exclusion(world)
    request_exclusion(world, unit="A2")
    with pytest.raises(ValidationError, match="thẩm định"):
        decide(world, appraiser, approve=True, at=AFTER_EXPLANATION)
    with pytest.raises(ValidationError, match="đơn vị của mình"):
        decide(world, other_appraiser, approve=True)  # A1 sent them
    with pytest.raises(ValidationError, match="không được phân công"):
        decide(world, other_appraiser, approve=True, unit="A2")


def test_the_decision_page_is_post_only_and_for_appraisers(client, world, appraiser, officer):
    request_exclusion(world)
    url = reverse("appraisal:leaf_not_applicable", args=[world.year.year, "A1", "2.1"])

    client.force_login(officer)
    assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(appraiser)
    assert client.get(url).status_code == 405


def test_a_published_year_refuses_the_decision(world, appraiser):
    request_exclusion(world)
    world.year.status = world.year.Status.PUBLISHED
    world.year.save()

    with pytest.raises(ValidationError, match="công bố"):
        decide(world, appraiser, approve=True)
