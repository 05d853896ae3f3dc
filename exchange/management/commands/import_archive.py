from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from exchange.archive import archive_import

from .export_archive import thousands


class Command(BaseCommand):
    help = (
        "Nhập một năm đánh giá từ tệp .zip của export_archive: kiểm tra mọi mã SHA-256 trước "
        "khi ghi; tất cả hoặc không gì cả."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp .zip do export_archive ghi")
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "xóa và nhập lại toàn bộ dữ liệu của năm nếu năm đã có, giữ giai đoạn của năm; "
                "bị từ chối với năm đã công bố và với năm đã có công việc mà tệp không mang "
                "theo (phân công, lượt thẩm định, bản đã gửi, hoặc tài liệu kiểm chứng và giải trình không có nguyên vẹn trong kho lưu trữ)"
            ),
        )

    def handle(self, *args, path, replace, **options):
        try:
            summary = archive_import(path, replace=replace)
        except ValidationError as error:
            lines = error.messages
            raise CommandError(
                "\n".join([*lines, f"{len(lines)} lỗi; không có dữ liệu nào được ghi."])
            ) from None
        year = summary.year
        self.stdout.write(
            f"Đã nhập năm {year.year} ({year.get_status_display()}) từ {path}: "
            f"{summary.members} thành phần đúng mã SHA-256, {summary.files} tệp kiểm chứng, "
            f"{thousands(summary.bytes)} byte."
        )
        for sheet, count in summary.counts.items():
            self.stdout.write(f"  {sheet}: {count}")
        self.stdout.write(f"  giải trình: {summary.explanations}")
        if summary.results_units is not None:
            self.stdout.write(
                f"  kết quả: tính lại {summary.results_units} đơn vị, khớp results.json"
            )
        if summary.results_note:
            self.stdout.write(f"  kết quả: {summary.results_note}")
        if summary.unknown_users:
            self.stdout.write(
                "  người tải lên / giải trình không có ở hệ thống này (để trống): "
                + ", ".join(summary.unknown_users)
            )
