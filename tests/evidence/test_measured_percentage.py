"""A measured value on a rubric of percentages (thresholds within 0…100) is 0–100: 120 % is
refused with a clear message and nothing is written, at the page and in the service."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from criteria.rules import measured_value_check, rubric_is_percentage
from evidence import services
from evidence.models import Score
from kernel.models import AuditEvent

pytestmark = pytest.mark.usefixtures("during_window")

HTMX = {"HTTP_HX_REQUEST": "true"}
PERCENT = ((Decimal(100), Decimal(1)), (Decimal(80), Decimal("0.5")), (Decimal(0), Decimal(0)))
COUNT = ((Decimal(200), Decimal(1)), (Decimal(50), Decimal("0.5")))


def test_a_value_of_120_percent_is_refused_in_place_and_nothing_written(client, officer, leaf):
    client.force_login(officer)
    response = client.post(
        reverse("evidence:leaf_save", args=[leaf("1.2").pk]), {"value": "120"}, **HTMX
    )
    text = response.content.decode()
    assert "Giá trị là tỷ lệ phần trăm, phải từ 0 đến 100 (đã nhập 120)." in text
    assert not Score.objects.filter(criterion=leaf("1.2"), self_value__isnull=False).exists()
    assert not AuditEvent.objects.exists()


def test_the_service_refuses_past_100_and_keeps_the_saved_value(yte, officer, leaf):
    services.score_save(participation=yte, criterion=leaf("1.2"), by=officer, value="85")
    with pytest.raises(ValidationError, match="phải từ 0 đến 100"):
        services.score_save(participation=yte, criterion=leaf("1.2"), by=officer, value="100,01")
    score = Score.objects.get(participation=yte, criterion=leaf("1.2"))
    assert (score.self_value, score.self_score) == (Decimal(85), Decimal("0.5"))


@pytest.mark.parametrize("value", ["0", "100", "99,999"])
def test_0_and_100_are_accepted(yte, officer, leaf, value):
    score = services.score_save(participation=yte, criterion=leaf("1.2"), by=officer, value=value)
    assert score.self_value == Decimal(value.replace(",", "."))


def test_a_rubric_with_a_threshold_above_100_is_not_a_percentage():
    assert rubric_is_percentage(PERCENT)
    assert not rubric_is_percentage(COUNT)
    measured_value_check(COUNT, Decimal(250))
    with pytest.raises(ValueError, match="không âm"):
        measured_value_check(COUNT, Decimal(-1))
    with pytest.raises(ValueError, match="từ 0 đến 100"):
        measured_value_check(PERCENT, Decimal("100.001"))
