from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from criteria.models import Year
from exchange.next_year import year_start_from


class Command(BaseCommand):
    help = (
        "Tạo năm đánh giá mới từ năm trước: sao chép khối, đơn vị, bộ chỉ số, quy tắc, bảng "
        "hỏi, kế hoạch phiếu và phân công thẩm định (không sao chép điểm, phiếu, tài liệu)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="previous", type=int, required=True, help="năm nguồn")
        parser.add_argument("--year", type=int, required=True, help="năm mới")
        parser.add_argument("--name", default="", help="tên đợt đánh giá của năm mới")

    def handle(self, *args, previous, year, name, **options):
        source = Year.objects.filter(year=previous).first()
        if source is None:
            raise CommandError(f"Không có năm {previous}.")
        try:
            new = year_start_from(previous=source, year=year, name=name)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        self.stdout.write(
            f"Đã tạo năm {new.year} từ năm {previous}: {new.participations.count()} đơn vị, "
            f"{new.criteria.count()} tiêu chí. Đặt thời gian và điều chỉnh trước khi mở tự "
            "đánh giá."
        )
