from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.services import reminders_send


def moment(value: str) -> datetime:
    """An ISO date and time; without an offset, in the installation's time zone."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--at phải là ngày giờ dạng ISO, ví dụ 2024-01-08T09:00 (nhận được: {value!r})."
        ) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


class Command(BaseCommand):
    help = (
        "Gửi thông báo, nhắc việc đến hạn (mở thời gian tự đánh giá, còn 3 ngày và 1 ngày, "
        "thẩm định, giải trình, công bố kết quả); chạy nhiều lần không gửi trùng. Dùng cho cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--at",
            help="thời điểm xét (ISO, mặc định: bây giờ), ví dụ 2024-01-08T09:00",
        )

    def handle(self, *args, at=None, **options):
        report = reminders_send(at=moment(at) if at else None)
        self.stdout.write(
            f"Đã tạo {report.notices} thông báo; đã gửi {report.emails_sent} thư"
            + (
                f"; {report.emails_failed} thư gửi không được (sẽ thử lại)."
                if report.emails_failed
                else "."
            )
        )
