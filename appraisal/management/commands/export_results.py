from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from appraisal.results import results_document, results_json
from appraisal.revisions import computed_revision
from criteria.models import Year


class Command(BaseCommand):
    help = "Ghi tài liệu kết quả (JSON, INTERFACES.md §4) của một năm đã tính."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True)

    def handle(self, *args, year, out, **options):
        year_obj = Year.objects.filter(year=year).first()
        if year_obj is None:
            raise CommandError(f"Không có năm đánh giá {year}.")
        if computed_revision(year_obj) is None:
            raise CommandError(f"Năm {year} chưa được tính chỉ số: chạy compute_results trước.")
        document = results_document(year_obj)
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(results_json(document))
        units = sum(len(block["units"]) for block in document["blocks"])
        self.stdout.write(f"Đã ghi {path} ({units} đơn vị).")
