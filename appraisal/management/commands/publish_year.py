from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from appraisal.services.compute import year_for_compute
from appraisal.services.publication import year_publish


class Command(BaseCommand):
    help = (
        "Phê duyệt và công bố kết quả một năm (như nút của Hội đồng): năm bị khóa, "
        "không thể sửa điểm hay tính lại."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year, **options):
        try:
            year_obj = year_publish(year=year_for_compute(year))
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        self.stdout.write(f"Đã công bố năm {year_obj.year} ngày {year_obj.published_on:%d/%m/%Y}.")
