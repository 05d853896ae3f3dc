"""Issue 15, Build 5: Sở Nội vụ's criteria tree editor — add, rename, re-weight, move,
delete through the views while the year is a draft; sums shown and flagged; refused with a
Vietnamese message once a window opened or the year is published; audited; 403 to others."""

from decimal import Decimal

import pytest

from criteria.models import Criterion, Year
from evidence.models import Score
from kernel.models import AuditEvent
from tests.appraisal.personas import CRITERIA
from tests.personas import Y_TE, local, person, year_build

pytestmark = pytest.mark.django_db

TREE = "/nam-danh-gia/2027/bo-chi-so/A/"
EDIT = TREE + "sua/"


@pytest.fixture
def built():
    return year_build(2027, units=[Y_TE], tree=CRITERIA)


@pytest.fixture
def noivu(client, built):
    client.force_login(person("noivu"))
    return client


def node(code):
    return Criterion.objects.get(year__year=2027, block__code="A", code=code)


def post(client, **data):
    return client.post(EDIT, data, follow=True)


def test_the_tree_shows_maxima_and_sums(noivu):
    page = noivu.get(TREE).content.decode()
    assert "Tổng điểm tối đa của bộ chỉ số: 10" in page
    assert "Cải cách thể chế" in page and "tổng các tiêu chí con: 5" in page
    assert "Không khớp" not in page
    assert noivu.get("/nam-danh-gia/2027/bo-chi-so/").status_code == 302


def test_add_rename_reweight_and_the_sums_flag_the_difference(noivu):
    page = post(noivu, action="add", node=node("2").pk, name="Kiểm tra văn bản", max_points="1,5")
    assert "Đã thêm tiêu chí 2.3." in page.content.decode()
    assert node("2.3").max_points == Decimal("1.5") and node("2.3").is_leaf
    assert "Không khớp: chênh 5 so với 6,5" in page.content.decode()

    page = post(noivu, action="save", node=node("2").pk, name="Thể chế", max_points="6.5")
    assert node("2").name == "Thể chế" and node("2").max_points == Decimal("6.5")
    assert "Không khớp" not in page.content.decode()
    actions = set(AuditEvent.objects.filter(year=2027).values_list("action", flat=True))
    assert {"criterion_add", "criterion_rename", "criterion_reweight"} <= actions

    # A leaf given a child becomes an inner node.
    post(noivu, action="add", node=node("2.1").pk, name="Con", max_points="3")
    assert not node("2.1").is_leaf and node("2.1").method == ""
    post(noivu, action="add", name="Lĩnh vực mới", max_points="2")
    assert node("4").parent is None


def test_move_swaps_codes_with_the_subtree(noivu):
    post(noivu, action="add", node=node("2.1").pk, name="Con của 2.1", max_points="3")
    first, second = node("2.1").pk, node("2.2").pk
    page = post(noivu, action="down", node=first)
    assert "Đã chuyển tiêu chí thành mã 2.2." in page.content.decode()
    assert Criterion.objects.get(pk=first).code == "2.2"
    assert Criterion.objects.get(pk=second).code == "2.1"
    assert node("2.2.1").parent_id == first
    assert AuditEvent.objects.filter(action="criterion_move").count() == 1
    page = post(noivu, action="up", node=second)
    assert "đã ở đầu danh sách" in page.content.decode()
    page = post(noivu, action="down", node=node("1").pk)
    assert "Lĩnh vực giữ nguyên mã" in page.content.decode()


