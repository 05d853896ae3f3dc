"""One lifecycle (DOMAIN §9): a year's phase follows from its windows and publication."""

import pytest

from criteria.models import Year
from tests.personas import local

P = Year.Phase


def year(**windows) -> Year:
    return Year(year=2023, name="Chỉ số CCHC năm 2023", **windows)


FULL = dict(
    self_assessment_opens=local(2023, 12, 25),
    self_assessment_closes=local(2024, 1, 11),
    appraisal_opens=local(2024, 1, 11),
    appraisal_closes=local(2024, 1, 17),
    explanation_opens=local(2024, 1, 17),
    explanation_closes=local(2024, 1, 20),
)


@pytest.mark.parametrize(
    ("at", "phase"),
    [
        (local(2023, 12, 24, 23, 59), P.DRAFT),
        (local(2023, 12, 25), P.SELF_ASSESSMENT),
        (local(2024, 1, 10, 23, 59), P.SELF_ASSESSMENT),
        (local(2024, 1, 11), P.APPRAISAL),
        (local(2024, 1, 16, 23, 59), P.APPRAISAL),
        (local(2024, 1, 17), P.EXPLANATION),
        (local(2024, 1, 19, 23, 59), P.EXPLANATION),
        (local(2024, 1, 20), P.REVIEW),
        (local(2025, 6, 1), P.REVIEW),
    ],
)
def test_each_window_opens_its_phase_to_the_minute_and_the_council_reviews_after_the_last(
    at, phase
):
    assert year(**FULL).phase(at) == phase


def test_a_gap_between_windows_stays_in_the_phase_that_closed():
    gap = {**FULL, "appraisal_opens": local(2024, 1, 13)}
    assert year(**gap).phase(local(2024, 1, 12)) == P.SELF_ASSESSMENT


def test_without_an_explanation_window_the_review_follows_the_appraisal():
    windows = {k: v for k, v in FULL.items() if not k.startswith("explanation")}
    assert year(**windows).phase(local(2024, 1, 17)) == P.REVIEW


def test_a_year_without_windows_is_in_preparation_and_a_published_year_is_published():
    assert year().phase(local(2024, 1, 1)) == P.DRAFT
    published = year(**FULL, status=Year.Status.PUBLISHED)
    assert published.phase(local(2024, 1, 12)) == P.PUBLISHED
    assert published.phase_label() == "Đã công bố"
