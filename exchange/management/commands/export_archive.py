from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from exchange.archive import archive_export


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Ghi cả một năm đánh giá (tệp Excel của năm, kết quả, mọi tài liệu kiểm chứng) vào "
        "một tệp .zip có mã kiểm tra SHA-256, để chuyển sang hệ thống khác (docs/BACKUP.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True, help="tệp .zip")

    def handle(self, *args, year, out, **options):
        try:
            summary = archive_export(year, out)
        except ValidationError as error:
            lines = error.messages
            raise CommandError(
                "\n".join([*lines, f"{len(lines)} lỗi; không ghi tệp lưu trữ."])
            ) from None
        self.stdout.write(
            f"Đã ghi {summary.path}: năm {summary.year}, {summary.members} thành phần "
            f"({summary.files} tệp kiểm chứng), {thousands(summary.bytes)} byte dữ liệu, "
            f"tệp nén {thousands(summary.archive_bytes)} byte."
        )