def test_delete_a_node_without_scores_only(noivu, built):
    page = post(noivu, action="delete", node=node("2.2").pk)
    assert "Đã xóa tiêu chí." in page.content.decode()
    assert not Criterion.objects.filter(year__year=2027, code="2.2").exists()
    assert AuditEvent.objects.filter(action="criterion_delete").exists()
    Score.objects.create(
        participation=built.participations[Y_TE], criterion=node("2.1"), self_score=1
    )
    page = post(noivu, action="delete", node=node("2").pk)
    assert "đã có điểm hoặc dữ liệu: không xóa được" in page.content.decode()
    assert Criterion.objects.filter(year__year=2027, code="2").exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "save", "name": "", "max_points": "1"}, "Chưa nhập tên tiêu chí."),
        ({"action": "save", "name": "X", "max_points": "abc"}, "không phải là số"),
        ({"action": "save", "name": "X", "max_points": "-1"}, "phải từ 0 đến"),
        ({"action": "save", "name": "X", "max_points": "1.2345"}, "3 chữ số thập phân"),
        ({"action": "save", "name": "X", "max_points": "0.5"}, "nhỏ hơn điểm cao nhất"),
        ({"action": "fly"}, "Thao tác không hợp lệ."),
    ],
)
def test_bad_input_is_refused_and_nothing_written(noivu, data, message):
    before = list(Criterion.objects.values_list("code", "name", "max_points"))
    page = post(noivu, node=node("1.2").pk, **data)
    assert message in page.content.decode()
    assert list(Criterion.objects.values_list("code", "name", "max_points")) == before
    assert not AuditEvent.objects.filter(action__startswith="criterion_").exists()


def test_unknown_node_is_refused(noivu):
    page = post(noivu, action="delete", node="999999")
    assert "Không có tiêu chí này trong năm." in page.content.decode()


def test_not_draft_is_read_only_and_refused(noivu, built):
    Year.objects.filter(pk=built.year.pk).update(self_assessment_opens=local(2020, 1, 1))
    page = noivu.get(TREE).content.decode()
    assert "bộ chỉ số chỉ sửa được khi năm còn ở giai đoạn chuẩn bị" in page
    assert 'value="save"' not in page
    response = post(noivu, action="save", node=node("2").pk, name="Đổi", max_points="5")
    assert "giai đoạn “Tự đánh giá”" in response.content.decode()
    assert node("2").name == "Cải cách thể chế"
    assert not AuditEvent.objects.filter(action__startswith="criterion_").exists()


def test_published_year_refused(noivu, built):
    Year.objects.filter(pk=built.year.pk).update(status=Year.Status.PUBLISHED)
    response = post(noivu, action="delete", node=node("2.2").pk)
    assert "Năm 2027 đã công bố" in response.content.decode()
    assert Criterion.objects.filter(year__year=2027, code="2.2").exists()


def test_htmx_post_redirects_and_swaps(noivu):
    response = noivu.post(
        EDIT,
        {"action": "save", "node": node("2").pk, "name": "Mới", "max_points": "5"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 302 and response["Location"] == TREE
    assert 'hx-select="#main"' in noivu.get(TREE).content.decode()


def test_other_roles_and_anonymous(client, built):
    assert client.get(TREE).status_code == 302
    assert client.post(EDIT, {"action": "delete", "node": node("2.2").pk}).status_code == 302
    client.force_login(person("canbo.yte"))
    assert client.get(TREE).status_code == 403
    assert client.post(EDIT, {"action": "delete", "node": node("2.2").pk}).status_code == 403
    assert Criterion.objects.filter(year__year=2027, code="2.2").exists()
    client.force_login(person("noivu"))
    assert client.get(EDIT).status_code == 405
    assert client.get("/nam-danh-gia/2027/bo-chi-so/Z/").status_code == 404


def test_move_to_another_parent_renumbers_and_closes_the_gap(noivu):
    moving, staying = node("1.1").pk, node("1.2").pk
    page = post(noivu, action="reparent", node=moving, parent=node("2").pk)
    assert "Đã chuyển tiêu chí thành mã 2.3." in page.content.decode()
    assert Criterion.objects.get(pk=moving).parent == node("2")
    assert Criterion.objects.get(pk=staying).code == "1.1"
    assert node("1.2").kind == "deduction"  # 1.3 closed the gap
    # The sums follow: area 1 now 2 (one normal leaf) against 4; area 2 now 7 against 5.
    text = page.content.decode()
    assert "chênh 4 so với 2" in text and "chênh 5 so với 7" in text
    page = post(noivu, action="reparent", node=node("2").pk, parent=node("1").pk)
    assert "Lĩnh vực giữ nguyên mã" in page.content.decode()
    page = post(noivu, action="reparent", node=node("2.1").pk, parent=node("1.2").pk)
    assert "điểm trừ, điểm thưởng" in page.content.decode()
    page = post(noivu, action="reparent", node=node("3.1").pk, parent="x")
    assert "Hãy chọn tiêu chí cha mới." in page.content.decode()
