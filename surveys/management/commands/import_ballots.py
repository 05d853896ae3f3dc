from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from criteria.models import Year
from surveys.ballots import ballot_file_rows, ballots_import


class Command(BaseCommand):
    help = (
        "Nhập phiếu điều tra xã hội học (.xlsx hoặc .csv UTF-8, các cột như trang ballots): "
        "thêm vào, hoặc thay thế phiếu của năm với --replace; tất cả hoặc không gì cả."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--replace", action="store_true", help="xóa mọi phiếu đã nhập của năm trước khi nhập"
        )

    def handle(self, *args, path, year, replace, **options):
        year_obj = Year.objects.filter(year=year).first()
        if year_obj is None:
            raise CommandError(f"Không có năm đánh giá {year}.")
        sheet, rows, errors = ballot_file_rows(path)
        try:
            if errors:
                raise ValidationError(errors)
            ballots, answers = ballots_import(
                year=year_obj, rows=rows, sheet=sheet, replace=replace
            )
        except ValidationError as error:
            lines = error.messages
            raise CommandError(
                "\n".join([*lines, f"{len(lines)} lỗi; không có phiếu nào được ghi."])
            ) from None
        self.stdout.write(f"Đã nhập {answers} câu trả lời ({ballots} phiếu mới) cho năm {year}.")
