"""appraisal_save, rule by rule."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from appraisal.models import AppraisalEntry
from appraisal.services.appraisals import appraisal_save, leaf_state
from appraisal.services.explanations import explanation_submit
from kernel.models import AuditEvent

from .personas import *  # noqa: F403 - fixtures
from .personas import (
    AFTER_EXPLANATION,
    APPRAISAL_CLOSES,
    APPRAISAL_OPENS,
    EXPLANATION_CLOSES,
    IN_APPRAISAL,
    IN_EXPLANATION,
)

S = AppraisalEntry.Status
MINUTE = timedelta(minutes=1)


def appraise(world, by, unit="A1", code="2.1", at=IN_APPRAISAL, **kwargs):
    return appraisal_save(
        participation=world.participations[unit],
        criterion=world.criteria[code],
        by=by,
        at=at,
        **kwargs,
    )


def test_agreed_keeps_the_self_score_and_needs_no_comment(world, appraiser):
    entry = appraise(world, appraiser, status=S.AGREED)
    score = world.score("A1", "2.1")
    assert score.appraised_score == Decimal("3")
    assert score.appraisal_note == ""
    assert (entry.round, entry.status, entry.appraiser) == (1, S.AGREED, appraiser)


def test_a_score_different_from_the_self_score_needs_a_comment(world, appraiser):
    with pytest.raises(ValidationError, match="Nhập ý kiến thẩm định"):
        appraise(world, appraiser, status=S.ADJUSTED, appraised_score=Decimal("2.5"))
    assert world.score("A1", "2.1").appraised_score is None
    assert not AppraisalEntry.objects.exists()


def test_adjusted_with_a_comment_is_copied_onto_the_score_the_engine_reads(world, appraiser):
    appraise(
        world,
        appraiser,
        status=S.ADJUSTED,
        appraised_score=Decimal("2.5"),
        comment="Thiếu văn bản thẩm định dự thảo.",
    )
    score = world.score("A1", "2.1")
    assert score.appraised_score == Decimal("2.5")
    assert score.appraisal_note == "Thiếu văn bản thẩm định dự thảo."


def test_agreed_with_a_different_score_is_refused(world, appraiser):
    with pytest.raises(ValidationError, match="chọn “Điều chỉnh”"):
        appraise(world, appraiser, status=S.AGREED, appraised_score=Decimal("1"), comment="x")


def test_adjusted_with_the_self_score_is_refused(world, appraiser):
    with pytest.raises(ValidationError, match="chọn “Thống nhất”"):
        appraise(world, appraiser, status=S.ADJUSTED, appraised_score=Decimal("3"), comment="x")


def test_needs_explanation_needs_a_comment_even_with_the_same_score(world, appraiser):
    with pytest.raises(ValidationError, match="cần giải trình"):
        appraise(world, appraiser, status=S.NEEDS_EXPLANATION, appraised_score=Decimal("3"))
    entry = appraise(
        world,
        appraiser,
        status=S.NEEDS_EXPLANATION,
        appraised_score=Decimal("3"),
        comment="Bổ sung quyết định ban hành.",
    )
    assert entry.status == S.NEEDS_EXPLANATION


@pytest.mark.parametrize("points", ["-0.5", "3.5", "1.2345"])
def test_scores_outside_zero_to_max_or_past_three_decimals_are_refused(world, appraiser, points):
    with pytest.raises(ValidationError):
        appraise(world, appraiser, status=S.ADJUSTED, appraised_score=Decimal(points), comment="x")


def test_a_measured_leaf_scores_the_appraised_value_through_its_rubric(world, lead):
    # Rubric 100 → 2, 80 → 1, else 0; the unit claimed 100 (2 points).
    appraise(
        world,
        lead,
        code="1.2",
        status=S.ADJUSTED,
        appraised_value=Decimal("85"),
        appraised_score=Decimal("2"),  # ignored: the rubric decides
        comment="Chỉ 85 % nhiệm vụ hoàn thành.",
    )
    score = world.score("A1", "1.2")
    assert (score.appraised_value, score.appraised_score) == (Decimal("85"), Decimal("1"))


def test_a_corrected_value_with_the_same_points_still_needs_a_comment(world, lead):
    # 100 → 2 points claimed; 100 is the only value worth 2, so use a leaf value of 80 vs 95.
    score = world.score("A1", "1.2")
    score.self_value, score.self_score = Decimal("95"), Decimal("1")
    score.save()
    with pytest.raises(ValidationError, match="Nhập ý kiến"):
        appraise(world, lead, code="1.2", status=S.ADJUSTED, appraised_value=Decimal("80"))


def test_agreed_on_a_measured_leaf_takes_the_self_value(world, lead):
    appraise(world, lead, code="1.2", status=S.AGREED)
    score = world.score("A1", "1.2")
    assert (score.appraised_value, score.appraised_score) == (Decimal("100"), Decimal("2"))


def test_the_appraisal_window_opens_and_closes_to_the_minute(world, appraiser):
    with pytest.raises(ValidationError, match="Ngoài thời gian thẩm định"):
        appraise(world, appraiser, status=S.AGREED, at=APPRAISAL_OPENS - MINUTE)
    appraise(world, appraiser, status=S.AGREED, at=APPRAISAL_OPENS)
    appraise(world, appraiser, code="2.2", status=S.AGREED, at=APPRAISAL_CLOSES - MINUTE)
    with pytest.raises(ValidationError, match="Ngoài thời gian thẩm định"):
        appraise(world, appraiser, unit="A18", status=S.AGREED, at=APPRAISAL_CLOSES)


def test_an_appraiser_never_appraises_the_unit_that_sent_them(world, appraiser):
    with pytest.raises(ValidationError, match="đơn vị của mình"):
        appraise(world, appraiser, unit="A8", status=S.AGREED)


def test_the_lead_does_not_appraise_their_own_unit_either(world, lead):
    with pytest.raises(ValidationError, match="đơn vị của mình"):
        appraise(world, lead, unit="A2", status=S.AGREED)


def test_an_appraiser_appraises_only_the_assigned_areas(world, appraiser, other_appraiser):
    with pytest.raises(ValidationError, match="không được phân công"):
        appraise(world, appraiser, code="1.1", status=S.AGREED)
    with pytest.raises(ValidationError, match="không được phân công"):
        appraise(world, other_appraiser, unit="A18", status=S.AGREED)


def test_the_lead_appraises_any_area_of_other_units(world, lead):
    appraise(world, lead, unit="A18", code="1.1", status=S.AGREED)
    appraise(world, lead, unit="A8", code="2.1", status=S.AGREED)
    assert AppraisalEntry.objects.count() == 2


def test_survey_leaves_and_inner_nodes_are_not_appraised(world, lead):
    for code in ("3.1", "2"):
        with pytest.raises(ValidationError, match="tài liệu kiểm chứng"):
            appraise(world, lead, code=code, status=S.AGREED, appraised_score=Decimal("0"))


def test_a_not_applicable_leaf_is_not_appraised(world, appraiser):
    score = world.score("A1", "2.1")
    score.not_applicable = True
    score.save()
    with pytest.raises(ValidationError, match="không áp dụng"):
        appraise(world, appraiser, status=S.AGREED)


def test_a_leaf_the_unit_never_scored_can_be_appraised(world, lead):
    appraise(
        world,
        lead,
        code="1.3",
        status=S.ADJUSTED,
        appraised_score=Decimal("0.5"),
        comment="Kỷ luật.",
    )
    assert world.score("A1", "1.3").appraised_score == Decimal("0.5")


def test_a_published_year_refuses_every_appraisal(world, appraiser):
    world.year.status = world.year.Status.PUBLISHED
    world.year.save()
    with pytest.raises(ValidationError, match="đã công bố"):
        appraise(world, appraiser, status=S.AGREED)


def test_every_appraisal_is_audited_old_and_new(world, appraiser):
    appraise(world, appraiser, status=S.AGREED)
    appraise(
        world, appraiser, status=S.ADJUSTED, appraised_score=Decimal("2"), comment="Thiếu hồ sơ."
    )
    events = list(AuditEvent.objects.filter(action="appraisal_save").order_by("id"))
    assert len(events) == 2
    assert events[1].actor == appraiser
    assert events[1].unit_code == "A1"
    assert events[1].year == 2023
    assert events[1].changes["appraised_score"] == ["3.000", "2"]
    assert events[1].changes["status"] == ["agreed", "adjusted"]


def test_every_round_stays_in_the_history(world, appraiser, officer):
    appraise(
        world,
        appraiser,
        unit="A18",
        status=S.NEEDS_EXPLANATION,
        appraised_score=Decimal("1.5"),
        comment="Chưa có báo cáo rà soát.",
    )
    score = world.score("A18", "2.1")
    explanation_submit(score=score, note="Bổ sung báo cáo số 12/BC.", by=officer, at=IN_EXPLANATION)
    final = appraise(
        world,
        appraiser,
        unit="A18",
        status=S.ADJUSTED,
        appraised_score=Decimal("2.5"),
        comment="Đã xem báo cáo bổ sung; chấp nhận một phần.",
        at=IN_EXPLANATION + timedelta(hours=2),
    )
    assert final.round == AppraisalEntry.Round.FINAL
    entries = list(score.appraisal_entries.order_by("at"))
    assert [(e.round, e.status, e.appraised_score) for e in entries] == [
        (1, S.NEEDS_EXPLANATION, Decimal("1.5")),
        (2, S.ADJUSTED, Decimal("2.5")),
    ]
    score.refresh_from_db()
    assert score.appraised_score == Decimal("2.5")
    assert leaf_state(entries, list(score.explanations.all())).key == "final_adjusted"


def test_a_disputed_leaf_waits_for_the_unit_during_the_explanation_window(world, appraiser):
    appraise(world, appraiser, status=S.NEEDS_EXPLANATION, comment="Bổ sung tài liệu.")
    with pytest.raises(ValidationError, match="đang trong thời gian giải trình"):
        appraise(
            world,
            appraiser,
            status=S.ADJUSTED,
            appraised_score=Decimal("1"),
            comment="x",
            at=IN_EXPLANATION,
        )


def test_after_the_explanation_round_disputed_leaves_get_a_final_score(world, appraiser):
    appraise(world, appraiser, status=S.NEEDS_EXPLANATION, comment="Bổ sung tài liệu.")
    with pytest.raises(ValidationError, match="chỉ còn chấm điểm cuối cùng"):
        appraise(world, appraiser, status=S.NEEDS_EXPLANATION, comment="x", at=AFTER_EXPLANATION)
    entry = appraise(
        world,
        appraiser,
        status=S.ADJUSTED,
        appraised_score=Decimal("1"),
        comment="Đơn vị không giải trình.",
        at=EXPLANATION_CLOSES,
    )
    assert entry.round == AppraisalEntry.Round.FINAL


def test_after_the_window_a_leaf_agreed_in_round_one_stays_closed(world, appraiser):
    appraise(world, appraiser, status=S.AGREED)
    with pytest.raises(ValidationError, match="Ngoài thời gian thẩm định"):
        appraise(
            world,
            appraiser,
            status=S.ADJUSTED,
            appraised_score=Decimal("1"),
            comment="x",
            at=AFTER_EXPLANATION,
        )


def dispute_and_explain(world, appraiser, officer, **round_one):
    """A18's 2.1 (self 3) sent for explanation at 1,5 in round 1; the unit explains."""
    appraise(
        world,
        appraiser,
        unit="A18",
        status=S.NEEDS_EXPLANATION,
        appraised_score=Decimal("1.5"),
        comment="Chưa có báo cáo rà soát.",
        **round_one,
    )
    score = world.score("A18", "2.1")
    explanation_submit(score=score, note="Bổ sung báo cáo số 12/BC.", by=officer, at=IN_EXPLANATION)
    return score


