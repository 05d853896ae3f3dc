"""/thong-bao/: the person's own notices, opening marks read, the preference form."""

import pytest

from notifications.models import Notice, NoticePreference

from .conftest import run


@pytest.fixture
def told(people):
    """Self-assessment opened, then three days left: Sở Y tế's officer has 2 notices."""
    run("2023-12-26T09:00")
    run("2024-01-08T09:00")
    return people


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_page_needs_a_login(db, client):
    response = client.get("/thong-bao/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_a_person_sees_their_own_notices_newest_first(told, client):
    response = signed_in(client, told["canbo.yte"]).get("/thong-bao/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Thông báo (2 chưa đọc)" in page
    assert page.index("Còn 3 ngày tự đánh giá") < page.index("Mở tự đánh giá, chấm điểm")
    assert "Sở Tư pháp" not in page  # Sở Tư pháp's notices are its officer's
    assert "Thư điện tử được gửi đến canbo.yte@cchc.example.vn." in page


def test_opening_a_notice_marks_it_read_and_follows_its_link(told, client):
    notice = Notice.objects.get(person=told["canbo.yte"], kind=Notice.Kind.SELF_ASSESSMENT_DUE)

    response = signed_in(client, told["canbo.yte"]).post(f"/thong-bao/{notice.pk}/mo/")

    assert response.status_code == 302 and response["Location"] == "/tu-danh-gia/"
    notice.refresh_from_db()
    assert notice.is_read
    assert "Thông báo (1 chưa đọc)" in client.get("/thong-bao/").content.decode()


def test_another_persons_notice_is_404_and_stays_unread(told, client):
    theirs = Notice.objects.filter(person=told["canbo.tuphap"]).first()

    response = signed_in(client, told["canbo.yte"]).post(f"/thong-bao/{theirs.pk}/mo/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_opening_needs_a_post(told, client):
    notice = Notice.objects.filter(person=told["canbo.yte"]).first()
    assert (
        signed_in(client, told["canbo.yte"]).get(f"/thong-bao/{notice.pk}/mo/").status_code == 405
    )


def test_all_can_be_marked_read_at_once(told, client):
    response = signed_in(client, told["canbo.yte"]).post("/thong-bao/da-doc/", follow=True)

    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
    assert not Notice.objects.filter(person=told["canbo.yte"], read_at=None).exists()
    assert Notice.objects.filter(person=told["thutruong.yte"], read_at=None).count() == 2


def test_the_unread_count_reaches_every_page_through_the_context_processor(told, client):
    run("2024-01-10T09:00")  # one day left: a third notice

    response = signed_in(client, told["canbo.yte"]).get("/")

    assert response.context["unread_notices"] == 3
    assert client.get("/thong-bao/").context["unread_notices"] == 3


def test_the_preference_is_chosen_on_the_same_page(told, client):
    signed_in(client, told["thutruong.yte"])

    response = client.post("/thong-bao/", {"channel": "in_app"}, follow=True)

    assert "Đã lưu: nhận thông báo chỉ trong ứng dụng." in response.content.decode()
    assert NoticePreference.objects.get(person=told["thutruong.yte"]).channel == "in_app"
    assert client.get("/thong-bao/").context["form"]["channel"].value() == "in_app"


def test_a_bad_preference_is_refused_in_vietnamese_and_nothing_is_saved(told, client):
    response = signed_in(client, told["thutruong.yte"]).post("/thong-bao/", {"channel": "fax"})

    assert response.status_code == 400
    assert "Cách nhận thông báo không hợp lệ." in response.content.decode()
    assert not NoticePreference.objects.exists()


def test_a_person_without_notices_is_told_so(people, client):
    page = signed_in(client, people["hoidong"]).get("/thong-bao/").content.decode()
    assert "Chưa có thông báo nào." in page
