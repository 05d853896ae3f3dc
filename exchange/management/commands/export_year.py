from django.core.management.base import BaseCommand, CommandError

from criteria.models import Year
from exchange.workbook import year_workbook_export


class Command(BaseCommand):
    help = "Ghi một năm đánh giá ra tệp Excel (INTERFACES.md §2)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True, help="tệp .xlsx")

    def handle(self, *args, year, out, **options):
        year_obj = Year.objects.filter(year=year).first()
        if year_obj is None:
            raise CommandError(f"Không có năm đánh giá {year}.")
        path = year_workbook_export(year=year_obj, out=out)
        self.stdout.write(f"Đã ghi {path}.")