def test_agreeing_in_round_two_with_round_ones_figure_still_in_the_form_takes_the_self_score(
    world, appraiser, officer
):
    score = dispute_and_explain(world, appraiser, officer)
    final = appraise(
        world,
        appraiser,
        unit="A18",
        status=S.AGREED,
        appraised_score=Decimal("1.5"),  # what the form still shows: round 1's figure
        at=IN_EXPLANATION + timedelta(hours=2),
    )
    assert (final.round, final.status, final.appraised_score) == (2, S.AGREED, Decimal("3"))
    score.refresh_from_db()
    assert score.appraised_score == Decimal("3")


def test_agreeing_in_round_two_with_a_new_figure_is_refused_and_nothing_written(
    world, appraiser, officer
):
    score = dispute_and_explain(world, appraiser, officer)
    with pytest.raises(ValidationError, match="Điểm thẩm định khác điểm tự chấm"):
        appraise(
            world,
            appraiser,
            unit="A18",
            status=S.AGREED,
            appraised_score=Decimal("2"),
            at=IN_EXPLANATION + timedelta(hours=2),
        )
    score.refresh_from_db()
    assert score.appraised_score == Decimal("1.5")
    assert score.appraisal_entries.count() == 1


def test_agreeing_after_adjusting_in_round_one_needs_no_retyping_either(world, appraiser):
    appraise(world, appraiser, status=S.ADJUSTED, appraised_score=Decimal("2"), comment="x")
    entry = appraise(world, appraiser, status=S.AGREED, appraised_score=Decimal("2"))
    assert entry.appraised_score == Decimal("3")
    assert world.score("A1", "2.1").appraised_score == Decimal("3")
