from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from exchange.workbook import workbook_check, year_data_write


class Command(BaseCommand):
    help = (
        "Nhập một năm đánh giá từ tệp Excel (.xlsx, .ods, .xls; INTERFACES.md §2); tất cả "
        "hoặc không gì cả."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp .xlsx (hoặc .ods, .xls) của năm đánh giá")
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
        # year_workbook_import's two steps, so that what the reader matched is printed.
        data, lines = workbook_check(source=path, replace=replace)
        try:
            if lines:
                raise ValidationError(lines)
            year, counts = year_data_write(
                data=data, replace=replace, source=f"tệp Excel {Path(path).name}"
            )
        except ValidationError as error:
            lines = error.messages
            raise CommandError(
                "\n".join([*lines, f"{len(lines)} lỗi; không có dữ liệu nào được ghi."])
            ) from None
        for note in data.notes:
            self.stdout.write(f"Ghi chú: {note}.")
        self.stdout.write(f"Đã nhập năm {year.year} ({year.get_status_display()}):")
        for sheet, count in counts.items():
            self.stdout.write(f"  {sheet}: {count}")
