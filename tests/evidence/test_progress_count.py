"""One count of the leaves done ("Đã chấm N/M"): the role home, the self-assessment home and
the submit page agree, a leaf requested not applicable counted as done in all three."""

import pytest
from django.urls import reverse

from evidence import services
from evidence.selectors import self_assessment_progress

pytestmark = pytest.mark.usefixtures("during_window")


def test_a_leaf_requested_not_applicable_counts_once_on_every_page(
    client, yte, head, officer, leaf
):
    services.score_save(participation=yte, criterion=leaf("1.1"), by=officer, score="2")
    services.not_applicable_request(
        participation=yte,
        criterion=leaf("1.3"),
        by=officer,
        requested=True,
        reason="Đơn vị không có nhiệm vụ này trong năm.",
    )
    # 1.1, 1.2, 1.3 count; 1.4 is a deduction and 2.1 a survey leaf.
    assert self_assessment_progress(yte) == (2, 3)

    client.force_login(head)
    submit = client.get(reverse("evidence:submit")).content.decode()
    assert "<dd>2/3 (gồm 1 đề nghị không áp dụng)</dd>" in submit
    assert "đã chấm 2/3 tiêu chí" in client.get(reverse("evidence:home")).content.decode()
    assert "Đã chấm 2/3 tiêu chí thành phần" in client.get("/").content.decode()
