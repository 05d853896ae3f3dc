"""Words, not codes, on the appraisers' pages (issue 15, item 8): the assignments page warns
of every area × unit no one may appraise and of an appraiser assigned to their own unit;
the queue shows each unit by name, in natural order, with its submission state and time."""

from __future__ import annotations

import re

from appraisal.models import Assignment
from evidence.models import Submission

from .personas import *  # noqa: F403 - fixtures
from .personas import local

ASSIGNMENTS = "/tham-dinh/2023/phan-cong/"
QUEUE = "/tham-dinh/2023/"


def assign(world, user, area_code, by):
    return Assignment.objects.create(
        year=world.year, block=world.block, area_code=area_code, appraiser=user, assigned_by=by
    )


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_warns_of_a_unit_no_one_may_appraise_and_of_an_own_unit(
    client, world, lead, appraiser
):
    """Vũ Đức Anh (Sở Nội vụ), the lead, is assigned area 1: no one may appraise Sở Nội vụ's
    area 1. Lê Thu Hà (Sở Tư pháp) has area 2: only the lead may appraise Sở Tư pháp's."""
    assign(world, lead, "1", lead)
    client.force_login(lead)

    page = text(client.get(ASSIGNMENTS).content.decode())

    assert "Có 1 lĩnh vực của đơn vị không ai thẩm định được" in page
    assert (
        "Lĩnh vực 1. Công tác chỉ đạo, điều hành cải cách hành chính – không ai thẩm định "
        "được Sở Nội vụ: mọi người được phân công, và Tổ trưởng Tổ thư ký, đều thuộc chính "
        "đơn vị đó."
    ) in page
    assert (
        "Lĩnh vực 2. Cải cách thể chế – chỉ Tổ trưởng Tổ thư ký thẩm định được Sở Tư pháp: "
        "thành viên được phân công thuộc chính đơn vị đó."
    ) in page
    assert "Vũ Đức Anh thuộc Sở Nội vụ: không thẩm định đơn vị này" in page
    assert "Lê Thu Hà thuộc Sở Tư pháp: không thẩm định đơn vị này" in page


def test_an_area_not_assigned_is_left_to_the_lead_and_said_so(client, world, lead, appraiser):
    client.force_login(lead)

    page = text(client.get(ASSIGNMENTS).content.decode())

    assert (
        "Lĩnh vực 1. Công tác chỉ đạo, điều hành cải cách hành chính – chỉ Tổ trưởng Tổ thư "
        "ký thẩm định được Sở Giao thông vận tải; Sở Tư pháp; Sở Y tế: chưa phân công thành "
        "viên nào."
    ) in page
    # The lead's own unit: no one at all.
    assert "không ai thẩm định được Sở Nội vụ: chưa phân công ai" in page


def test_without_a_lead_an_unassigned_area_is_unappraisable_for_every_unit(client, world, noivu):
    client.force_login(noivu)

    page = text(client.get(ASSIGNMENTS).content.decode())

    assert "Có 8 lĩnh vực của đơn vị không ai thẩm định được" in page  # 2 areas × 4 units
    assert "không ai thẩm định được cả 4 đơn vị của khối: chưa phân công ai" in page


def test_no_warning_once_every_unit_has_an_appraiser_from_elsewhere(
    client, world, lead, appraiser, other_appraiser
):
    assign(world, other_appraiser, "1", lead)  # Sở Giao thông vận tải
    assign(world, other_appraiser, "2", lead)
    assign(world, appraiser, "1", lead)  # Sở Tư pháp
    client.force_login(lead)

    page = text(client.get(ASSIGNMENTS).content.decode())

    assert "không ai thẩm định được" not in page
    assert "chỉ Tổ trưởng Tổ thư ký thẩm định được" not in page
    # Each appraiser's own unit is still named beside them.
    assert "Ngô Văn Bình thuộc Sở Giao thông vận tải: không thẩm định đơn vị này" in page


def test_the_queue_shows_units_by_name_in_order_with_their_submission(
    client, world, lead, head, during_appraisal
):
    Submission.objects.create(participation=world.participations["A18"], submitted_by=head)
    Submission.objects.filter(participation=world.participations["A18"]).update(
        submitted_at=local(2024, 1, 10, 16, 45)
    )
    client.force_login(lead)

    html = client.get(QUEUE).content.decode()
    page = text(html)

    assert "Sở Y tế Đã gửi 16:45 10/01/2024" in page
    assert "Sở Giao thông vận tải Chưa gửi" in page and "Sở Tư pháp Chưa gửi" in page
    names = [page.index(name) for name in ("Sở Giao thông vận tải", "Sở Tư pháp", "Sở Y tế")]
    assert names == sorted(names)
    assert "A18 ·" not in html and "A1 ·" not in html
    assert "Sở Nội vụ Chưa gửi" not in page  # the lead's own unit is not in their queue
