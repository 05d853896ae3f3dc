from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from appraisal.jobs import job_wait
from criteria.models import Year
from kernel.models import Job
from reports.jobs import render_start
from reports.models import RenderedFile


class Command(BaseCommand):
    help = (
        "Kết xuất các tài liệu của một năm (biểu từng đơn vị, bảng tổng hợp, báo cáo) qua "
        "Celery, chờ xong và ghi vào thư mục: DIR/A1.pdf…, DIR/summary.xlsx, DIR/report.pdf, "
        "DIR/report.docx và tệp ZIP trọn bộ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True, help="thư mục ghi tài liệu")
        parser.add_argument("--timeout", type=float, default=1800, help="giây chờ tối đa")

    def handle(self, *args, year, out, timeout, **options):
        year_obj = Year.objects.filter(year=year).first()
        if year_obj is None:
            raise CommandError(f"Không có năm đánh giá {year}.")
        try:
            job = job_wait(render_start(year=year_obj), timeout=timeout)
        except (ValidationError, TimeoutError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        if job.status == Job.Status.FAILED:
            raise CommandError(f"Kết xuất thất bại: {job.message}")
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        files = list(RenderedFile.objects.filter(year=year_obj))
        for rendered in files:
            with rendered.file.open("rb") as source:
                (directory / rendered.filename).write_bytes(source.read())
        self.stdout.write(f"Đã ghi {len(files)} tệp vào {directory}. {job.message}")
