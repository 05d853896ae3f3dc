"""Self-assessment services, rule by rule."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from criteria.models import Year
from evidence import services
from evidence.access import leaf_scope
from evidence.models import Score, Submission
from kernel.models import AuditEvent

from .conftest import CLOSES, OPENS

pytestmark = pytest.mark.usefixtures("during_window")


def save(participation, criterion, by, **fields):
    return services.score_save(participation=participation, criterion=criterion, by=by, **fields)


def refusal(call) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return " ".join(error.value.messages)


# Scores


@pytest.mark.parametrize(
    "typed, stored",
    [("1,5", "1.5"), ("1.5", "1.5"), ("2", "2"), ("0", "0"), (" 0,125 ", "0.125"), ("", None)],
)
def test_officer_self_score_accepts_comma_or_point(yte, officer, leaf, typed, stored):
    score = save(yte, leaf("1.1"), officer, score=typed, note="Đã ban hành kế hoạch")
    score.refresh_from_db()
    assert score.self_score == (Decimal(stored) if stored else None)
    assert score.self_note == "Đã ban hành kế hoạch"


@pytest.mark.parametrize(
    "typed, message",
    [
        ("2,001", "Điểm tự chấm phải từ 0 đến 2."),
        ("-0,5", "Điểm tự chấm phải từ 0 đến 2."),
        ("1,2345", "tối đa 3 chữ số thập phân"),
        ("một", "không phải là số"),
        ("1,2,3", "không phải là số"),
    ],
)
def test_self_score_out_of_bounds_or_malformed_is_refused(yte, officer, leaf, typed, message):
    assert message in refusal(lambda: save(yte, leaf("1.1"), officer, score=typed))
    assert not Score.objects.filter(self_score__isnull=False).exists()


@pytest.mark.parametrize(
    "value, points", [("100", "1"), ("85", "0.5"), ("80", "0.5"), ("79,9", "0"), ("0", "0")]
)
def test_measured_leaf_scores_the_rubric_of_the_entered_value(yte, officer, leaf, value, points):
    score = save(yte, leaf("1.2"), officer, value=value, score="1")
    score.refresh_from_db()
    assert score.self_value == Decimal(value.replace(",", "."))
    assert score.self_score == Decimal(points)


def test_measured_leaf_without_value_has_no_score(yte, officer, leaf):
    save(yte, leaf("1.2"), officer, value="90")
    score = save(yte, leaf("1.2"), officer, value="")
    assert (score.self_value, score.self_score) == (None, None)


def test_negative_measured_value_is_refused(yte, officer, leaf):
    assert "không âm" in refusal(lambda: save(yte, leaf("1.2"), officer, value="-5"))


def test_survey_leaf_cannot_be_self_scored(yte, officer, leaf):
    assert "điều tra xã hội học" in refusal(lambda: save(yte, leaf("2.1"), officer, score="1"))


def test_criterion_of_another_year_or_a_node_is_refused(yte, officer, leaf):
    assert "không thuộc" in refusal(lambda: save(yte, leaf("1"), officer, score="1"))


def test_deduction_leaf_records_points_deducted(yte, officer, leaf):
    score = save(yte, leaf("1.4"), officer, score="0,5", note="Một lãnh đạo bị kỷ luật")
    assert score.self_score == Decimal("0.5")


# Not applicable


def test_not_applicable_request_needs_a_reason(yte, officer, leaf):
    message = refusal(
        lambda: services.not_applicable_request(
            participation=yte, criterion=leaf("1.3"), by=officer, requested=True, reason=" "
        )
    )
    assert message == "Cần nêu lý do đề nghị không áp dụng tiêu chí."


def test_not_applicable_request_is_stored_and_can_be_withdrawn(yte, officer, leaf):
    score = services.not_applicable_request(
        participation=yte,
        criterion=leaf("1.3"),
        by=officer,
        requested=True,
        reason="Sở không có đơn vị sự nghiệp trực thuộc",
    )
    assert score.not_applicable_requested
    assert score.not_applicable_reason == "Sở không có đơn vị sự nghiệp trực thuộc"
    assert not score.not_applicable  # only the appraisers decide
    score = services.not_applicable_request(
        participation=yte, criterion=leaf("1.3"), by=officer, requested=False, reason="x"
    )
    assert (score.not_applicable_requested, score.not_applicable_reason) == (False, "")


def test_deduction_leaf_cannot_be_requested_not_applicable(yte, officer, leaf):
    assert "điểm trừ" in refusal(
        lambda: services.not_applicable_request(
            participation=yte, criterion=leaf("1.4"), by=officer, requested=True, reason="x"
        )
    )


# Delegation


def delegate(yte, criterion, by, to):
    return services.leaf_delegate(participation=yte, criterion=criterion, by=by, to=to)


def test_officer_delegates_a_leaf_and_the_colleague_sees_only_it(yte, officer, colleague, leaf):
    delegate(yte, leaf("1.1"), officer, colleague)
    assert leaf_scope(colleague, yte) == {leaf("1.1").pk}
    assert leaf_scope(officer, yte) is None
    save(yte, leaf("1.1"), colleague, score="1")
    assert "không được giao tiêu chí 1.3" in refusal(
        lambda: save(yte, leaf("1.3"), colleague, score="1")
    )


def test_head_sees_every_leaf_even_when_delegated(yte, officer, colleague, head, leaf):
    delegate(yte, leaf("1.1"), officer, colleague)
    assert leaf_scope(head, yte) is None
    save(yte, leaf("1.3"), head, score="1")


def test_delegated_colleague_cannot_delegate(yte, officer, colleague, leaf):
    delegate(yte, leaf("1.1"), officer, colleague)
    assert "cán bộ đầu mối" in refusal(lambda: delegate(yte, leaf("1.1"), colleague, officer))


def test_head_does_not_delegate(yte, head, colleague, leaf):
    assert "cán bộ đầu mối" in refusal(lambda: delegate(yte, leaf("1.1"), head, colleague))


def test_leaf_cannot_be_delegated_outside_the_unit(yte, officer, other_officer, leaf):
    assert "cùng đơn vị" in refusal(lambda: delegate(yte, leaf("1.1"), officer, other_officer))


def test_taking_a_delegation_back_restores_the_colleague_to_a_full_officer(
    yte, officer, colleague, leaf
):
    delegate(yte, leaf("1.1"), officer, colleague)
    delegate(yte, leaf("1.1"), officer, None)
    assert leaf_scope(colleague, yte) is None


# The window, to the minute in Asia/Ho_Chi_Minh


def test_window_is_open_from_midnight_of_the_first_day(yte, officer, leaf, time_machine):
    time_machine.move_to(OPENS, tick=False)
    save(yte, leaf("1.1"), officer, score="1")


def test_one_minute_before_opening_is_refused(yte, officer, leaf, time_machine):
    time_machine.move_to(OPENS - timedelta(minutes=1), tick=False)
    assert refusal(lambda: save(yte, leaf("1.1"), officer, score="1")) == (
        "Chưa đến thời hạn tự đánh giá (bắt đầu 00:00 ngày 25/12/2022)."
    )


def test_last_minute_of_the_last_day_is_still_open(yte, officer, leaf, time_machine):
    time_machine.move_to(CLOSES - timedelta(minutes=1), tick=False)
    save(yte, leaf("1.1"), officer, score="1")


def test_midnight_after_the_last_day_is_closed(yte, officer, head, leaf, time_machine):
    time_machine.move_to(CLOSES, tick=False)
    message = "Đã hết thời hạn tự đánh giá (24:00 ngày 10/01/2023)."
    assert refusal(lambda: save(yte, leaf("1.1"), officer, score="1")) == message
    assert refusal(lambda: services.self_assessment_submit(participation=yte, by=head)) == message


def test_published_year_is_always_refused(yte, officer, leaf):
    Year.objects.filter(pk=yte.year_id).update(status=Year.Status.PUBLISHED)
    yte.year.refresh_from_db()
    assert "đã công bố" in refusal(lambda: save(yte, leaf("1.1"), officer, score="1"))


# Submission and withdrawal


def test_only_the_head_submits(yte, officer):
    assert "Chỉ thủ trưởng" in refusal(
        lambda: services.self_assessment_submit(participation=yte, by=officer)
    )


def test_submitted_self_assessment_is_locked(yte, officer, head, leaf):
    services.self_assessment_submit(participation=yte, by=head)
    message = refusal(lambda: save(yte, leaf("1.1"), officer, score="1"))
    assert message.startswith("Đơn vị đã gửi bản tự đánh giá lúc 09:30 ngày 05/01/2023")
    assert "Đơn vị đã gửi" in refusal(
        lambda: services.self_assessment_submit(participation=yte, by=head)
    )


def test_withdrawal_while_open_unlocks(yte, officer, head, leaf):
    services.self_assessment_submit(participation=yte, by=head)
    services.self_assessment_withdraw(participation=yte, by=head)
    assert not Submission.objects.filter(participation=yte).exists()
    save(yte, leaf("1.1"), officer, score="1")


def test_withdrawal_after_the_window_is_refused(yte, head, time_machine):
    services.self_assessment_submit(participation=yte, by=head)
    time_machine.move_to(CLOSES, tick=False)
    assert "Đã hết thời hạn" in refusal(
        lambda: services.self_assessment_withdraw(participation=yte, by=head)
    )
    assert Submission.objects.filter(participation=yte).exists()


def test_withdrawing_nothing_is_refused(yte, head):
    assert "chưa gửi" in refusal(
        lambda: services.self_assessment_withdraw(participation=yte, by=head)
    )


# Audit


def test_every_change_is_audited(yte, officer, colleague, head, leaf):
    save(yte, leaf("1.1"), officer, score="1,5", note="Có kế hoạch")
    save(yte, leaf("1.1"), officer, score="1,5", note="Có kế hoạch")  # no change: no event
    services.not_applicable_request(
        participation=yte, criterion=leaf("1.3"), by=officer, requested=True, reason="Không có"
    )
    delegate(yte, leaf("1.1"), officer, colleague)
    services.self_assessment_submit(participation=yte, by=head)
    services.self_assessment_withdraw(participation=yte, by=head)
    events = list(AuditEvent.objects.order_by("pk"))
    assert [e.action for e in events] == [
        "self_score_save",
        "not_applicable_request",
        "leaf_delegate",
        "self_assessment_submit",
        "self_assessment_withdraw",
    ]
    first = events[0]
    assert first.actor == officer
    assert (first.year, first.unit_code) == (2023, "A18")
    assert first.changes == {"self_score": [None, "1.5"], "self_note": ["", "Có kế hoạch"]}
    assert events[2].changes == {"delegated_to": [None, colleague.pk]}


def test_a_colleague_cannot_version_a_file_that_is_on_no_leaf_of_theirs(
    yte, officer, colleague, leaf, during_window
):
    from django.core.exceptions import ValidationError

    from .conftest import pdf_file

    evidence_file = services.evidence_upload(
        participation=yte, criterion=leaf("1.1"), uploaded_file=pdf_file(), by=officer
    )
    services.evidence_unlink(
        participation=yte, criterion=leaf("1.1"), evidence_file=evidence_file, by=officer
    )
    services.leaf_delegate(participation=yte, criterion=leaf("1.3"), by=officer, to=colleague)

    with pytest.raises(ValidationError):
        services.evidence_replace(
            participation=yte,
            evidence_file=evidence_file,
            uploaded_file=pdf_file(body=b"x"),
            by=colleague,
        )


def test_an_appraiser_cannot_use_the_units_download_url(
    client, yte, officer, appraiser, leaf, during_window
):
    from django.urls import reverse

    from .conftest import pdf_file

    evidence_file = services.evidence_upload(
        participation=yte, criterion=leaf("1.1"), uploaded_file=pdf_file(), by=officer
    )
    client.force_login(appraiser)  # from Sở Tư pháp, no assignment: no file by either URL

    assert client.get(reverse("evidence:download", args=[evidence_file.pk])).status_code == 404
    assert (
        client.get(reverse("appraisal:evidence_file", args=[evidence_file.pk])).status_code == 404
    )


def test_the_appraisers_figures_are_written_through_evidence(yte, officer, leaf):
    """appraisal copies its result onto the unit's row only through these two functions."""
    from decimal import Decimal

    score = services.score_save(participation=yte, criterion=leaf("1.1"), by=officer, score="2")
    changes = services.score_appraised_set(
        score=score, appraised_score=Decimal("1.5"), appraised_value=None, note="Thiếu văn bản."
    )
    assert changes == {
        "appraised_score": (None, Decimal("1.5")),
        "appraised_value": (None, None),
        "appraisal_note": ("", "Thiếu văn bản."),
    }
    changes = services.score_not_applicable_set(score=score, not_applicable=True, note="Đồng ý.")
    score.refresh_from_db()
    assert (score.not_applicable, score.appraised_score, score.appraisal_note) == (
        True,
        None,
        "Đồng ý.",
    )
    assert changes["appraised_score"] == (Decimal("1.5"), None)
