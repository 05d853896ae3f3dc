"""send_reminders --at: each event of the year's lifecycle told once, to those it concerns."""

import pytest
from django.core.management import CommandError

from appraisal.models import AppraisalEntry
from appraisal.services.appraisals import appraisal_save
from appraisal.services.compute import results_compute
from appraisal.services.publication import year_publish
from evidence.models import Submission
from notifications.models import Notice
from tests.appraisal.personas import AFTER_ALL, IN_APPRAISAL, appraise_everything

from .conftest import BASE_URL, run

S = AppraisalEntry.Status
IN_SELF_ASSESSMENT = "2023-12-26T09:00"
THREE_DAYS_LEFT = "2024-01-08T09:00"  # closes at 24:00 on 10/01
LAST_DAY = "2024-01-10T09:00"


def mail_to(mailoutbox, username):
    return [m for m in mailoutbox if m.to == [f"{username}@cchc.example.vn"]]


def test_the_opening_of_self_assessment_is_told_once_to_each_units_people(people, mailoutbox):
    out = run(IN_SELF_ASSESSMENT)

    # Sở Y tế's officer and head, the officers of Sở Tư pháp and Sở Giao thông vận tải.
    assert "Đã tạo 4 thông báo; đã gửi 4 thư." in out
    [mail] = mail_to(mailoutbox, "canbo.yte")
    assert mail.subject == "Mở tự đánh giá, chấm điểm Chỉ số CCHC năm 2023: Sở Y tế"
    assert mail.body.startswith("Kính gửi Trần Văn Minh,")
    assert "từ 00:00 ngày 25/12/2023 đến 24:00 ngày 10/01/2024" in mail.body
    assert f"Xem chi tiết: {BASE_URL}/tu-danh-gia/" in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{BASE_URL}/tu-danh-gia/">Xem chi tiết</a>' in html
    assert "Kính gửi Trần Văn Minh" in html
    [tuphap] = mail_to(mailoutbox, "canbo.tuphap")
    assert tuphap.subject.endswith(": Sở Tư pháp")
    # Appraisers, the council and Sở Nội vụ have nothing to do in self-assessment.
    assert not mail_to(mailoutbox, "thamdinh.tuphap") and not mail_to(mailoutbox, "noivu")

    assert "Đã tạo 0 thông báo; đã gửi 0 thư." in run(IN_SELF_ASSESSMENT)
    assert "Đã tạo 0 thông báo; đã gửi 0 thư." in run("2023-12-28T15:00")
    assert len(mailoutbox) == 4
    assert Notice.objects.filter(kind=Notice.Kind.WINDOW_OPENED).count() == 4


def test_three_days_and_one_day_before_the_close_units_with_gaps_get_the_list(
    world, people, complete_unit, mailoutbox
):
    run(IN_SELF_ASSESSMENT)
    mailoutbox.clear()
    unscored = world.score("A18", "2.2")
    unscored.self_score = None
    unscored.save(update_fields=["self_score"])
    Submission.objects.create(
        participation=world.participations["A1"], submitted_by=people["canbo.gtvt"]
    )

    assert "Đã tạo 2 thông báo; đã gửi 2 thư." in run(THREE_DAYS_LEFT)

    # Sở Y tế only: Sở Tư pháp has everything, Sở Giao thông vận tải has submitted.
    assert {m.to[0] for m in mailoutbox} == {
        "canbo.yte@cchc.example.vn",
        "thutruong.yte@cchc.example.vn",
    }
    [mail] = mail_to(mailoutbox, "thutruong.yte")
    assert mail.subject == "Còn 3 ngày tự đánh giá Chỉ số CCHC năm 2023: Sở Y tế"
    assert "Kính gửi Phạm Quốc Hùng," in mail.body
    assert "kết thúc lúc 24:00 ngày 10/01/2024" in mail.body
    assert "Tiêu chí chưa chấm điểm (1):\n– 2.2. Rà soát, hệ thống hóa văn bản QPPL\n" in mail.body
    assert "Tiêu chí chưa có tài liệu kiểm chứng (4):" in mail.body
    assert "– 2.1. Thực hiện quy trình xây dựng văn bản QPPL" in mail.body

    assert "Đã tạo 0 thông báo" in run("2024-01-09T08:00")
    assert "Đã tạo 2 thông báo" in run(LAST_DAY)
    [_, last] = mail_to(mailoutbox, "canbo.yte")
    assert last.subject == "Còn 1 ngày tự đánh giá Chỉ số CCHC năm 2023: Sở Y tế"
    assert "Đã tạo 0 thông báo" in run("2024-01-10T23:59")
    # After the close nothing more about self-assessment (appraisers hear of their queue).
    run("2024-01-11T00:00")
    assert Notice.objects.filter(kind=Notice.Kind.SELF_ASSESSMENT_DUE).count() == 4
    assert len(mail_to(mailoutbox, "canbo.yte") + mail_to(mailoutbox, "thutruong.yte")) == 4


