"""Issue 15, Build 5: Sở Nội vụ's page to start a year from the one before — the form, a
preview of what is copied, the confirmation, then the tree editor; errors in Vietnamese
with nothing written; others refused."""

import pytest

from appraisal.models import Assignment
from criteria.models import Criterion, Participation, Year
from kernel.models import AuditEvent
from surveys.models import Question
from tests.exchange.test_next_year import world  # noqa: F401 (the fixture)
from tests.personas import person

pytestmark = pytest.mark.django_db

URL = "/nam-danh-gia/bat-dau/"


@pytest.fixture
def noivu(client, world):  # noqa: F811
    client.force_login(person("noivu"))
    return client


def test_form_preview_confirm_copies_and_lands_on_the_tree(noivu, world):  # noqa: F811
    page = noivu.get(URL).content.decode()
    assert "Bắt đầu năm đánh giá mới từ năm trước" in page and 'value="2023"' in page

    preview = noivu.post(URL, {"previous": "2023", "year": "2024", "name": "", "step": "preview"})
    text = preview.content.decode()
    assert preview.status_code == 200 and "Sẽ tạo năm 2024" in text
    criteria = Criterion.objects.filter(year=world.year).count()
    assert f'<td>tiêu chí</td><td class="num">{criteria}</td>' in text
    assert '<td>đơn vị tham gia</td><td class="num">4</td>' in text
    assert '<td>phân công thẩm định</td><td class="num">1</td>' in text
    assert not Year.objects.filter(year=2024).exists()

    done = noivu.post(
        URL, {"previous": "2023", "year": "2024", "name": "Năm mới", "step": "confirm"}
    )
    assert done.status_code == 302 and done["Location"] == "/nam-danh-gia/2024/bo-chi-so/"
    new = Year.objects.get(year=2024)
    assert new.name == "Năm mới"
    assert Criterion.objects.filter(year=new).count() == criteria
    assert Participation.objects.filter(year=new).count() == 4
    assert Question.objects.filter(criterion__year=new).count() == 1
    assert Assignment.objects.filter(year=new).count() == 1
    assert AuditEvent.objects.filter(action="year_start_from", year=2024).exists()
    tree = noivu.get(done["Location"], follow=True)
    assert "Bộ chỉ số năm 2024" in tree.content.decode()
    assert "Đã tạo năm 2024 từ năm 2023" in tree.content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"previous": "2023", "year": "2023"}, "Năm 2023 đã có: không tạo lại."),
        ({"previous": "2023", "year": "20x4"}, "Năm mới “20x4” không hợp lệ"),
        ({"previous": "2023", "year": ""}, "không hợp lệ: nhập 4 chữ số"),
        ({"previous": "2023", "year": "2019"}, "Năm mới (2019) phải sau năm 2023."),
        ({"previous": "1999", "year": "2024"}, "Hãy chọn năm nguồn có trong hệ thống."),
        ({"previous": "2023", "year": "2024", "name": "x" * 301}, "dài quá 300 ký tự"),
    ],
)
@pytest.mark.parametrize("step", ["preview", "confirm"])
def test_bad_input_refused_nothing_written(noivu, data, message, step):
    years = Year.objects.count()
    response = noivu.post(URL, {**data, "step": step})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Year.objects.count() == years
    assert not AuditEvent.objects.filter(action="year_start_from").exists()


def test_wrong_role_and_anonymous(client, world):  # noqa: F811
    assert client.get(URL).status_code == 302
    assert client.get(URL)["Location"].startswith("/dang-nhap/")
    client.force_login(person("totruong"))
    assert client.get(URL).status_code == 403
    data = {"previous": "2023", "year": "2024", "step": "confirm"}
    assert client.post(URL, data).status_code == 403
    assert not Year.objects.filter(year=2024).exists()
