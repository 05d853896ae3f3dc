from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from appraisal.jobs import compute_start, job_wait
from appraisal.models import UnitResult
from appraisal.revisions import working_computation
from appraisal.scoring import display
from appraisal.services.compute import year_for_compute
from kernel.models import Job


class Command(BaseCommand):
    help = "Tính chỉ số CCHC của một năm (qua Celery) và chờ kết quả; in một dòng mỗi khối."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--timeout", type=float, default=1800, help="giây chờ tối đa")

    def handle(self, *args, year, timeout, **options):
        try:
            year_obj = year_for_compute(year)
            job = compute_start(year=year_obj)
            job = job_wait(job, timeout=timeout)
        except (ValidationError, TimeoutError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        if job.status == Job.Status.FAILED:
            raise CommandError(f"Tính chỉ số thất bại: {job.message}")
        results = UnitResult.objects.filter(
            computation=working_computation(year_obj)
        ).select_related("participation__block")
        by_block: dict = {}
        for result in results:
            by_block.setdefault(result.participation.block, []).append(result)
        for block in sorted(by_block, key=lambda b: b.code):
            block_results = sorted(by_block[block], key=lambda r: r.rank)
            first = block_results[0]
            self.stdout.write(
                f"Khối {block.code} ({block.name}): {len(block_results)} đơn vị; "
                f"hạng 1: {first.participation.name} {display(first.index, 2).replace('.', ',')}; "
                f"thấp nhất: {block_results[-1].participation.name} "
                f"{display(block_results[-1].index, 2).replace('.', ',')}"
            )