def test_a_job_that_first_runs_in_the_last_day_sends_no_stale_three_day_reminder(
    people, mailoutbox
):
    run(LAST_DAY)

    due = Notice.objects.filter(kind=Notice.Kind.SELF_ASSESSMENT_DUE)
    assert set(due.values_list("key", flat=True)) == {
        "2023:self_assessment_due:1d:A1",
        "2023:self_assessment_due:1d:A18",
        "2023:self_assessment_due:1d:A8",
    }
    assert not any(m.subject.startswith("Còn 3 ngày") for m in mailoutbox)


def test_appraisers_are_told_of_their_queue_then_one_day_before_the_close(
    world, people, other_appraiser, mailoutbox
):
    run("2024-01-11T08:00")

    [mail] = mail_to(mailoutbox, "thamdinh.tuphap")
    # Area 2 of Sở Giao thông vận tải, Sở Nội vụ and Sở Y tế; never her own Sở Tư pháp.
    assert mail.subject == "Có 6 tiêu chí chờ thẩm định (Chỉ số CCHC năm 2023)"
    assert "Kính gửi Lê Thu Hà," in mail.body
    assert "– Sở Y tế, lĩnh vực 2. Cải cách thể chế: 2/2 tiêu chí" in mail.body
    assert "Sở Tư pháp" not in mail.body
    assert f"{BASE_URL}/tham-dinh/" in mail.body
    [lead_mail] = mail_to(mailoutbox, "totruong")
    assert "lĩnh vực 1. Công tác chỉ đạo" in lead_mail.body
    assert "Sở Nội vụ" not in lead_mail.body  # the lead's own unit
    # No assignment, no queue: nothing for Ngô Văn Bình; nothing for the units.
    assert not Notice.objects.filter(person=other_appraiser).exists()
    assert not mail_to(mailoutbox, "canbo.yte")

    appraisal_save(
        participation=world.participations["A18"],
        criterion=world.criteria["2.1"],
        status=S.AGREED,
        appraised_score=world.score("A18", "2.1").self_score,
        by=people["thamdinh.tuphap"],
        at=IN_APPRAISAL,
    )
    assert "Đã tạo 0 thông báo" in run("2024-01-12T10:00")
    run("2024-01-16T09:00")
    [_, last] = mail_to(mailoutbox, "thamdinh.tuphap")
    assert last.subject == "Còn 1 ngày thẩm định Chỉ số CCHC năm 2023"
    assert "kết thúc lúc 24:00 ngày 16/01/2024; còn 5 tiêu chí chưa thẩm định" in last.body
    assert "– Sở Y tế, lĩnh vực 2. Cải cách thể chế: 1/2 tiêu chí" in last.body


