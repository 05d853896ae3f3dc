from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from exchange.workbook import year_workbook_import


class Command(BaseCommand):
    help = "Nhập một năm đánh giá từ tệp Excel (INTERFACES.md §2); tất cả hoặc không gì cả."

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp .xlsx của năm đánh giá")
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "xóa và nhập lại toàn bộ dữ liệu của năm nếu năm đã có, giữ giai đoạn của năm; "
                "bị từ chối với năm đã công bố và với năm đã có công việc mà tệp không mang "
                "theo (tài liệu kiểm chứng, bản đã gửi, phân công, lượt thẩm định, giải trình)"
            ),
        )

    def handle(self, *args, path, replace, **options):
        try:
            year, counts = year_workbook_import(source=path, replace=replace)
        except ValidationError as error:
            lines = error.messages
            raise CommandError(
                "\n".join([*lines, f"{len(lines)} lỗi; không có dữ liệu nào được ghi."])
            ) from None
        self.stdout.write(f"Đã nhập năm {year.year} ({year.get_status_display()}):")
        for sheet, count in counts.items():
            self.stdout.write(f"  {sheet}: {count}")