def test_a_unit_with_leaves_to_explain_is_told_which(world, people, mailoutbox):
    appraisal_save(
        participation=world.participations["A18"],
        criterion=world.criteria["2.1"],
        status=S.NEEDS_EXPLANATION,
        appraised_score=world.score("A18", "2.1").self_score / 2,
        comment="Chưa có văn bản thẩm định dự thảo.",
        by=people["thamdinh.tuphap"],
        at=IN_APPRAISAL,
    )

    out = run("2024-01-17T08:00")

    assert "Đã tạo 2 thông báo" in out
    [mail] = mail_to(mailoutbox, "canbo.yte")
    assert mail.subject == "Sở Y tế: 1 tiêu chí cần giải trình (năm 2023)"
    assert "– 2.1. Thực hiện quy trình xây dựng văn bản QPPL" in mail.body
    assert "Thời gian giải trình: đến 24:00 ngày 19/01/2024." in mail.body
    assert f"{BASE_URL}/tham-dinh/giai-trinh/" in mail.body
    assert mail_to(mailoutbox, "thutruong.yte")
    assert not mail_to(mailoutbox, "canbo.tuphap")
    assert "Đã tạo 0 thông báo" in run("2024-01-18T08:00")


def test_a_publication_is_told_to_everyone_with_a_role_within_the_week(world, people, mailoutbox):
    appraise_everything(world)
    results_compute(year=world.year)
    year_publish(year=world.year, at=AFTER_ALL)

    out = run("2024-02-20T10:00")

    assert f"Đã tạo {len(people)} thông báo; đã gửi {len(people)} thư." in out
    [mail] = mail_to(mailoutbox, "hoidong")
    assert mail.subject == "Công bố Chỉ số CCHC năm 2023"
    assert "Hội đồng đã công bố kết quả Chỉ số CCHC năm 2023 ngày 20/02/2024." in mail.body
    assert f"{BASE_URL}/ket-qua/2023/" in mail.body
    assert "Đã tạo 0 thông báo" in run("2024-02-21T10:00")


def test_an_old_publication_is_not_told(world, people, mailoutbox):
    appraise_everything(world)
    results_compute(year=world.year)
    year_publish(year=world.year, at=AFTER_ALL)

    assert "Đã tạo 0 thông báo" in run("2024-02-28T10:00")
    assert mailoutbox == []


def test_each_person_is_told_the_way_they_chose(people, client, mailoutbox):
    from notifications.services import preference_save

    preference_save(person=people["canbo.yte"], channel="email")
    preference_save(person=people["thutruong.yte"], channel="in_app")
    people["canbo.gtvt"].email = ""
    people["canbo.gtvt"].save(update_fields=["email"])
    preference_save(person=people["canbo.gtvt"], channel="email")

    run(IN_SELF_ASSESSMENT)

    notices = {n.person.username: n for n in Notice.objects.select_related("person")}
    assert not notices["canbo.yte"].in_app and mail_to(mailoutbox, "canbo.yte")
    assert notices["thutruong.yte"].in_app and not mail_to(mailoutbox, "thutruong.yte")
    # Email only, but no address: the notice shows in the app rather than nowhere.
    assert notices["canbo.gtvt"].in_app and notices["canbo.gtvt"].email_to == ""
    assert notices["canbo.tuphap"].in_app and mail_to(mailoutbox, "canbo.tuphap")
    assert len(mailoutbox) == 2


def test_a_moment_that_is_not_iso_is_refused_in_vietnamese(db):
    with pytest.raises(CommandError, match="--at phải là ngày giờ dạng ISO"):
        run("10/01/2024")
    assert not Notice.objects.exists()


def test_a_moment_with_an_offset_is_taken_as_written(people, mailoutbox):
    # 02:00 UTC is 09:00 in Hà Nội: inside the self-assessment window.
    assert "Đã tạo 4 thông báo" in run("2023-12-26T02:00:00+00:00")
    assert "Đã tạo 0 thông báo" in run(IN_SELF_ASSESSMENT)
